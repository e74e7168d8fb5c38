"""Evaluate the reuse stage on public labelled data; print the figures.

    python benchmarks/eval_reuse.py DATASET_DIR [--limit N] [--folds K]

The format of ``DATASET_DIR`` is recognised from its files, so the same script
runs on any folder laid out like one of these (see each folder's README):

* a newstrace truth folder (``truth.json`` + ``corpus/``, like ``examples/``):
  per-kind recall and precision of the links found, and independent pairs linked.

* Clough & Stevenson short answers (``file_information.csv`` + ``orig_task*.txt``):
  each answer is paired with its task's source text and run through
  ``find_reuse``; the kind found is mapped to the corpus labels
  (verbatim/abridged/extended → cut, spun → light, rewritten → heavy, no link
  → non) for 4-class accuracy and macro-F1, derived-vs-not accuracy, and
  direction accuracy with each derived pair fed in both orders (an undecided
  or shared-upstream answer counts as wrong); then, as a diagnostic only,
  5-fold CV of the copy/edit thresholds (the corpus is for research and
  evaluation: nothing newstrace ships is fitted on it).
* MRPC (``msr_paraphrase_train.txt``, and ``msr_paraphrase_test.txt`` when
  present): the aligned-sentence decision (surface alignment, else embedding
  cosine) with the shipped thresholds, and with a cosine threshold chosen on
  the training split only (cross-validated on train when there is no test
  split). Evaluation only: MRPC's licence is non-commercial, nothing newstrace
  ships is fitted on it.
* PAN paraphrase pairs (``pan-test_s1.txt``, ``pan-test_s2.txt``,
  ``pan-test.labels``): the same sentence decision with shipped thresholds.
* SemEval-2022 Task 8 news article pairs (``pairs.jsonl`` with ``text1``,
  ``text2``, ``lang1``, ``lang2`` and the annotators' ``Overall`` story
  similarity, 1 = same story … 4 = unrelated): real articles by other
  outlets, not reuse labels. Each pair is cleaned and run through
  ``find_reuse`` (language as labelled: rewrites are looked for with MiniLM
  in English, with multilingual-e5-small elsewhere and across two languages,
  where the pairs that became translation candidates are counted apart);
  the share of pairs linked, and the
  kinds, are printed by band of ``Overall``, then every link between
  articles the annotators rated as different stories (a link there is
  shared text, not shared news), with the aligned text it rests on.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from newstrace.config import Settings
from newstrace.embed import MiniLMEmbedder
from newstrace.model import Article, Sentence
from newstrace.reuse import align_sentences, find_reuse, reuse_profile, rewrite_candidates
from newstrace.segment import segment

LABELS = ("cut", "light", "heavy", "non")
KIND_TO_LABEL = {
    "verbatim": "cut",
    "abridged": "cut",
    "extended": "cut",
    "partial": "cut",
    "spun": "light",
    "rewritten": "heavy",
    "shared_upstream": "heavy",
}


def article(article_id: str, text: str) -> Article:
    return Article(
        id=article_id,
        source_path=article_id,
        raw_text=text,
        text=text,
        kept=((0, 0, len(text)),),
    )


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")


# --- newstrace truth files (examples/truth.json) -------------------------------------------


def eval_truth(folder: Path, settings: Settings, embedder: MiniLMEmbedder) -> None:
    """Per-kind recall and precision of reuse links against a truth file's ``reuse`` list."""
    import json

    from newstrace.pipeline import analyze

    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    brief = analyze([folder / "corpus"], settings=settings)
    name = {a.id: Path(a.source_path).name for a in brief.articles}
    same = {n: set(g) for g in truth.get("equivalent", []) for n in g}
    expected = {(r["source"], r["target"]): r["kind"] for r in truth["reuse"]}
    expected.update({(r["source"], r["target"]): "partial" for r in truth.get("partial_reuse", [])})
    found = {(name[r.source_id], name[r.target_id]): r.kind for r in brief.reuse}

    def match(pair: tuple[str, str], pool: dict) -> tuple[str, str] | None:
        for source in same.get(pair[0], {pair[0]}):
            for target in same.get(pair[1], {pair[1]}):
                if (source, target) in pool:
                    return source, target
        return None

    independent = {frozenset(p) for p in truth.get("independent", [])}
    print(f"truth {folder}: {len(expected)} expected links, {len(found)} found")
    for kind in sorted(set(expected.values()) | set(found.values())):
        wanted = [p for p, k in expected.items() if k == kind]
        hits = [p for p in wanted if (m := match(p, found)) and found[m] == kind]
        got = [p for p, k in found.items() if k == kind]
        right = [p for p in got if (m := match(p, expected)) and expected[m] == kind]
        print(
            f"  {kind:>16}: recall {len(hits)}/{len(wanted)}  precision {len(right)}/{len(got)}"
            + (f"  extra {sorted(set(got) - set(right))}" if len(right) < len(got) else "")
        )
    wrong = [p for p in found if frozenset(p) in independent]
    print(f"  independent pairs linked: {len(wrong)} of {len(independent)}")


