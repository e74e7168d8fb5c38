"""Benchmark the rewrite stage (``reuse.add_rewrites``): ``python benchmarks/bench_rewrites.py N``.

Runs the paraphrase alignment of the rewrite candidates among ``N`` synthetic
articles (``benchmarks/synthetic.py``, ``--topical`` as there) twice in the
same process, each with a fresh MiniLM embedder (so no vector is reused
between the runs):

* baseline: the embedder hides ``prepare``, so the sentences are embedded
  pair by pair as ``compare_rewrite`` asks for them (each sentence once:
  the embedder caches);
* shipped: ``add_rewrites`` prepares every compared article's sentences in
  one pass first, batched by length across all of them.

Prints, for each, the time, the sentences embedded and sentences/s, then the
speed-up and whether the two runs made the same links (int8 MiniLM
quantises each batch on its own range, so a cosine on the threshold may
land on the other side: the count of differing links is printed).
Segmentation and candidate generation are timed apart and excluded.

With ``--multilingual`` a third run labels every article German, so the
same sentences are compared with multilingual-e5-small, as non-English
articles are: its time against the prepared MiniLM run's, and how many of
MiniLM's links it makes too (the texts are English, so this also shows how
E5's calibrated cosines agree with MiniLM's).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from eval_reuse import article  # noqa: E402

from newstrace._multilingual import E5Embedder  # noqa: E402
from newstrace.config import Settings  # noqa: E402
from newstrace.embed import Embedder, MiniLMEmbedder  # noqa: E402
from newstrace.reuse import add_rewrites  # noqa: E402
from newstrace.segment import segment  # noqa: E402


class PairByPair(Embedder):
    """MiniLM as it was called before ``prepare``: only what each pair asks for."""

    def __init__(self, inner: MiniLMEmbedder) -> None:
        self.inner, self.dimension = inner, inner.dimension

    def embed(self, texts):
        return self.inner.embed(texts)


def run(label: str, articles, sentences, embedder: Embedder, inner: Embedder, multilingual=None):
    inner.embed(["the model loads before the clock starts"])
    started = time.perf_counter()
    links = add_rewrites(
        articles, sentences, [], settings=Settings(), embedder=embedder, multilingual=multilingual
    )
    elapsed = time.perf_counter() - started
    embedded = len(inner._cache) - 1
    print(
        f"{label:>12}: {elapsed:7.1f}s  {embedded} sentences embedded "
        f"({embedded / elapsed:5.0f}/s)  {len(links)} rewritten links"
    )
    return elapsed, {(r.source_id, r.target_id) for r in links}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="synthetic articles")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--topical", type=float, default=0.0)
    parser.add_argument("--multilingual", action="store_true", help="also time E5 (see above)")
    args = parser.parse_args()

    corpus = synthetic.generate(args.n, seed=args.seed, topical=args.topical)
    articles = [article(a.id, a.text) for a in corpus.articles]
    started = time.perf_counter()
    sentences = {a.id: segment(a) for a in articles}
    print(f"corpus: {len(articles)} articles, segmented in {time.perf_counter() - started:.1f}s")

    baseline_inner = MiniLMEmbedder()
    baseline, baseline_links = run(
        "pair by pair", articles, sentences, PairByPair(baseline_inner), baseline_inner
    )
    shipped_inner = MiniLMEmbedder()
    shipped, shipped_links = run("prepared", articles, sentences, shipped_inner, shipped_inner)
    differ = len(baseline_links ^ shipped_links)
    print(f"speed-up {baseline / shipped:.2f}x; links differing between the runs: {differ}")
    if args.multilingual:
        german = [replace(a, language="de") for a in articles]
        e5 = E5Embedder()
        took, e5_links = run("e5 (de)", german, sentences, shipped_inner, e5, multilingual=e5)
        print(
            f"e5 takes {took / shipped:.2f}x MiniLM's time; it makes "
            f"{len(e5_links & shipped_links)} of MiniLM's {len(shipped_links)} links "
            f"and {len(e5_links - shipped_links)} others"
        )


if __name__ == "__main__":
    main()
