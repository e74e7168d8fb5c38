"""Claim grouping, independent-origin counting and conflicts against labelled claims.

Usage:
    python benchmarks/eval_claims.py                 # example corpus + rome-2022 labels
    python benchmarks/eval_claims.py --rome-only

A labelled mention is found when a newstrace mention of the same article
overlaps its span. Each labelled claim is matched to the newstrace claim that
covers most of its labelled mentions (ties: fewest unlabelled articles); the
script prints, per claim, the articles found against the labelled ones, the
independent-origin count against the label, the conflicts found, and the
naive counts (articles, outlets) a reader gets by counting mentions.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from attribution_eval import span_digest

import newstrace

ROOT = Path(__file__).resolve().parents[1]
ROME_LABELS = ROOT / "benchmarks" / "data" / "claims" / "rome-2022.json"
SHARED = ROOT.parent / "shared"


def name(brief, article_id: str) -> str:
    return Path(brief.article(article_id).source_path).name


def labelled_spans(brief, mentions):
    """``(article_id, start, end)`` of each labelled ``(file name or prefix, snippet)``."""
    spans = []
    for file_name, snippet in mentions:
        for article in brief.articles:
            if name(brief, article.id).startswith(file_name):
                start = article.text.lower().find(snippet.lower())
                if start < 0:
                    raise SystemExit(f"{file_name}: labelled snippet not found: {snippet!r}")
                spans.append((article.id, start, start + len(snippet)))
    return spans


def covered(claim, spans) -> int:
    return sum(
        any(m.article_id == a and m.start < end and m.end > start for m in claim.mentions)
        for a, start, end in spans
    )


def best_claim(brief, spans):
    """The claim covering most labelled spans; ``None`` when none covers any."""
    labelled = {a for a, _, _ in spans}

    def score(claim):
        extra = {m.article_id for m in claim.mentions} - labelled
        return (covered(claim, spans), -len(extra))

    best = max(brief.claims, key=score, default=None)
    return best if best is not None and covered(best, spans) else None


def articles_of(brief, claim) -> set[str]:
    return {name(brief, m.article_id) for m in claim.mentions} if claim else set()


def eval_examples() -> dict[str, float]:
    truth = json.loads((ROOT / "examples" / "truth.json").read_text(encoding="utf-8"))
    brief = newstrace.analyze([ROOT / "examples" / "corpus"])
    multi = [c for c in truth["claims"] if len(c["articles"]) > 1]
    matched = {
        c["id"]: best_claim(
            brief, labelled_spans(brief, [(m["article"], m["text"]) for m in c["mentions"]])
        )
        for c in multi
    }
    ids = {claim.id: truth_id for truth_id, claim in matched.items() if claim}
    exact_groups = exact_counts = conflicts_found = conflicts_total = extra_conflicts = 0
    found_articles = total_articles = 0
    print("example corpus (truth: examples/truth.json)")
    for expected in multi:
        claim = matched[expected["id"]]
        got = articles_of(brief, claim)
        want = set(expected["articles"])
        found_articles += len(got & want)
        total_articles += len(want)
        exact_groups += got == want
        count = claim.independent_count if claim else 0
        exact_counts += count == expected["independent_count"]
        want_conflicts = set(expected.get("conflicts_with", ()))
        got_conflicts = {ids.get(c, "unlabelled") for c in claim.conflicts_with} if claim else set()
        conflicts_total += len(want_conflicts)
        conflicts_found += len(want_conflicts & got_conflicts)
        extra_conflicts += len(got_conflicts - want_conflicts - {"unlabelled"})
        print(
            f"  {expected['id']}: articles {len(got & want)}/{len(want)} "
            f"(+{len(got - want)} extra), independent {count} (truth "
            f"{expected['independent_count']}), conflicts {sorted(got_conflicts)} "
            f"(truth {sorted(want_conflicts)})"
        )
    figures = {
        "article_recall": found_articles / total_articles,
        "exact_groups": exact_groups / len(multi),
        "exact_independent_counts": exact_counts / len(multi),
        "conflict_recall": conflicts_found / max(conflicts_total, 1),
        "wrong_conflicts": float(extra_conflicts),
    }
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()))
    return figures


def rome_mentions(corpus: Path, mentions: dict) -> list[tuple[str, str]]:
    """``(file-name prefix, mention text)`` of each label, its text read from the corpus
    at its stored offsets and checked against the stored digest."""
    found = []
    for prefix, at in mentions.items():
        (path,) = corpus.glob(f"{prefix}*")
        span = path.read_text(encoding="utf-8")[at["start"] : at["end"]]
        if span_digest(span) != at["sha1"]:
            raise SystemExit(f"{ROME_LABELS}: mention {prefix}@{at['start']} does not match {path}")
        found.append((prefix, span))
    return found


def eval_rome() -> None:
    labels = json.loads(ROME_LABELS.read_text(encoding="utf-8"))
    corpus = SHARED / "corpus" / "rome-2022"
    if not corpus.is_dir():
        print("rome-2022: ../shared/corpus/rome-2022 not present, skipped")
        return
    brief = newstrace.analyze([corpus])
    matched = {
        label["id"]: best_claim(
            brief, labelled_spans(brief, rome_mentions(corpus, label["mentions"]))
        )
        for label in labels["claims"]
    }
    ids = {claim.id: label_id for label_id, claim in matched.items() if claim}
    print("rome-2022 (labels: benchmarks/data/claims/rome-2022.json)")
    for label in labels["claims"]:
        claim = matched[label["id"]]
        want = sorted(label["mentions"])
        got = sorted(n[:3] for n in articles_of(brief, claim))
        outlets = {brief.article(m.article_id).outlet for m in claim.mentions} if claim else set()
        naive_outlets = len(outlets - {None}) + len(got) * (None in outlets)
        conflicts = sorted(ids.get(c, "unlabelled") for c in claim.conflicts_with) if claim else []
        print(
            f"  {label['id']} {label['statement']}\n"
            f"     articles found {len(set(got) & set(want))}/{len(want)} {got} "
            f"(labelled {want})\n"
            f"     naive count: {len(got)} articles, {naive_outlets} outlets"
            f"{' (no outlet metadata: one per file)' if None in outlets else ''}; "
            f"newstrace independent origins {claim.independent_count if claim else 0} "
            f"(label {label['origins']})\n"
            f"     conflicts found {conflicts} (label {label.get('conflicts_with', [])})"
        )
        if claim:
            print(f"     origins: {'; '.join(o.name for o in claim.origins)}")
            for chain in claim.chains:
                print(f"       {' → '.join(chain.steps)}  ⇒ {chain.origin}")


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