# --- Clough & Stevenson ---------------------------------------------------------------


def eval_clough(folder: Path, settings: Settings, embedder: MiniLMEmbedder) -> None:
    data = folder / "data" if (folder / "data").is_dir() else folder
    rows = list(csv.DictReader((data / "file_information.csv").open(encoding="utf-8")))
    sources = {
        task: article(f"orig_task{task}", read_text(data / f"orig_task{task}.txt"))
        for task in sorted({r["Task"] for r in rows})
    }
    names, gold, predicted, direction, profiles = [], [], [], [], []
    started = time.perf_counter()
    for row in rows:
        if row["Category"] == "orig":
            continue
        answer = article(row["File"], read_text(data / row["File"]))
        source = sources[row["Task"]]
        links = run_pair(source, answer, settings, embedder)
        label = KIND_TO_LABEL[links[0].kind] if links else "non"
        names.append(row["File"])
        gold.append(row["Category"])
        predicted.append(label)
        profiles.append(reuse_profile(answer.text, source.text))
        if row["Category"] != "non":
            for first, second in ((source, answer), (answer, source)):
                found = run_pair(first, second, settings, embedder)
                decided = (
                    bool(found)
                    and found[0].kind != "shared_upstream"
                    and found[0].direction_confidence > 0.5
                )
                direction.append((decided, decided and found[0].source_id == source.id))
    elapsed = time.perf_counter() - started
    print(f"clough-stevenson: {len(gold)} answers, {elapsed:.1f}s")
    report_classes(gold, predicted, LABELS)
    derived = [g != "non" for g in gold]
    found = [p != "non" for p in predicted]
    agree = np.mean([a == b for a, b in zip(derived, found, strict=True)])
    print(f"  derived-vs-not accuracy {agree:.3f}")
    elsewhere = [
        name
        for name, g, (contained, _) in zip(names, gold, profiles, strict=True)
        if g == "cut" and not contained
    ]
    if elsewhere:  # copy-pasted, but from another text than their task's source
        print(f"  cut answers sharing no word 5-gram with their source: {', '.join(elsewhere)}")
    cross_validate_thresholds(gold, predicted, profiles, folds=5)
    decided = [right for made, right in direction if made]
    print(
        f"  direction accuracy (both orders, {len(direction)} runs; undecided counts as wrong) "
        f"{np.mean([right for _, right in direction]):.3f}; decided in {len(decided)} runs, "
        f"of which right {np.mean(decided) if decided else 0:.3f}"
    )


