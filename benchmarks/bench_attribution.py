"""Throughput of the attribution stage against spaCy's full pipeline, same articles, same run.

usage: .venv/bin/python benchmarks/bench_attribution.py [--articles 1000] [--source DIR ...]
       [--baseline-articles N]

Articles are generated at run time by repeating and perturbing the texts under
``--source`` (default: ``examples/corpus``, plus ``../shared/corpus/rome-2022`` and the
PolNeAR dev texts when present): paragraphs are rotated and names swapped so no two
articles are identical. Each system runs in its own subprocess so that its peak memory
(max RSS) is its own:

* ``newstrace``: segment + ``extract_attribution`` with the parser-only pipeline
  (tok2vec, tagger, parser), which parses only the sentences around quotes the rules
  cannot attribute and the sentences with a verb of reporting the rules left without a
  reported clause (each sentence once, ``nlp.pipe`` batches per article);
* ``newstrace-quotes``: the same with ``parse_reported_speech=False`` (quotes' sentences
  only: faster, fewer reported-speech attributions);
* ``spacy-full``: ``nlp.pipe`` over every article's whole text with all components
  (what a spaCy-based extractor such as textacy's ``direct_quotations`` needs first).
  ``--baseline-articles N`` runs it on the first N articles only (articles/s compare).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from newstrace.model import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = (
    ROOT / "examples" / "corpus",
    ROOT.parent / "shared" / "corpus" / "rome-2022",
    ROOT.parent / "shared" / "data" / "polnear" / "data" / "dev" / "text",
)
SYSTEMS = ("newstrace", "newstrace-quotes", "spacy-full")
_NAMES = ("Ana Ruiz", "Tom Berg", "Lee Park", "Omar Haddad", "Ines Costa", "Raj Mehta")


def corpus(count: int, sources: list[Path], seed: int = 0) -> list[Article]:
    """``count`` articles made from the texts under ``sources`` (rotated, names swapped)."""
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for source in sources
        if source.is_dir()
        for p in sorted(source.rglob("*"))
        if p.suffix in (".txt", ".md")
    ]
    if not texts:
        raise SystemExit("no source texts found")
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        paragraphs = texts[i % len(texts)].split("\n\n")
        shift = rng.randrange(len(paragraphs))
        text = "\n\n".join(paragraphs[shift:] + paragraphs[:shift])
        text = text.replace("Trump", rng.choice(_NAMES).split()[1]) if i % 2 else text
        articles.append(Article(id=f"a{i}", source_path=f"a{i}.txt", raw_text=text, text=text))
    return articles


def run_system(system: str, articles: list[Article]) -> dict[str, float]:
    from newstrace._nlp import NLP

    if system.startswith("newstrace"):
        from newstrace.attribution import extract_attribution
        from newstrace.config import Settings
        from newstrace.segment import segment

        nlp = NLP()
        nlp.load()
        settings = Settings(parse_reported_speech=system == "newstrace")
        began = time.perf_counter()
        found = sum(
            len(extract_attribution(a, segment(a), settings=settings, nlp=nlp)[0]) for a in articles
        )
    else:
        nlp = NLP(components=None, batch_size=32)
        nlp.load()
        began = time.perf_counter()
        found = sum(len(doc) for doc in nlp.pipe(a.text for a in articles))
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles_per_s": len(articles) / seconds, "seconds": seconds, "peak_mb": peak_mb,
            "found": found}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--source", type=Path, action="append")
    parser.add_argument("--baseline-articles", type=int, help="the first N only for spacy-full")
    parser.add_argument("--system", choices=SYSTEMS)
    args = parser.parse_args()
    sources = args.source or list(DEFAULT_SOURCES)
    if args.system:
        print(json.dumps(run_system(args.system, corpus(args.articles, sources))))
        return
    results = {}
    for system in SYSTEMS:
        count = args.articles
        if system == "spacy-full" and args.baseline_articles:
            count = min(count, args.baseline_articles)
        command = [sys.executable, __file__, "--system", system, "--articles", str(count)]
        command += [arg for source in sources for arg in ("--source", str(source))]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results[system] = json.loads(output.strip().splitlines()[-1])
        row = results[system]
        print(
            f"{system:16} {count:6d} articles {row['articles_per_s']:8.1f} articles/s  "
            f"{row['seconds']:7.1f} s  peak {row['peak_mb']:6.0f} MB  quotes {row['found']:.0f}",
            flush=True,
        )
    base = results["spacy-full"]["articles_per_s"]
    for system in SYSTEMS[:-1]:
        ratio = results[system]["articles_per_s"] / base
        print(f"{system} is {ratio:.1f}x the full spaCy pipeline (articles/s)")


if __name__ == "__main__":
    main()
