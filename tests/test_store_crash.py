"""Crash safety: ``newstrace ingest`` killed with SIGKILL, then run again.

A few hundred generated files are ingested by a subprocess that is killed at
random moments: once early (import, schema migration or reading), then
several times right after it has committed some progress. After each kill the
store must be consistent; after a final uninterrupted rerun it must hold
exactly what an uninterrupted run stores, nothing lost and nothing doubled.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from newstrace.pipeline import ingest_store
from newstrace.store import open_store

WORDS = (
    "harbour crane council budget minister storm flood vote court strike port rail bridge "
    "school hospital police fire market bank energy water road union report official "
    "inquiry safety warning repair contract delay plan review"
).split()
FILES = 320
BATCH = 4
MID_INGEST_KILLS = 3
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def generate(folder: Path, count: int = FILES, seed: int = 7) -> None:
    """``count`` short articles, a few exact duplicates and one empty file."""
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        text = f"Report {i} on the {rng.choice(WORDS)}\n{words.capitalize()}.\n"
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    for i in range(5):
        (folder / f"dup{i}.txt").write_text(
            (folder / f"{i:04d}.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (folder / "empty.txt").write_text("", encoding="utf-8")


def stored_count(db: Path) -> int:
    """Articles committed so far (0 while the schema does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM article").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newstrace", "ingest", str(corpus), "--db", str(db)] + [
        "--batch-size",
        str(BATCH),
        "--quiet",
    ]


def start(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def kill_after_progress(process: subprocess.Popen, db: Path, rng: random.Random) -> bool:
    """SIGKILL ``process`` soon after it commits a batch; False if it finished first."""
    before = stored_count(db)
    while process.poll() is None:
        if stored_count(db) > before:
            time.sleep(rng.uniform(0, 0.03))
            process.send_signal(signal.SIGKILL)
            process.wait()
            return process.returncode == -signal.SIGKILL
        time.sleep(0.005)
    return False


def assert_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM article"
        ).fetchone()
        assert total == distinct
        assert total % BATCH == 0 or total == FILES + 5  # whole batches only


def test_sigkill_during_ingest_loses_and_doubles_nothing(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "killed.db"
    generate(corpus)
    rng = random.Random(int(os.environ.get("NEWSTRACE_CRASH_SEED", "11")))
    early = start(corpus, db)
    time.sleep(rng.uniform(0.05, 1.0))
    early.send_signal(signal.SIGKILL)
    early.wait()
    kills, counts = 0, []
    for _ in range(MID_INGEST_KILLS):
        process = start(corpus, db)
        if kill_after_progress(process, db, rng):
            kills += 1
        assert_consistent(db)
        counts.append(stored_count(db))
    final = subprocess.run(command(corpus, db), capture_output=True, text=True, timeout=120)
    assert final.returncode == 1, final.stderr  # the empty file is skipped
    assert kills >= 2, counts
    assert 0 < counts[0] < FILES + 5
    with open_store(tmp_path / "reference.db") as reference, open_store(db) as killed:
        ingest_store(reference, [str(corpus)], batch_size=BATCH)
        assert killed.articles() == reference.articles()
        assert len(killed.article_ids()) == FILES + 5


def _gazette(folder: Path, numbers: range) -> Path:
    from bench_crash import GAZETTE, GAZETTE_LINE

    folder.mkdir()
    for i in numbers:
        title, body = GAZETTE[i]
        text = f"---\noutlet: Lowmoor Gazette\n---\n{title}\n{body}\n{GAZETTE_LINE}\n"
        (folder / f"gazette{i}.txt").write_text(text, encoding="utf-8")
    return folder


def cache_rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM article_cache").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_during_analyze_keeps_brief_and_texts_together(tmp_path):
    """Killed after it committed stage caches (cleaned texts changed by a new
    outlet template), the store's brief still matches its texts, and the
    restarted analysis equals an uninterrupted one (``bench_crash.py`` does
    this 50 times over ingest and analyze)."""
    from bench_crash import FAST, brief_json, check_store

    from newstrace.config import load_settings
    from newstrace.pipeline import analyze_store

    first, second = _gazette(tmp_path / "a", range(2)), _gazette(tmp_path / "b", range(2, 5))
    config = tmp_path / "fast.toml"
    config.write_text(FAST, encoding="utf-8")
    settings = load_settings(config)
    db = tmp_path / "killed.db"
    with open_store(db) as store:
        ingest_store(store, [str(first)])
        analyze_store(store, settings=settings)
        ingest_store(store, [str(second)])  # the gazette line becomes a template
    with sqlite3.connect(db) as source, sqlite3.connect(tmp_path / "reference.db") as copy:
        source.backup(copy)
    with open_store(tmp_path / "reference.db") as store:
        analyze_store(store, settings=settings)
    args = [sys.executable, "-m", "newstrace", "analyze", "--db", str(db), "-q"]
    args += ["--config", str(config)]
    rng = random.Random(int(os.environ.get("NEWSTRACE_CRASH_SEED", "11")))
    for wait_for_commit in (False, True):
        before = cache_rows(db)
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + (60 if wait_for_commit else rng.uniform(0.1, 1.5))
        while process.poll() is None and time.monotonic() < deadline:
            if wait_for_commit and cache_rows(db) > before:
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
        assert check_store(db, before=5, chunk_size=None) == []
    assert cache_rows(db) > 0
    with open_store(db) as store:
        analyze_store(store, settings=settings)
    assert brief_json(db) == brief_json(tmp_path / "reference.db")
