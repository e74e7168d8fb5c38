"""Batch resilience: N files with 1% corrupt; every good one read, every bad one named.

Usage: python benchmarks/bench_batch.py [N] [--analyze M]

Writes N generated articles to a temporary folder, corrupts 1% of them
(binary, empty, blank, metadata only), runs ingest + clean over all N,
and checks that every good file became an article and every bad file was
reported by name. With ``--analyze M`` it also runs the whole pipeline from
the command line on the first M files and checks the exit code (1: some
skipped). Prints counts, articles per second and the time of plain reading
of the same files (the baseline) as a ratio.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newstrace.clean import clean_article
from newstrace.ingest import ingest

WORDS = (
    "port crane council budget inspection union strike ferry harbour official "
    "minister report police court river bridge school hospital storm market"
).split()


def article_text(rng: random.Random, index: int) -> str:
    sentences = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
        for _ in range(rng.randint(5, 15))
    ]
    return f"Headline number {index}\n" + "\n".join(sentences) + "\nShare this:\nFacebook\n"


def corrupt(path: Path, rng: random.Random) -> None:
    kind = rng.choice(["binary", "empty", "blank", "metadata_only"])
    if kind == "binary":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(500)) + b"\x00")
    elif kind == "empty":
        path.write_text("", encoding="utf-8")
    elif kind == "blank":
        path.write_text(" \n\t\n" * 20, encoding="utf-8")
    else:
        path.write_text("---\noutlet: Nobody\n---\n", encoding="utf-8")


def make_corpus(folder: Path, count: int, seed: int = 0) -> tuple[list[Path], set[str]]:
    rng = random.Random(seed)
    bad: set[str] = set()
    paths = []
    for index in range(count):
        path = folder / f"{index:05d}.txt"
        path.write_text(article_text(rng, index), encoding="utf-8")
        if rng.random() < 0.01:
            corrupt(path, rng)
            bad.add(path.stem)
        paths.append(path)
    return paths, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--analyze", type=int, default=0, metavar="M")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, bad = make_corpus(folder, args.count)
        started = time.perf_counter()
        for path in folder.iterdir():
            path.read_bytes().decode("utf-8", errors="replace")
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        result = ingest([folder])
        cleaned = [clean_article(a) for a in result.articles]
        elapsed = time.perf_counter() - started
        good = {Path(a.source_path).stem for a in cleaned}
        reported = {Path(s.source).stem for s in result.skipped}
        print(f"files {args.count}, corrupt {len(bad)}")
        print(
            f"good read {len(good)} (expected {args.count - len(bad)}), bad reported "
            f"{len(reported & bad)}/{len(bad)}, wrongly skipped {len(reported - bad)}"
        )
        print(
            f"ingest+clean {len(cleaned) / elapsed:,.0f} articles/s; plain read "
            f"{args.count / baseline:,.0f} files/s; ratio {elapsed / baseline:.1f}x"
        )
        assert good.isdisjoint(bad) and good | reported == {p.stem for p in folder.iterdir()}
        if args.analyze:
            subset = folder / "subset"
            subset.mkdir()
            for path in sorted(folder.glob("0*"))[: args.analyze]:
                path.rename(subset / path.name)
            started = time.perf_counter()
            completed = subprocess.run(
                [sys.executable, "-m", "newstrace", "analyze", str(subset), "-f", "json", "-q"],
                capture_output=True,
                text=True,
                check=False,
            )
            print(
                f"analyze {args.analyze} files: exit {completed.returncode}, "
                f"{time.perf_counter() - started:.1f} s, "
                f"{completed.stderr.count('skipped ')} skipped lines on stderr"
            )


if __name__ == "__main__":
    main()
