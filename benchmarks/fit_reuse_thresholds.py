"""Choose the reuse-kind thresholds (``copy_containment``, ``edit_lcs``) on data
the project may fit on: the example corpus's truth (written here) and the
synthetic generator's planted relations. Clough & Stevenson's corpus is for
evaluation only (its licence allows research use, not fitting what ships).

For each planted or labelled pair the derived side's profile against its source
is measured as ``reuse._refine`` measures it: the derived side's sentences that
``reuse.align`` matches with the source, profiled by ``reuse.reuse_profile``
(share of word 5-grams contained, share of words in order). ``_refine`` only
sees pairs whose derived side is mostly aligned (``reuse.MOSTLY``); for the
others the whole derived text is profiled. A threshold is put in the middle of
the widest gap between the classes it separates, over both data sets:

* ``copy_containment``: between the highest containment of an edited (spun) copy
  and the lowest of a verbatim/abridged/extended copy;
* ``edit_lcs``: between the highest in-order share of a rewrite and the median
  of the spun copies (a few spun copies are so heavily edited they read as rewrites).

Usage: python benchmarks/fit_reuse_thresholds.py [N_SYNTHETIC] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from newstrace._align import coverage
from newstrace.clean import clean_corpus
from newstrace.config import Settings
from newstrace.ingest import ingest
from newstrace.model import Article
from newstrace.reuse import MOSTLY, align, reuse_profile, reused_text
from newstrace.segment import segment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

COPY = {"verbatim", "abridged", "extended"}


def aligned_profile(inner: Article, outer: Article) -> tuple[float, float]:
    inner_sentences = segment(inner)
    pairs = align(segment(outer), inner_sentences, settings=Settings())
    contained = coverage(inner_sentences, [p.target for p in pairs]) >= MOSTLY
    return reuse_profile(reused_text(pairs, inner.id) if contained else inner.text, outer.text)


def example_profiles() -> list[tuple[str, float, float]]:
    articles = clean_corpus(ingest([ROOT / "examples" / "corpus"]).articles)
    by_name = {Path(a.source_path).name: a for a in articles}
    truth = json.loads((ROOT / "examples" / "truth.json").read_text(encoding="utf-8"))
    rows = []
    for pair in truth["reuse"]:
        inner, outer = by_name[pair["target"]], by_name[pair["source"]]
        if pair["kind"] == "extended":
            inner, outer = outer, inner
        rows.append((pair["kind"], *aligned_profile(inner, outer)))
    return rows


def synthetic_profiles(n: int, seed: int) -> list[tuple[str, float, float]]:
    corpus = generate(n, seed=seed)
    by_id = {a.id: a for a in corpus.articles}
    return [
        (kind, *aligned_profile(by_id[target], by_id[source]))
        for source, target, kind in corpus.relations
        if kind != "shared_upstream"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = example_profiles() + synthetic_profiles(args.n, args.seed)
    for kind in ("verbatim", "abridged", "extended", "spun", "rewritten"):
        mine = [(c, o) for k, c, o in rows if k == kind]
        if mine:
            contained, in_order = zip(*mine, strict=True)
            print(
                f"{kind:10} n={len(mine):4}  contained {min(contained):.2f}–{max(contained):.2f}"
                f"  in order {min(in_order):.2f}–{max(in_order):.2f}"
            )
    copy_low = min(c for k, c, _ in rows if k in COPY)
    spun_high = max(c for k, c, _ in rows if k == "spun")
    rewrite_high = max(o for k, _, o in rows if k == "rewritten")
    spun_median = statistics.median(o for k, _, o in rows if k == "spun")
    copy_gap, edit_gap = (spun_high, copy_low), (rewrite_high, spun_median)
    print(f"copy_containment = {sum(copy_gap) / 2:.2f}  (gap {copy_gap[0]:.2f}–{copy_gap[1]:.2f})")
    print(f"edit_lcs = {sum(edit_gap) / 2:.2f}  (gap {edit_gap[0]:.2f}–{edit_gap[1]:.2f})")


if __name__ == "__main__":
    main()