def cross_validate_thresholds(
    gold: list[str], predicted: list[str], profiles: list[tuple[float, float]], *, folds: int
) -> None:
    """What thresholds fitted on this corpus would give, by K-fold CV (a diagnostic only).

    The corpus's licence is research/evaluation only, so newstrace ships no
    threshold fitted on it; this tells how much of the 4-class error is the
    copy/edit/rewrite thresholds. The linked-or-not decision stays as found;
    each linked answer is relabelled cut (5-gram containment ≥ a), light
    (word-LCS share ≥ b) or heavy, with (a, b) chosen on the other folds.
    First the ceiling of these two measures: (a, b) fitted on every answer at
    once, with the linked-or-not decision as found and as the gold labels
    have it (a perfect derived-vs-not).
    """
    grid = [(a, b) for a in np.arange(0.3, 0.96, 0.02) for b in np.arange(0.3, 0.96, 0.02)]
    found = [p != "non" for p in predicted]

    def relabel(index: int, a: float, b: float, linked: list[bool]) -> str:
        if not linked[index]:
            return "non"
        contained, in_order = profiles[index]
        return "cut" if contained >= a else "light" if in_order >= b else "heavy"

    def fit(indices: list[int], linked: list[bool]) -> tuple[float, float]:
        return max(grid, key=lambda ab: sum(relabel(i, *ab, linked) == gold[i] for i in indices))

    everyone = list(range(len(gold)))
    for linked, how in ((found, "as found"), ([g != "non" for g in gold], "as gold")):
        best = fit(everyone, linked)
        right = np.mean([relabel(i, *best, linked) == gold[i] for i in everyone])
        print(
            f"  ceiling, not shipped: thresholds fitted on all answers ({best[0]:.2f}/"
            f"{best[1]:.2f}), linked {how}: 4-class accuracy {right:.3f}"
        )
    order = np.random.default_rng(0).permutation(len(gold))
    out = [""] * len(gold)
    chosen = []
    for fold in np.array_split(order, folds):
        held = set(fold.tolist())
        best = fit([i for i in everyone if i not in held], found)
        chosen.append(best)
        for i in fold:
            out[i] = relabel(i, *best, found)
    print(
        f"  diagnostic, not shipped: {folds}-fold CV of (containment, LCS) thresholds "
        f"chosen on the other folds ({', '.join(f'{a:.2f}/{b:.2f}' for a, b in chosen)}):"
    )
    report_classes(gold, out, LABELS)


def run_pair(first: Article, second: Article, settings: Settings, embedder: MiniLMEmbedder):
    sentences = {a.id: segment(a) for a in (first, second)}
    return find_reuse([first, second], sentences, settings=settings, embedder=embedder)


def report_classes(gold: list[str], predicted: list[str], labels: tuple[str, ...]) -> None:
    accuracy = np.mean([g == p for g, p in zip(gold, predicted, strict=True)])
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    print(f"  4-class accuracy {accuracy:.3f}  macro-F1 {np.mean(f1s):.3f}")
    print(
        "  per-class F1 " + "  ".join(f"{lab} {f:.2f}" for lab, f in zip(labels, f1s, strict=True))
    )
    confusion = Counter(zip(gold, predicted, strict=True))
    print("  confusion (rows gold, columns predicted): " + " ".join(labels))
    for g in labels:
        print(f"    {g:>6} " + " ".join(f"{confusion[g, p]:5d}" for p in labels))


# --- sentence pairs (MRPC, PAN) --------------------------------------------------------


def sentence(article_id: str, text: str) -> Sentence:
    return Sentence(article_id=article_id, index=0, paragraph=0, start=0, end=len(text), text=text)


