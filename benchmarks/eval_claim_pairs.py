"""The claim-grouping pair decision on public paraphrase pairs: accuracy and F1.

usage: .venv/bin/python benchmarks/eval_claim_pairs.py [--limit N] [--only pan|mrpc]

For each labelled sentence pair the script asks the decision ``group_claims``
makes for two claim units of different articles: ``claims.same_claim`` on
their MiniLM cosine and their features (event kind, entities, numbers and
counts, negation). Nothing is fitted: the thresholds are the shipped ones,
chosen on the project's own example corpus. Within a story, the claims stage
also drops the story's topic entities and stems before deciding; a lone pair
has no story, so that step is skipped here.

Data (read-only, under ``../shared/data``; each folder's README gives the
licence):

* ``pan-paraphrase-madnani2012``: 3000 PAN-PC-10 sentence pairs (test split),
  research use;
* ``mrpc``: the 4076 pairs of the MSRP train split, **evaluation only**: the
  MSR-SSLA licence is non-commercial, so no setting is ever fitted on it. The
  published figures are on the (absent) test split, so they compare only
  roughly.

Published figures, for reference (Madnani, Tetreault and Chodorow, NAACL
2012, a classifier trained on eight MT metrics): PAN test accuracy 92.3, F1
92.1; MSRP test accuracy 77.4, F1 84.1. The majority-class baseline is
printed in the same run.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np

from newstrace.claims import same_claim, unit_features
from newstrace.embed import MiniLMEmbedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PUBLISHED = {"pan": (0.923, 0.921), "mrpc": (0.774, 0.841)}


def pan_pairs() -> list[tuple[str, str, bool]]:
    folder = DATA / "pan-paraphrase-madnani2012"
    first = (folder / "pan-test_s1.txt").read_text(encoding="utf-8").splitlines()
    second = (folder / "pan-test_s2.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "pan-test.labels").read_text(encoding="utf-8").split()
    return [(a, b, label == "1") for a, b, label in zip(first, second, labels, strict=True)]


def mrpc_pairs() -> list[tuple[str, str, bool]]:
    path = DATA / "mrpc" / "msr_paraphrase_train.txt"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row[3], row[4], row[0] == "1") for row in rows[1:] if len(row) == 5]


def evaluate(name: str, pairs: list[tuple[str, str, bool]]) -> None:
    embedder = MiniLMEmbedder()
    started = time.perf_counter()
    first = embedder.embed([a for a, _, _ in pairs])
    second = embedder.embed([b for _, b, _ in pairs])
    cosines = np.sum(first * second, axis=1)
    predicted = [
        same_claim(float(c), unit_features(a), unit_features(b))
        for c, (a, b, _) in zip(cosines, pairs, strict=True)
    ]
    gold = [label for _, _, label in pairs]
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    accuracy = sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(pairs)
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    majority = max(sum(gold), len(gold) - sum(gold)) / len(gold)
    published_accuracy, published_f1 = PUBLISHED[name]
    print(
        f"{name}: {len(pairs)} pairs ({sum(gold)} positive), "
        f"{time.perf_counter() - started:.0f} s\n"
        f"  newstrace same_claim: accuracy {accuracy:.3f}, F1 {f1:.3f} "
        f"(precision {precision:.3f}, recall {recall:.3f})\n"
        f"  majority class: accuracy {majority:.3f}\n"
        f"  published (Madnani et al. 2012, test split): accuracy {published_accuracy:.3f}, "
        f"F1 {published_f1:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="first N pairs of each set")
    parser.add_argument("--only", choices=("pan", "mrpc"))
    args = parser.parse_args()
    sets = {"pan": pan_pairs, "mrpc": mrpc_pairs}
    for name, load in sets.items():
        if args.only and name != args.only:
            continue
        try:
            pairs = load()
        except OSError as exc:
            print(f"{name}: data not present ({exc.filename}), skipped")
            continue
        evaluate(name, pairs[: args.limit] if args.limit else pairs)


if __name__ == "__main__":
    main()
