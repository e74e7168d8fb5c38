"""Claim grouping and independent-origin counting against labelled claims.

Usage:
    python benchmarks/eval_claims.py                 # example corpus + rome-2022 labels
    python benchmarks/eval_claims.py --rome-only

For each labelled claim it prints the articles that carry it (naive count),
their outlets, and what newstrace found: the articles its best-matching
claim groups, that claim's independent-origin count and its conflicts.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import newstrace

ROOT = Path(__file__).resolve().parents[1]
ROME_LABELS = ROOT / "benchmarks" / "data" / "claims" / "rome-2022.json"
SHARED = ROOT.parent / "shared"


def name(brief, article_id: str) -> str:
    return Path(brief.article(article_id).source_path).name


def best_claim(brief, matches):
    """The claim with the most mentions matching ``matches(article_name, text)``."""
    scored = [
        (sum(matches(name(brief, m.article_id), m.text) for m in c.mentions), c)
        for c in brief.claims
    ]
    scored = [pair for pair in scored if pair[0]]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def eval_examples() -> dict[str, float]:
    truth = json.loads((ROOT / "examples" / "truth.json").read_text(encoding="utf-8"))
    brief = newstrace.analyze([ROOT / "examples" / "corpus"])
    found_articles = total_articles = exact_counts = conflicts_found = conflicts_total = 0
    multi = [c for c in truth["claims"] if len(c["articles"]) > 1]
    print("example corpus (truth: examples/truth.json)")
    for expected in multi:

        def matches(article, text, expected=expected):
            return any(m["article"] == article and m["text"] in text for m in expected["mentions"])

        claim = best_claim(brief, matches)
        got = {name(brief, m.article_id) for m in claim.mentions} if claim else set()
        hit = len(got & set(expected["articles"]))
        found_articles += hit
        total_articles += len(expected["articles"])
        count = claim.independent_count if claim else 0
        exact_counts += count == expected["independent_count"]
        conflicts_total += bool(expected.get("conflicts_with"))
        conflicts_found += bool(expected.get("conflicts_with")) and bool(
            claim and claim.conflicts_with
        )
        print(
            f"  {expected['id']}: articles {hit}/{len(expected['articles'])} "
            f"(+{len(got - set(expected['articles']))} extra), independent {count} "
            f"(truth {expected['independent_count']}), "
            f"conflicts {len(claim.conflicts_with) if claim else 0}"
        )
    figures = {
        "article_recall": found_articles / total_articles,
        "exact_independent_counts": exact_counts / len(multi),
        "conflict_recall": conflicts_found / max(conflicts_total, 1),
    }
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()))
    return figures


def eval_rome() -> None:
    labels = json.loads(ROME_LABELS.read_text(encoding="utf-8"))
    corpus = SHARED / "corpus" / "rome-2022"
    if not corpus.is_dir():
        print("rome-2022: ../shared/corpus/rome-2022 not present, skipped")
        return
    brief = newstrace.analyze([corpus])
    texts = {name(brief, a.id)[:3]: a.text.lower() for a in brief.articles}
    print("rome-2022 (labels: benchmarks/data/claims/rome-2022.json)")
    print("  claim  naive-articles  newstrace-articles  independent(label)  conflicts")
    for label in labels["claims"]:
        keywords = [k.lower() for k in label["keywords"]]
        naive = sorted(p for p, t in texts.items() if any(k in t for k in keywords))

        def matches(article, text, keywords=keywords):
            return any(k in text.lower() for k in keywords)

        claim = best_claim(brief, matches)
        got = sorted({name(brief, m.article_id)[:3] for m in claim.mentions}) if claim else []
        print(
            f"  {label['id']}: {len(naive)} {naive}  {len(got)} {got}  "
            f"{claim.independent_count if claim else 0}({label['origins']})  "
            f"{len(claim.conflicts_with) if claim else 0}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rome-only", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.rome_only:
        eval_examples()
    eval_rome()
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
