"""Evaluate story clustering on labelled news: ``python benchmarks/eval_stories.py DATASET_DIR``.

Two formats are recognised:

* a folder with ``pairs.jsonl`` (SemEval-2022 Task 8: ``text1``, ``text2``,
  ``lang1``, ``lang2``, ``Overall`` 1 = same story … 4 = unrelated): the
  story similarity of each pair (``StoryIndex.similarity``, IDF from all
  texts of the folder, no labels) against the gold score. Reports Pearson r
  with ``-Overall`` (so higher is better), en-en and overall, ROC-AUC of the
  "same story" decision (gold ``Overall <= 2``) and F1 with the threshold
  chosen on the even pairs (dev) and measured on the odd ones (test).
* a folder with a CSV holding ``TITLE``, ``PUBLISHER``, ``STORY`` and
  ``TIMESTAMP`` columns (UCI News Aggregator): headlines streamed in
  timestamp order through a fresh ``StoryIndex`` (strict online: IDF and
  centroids only from what came before). The join threshold is chosen on
  the first half (by time), with the merge margin, and the second half is
  then streamed from scratch with them; B-cubed P/R/F1 and ARI on the second half, both for the
  online pass alone and after ``consolidate()``.

Each variant (TF-IDF only, + entities, + MiniLM embeddings, all, and
``multilingual``: MiniLM for English, multilingual-e5-small for the rest and
across languages; see ``VARIANTS``) runs in the same process on the same
data. Article languages are detected as ingest does (lingua), not read from
the gold columns. ``--cache DIR`` keeps embeddings in ``.npz`` files across
runs; ``--calibrate N`` fits the E5-to-MiniLM cosine map on N headlines of
a stream folder without reading its labels. Thresholds fitted here are for reporting only:
the shipped defaults in ``Settings`` are not taken from SemEval (its labels'
licence is unverified).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from newstrace._meta import Enricher
from newstrace._multilingual import MAX_CHARS as E5_CHARS
from newstrace._multilingual import E5Embedder
from newstrace._storyvec import is_english
from newstrace.config import Settings
from newstrace.embed import Embedder, MiniLMEmbedder
from newstrace.model import Article
from newstrace.stories import EntityExtractor, SpacyEntities, StoryIndex

# variant: the models it uses. "embedder" is MiniLM (every article), "e5"
# multilingual-e5-small as the only embedder, "multilingual" adds e5 for
# non-English articles and pairs across languages (MiniLM stays for English).
VARIANTS = {
    "tfidf": (),
    "tfidf+entities": ("entities",),
    "tfidf+embeddings": ("embedder",),
    "all": ("embedder", "entities"),
    "e5": ("e5",),
    "multilingual": ("embedder", "multilingual"),
    "multilingual+entities": ("embedder", "multilingual", "entities"),
}
DEFAULT_VARIANTS = "tfidf,tfidf+entities,tfidf+embeddings,all,multilingual"
# Languages ingest may detect here (as a user would configure for this feed).
DETECTED_LANGUAGES = "en,de,es,tr,pl,ar,fr,it,pt,nl,ru,zh"
GRID = {"tfidf": (0.08, 0.12, 0.16, 0.2), "embeddings": (0.25, 0.3, 0.35, 0.4, 0.45)}
MARGINS = (0.0, 0.1)
OVERRIDES: dict = {}


class DiskCachedEmbedder(Embedder):
    """An embedder whose vectors persist in an ``.npz`` file, so reruns skip the model."""

    def __init__(self, inner: Embedder, path: Path | str) -> None:
        self.inner, self.path = inner, Path(path)
        self.dimension = inner.dimension
        self.calibration = getattr(inner, "calibration", (1.0, 0.0))
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as saved:
                self.vectors = {k: saved[k] for k in saved.files}
        self.saved = len(self.vectors)

    def embed(self, texts):
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=12).hexdigest() for t in texts]
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}
        if todo:
            rows = self.inner.embed(list(todo.values()))
            self.vectors.update(zip(todo, rows, strict=True))
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.vectors[k] for k in keys])

    def save(self) -> None:
        if len(self.vectors) > self.saved:
            np.savez(self.path.with_suffix(".tmp.npz"), **self.vectors)
            self.path.with_suffix(".tmp.npz").replace(self.path)
            self.saved = len(self.vectors)


class CachedEntities(EntityExtractor):
    """Runs NER once per distinct text across variants and grid points."""

    def __init__(self) -> None:
        self.inner = SpacyEntities()
        self.cache: dict[str, tuple[str, ...]] = {}

    def extract(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for text, found in zip(todo, self.inner.extract(todo), strict=True):
            self.cache[text] = found
        return [self.cache[t] for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--variants", default=DEFAULT_VARIANTS)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N rows")
    parser.add_argument("--grid", help="comma-separated join thresholds to try (stream)")
    parser.add_argument("--margins", help="comma-separated merge margins to try (stream)")
    parser.add_argument("--cache", type=Path, help="folder for .npz caches of embeddings")
    parser.add_argument("--lead-chars", type=int, help="override story_lead_chars")
    parser.add_argument(
        "--calibrate", type=int, default=0, help="fit the E5-to-MiniLM map on N headlines"
    )
    args = parser.parse_args()
    if args.grid:
        thresholds = tuple(float(t) for t in args.grid.split(","))
        GRID.update(tfidf=thresholds, embeddings=thresholds)
    if args.lead_chars:
        OVERRIDES["story_lead_chars"] = args.lead_chars
    if args.margins:
        global MARGINS
        MARGINS = tuple(float(m) for m in args.margins.split(","))
    models = {"embedder": MiniLMEmbedder(), "e5": E5Embedder(), "entities": CachedEntities()}
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
        models["embedder"] = DiskCachedEmbedder(models["embedder"], args.cache / "minilm.npz")
        models["e5"] = DiskCachedEmbedder(models["e5"], args.cache / f"e5-{E5_CHARS}.npz")
    variants = args.variants.split(",")
    if args.calibrate:
        (path,) = sorted(args.dataset.glob("*.csv"))
        result = calibrate(path, models, args.calibrate)
    elif (args.dataset / "pairs.jsonl").exists():
        result = eval_pairs(args.dataset / "pairs.jsonl", variants, models, args.limit)
    else:
        (path,) = sorted(args.dataset.glob("*.csv"))
        result = eval_stream(path, variants, models, args.limit)
    for model in models.values():
        if isinstance(model, DiskCachedEmbedder):
            model.save()
    print(json.dumps(result, indent=2))


def _models(variant: str, models: dict) -> dict:
    uses = VARIANTS[variant]
    return {
        "embedder": models["e5"]
        if "e5" in uses
        else models["embedder"]
        if "embedder" in uses
        else None,
        "entities": models["entities"] if "entities" in uses else None,
        "multilingual": models["e5"] if "multilingual" in uses else None,
    }


def _embeds(variant: str) -> bool:
    return bool({"embedder", "e5", "multilingual"} & set(VARIANTS[variant]))


def _settings(variant: str, overrides: dict) -> Settings:
    """Defaults, with entity terms weighted 1 in the variants that use entities."""
    weight = 1.0 if "entities" in VARIANTS[variant] else 0.0
    return replace(Settings(), story_entity_weight=weight, **(OVERRIDES | overrides))


# -- SemEval pairs -----------------------------------------------------------


def eval_pairs(path: Path, variants: list[str], models: dict, limit: int) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = rows[:limit] if limit else rows
    results = {"dataset": str(path), "pairs": len(rows)}
    enricher = Enricher(Settings(languages=DETECTED_LANGUAGES))
    texts = [(r[k], enricher.language(r[k])) for r in rows for k in ("text1", "text2")]
    gold_languages = [r[k] for r in rows for k in ("lang1", "lang2")]
    results["language_detected_as_gold"] = round(
        float(
            np.mean([found == gold for (_, found), gold in zip(texts, gold_languages, strict=True)])
        ),
        3,
    )
    for variant in variants:
        started = time.perf_counter()
        index = StoryIndex(settings=_settings(variant, {}), **_models(variant, models))
        articles = [_pair_article(i, t, language) for i, (t, language) in enumerate(texts)]
        vectors = _pair_vectors(index, articles)
        scores = np.array(
            [index.similarity(vectors[2 * i], vectors[2 * i + 1]) for i in range(len(rows))]
        )
        results[variant] = _pair_metrics(rows, scores) | {
            "seconds": round(time.perf_counter() - started, 1)
        }
        if _embeds(variant):
            results[variant]["pearson_by_embedding_weight"] = _weights(index, rows, vectors)
        print(variant, results[variant], file=sys.stderr)
    return results


def _pair_vectors(index: StoryIndex, articles: list[Article]) -> list:
    """Vectors of the pair texts; multilingual vectors only where a pair reads them.

    The score of a pair of English texts never reads the multilingual
    vectors, so they are not computed for such pairs (they cost ~4x MiniLM).
    """
    featurizer = index.featurizer
    multilingual = featurizer.multilingual
    if multilingual is None:
        return featurizer.vectors(articles)
    english = [
        is_english(articles[i - i % 2].language) and is_english(articles[i - i % 2 + 1].language)
        for i in range(len(articles))
    ]
    found: list = [None] * len(articles)
    for wanted, model in ((False, multilingual), (True, None)):
        chosen = [i for i, flag in enumerate(english) if flag == wanted]
        featurizer.multilingual = model
        for i, vector in zip(
            chosen, featurizer.vectors([articles[i] for i in chosen]), strict=True
        ):
            found[i] = vector
    featurizer.multilingual = multilingual
    return found


def _weights(index: StoryIndex, rows: list[dict], vectors: list) -> dict:
    """Pearson r (en-en, all) for other embedding weights, from the same vectors."""
    gold = np.array([r["Overall"] for r in rows], dtype=float)
    en = np.array([r["lang1"] == r["lang2"] == "en" for r in rows])
    found = {}
    for weight in (0.3, 0.5, 0.7, 0.9, 1.0):
        index.settings = replace(index.settings, story_embedding_weight=weight)
        scores = np.array(
            [index.similarity(vectors[2 * i], vectors[2 * i + 1]) for i in range(len(rows))]
        )
        found[weight] = (
            round(_pearson(scores[en], -gold[en]), 3),
            round(_pearson(scores, -gold), 3),
        )
    return found


def _pair_article(number: int, text: str, language: str | None = None) -> Article:
    title, _, _ = text.strip().partition("  ")
    return Article(
        id=f"p{number}",
        source_path="",
        raw_text=text,
        text=text,
        title=title[:300],
        language=language,
    )


def _pair_metrics(rows: list[dict], scores: np.ndarray) -> dict:
    gold = np.array([r["Overall"] for r in rows], dtype=float)
    same = gold <= 2.0
    en = np.array([r["lang1"] == r["lang2"] == "en" for r in rows])
    dev = np.arange(len(rows)) % 2 == 0
    threshold = max(np.unique(scores[dev]), key=lambda t: _f1(scores[dev] >= t, same[dev]))
    return {
        "pearson_en_en": round(_pearson(scores[en], -gold[en]), 3),
        "pearson_all": round(_pearson(scores, -gold), 3),
        "auc_en_en": round(_auc(scores[en], same[en]), 3),
        "auc_all": round(_auc(scores, same), 3),
        "f1_test": round(_f1(scores[~dev] >= threshold, same[~dev]), 3),
        "f1_test_en_en": round(_f1(scores[~dev & en] >= threshold, same[~dev & en]), 3),
        "threshold_dev": round(float(threshold), 3),
        "by_language": {
            pair: round(_pearson(scores[mask], -gold[mask]), 3)
            for pair, mask in _language_masks(rows).items()
        },
    }


def _language_masks(rows: list[dict]) -> dict[str, np.ndarray]:
    pairs = [f"{r['lang1']}-{r['lang2']}" for r in rows]
    return {p: np.array([q == p for q in pairs]) for p in sorted(set(pairs))}


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    ranks = _ranks(scores)
    positives = labels.sum()
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _ranks(values: np.ndarray) -> np.ndarray:
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    hits = float((predicted & truth).sum())
    if not hits:
        return 0.0
    precision, recall = hits / float(predicted.sum()), hits / float(truth.sum())
    return 2 * precision * recall / (precision + recall)


# -- calibration of E5 cosines onto the MiniLM scale ----------------------------


def calibrate(path: Path, models: dict, count: int) -> dict:
    """Fit ``_multilingual.CALIBRATION`` without labels: quantile-match the two cosines.

    Every pair of the first ``count`` headlines (by time) gets both cosines;
    the sorted E5 cosines are regressed on the sorted MiniLM cosines over the
    top 5% of pairs (the range where join decisions fall), so the map sends
    E5's q-th quantile to MiniLM's.
    """
    titles = list(dict.fromkeys(r["TITLE"] for r in _read_stream(path, 0)))[:count]
    upper = np.triu_indices(len(titles), k=1)
    cosines = {}
    for name in ("embedder", "e5"):
        vectors = models[name].embed(titles)
        cosines[name] = np.sort((vectors @ vectors.T)[upper])
    top = slice(int(0.95 * len(cosines["e5"])), None)
    slope, intercept = np.polyfit(cosines["e5"][top], cosines["embedder"][top], 1)
    quantiles = (0.5, 0.9, 0.99, 0.999)
    return {
        "headlines": len(titles),
        "pairs": len(cosines["e5"]),
        "slope": round(float(slope), 4),
        "intercept": round(float(intercept), 4),
        "quantiles": {
            q: {name: round(float(np.quantile(c, q)), 3) for name, c in cosines.items()}
            for q in quantiles
        },
    }


# -- UCI stream --------------------------------------------------------------


def eval_stream(path: Path, variants: list[str], models: dict, limit: int) -> dict:
    rows = _read_stream(path, limit)
    half = len(rows) // 2
    first, second = rows[:half], rows[half:]
    results = {
        "dataset": str(path),
        "articles": len(rows),
        "stories": len({r["STORY"] for r in rows}),
        "test_articles": len(second),
        "test_stories": len({r["STORY"] for r in second}),
    }
    for variant in variants:
        field = "story_join_threshold" if _embeds(variant) else "story_tfidf_threshold"
        grid = {
            (t, m): _stream(first, variant, models, {field: t, "story_merge_margin": m})[0]["f1"]
            for t in GRID["embeddings" if _embeds(variant) else "tfidf"]
            for m in MARGINS
        }
        threshold, margin = max(grid, key=lambda p: (grid[p], -p[0], -p[1]))
        started = time.perf_counter()
        chosen = {field: threshold, "story_merge_margin": margin}
        online, merged = _stream(second, variant, models, chosen)
        results[variant] = {
            "threshold_dev": threshold,
            "merge_margin_dev": margin,
            "dev_f1": grid[threshold, margin],
            "online": online,
            "consolidated": merged,
            "seconds_test_stream": round(time.perf_counter() - started, 1),
        }
        print(variant, results[variant], file=sys.stderr)
    return results


def _read_stream(path: Path, limit: int) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = rows[:limit] if limit else rows
    return sorted(rows, key=lambda r: (int(r["TIMESTAMP"]), int(r["ID"])))


def _stream(rows: list[dict], variant: str, models: dict, overrides: dict) -> tuple[dict, dict]:
    index = StoryIndex(settings=_settings(variant, overrides), **_models(variant, models))
    gold = {r["ID"]: r["STORY"] for r in rows}
    for chunk in range(0, len(rows), 256):
        index.add([_headline(r) for r in rows[chunk : chunk + 256]])
    online = _cluster_metrics(index, gold)
    index.consolidate()
    return online, _cluster_metrics(index, gold)


def _headline(row: dict) -> Article:
    published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC).isoformat()
    title = row["TITLE"]
    return Article(
        id=row["ID"],
        source_path="",
        raw_text=title,
        text=title,
        title=title,
        outlet=row["PUBLISHER"],
        published=published,
    )


def _cluster_metrics(index: StoryIndex, gold: dict[str, str]) -> dict:
    found = {a: s.id for s in index.stories() for a in s.article_ids}
    return bcubed(found, gold) | {
        "ari": round(adjusted_rand(found, gold), 4),
        "stories": len(set(found.values())),
    }


def bcubed(found: dict[str, str], gold: dict[str, str]) -> dict:
    """B-cubed precision, recall and F1 of a clustering against gold labels."""
    clusters, classes = defaultdict(set), defaultdict(set)
    for item, label in found.items():
        clusters[label].add(item)
    for item, label in gold.items():
        classes[label].add(item)
    precision = recall = 0.0
    for item in gold:
        shared = len(clusters[found[item]] & classes[gold[item]])
        precision += shared / len(clusters[found[item]])
        recall += shared / len(classes[gold[item]])
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def adjusted_rand(found: dict[str, str], gold: dict[str, str]) -> float:
    """Adjusted Rand index of two labellings of the same items."""
    pairs = Counter((found[item], gold[item]) for item in gold)
    rows, cols = Counter(found[i] for i in gold), Counter(gold.values())

    def choose2(n: int) -> float:
        return n * (n - 1) / 2

    index = sum(choose2(n) for n in pairs.values())
    row_sum = sum(choose2(n) for n in rows.values())
    col_sum = sum(choose2(n) for n in cols.values())
    expected = row_sum * col_sum / choose2(len(gold))
    top = (row_sum + col_sum) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


if __name__ == "__main__":
    main()
