"""Crash safety at scale: SIGKILL during ``newstrace ingest --db`` and ``analyze --db``.

Usage: python benchmarks/bench_crash.py [--kills 50] [--seed 11] [--fast]

A project is built by six commands in a row: ingest a first third of the
corpus, analyze, ingest the second third, analyze, ingest the rest,
analyze. The corpus is the bundled example corpus plus a few short
articles of one made-up outlet that shares a template line, so that the
second ingest makes the first ones' cleaned text change (the incremental
analysis must then redo their claims).

First the six commands run once, uninterrupted, into a reference store
(their times set the kill windows). Then the same six commands run into a
second store, and each is SIGKILLed at a random moment (uniform over its
reference duration) and restarted, before it is allowed to finish; a step
that finishes before its kill hands its kills to the next step. Rounds (the
six steps into a new store) repeat until ``--kills`` kills were made. After every kill the store is
checked: SQLite integrity, no article twice, whole ingest batches only, and
a stored brief (if any) that loads and whose every quote, citation, claim
mention and flag points at the text it quotes in the stored article text.
At the end the killed project's brief must equal the reference brief, and
both are compared with one uninterrupted ingest + analyze of everything.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
BATCH = 3
FAST = "[newstrace]\nparaphrase = false\nstory_embeddings = false\nstory_entities = false\n"

# Short reports of a made-up outlet (written here), each on its own topic, all
# ending with the same edition line: once four of them are stored it is an
# outlet template line, and cleaning of the earlier ones changes.
GAZETTE_LINE = "The Lowmoor Gazette weekend edition goes to print on Fridays."
GAZETTE = (
    (
        "Lowmoor opens a new footbridge over the Arle",
        "The footbridge linking the market square to the east bank opened on Tuesday, "
        "two months late. The council engineer, Mara Holt, said the delay came from a "
        'shortage of steel. "It was worth the wait," she said. About 900 people crossed it '
        "on the first day, according to the town's own counter.",
    ),
    (
        "Lowmoor library extends its Saturday hours",
        "The central library will stay open until six on Saturdays from next month. "
        'Librarian Tomas Reed said demand had grown since the winter. "People want somewhere '
        'warm and quiet," Reed said. The change costs the council 14,000 pounds a year.',
    ),
    (
        "Flooding closes the Lowmoor ring road for a day",
        "Heavy rain on Sunday night flooded the ring road near the old tannery, and police "
        "closed it until Monday evening. A police spokesman said no one was hurt. Residents "
        "said the drains had not been cleared since the autumn.",
    ),
    (
        "Lowmoor rowing club wins the valley regatta",
        "The Lowmoor rowing club won four of the six races at the valley regatta on "
        'Saturday. Coach Ines Varga said the crews had trained through the frost. "They '
        'earned every length," Varga said.',
    ),
    (
        "Bakery on Mill Street to close after forty years",
        "The Mill Street bakery will close at the end of the month when its owners retire. "
        '"We have baked here since 1986," owner Paul Sanders said. The building is to be '
        "sold at auction in the spring.",
    ),
)


@dataclass
class Tally:
    """What a killed run did: kills per command, checks passed, problems found."""

    kills: dict[str, int] = field(default_factory=lambda: {"ingest": 0, "analyze": 0})
    finished_before_kill: int = 0
    consistent: int = 0
    problems: list[str] = field(default_factory=list)


def build_corpus(folder: Path, *, parts: int = 3) -> list[Path]:
    """Folders ``part0`` … holding the example corpus and the gazette articles, split."""
    chunks = [folder / f"part{i}" for i in range(parts)]
    for chunk in chunks:
        chunk.mkdir(parents=True)
    files = sorted(EXAMPLES.glob("*.txt"))
    for i, path in enumerate(files):
        shutil.copy(path, chunks[i * parts // len(files)] / path.name)
    for i, (title, body) in enumerate(GAZETTE):
        text = f"---\noutlet: Lowmoor Gazette\n---\n{title}\n{body}\n{GAZETTE_LINE}\n"
        chunk = chunks[min(i // 2, parts - 1)]
        (chunk / f"gazette{i}.txt").write_text(text, encoding="utf-8")
    return chunks


def steps(chunks: list[Path]) -> list[tuple[str, Path | None]]:
    """Ingest a chunk, analyze; for every chunk."""
    return [step for chunk in chunks for step in (("ingest", chunk), ("analyze", None))]


def command(step: tuple[str, Path | None], db: Path, config: Path | None) -> list[str]:
    name, chunk = step
    args = [sys.executable, "-m", "newstrace", name]
    args += [str(chunk), "--batch-size", str(BATCH)] if chunk else []
    args += ["--db", str(db), "--quiet"] + (["--config", str(config)] if config else [])
    return args


def run(step: tuple[str, Path | None], db: Path, config: Path | None) -> float:
    """Run one step to its end; its wall time. Exit codes 0 and 1 are success."""
    started = time.perf_counter()
    done = subprocess.run(command(step, db, config), capture_output=True, text=True, timeout=900)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{step[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started


def kill_at(step: tuple[str, Path | None], db: Path, config: Path | None, delay: float) -> bool:
    """Start ``step`` and SIGKILL it after ``delay`` s; False if it finished first."""
    process = subprocess.Popen(
        command(step, db, config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True
    return False


def article_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])
    except sqlite3.OperationalError:  # killed before the schema was created
        return 0


def check_store(db: Path, *, before: int, chunk_size: int | None) -> list[str]:
    """Problems of the store after a kill (empty when consistent).

    ``before`` articles were stored before the killed step; an ingest step of
    ``chunk_size`` articles may have added whole batches of them only.
    """
    if not db.exists():
        return []
    problems = []
    with sqlite3.connect(db, timeout=30) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return ["integrity_check failed"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "article" not in tables:
            return []
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM article"
        ).fetchone()
    if total != distinct:
        problems.append(f"{total - distinct} articles stored twice")
    added = total - before
    if chunk_size is not None and added % BATCH and added != chunk_size:
        problems.append(f"{added} articles added: not whole batches of {BATCH}")
    if chunk_size is None and added:
        problems.append(f"analyze changed the article count by {added}")
    return problems + check_brief(db)


def check_brief(db: Path) -> list[str]:
    """Problems of the stored brief against the stored article texts."""
    from newstrace.errors import StoreError
    from newstrace.store import open_store

    with open_store(db) as store:
        try:
            brief = store.load_brief()
        except StoreError:
            return []  # no analysis yet
        stored = set(store.article_ids())
    texts = {a.id: a.text for a in brief.articles}
    problems = [f"brief article {i} not in the store" for i in texts if i not in stored]
    spans = [(q.article_id, q.start, q.end, q.text, "quote") for q in brief.quotes]
    spans += [(c.article_id, c.start, c.end, c.text, "citation") for c in brief.citations]
    spans += [
        (m.article_id, m.start, m.end, m.text, "claim mention")
        for claim in brief.claims
        for m in claim.mentions
    ]
    for article_id, start, end, text, kind in spans:
        if texts.get(article_id, "")[start:end] != text:
            problems.append(f"{kind} {text[:40]!r} does not match the text of {article_id}")
    return problems


def brief_json(db: Path) -> str:
    from newstrace.store import open_store

    with open_store(db) as store:
        return store.load_brief().to_json()


def reference(
    chunks: list[Path], db: Path, config: Path | None
) -> list[tuple[str, Path | None, float]]:
    """The six steps run uninterrupted; each with its wall time."""
    return [(name, chunk, run((name, chunk), db, config)) for name, chunk in steps(chunks)]


def killed_run(
    timed: list[tuple[str, Path | None, float]],
    db: Path,
    config: Path | None,
    *,
    kills: int,
    rng: random.Random,
    verbose: bool = False,
) -> Tally:
    """The steps again, each killed at random moments before it may finish."""
    tally = Tally()
    quota = [kills // len(timed) + (i < kills % len(timed)) for i in range(len(timed))]
    carry = 0  # kills a step could not take (it finished first) go to the next one
    for (name, chunk, seconds), wanted in zip(timed, quota, strict=True):
        size = len(list(chunk.iterdir())) if chunk else None
        wanted, done, finished = wanted + carry, 0, False
        while done < wanted and not finished:
            before = article_count(db)
            delay = rng.uniform(0.05, seconds)
            if not kill_at((name, chunk), db, config, delay):
                tally.finished_before_kill += 1
                finished = True
                continue
            done += 1
            tally.kills[name] += 1
            found = check_store(db, before=before, chunk_size=size)
            tally.consistent += not found
            tally.problems += [f"{name} killed at {delay:.2f} s: {p}" for p in found]
            if verbose:
                state = "consistent" if not found else "; ".join(found)
                print(f"  kill {sum(tally.kills.values()):2d}: {name} at {delay:5.2f} s: {state}")
        carry = wanted - done
        if not finished:
            run((name, chunk), db, config)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--fast", action="store_true", help="no embeddings (quicker analyses)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chunks = build_corpus(folder / "corpus")
        config = None
        if args.fast:
            config = folder / "fast.toml"
            config.write_text(FAST, encoding="utf-8")
        started = time.perf_counter()
        timed = reference(chunks, folder / "reference.db", config)
        print("reference steps:", ", ".join(f"{n} {s:.1f} s" for n, _, s in timed))
        expected = brief_json(folder / "reference.db")
        total, consistent, rounds, equal, problems = 0, 0, 0, 0, []
        while total < args.kills:  # a round: the six steps into a new store
            rounds += 1
            db = folder / f"killed{rounds}.db"
            print(f"round {rounds}")
            tally = killed_run(timed, db, config, kills=args.kills - total, rng=rng, verbose=True)
            total += sum(tally.kills.values())
            consistent += tally.consistent
            problems += tally.problems
            equal += brief_json(db) == expected
            print(
                f"  {tally.kills['ingest']} kills during ingest, {tally.kills['analyze']} during "
                f"analyze, {tally.finished_before_kill} steps finished before their kill"
            )
        once = folder / "once.db"
        run(("ingest", folder / "corpus"), once, config)
        run(("analyze", None), once, config)
        once_equal = brief_json(once) == expected
        print(f"kills: {total} in {rounds} rounds; consistent after kill: {consistent}/{total}")
        for problem in problems:
            print("  problem:", problem)
        print(f"final brief equals the uninterrupted run: {equal}/{rounds} rounds")
        print(f"incremental (3 ingests + 3 analyses) equals one ingest + analyze: {once_equal}")
        print(f"total time {time.perf_counter() - started:.0f} s")
        if problems or equal < rounds:
            sys.exit(1)


if __name__ == "__main__":
    main()
