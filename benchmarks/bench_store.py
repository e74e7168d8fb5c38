"""Store benchmarks: ingest throughput and incremental analysis, with baselines.

1. **Ingest throughput.** ``N`` synthetic articles (``benchmarks/synthetic.py``)
   are written as ``.txt`` files and read once with ``newstrace.ingest``. Then,
   in the same run, the same ``Article`` records are

   * added to a fresh SQLite store (``Store.add_articles``, one transaction
     per ``--batch`` articles), and to PostgreSQL when ``--postgres URL``
     is given;
   * written as one JSONL file (the same JSON per article, fsync'ed at the
     end): the baseline, i.e. what the simplest durable file format costs.

   It prints articles per second and the ratio store / JSONL, plus
   ``ingest_store`` end to end (read files + store).

2. **Incremental analysis.** ``M`` articles: 90 % are ingested and analyzed
   (``analyze_store``), the last 10 % are added and analyzed again
   (incremental). A fresh store holding all ``M`` is analyzed from scratch
   (the full re-analysis). It prints both times, their ratio and what the
   incremental run recomputed, and checks both briefs are identical.

Usage::

    .venv/bin/python benchmarks/bench_store.py -n 5000 -m 200 [--postgres postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from newstrace.ingest import ingest  # noqa: E402
from newstrace.model import Article  # noqa: E402
from newstrace.pipeline import analyze_store, ingest_store  # noqa: E402
from newstrace.store import open_store  # noqa: E402
from newstrace.store._records import article_row  # noqa: E402


def write_corpus(folder: Path, count: int, *, words: int, seed: int = 0) -> list[Path]:
    """``count`` synthetic articles as front-matter ``.txt`` files, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, article in enumerate(generate(count, seed=seed, words=words).articles):
        path = folder / f"{i:06d}.txt"
        path.write_text(
            f"---\npublished: {article.published}\noutlet: Outlet {i % 37}\n---\n{article.text}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10,.0f} articles/s ({seconds:6.2f} s)"


def store_rate(url: str, articles: tuple[Article, ...], batch: int) -> float:
    start = time.perf_counter()
    with open_store(url) as store:
        for i in range(0, len(articles), batch):
            store.add_articles(articles[i : i + batch])
    return time.perf_counter() - start


def jsonl_rate(path: Path, articles: tuple[Article, ...]) -> float:
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article_row(article), ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return time.perf_counter() - start


def bench_ingest(work: Path, count: int, batch: int, postgres: str | None) -> None:
    paths = write_corpus(work / "ingest", count, words=300)
    start = time.perf_counter()
    articles = ingest([work / "ingest"]).articles
    read = time.perf_counter() - start
    print(f"\n== ingest: {len(articles):,} articles ({len(paths):,} files), batch {batch}")
    print(f"read + parse files (newstrace.ingest)   {rate(len(articles), read)}")
    baseline = jsonl_rate(work / "articles.jsonl", articles)
    print(f"baseline: JSONL file, fsync'ed          {rate(len(articles), baseline)}")
    sqlite = store_rate(str(work / "bench.db"), articles, batch)
    print(f"SQLite store (add_articles)             {rate(len(articles), sqlite)}")
    print(f"  ratio SQLite / JSONL throughput       {baseline / sqlite:10.2f}")
    if postgres:
        pg = store_rate(postgres, articles, batch)
        print(f"PostgreSQL store (add_articles)         {rate(len(articles), pg)}")
        print(f"  ratio PostgreSQL / JSONL throughput   {baseline / pg:10.2f}")
    start = time.perf_counter()
    with open_store(work / "end-to-end.db") as store:
        ingest_store(store, [work / "ingest"], batch_size=batch)
    seconds = time.perf_counter() - start
    print(f"ingest_store end to end (read + SQLite) {rate(len(articles), seconds)}")


def bench_incremental(work: Path, count: int) -> None:
    paths = write_corpus(work / "analyze", count, words=250, seed=1)
    cut = int(len(paths) * 0.9)
    print(f"\n== incremental analysis: {cut} articles, then {len(paths) - cut} more (10 %)")
    with open_store(work / "incremental.db") as store:
        ingest_store(store, paths[:cut])
        start = time.perf_counter()
        analyze_store(store)
        print(f"first analysis of {cut} articles            {time.perf_counter() - start:8.2f} s")
        ingest_store(store, paths)
        start = time.perf_counter()
        incremental = analyze_store(store)
        inc = time.perf_counter() - start
    with open_store(work / "full.db") as store:
        ingest_store(store, paths)
        start = time.perf_counter()
        full = analyze_store(store)
        whole = time.perf_counter() - start
    print(f"incremental analysis (+10 %)                {inc:8.2f} s")
    print(f"full re-analysis of {len(paths)} articles          {whole:8.2f} s")
    print(f"  ratio incremental / full                  {inc / whole:8.2f}")
    print(f"  recomputed by the incremental run: {incremental.recomputed}")
    print(f"  changed stories: {len(incremental.changed_stories)} of {len(full.brief.stories)}")
    same = incremental.brief.to_json() == full.brief.to_json()
    print(f"  incremental brief == full brief: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5000, help="articles for the ingest benchmark")
    parser.add_argument("-m", type=int, default=100, help="articles for the analysis benchmark")
    parser.add_argument("--batch", type=int, default=500, help="articles per transaction")
    parser.add_argument("--postgres", help="also ingest into this (empty) PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        bench_ingest(Path(folder), args.n, args.batch, args.postgres)
        if args.m:
            bench_incremental(Path(folder), args.m)


if __name__ == "__main__":
    main()