def pair_scores(
    pairs: list[tuple[str, str]], settings: Settings, embedder: MiniLMEmbedder
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: whether surface alignment matches it, and the embedding cosine."""
    surface = np.array(
        [
            align_sentences(sentence("a", a), sentence("b", b), settings=settings) is not None
            for a, b in pairs
        ]
    )
    left = embedder.embed([a for a, _ in pairs])
    right = embedder.embed([b for _, b in pairs])
    return surface, np.einsum("ij,ij->i", left, right)


def binary_figures(gold: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    tp = int(np.sum(gold & predicted))
    fp = int(np.sum(~gold & predicted))
    fn = int(np.sum(gold & ~predicted))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return float(np.mean(gold == predicted)), f1


def best_threshold(gold: np.ndarray, surface: np.ndarray, cosine: np.ndarray) -> float:
    grid = np.round(np.arange(0.40, 0.96, 0.01), 2)
    scores = [binary_figures(gold, surface | (cosine >= t))[0] for t in grid]
    return float(grid[int(np.argmax(scores))])


def read_mrpc(path: Path) -> tuple[list[tuple[str, str]], np.ndarray]:
    pairs, labels = [], []
    with path.open(encoding="utf-8-sig") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                labels.append(parts[0] == "1")
                pairs.append((parts[3], parts[4]))
    return pairs, np.array(labels)


def eval_sentence_pairs(
    name: str,
    train: tuple[list[tuple[str, str]], np.ndarray],
    test: tuple[list[tuple[str, str]], np.ndarray] | None,
    settings: Settings,
    embedder: MiniLMEmbedder,
    folds: int,
) -> None:
    started = time.perf_counter()
    pairs, gold = train
    surface, cosine = pair_scores(pairs, settings, embedder)
    shipped = surface | (cosine >= settings.paraphrase_similarity)
    accuracy, f1 = binary_figures(gold, shipped)
    elapsed = time.perf_counter() - started
    print(f"{name}: {len(pairs)} pairs ({gold.mean():.2f} positive), {elapsed:.1f}s")
    print(
        f"  shipped thresholds (cosine {settings.paraphrase_similarity}): "
        f"accuracy {accuracy:.3f}  F1 {f1:.3f}  (surface alone: "
        f"{binary_figures(gold, surface)[0]:.3f} / {binary_figures(gold, surface)[1]:.3f})"
    )
    if test is not None:
        threshold = best_threshold(gold, surface, cosine)
        t_surface, t_cosine = pair_scores(test[0], settings, embedder)
        accuracy, f1 = binary_figures(test[1], t_surface | (t_cosine >= threshold))
        print(f"  threshold {threshold} chosen on train; test accuracy {accuracy:.3f}  F1 {f1:.3f}")
    elif folds > 1:
        order = np.random.default_rng(0).permutation(len(pairs))
        results, thresholds = [], []
        for fold in np.array_split(order, folds):
            mask = np.ones(len(pairs), dtype=bool)
            mask[fold] = False
            threshold = best_threshold(gold[mask], surface[mask], cosine[mask])
            thresholds.append(threshold)
            results.append(binary_figures(gold[fold], surface[fold] | (cosine[fold] >= threshold)))
        accuracy, f1 = np.mean(results, axis=0)
        print(
            f"  {folds}-fold CV on train (threshold chosen on the other folds, "
            f"{min(thresholds)}–{max(thresholds)}): accuracy {accuracy:.3f}  F1 {f1:.3f}"
        )


def eval_mrpc(folder: Path, settings: Settings, embedder: MiniLMEmbedder, args) -> None:
    train = read_mrpc(folder / "msr_paraphrase_train.txt")
    test_path = folder / "msr_paraphrase_test.txt"
    test = read_mrpc(test_path) if test_path.exists() else None
    if args.limit:
        train = (train[0][: args.limit], train[1][: args.limit])
    eval_sentence_pairs("mrpc", train, test, settings, embedder, args.folds)


def eval_pan(folder: Path, settings: Settings, embedder: MiniLMEmbedder, args) -> None:
    left = read_text(folder / "pan-test_s1.txt").splitlines()
    right = read_text(folder / "pan-test_s2.txt").splitlines()
    labels = [line.strip() == "1" for line in read_text(folder / "pan-test.labels").splitlines()]
    pairs = list(zip(left, right, strict=False))[: len(labels)]
    if args.limit:
        pairs, labels = pairs[: args.limit], labels[: args.limit]
    eval_sentence_pairs("pan", (pairs, np.array(labels)), None, settings, embedder, args.folds)


# --- SemEval-2022 Task 8 news pairs ---------------------------------------------------

BANDS = (
    (1.5, "same story (Overall <= 1.5)"),
    (2.5, "related (1.5-2.5)"),
    (4.0, "different (> 2.5)"),
)


def eval_news_pairs(folder: Path, settings: Settings, embedder: MiniLMEmbedder, args) -> None:
    import json

    from newstrace.clean import clean_corpus

    rows = [json.loads(line) for line in read_text(folder / "pairs.jsonl").splitlines() if line]
    if args.limit:
        rows = rows[: args.limit]
    linked: dict[str, Counter[str]] = {label: Counter() for _, label in BANDS}
    across: dict[str, Counter[str]] = {label: Counter() for _, label in BANDS}
    different = []
    started = time.perf_counter()
    for row in rows:
        first_id, second_id = row["pair_id"].split("_", 1)
        pair = [
            replace(article(f"1:{first_id}", row["text1"] or ""), language=row.get("lang1")),
            replace(article(f"2:{second_id}", row["text2"] or ""), language=row.get("lang2")),
        ]
        first, second = clean_corpus(pair, settings=settings)
        links = run_pair(first, second, settings, embedder)
        label = next(label for bound, label in BANDS if row["Overall"] <= bound)
        linked[label][links[0].kind if links else "none"] += 1
        if first.language != second.language:
            across[label]["pairs"] += 1
            across[label]["candidates"] += bool(
                rewrite_candidates([first, second], settings=settings)
            )
            across[label]["linked"] += bool(links)
        if links and label == BANDS[-1][1]:
            different.append((row, links[0]))
    elapsed = time.perf_counter() - started
    print(f"news pairs {folder}: {len(rows)} pairs, {elapsed:.1f}s")
    for _, label in BANDS:
        counts = linked[label]
        total = sum(counts.values())
        found = total - counts["none"]
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()) if k != "none")
        print(f"  {label:>28}: {found}/{total} linked ({found / max(total, 1):.3f}) {kinds}")
        if across[label]["pairs"]:
            two = across[label]
            print(
                f"  {'of them in two languages':>28}: {two['pairs']} pairs, "
                f"{two['candidates']} translation candidates, {two['linked']} linked"
            )
    print(f"  links between different stories ({len(different)}), and the text they share:")
    for row, link in different:
        verbatim_first = sorted(link.aligned, key=lambda p: (p.kind != "verbatim", p.target.start))
        shared = verbatim_first[0].target.text if verbatim_first else ""
        print(
            f"    {row['pair_id']} {row['lang1']}-{row['lang2']} Overall {row['Overall']:.2f} "
            f"{link.kind} ({link.source_coverage:.2f}/{link.target_coverage:.2f}): "
            f"{' '.join(shared.split())[:90]!r}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    parser.add_argument("--folds", type=int, default=10)
    args = parser.parse_args()
    settings, embedder = Settings(), MiniLMEmbedder()
    folder = args.dataset
    if (folder / "truth.json").exists():
        eval_truth(folder, settings, embedder)
    elif (folder / "file_information.csv").exists() or (
        folder / "data" / "file_information.csv"
    ).exists():
        eval_clough(folder, settings, embedder)
    elif (folder / "msr_paraphrase_train.txt").exists():
        eval_mrpc(folder, settings, embedder, args)
    elif (folder / "pan-test_s1.txt").exists():
        eval_pan(folder, settings, embedder, args)
    elif (folder / "pairs.jsonl").exists():
        eval_news_pairs(folder, settings, embedder, args)
    else:
        sys.exit(f"{folder}: not a dataset this script knows (see its docstring)")


if __name__ == "__main__":
    main()
