"""Scale benchmark: ingest + clean + dedup + cluster of N synthetic articles in a store.

For each ``-n`` (e.g. 10000 and 100000) it writes ``benchmarks/synthetic.py``
articles to one JSONL file and, each in a fresh child process (so that peak
memory is that run's own), runs the *scale workload* on a fresh store:

* ``ingest_store`` of the JSONL file (one transaction per 500 articles);
* the store analysis up to the stories, as ``analyze_store`` runs it: clean
  (templates learned over the store), segment, reuse (shingle signatures,
  candidate index, pair comparison, paraphrase candidates), lead embeddings
  and entities, story grouping, and saving the stories, links and cleaned
  texts with what the next analysis starts from (a brief without quotes or
  claims). Attribution, claims, corroboration and flags are not part of this
  workload (``--full`` runs the whole ``analyze_store``).

Modes, in the same run: ``single`` (this process) and ``dask`` (a
``LocalCluster`` of 2 single-threaded worker processes; ``--dask ADDRESS``
uses an existing scheduler instead). It prints seconds per phase, articles/s,
peak RSS of the client and of each worker, checks that both modes found the
same reuse links and stories, and gives the growth exponent of the time from
the smallest to the largest ``n`` (``log(t_large / t_small) / log(n_large /
n_small)``; 1.0 is linear).

``--incremental`` then adds 1 % more articles to the store the single-process
run of the largest ``n`` left (already analyzed) and times ingest + workload
again, as ``analyze_store`` runs it after an earlier analysis: only the new
articles are cleaned and segmented, candidate pairs are searched for the new
articles only, and only the stories they can reach are regrouped. The ratio
to the full run is what an hourly update costs. With ``--check`` a full run
over the same ``n`` + 1 % articles on a fresh store then tells whether the
update found the same links and stories. ``--postgres URL`` runs the single
process workload of the smallest ``n`` on PostgreSQL too (the URL of an empty
database), next to SQLite.

The corpus: ``synthetic.py`` with ``topical`` 0.5 (each story renames half
of its long words, so stories have their own vocabulary, as different events
do; with 0 every story is told with the same templates and TF-IDF grouping
chains 10,000 articles into one story).

Settings: the defaults, or with ``--fast`` no MiniLM/spaCy in story grouping
(TF-IDF stories) and no paraphrase ("rewritten") search.

Usage::

    python benchmarks/bench_scale.py -n 10000 -n 100000 --incremental [--check] [--fast] \
        [--postgres postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

PART = 10_000  # articles per JSONL file
TOPICAL = 0.5  # share of each story's long words renamed: stories with their own vocabulary

from newstrace._gc import gc_paused  # noqa: E402
from newstrace.config import Settings  # noqa: E402
from newstrace.model import Brief  # noqa: E402
from newstrace.pipeline import (  # noqa: E402
    _digest,
    _StoreRun,
    analyze_store,
    dask_client,
    ingest_store,
    settings_key,
)
from newstrace.store import open_store  # noqa: E402


def write_jsonl(folder: Path, count: int, *, start: int = 0, topical: float = TOPICAL) -> int:
    """Articles ``start``..``count`` of the synthetic corpus of ``count`` as JSONL
    files of ``PART`` articles each in ``folder`` (partitioned input: one file
    stays under ``max_file_bytes``)."""
    articles = generate(count, seed=0, words=250, topical=topical).articles
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(start, len(articles), PART):
        with (folder / f"part-{first // PART:05d}.jsonl").open("w", encoding="utf-8") as out:
            for i, article in enumerate(articles[first : first + PART], first):
                record = {
                    "id": article.id,
                    "text": article.text,
                    "published": article.published,
                    "outlet": f"Outlet {i % 37}",
                }
                out.write(json.dumps(record) + "\n")
    return len(articles) - start


@gc_paused()  # as analyze_store
def workload(store, settings: Settings, client, full: bool) -> tuple[dict, dict]:  # noqa: ANN001
    """Clean, segment, reuse and stories of the store (``analyze_store`` when ``full``)."""
    times: dict[str, float] = {}
    if full:
        start = time.perf_counter()
        result = analyze_store(store, settings=settings, client=client)
        times["analyze_store"] = time.perf_counter() - start
        brief = result.brief
        return times, {"reuse": len(brief.reuse), "stories": _shape(brief.stories)}
    run = _StoreRun(store, settings, settings_key(settings), None, client)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    previous = {s.id: s for s in store.stories()}
    contents = _digest(store.article_ids())
    lap("load")
    cleaned = run.clean(list(store.articles()))
    lap("clean")
    if not previous:  # after an analysis, the reuse stage segments what it compares
        run.segment(cleaned)
        lap("segment")
    reuse = run.reuse(cleaned)
    lap("reuse")
    stories = run.stories(cleaned, reuse, previous)
    run.embedder.save()
    lap("stories")
    run.save(Brief(articles=tuple(cleaned), reuse=reuse, stories=stories), contents)
    lap("save")
    links = sorted((r.source_id, r.target_id, r.kind) for r in reuse)
    digest = {"reuse": len(links), "reuse_links": links, "stories": _shape(stories)}
    return times, digest | {"recomputed": run.recomputed}


def _shape(stories) -> list[list[str]]:  # noqa: ANN001
    return sorted(sorted(s.article_ids) for s in stories)


def one(args: argparse.Namespace) -> None:
    """One run in this (child) process; prints a JSON line."""
    settings = Settings()
    if args.fast:
        settings = replace(settings, story_embeddings=False, story_entities=False, paraphrase=False)
    out: dict = {"times": {}}
    address = args.dask_address or "local"
    from contextlib import nullcontext

    context = dask_client(address) if args.mode == "dask" else nullcontext()
    with context as client, open_store(args.db) as store:
        for label, path in (("", args.jsonl), ("+", args.more)):
            if path is None:
                continue
            start = time.perf_counter()
            ingested = ingest_store(store, [path], batch_size=500)
            if ingested.skipped:
                raise SystemExit(f"ingest skipped {ingested.skipped[0]}")
            out["times"][label + "ingest"] = time.perf_counter() - start
            times, digest = workload(store, settings, client, args.full)
            out["times"].update({label + k: v for k, v in times.items()})
            out["digest"] = digest
        if client is not None and args.mode == "dask":
            workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            out["worker_peak_mb"] = sorted(v / 1024 for v in workers.values())
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(out))


def child(args: argparse.Namespace, **options: object) -> dict:
    command = [sys.executable, __file__, "--one"]
    for key, value in options.items():
        if value is True:
            command.append(f"--{key.replace('_', '-')}")
        elif value not in (None, False):
            command += [f"--{key.replace('_', '-')}", str(value)]
    if args.fast:
        command.append("--fast")
    if args.full:
        command.append("--full")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.exit(f"run {options} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def report(label: str, count: int, result: dict) -> float:
    times = result["times"]
    total = sum(v for k, v in times.items() if not k.startswith("+"))
    phases = "  ".join(f"{k} {v:.1f}" for k, v in times.items() if not k.startswith("+"))
    workers = result.get("worker_peak_mb")
    memory = f"peak RSS client {result['peak_mb']:.0f} MB" + (
        f", workers {', '.join(f'{w:.0f}' for w in workers)} MB" if workers else ""
    )
    print(f"{label:28s} {total:8.1f} s  {count / total:7.0f} articles/s  {memory}")
    print(f"{'':28s} seconds: {phases}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, action="append", help="corpus sizes (repeatable)")
    parser.add_argument("--modes", default="single,dask", help="single,dask (default both)")
    parser.add_argument("--dask-address", help="an existing scheduler instead of a LocalCluster")
    parser.add_argument("--incremental", action="store_true", help="+1 %% on the largest n")
    parser.add_argument(
        "--check", action="store_true", help="compare the update with a full run of n + 1 %%"
    )
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database")
    parser.add_argument("--fast", action="store_true", help="TF-IDF stories, no paraphrase")
    parser.add_argument("--full", action="store_true", help="the whole analyze_store")
    parser.add_argument(
        "--topical",
        type=float,
        default=TOPICAL,
        help="share of each story's words renamed (synthetic.py; 0: every story "
        "told with the same templates, which TF-IDF chains into a few stories)",
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--jsonl", help=argparse.SUPPRESS)
    parser.add_argument("--more", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args)
        return
    sizes = sorted(args.n or [10000])
    modes = args.modes.split(",")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        work = Path(folder)
        totals: dict[tuple[int, str], float] = {}
        for count in sizes:
            jsonl = work / f"{count}-jsonl"
            write_jsonl(jsonl, count, topical=args.topical)
            print(f"\n== {count:,} articles ({'fast' if args.fast else 'default'} settings)")
            digests = {}
            for mode in modes:
                db = work / f"{count}-{mode}.db"
                result = child(args, mode=mode, db=db, jsonl=jsonl, dask_address=args.dask_address)
                totals[count, mode] = report(f"{mode} (SQLite)", count, result)
                digests[mode] = result["digest"]
            if len(digests) == 2:
                same = digests["single"] == digests["dask"]
                print(f"  single == dask (reuse links and stories): {same}")
            print(
                f"  reuse links {digests[modes[0]]['reuse']:,}, "
                f"stories {len(digests[modes[0]]['stories']):,}"
            )
            if args.postgres and count == sizes[0]:
                result = child(args, mode="single", db=args.postgres, jsonl=jsonl)
                pg = report("single (PostgreSQL)", count, result)
                print(f"  PostgreSQL / SQLite time: {pg / totals[count, 'single']:.2f}")
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            for mode in modes:
                ratio = totals[large, mode] / totals[small, mode]
                exponent = math.log(ratio) / math.log(large / small)
                print(f"growth exponent {small:,} -> {large:,} ({mode}): {exponent:.2f}")
        if args.incremental:
            bench_incremental(args, work, sizes[-1], totals[sizes[-1], "single"])


def bench_incremental(args: argparse.Namespace, work: Path, count: int, full: float) -> None:
    """Add 1 % to the store the single-process run of ``count`` left, analyze again."""
    extra = max(1, count // 100)
    more = work / "inc-more-jsonl"
    write_jsonl(more, count + extra, start=count, topical=args.topical)
    print(f"\n== incremental: {count:,} analyzed, then {extra:,} more (1 %)")
    result = child(args, mode="single", db=work / f"{count}-single.db", more=more)
    times = result["times"]
    added = sum(v for k, v in times.items() if k.startswith("+"))
    print("  seconds: " + "  ".join(f"{k} {v:.1f}" for k, v in times.items()))
    print(f"  ingest + workload of the 1 %: {added:.1f} s; full run of {count:,}: {full:.1f} s")
    print(f"  ratio incremental / full: {added / full:.3f} (target < 0.05)")
    print(f"  recomputed: {result['digest'].get('recomputed')}")
    if not args.check:
        return
    every = work / "inc-all-jsonl"
    write_jsonl(every, count + extra, topical=args.topical)
    check = child(args, mode="single", db=work / "inc-check.db", jsonl=every)
    report(f"full run of {count + extra:,}", count + extra, check)
    updated, fresh = result["digest"], check["digest"]
    links = set(map(tuple, updated["reuse_links"])), set(map(tuple, fresh["reuse_links"]))
    stories = {tuple(s) for s in updated["stories"]}
    differ = len(stories ^ {tuple(s) for s in fresh["stories"]})
    print(
        f"  incremental == full run: reuse links {links[0] == links[1]} "
        f"(only in the update {len(links[0] - links[1])}, only in the full run "
        f"{len(links[1] - links[0])}), stories not in both {differ}"
    )
    for link in sorted(links[0] ^ links[1])[:5]:
        print(f"    {'update' if link in links[0] else 'full'}: {link}")


if __name__ == "__main__":
    main()
