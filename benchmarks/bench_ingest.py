"""Ingest + clean speed and memory per format, against raw reading as the baseline.

Generates ``N`` articles of each format in a temporary folder: ``.txt`` files
with front matter and flattened page junk, ``.html`` pages with a menu,
related links, comments and a footer around the article, and one ``.jsonl``
dump of ``N`` records. For each format it measures, in the same run:

* **raw**: read and decode every file, and parse each JSONL line (the floor
  any reader pays);
* **ingest+clean**: ``newstrace.ingest`` (format parsing, decoding, language,
  outlet and date metadata) then ``clean_corpus``;
* for HTML, **trafilatura**: its own ``bare_extraction`` on the same decoded
  pages with the same options, the baseline of the issue's 2x target.

It prints articles per second, the ratios (wall-clock and CPU time of this
process, the latter steadier on a busy machine), and the peak traced memory
of both (``tracemalloc``, measured in a second pass so that tracing does not
slow the timed one). Every word is generated here from small word lists.

Usage::

    .venv/bin/python benchmarks/bench_ingest.py -n 2000
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from newstrace.clean import clean_corpus
from newstrace.config import Settings
from newstrace.ingest import decode, ingest

SUBJECTS = "the minister|port officials|the union|a spokesperson|the council|two engineers".split(
    "|"
)
VERBS = "said|warned|confirmed|denied|announced|reported".split("|")
OBJECTS = (
    "that the crane had not been inspected for months|that talks would resume on Monday|"
    "that the budget would be cut by four percent|that seven workers were injured|"
    "that the ferry service would restart next week|that the inquiry would report in May"
).split("|")
JUNK = ("Share this:", "Facebook", "Twitter", "See also: Ten things to know", "Photo: AP")


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."


def paragraphs(rng: random.Random, count: int = 8) -> list[str]:
    return [" ".join(sentence(rng) for _ in range(3)) for _ in range(count)]


def write_corpus(folder: Path, n: int, seed: int = 0) -> dict[str, Path]:
    """Write ``n`` articles of each format; return the folder of each."""
    rng = random.Random(seed)
    dirs = {fmt: folder / fmt for fmt in ("txt", "html", "jsonl")}
    for path in dirs.values():
        path.mkdir(parents=True)
    with (dirs["jsonl"] / "dump.jsonl").open("w", encoding="utf-8") as dump:
        for i in range(n):
            title, body = f"Story {i}: {sentence(rng)[:-1]}", paragraphs(rng)
            url = f"https://outlet{i % 20}.example/{i}"
            (dirs["txt"] / f"{i:05}.txt").write_text(_txt(title, body, url, rng), encoding="utf-8")
            (dirs["html"] / f"{i:05}.html").write_text(_html(title, body, url), encoding="utf-8")
            record = {"title": title, "text": "\n\n".join(body), "url": url, "date": "2026-03-14"}
            dump.write(json.dumps(record) + "\n")
    return dirs


def _txt(title: str, body: list[str], url: str, rng: random.Random) -> str:
    junk = "\n".join(rng.sample(JUNK, 3))
    return f"---\nurl: {url}\npublished: 2026-03-14T09:00:00Z\n---\n{title}\n\n" + (
        "\n\n".join(body[:4] + [junk] + body[4:])
    )


def _html(title: str, body: list[str], url: str) -> str:
    menu = "".join(f"<li><a href='/s{k}'>Section {k}</a></li>" for k in range(12))
    related = "".join(f"<li><a href='/r{k}'>Related story {k}</a></li>" for k in range(6))
    article = "".join(f"<p>{p}</p>" for p in body)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<link rel='canonical' href='{url}'><meta name='author' content='Kim Lee'></head>"
        f"<body><header><nav><ul>{menu}</ul></nav></header><main><article><h1>{title}</h1>"
        f"{article}</article><aside><h3>Related</h3><ul>{related}</ul></aside>"
        "<section id='comments'><h3>2 comments</h3><p>Great story!</p><form><textarea>"
        "</textarea><button>Post Comment</button></form></section></main>"
        "<footer><p>© 2026 Outlet. All rights reserved.</p></footer></body></html>"
    )


def raw_read(folder: Path) -> int:
    """Read and decode every file, parse each JSONL line, and hold the texts: the baseline."""
    texts: list[object] = []
    for path in sorted(folder.iterdir()):
        text = decode(path.read_bytes(), source=str(path))
        if path.suffix == ".jsonl":
            texts.extend(json.loads(line) for line in text.splitlines())
        else:
            texts.append(text)
    return len(texts)


def ingest_clean(folder: Path) -> int:
    """Ingest and clean every article of a folder; return how many."""
    settings = Settings()
    result = ingest([folder], settings=settings)
    return len(clean_corpus(result.articles, settings=settings))


def trafilatura_only(folder: Path) -> int:
    """trafilatura's extraction alone, same options as newstrace's HTML reader."""
    from trafilatura import bare_extraction

    from newstrace._formats import TRAFILATURA_OPTIONS

    count = 0
    for path in sorted(folder.iterdir()):
        html = path.read_bytes().decode("utf-8")
        bare_extraction(html, **TRAFILATURA_OPTIONS)
        count += 1
    return count


def timed(function: Callable[[Path], int], folder: Path) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds of this process, and the count returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    count = function(folder)
    return time.perf_counter() - wall, time.process_time() - cpu, count


def peak_mib(function: Callable[[Path], int], folder: Path) -> float:
    tracemalloc.start()
    function(folder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="articles per format")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--formats", default="txt,html,jsonl", help="comma-separated formats to measure"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dirs = write_corpus(Path(tmp), args.n)
        for fmt in ("txt", "jsonl"):  # warm up imports, the language detector, trafilatura
            ingest_clean(dirs[fmt])
        ingest([next(dirs["html"].iterdir())])
        print(f"{args.n} articles per format (ratios by wall-clock and by CPU time)")
        print(
            f"{'format':<6} {'raw/s':>8} {'ingest+clean/s':>15} {'ratio':>7} {'cpu ratio':>9} "
            f"{'raw MiB':>8} {'peak MiB':>9} {'mem ratio':>9}"
        )
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        for fmt, folder in ((f, dirs[f]) for f in formats):
            raw_wall, raw_cpu, _ = timed(raw_read, folder)
            wall, cpu, count = timed(ingest_clean, folder)
            peak = float("nan") if args.no_memory else peak_mib(ingest_clean, folder)
            raw_peak = float("nan") if args.no_memory else peak_mib(raw_read, folder)
            print(
                f"{fmt:<6} {args.n / raw_wall:>8.0f} {count / wall:>15.0f} "
                f"{wall / raw_wall:>6.1f}x {cpu / raw_cpu:>8.1f}x {raw_peak:>8.1f} {peak:>9.1f} "
                f"{peak / raw_peak:>8.1f}x"
            )
        if "html" not in formats:
            return
        t_wall, t_cpu, _ = timed(trafilatura_only, dirs["html"])
        h_wall, h_cpu, _ = timed(ingest_clean, dirs["html"])
        print(
            f"html: trafilatura alone {args.n / t_wall:.0f}/s, newstrace {args.n / h_wall:.0f}/s, "
            f"ratio {h_wall / t_wall:.2f}x wall, {h_cpu / t_cpu:.2f}x CPU (target <= 2x)"
        )


if __name__ == "__main__":
    main()
