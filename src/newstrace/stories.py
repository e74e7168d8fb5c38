"""Group articles into stories (one real-world event each), incrementally.

``StoryIndex`` clusters a stream: each new article is compared with the
recent stories that an approximate nearest-neighbour index (usearch, HNSW,
inner product) over story centroids proposes, re-scored exactly, and joins
the best one scoring at least the threshold, or starts a new story; the
story's centroid then moves. An article linked by reuse to an article
already placed joins that article's story, and stories that reuse links
connect are merged, so a copy family always falls in one story.

The score of an article against a story is the cosine of their TF-IDF
vectors (stemmed words of title and text, plus ``@entity`` terms when
``story_entity_weight`` > 0; IDF counted online, see ``_storyvec``), mixed
with the cosine of sentence embeddings when an embedder is given:
``w * embedding + (1 - w) * tfidf``. With a ``multilingual`` embedder
(multilingual-e5-small, ``_multilingual``), English articles keep MiniLM
and every article also gets an E5 vector: two stories that are both English
are compared with MiniLM, any other pair with the E5 cosine mapped onto
MiniLM's scale, and a pair with no language in common with the embedding
alone (``story_crosslingual_embedding_weight``), as their TF-IDF vectors
share little but names. ``group_stories`` adds the multilingual embedder
when some article is not in English. Stories not seen for
``story_window_hours`` (in publication time) leave the index, so the
cost per article stays flat as stories accumulate; they can no longer grow
(except through reuse links) and their centroids shrink to their top terms.

With ``story_online_merge`` a story that grew is also compared with its
nearest stories and merged with those scoring ``story_merge_margin`` above
the threshold (still online: only what came before is used).
``consolidate()`` is the batch pass: every story is compared with its
nearest stories and pairs scoring ``story_merge_margin`` above the threshold
are merged, repairing stories the online pass split. ``group_stories`` runs
the online pass over articles sorted by (publication time, id) and then
consolidates, so its result depends on the set of articles, not their order.

Order matters to ``StoryIndex``: the same articles added in the same order
give the same stories (usearch runs single-threaded, ties break on the
oldest story), but another order can give other stories, because an
article can only join stories that exist when it arrives and IDF and
centroids evolve. Adding in publication order, as a feed does, is what the
measured figures assume.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from ._graph import UnionFind
from ._multilingual import E5Embedder
from ._storyvec import (
    ArticleVector,
    EntityExtractor,
    Featurizer,
    OnlineIdf,
    SpacyEntities,
    cosine,
    is_english,
)
from ._text import parse_time
from .config import Settings
from .embed import Embedder, MiniLMEmbedder
from .model import Article, Reuse, Story

__all__ = [
    "EntityExtractor",
    "Featurizer",
    "OnlineIdf",
    "SpacyEntities",
    "StoryChange",
    "StoryIndex",
    "default_embedder",
    "default_entities",
    "default_multilingual",
    "group_stories",
    "regroup_stories",
    "story_id",
]

KEY_ENTITIES = 5
MAX_CENTROID_TERMS = 400
EXPIRED_CENTROID_TERMS = 64
REINDEX_GROWTH = 1.25


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChange:
    """What one ``StoryIndex.add`` or ``consolidate`` call did to one story.

    ``kind`` is ``new`` (the story started in this call), ``grown`` or
    ``merged`` (other stories were folded into it); ``previous_ids`` are the
    ids the story, and any stories merged into it, had before the call;
    ``added`` the articles that joined it in this call.
    """

    kind: Literal["new", "grown", "merged"]
    story: Story
    previous_ids: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


@dataclass(slots=True)
class _Cluster:
    key: int
    members: list[str] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    embedding: np.ndarray | None = None
    multilingual: np.ndarray | None = None
    languages: set[str | None] = field(default_factory=set)
    weighted: dict[str, float] | None = None
    entities: Counter[str] = field(default_factory=Counter)
    outlets: set[str] = field(default_factory=set)
    timeline: list[tuple[float, int, str, str]] = field(default_factory=list)
    titles: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    first: float | None = None
    last: float | None = None
    indexed_size: int = 0
    ann_key: int | None = None


def story_id(article_ids: Sequence[str]) -> str:
    """A stable id for a set of articles."""
    digest = hashlib.sha1("\n".join(sorted(article_ids)).encode()).hexdigest()
    return "s" + digest[:11]


class StoryIndex:
    """Stories of a stream of articles, updated as articles are added.

    ``embedder``, ``entities`` and ``multilingual`` are optional; without an
    embedder the score is TF-IDF only (``settings.story_tfidf_threshold``).
    A ``multilingual`` embedder may carry ``calibration`` = (slope,
    intercept), the map of its cosines onto the English embedder's scale. ``idf`` may carry
    background document frequencies.
    """

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        entities: EntityExtractor | None = None,
        idf: OnlineIdf | None = None,
        multilingual: Embedder | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.featurizer = Featurizer(
            embedder=embedder,
            entities=entities,
            entity_weight=self.settings.story_entity_weight,
            idf=idf,
            multilingual=multilingual,
            lead_chars=self.settings.story_lead_chars,
        )
        self.threshold = (
            self.settings.story_join_threshold
            if embedder is not None or multilingual is not None
            else self.settings.story_tfidf_threshold
        )
        self.window = self.settings.story_window_hours * 3600.0
        self._calibration: tuple[float, float] = getattr(multilingual, "calibration", (1.0, 0.0))
        self._clusters: dict[int, _Cluster] = {}
        self._story_of: dict[str, int] = {}
        self._seq: dict[str, int] = {}
        self._partners: dict[str, set[str]] = {}
        self._ann = _Ann()
        self._expiry: list[tuple[float, int]] = []
        self._now: float | None = None
        self._next_key = 0
        self._touched: dict[int, tuple[list[str], list[str]]] = {}

    def __len__(self) -> int:
        return len(self._clusters)

    def add(self, articles: Sequence[Article], reuse: Iterable[Reuse] = ()) -> list[StoryChange]:
        """Place each article, in the given order, and report the stories that changed.

        Articles already in the index are ignored. Within one call IDF is
        still counted article by article, as in a stream.
        """
        self._touched = {}
        self._link(reuse)
        fresh = [a for a in dict((a.id, a) for a in articles).values() if a.id not in self._seq]
        for vector in self.featurizer.vectors(fresh, count=False):
            self._place(vector)
        for link in reuse:
            first = self._story_of.get(link.source_id)
            second = self._story_of.get(link.target_id)
            if first is not None and second is not None and first != second:
                self._fold(min(first, second), [max(first, second)])
        return self._changes()

    def consolidate(self) -> list[StoryChange]:
        """Merge stories whose centroids are close (the batch pass); report the merges."""
        self._touched = {}
        groups = UnionFind(sorted(self._clusters))
        margin = self.threshold + self.settings.story_merge_margin
        for key in sorted(self._clusters):
            cluster = self._clusters[key]
            for other in self._candidates(self._key_vector(cluster), cluster.first, cluster.last):
                if other != key and self._pair_score(cluster, self._clusters[other]) >= margin:
                    groups.union(key, other)
        for members in groups.components():
            if len(members) > 1:
                self._fold(min(members), sorted(members)[1:])
        return self._changes()

    def stories(self) -> tuple[Story, ...]:
        """The stories now, largest first (then oldest first); members in arrival order."""
        ordered = sorted(
            self._clusters.values(), key=lambda c: (-len(c.members), self._seq[c.members[0]])
        )
        return tuple(self._story(c) for c in ordered)

    def story_of(self, article_id: str) -> Story:
        """The story an article is in now (``KeyError`` if it was never added)."""
        return self._story(self._clusters[self._story_of[article_id]])

    def similarity(self, first: ArticleVector, second: ArticleVector) -> float:
        """The score of two articles as if one were a one-article story."""
        one, two = _Cluster(key=-1), _Cluster(key=-2)
        _absorb(one, first)
        _absorb(two, second)
        return self._pair_score(one, two)

    # -- placing one article ------------------------------------------------

    def _place(self, vector: ArticleVector) -> None:
        self._advance(vector.time)
        self._seq[vector.article_id] = len(self._seq)
        self.featurizer.idf.add(vector.terms)
        partners = {
            self._story_of[p]
            for p in self._partners.get(vector.article_id, ())
            if p in self._story_of
        }
        key = min(partners) if partners else self._best(vector)
        if key is None:
            key = self._new_cluster()
        self._join(key, vector)
        if len(partners) > 1:
            self._fold(key, sorted(partners - {key}))
        elif self.settings.story_online_merge and len(self._clusters[key].members) > 1:
            self._merge_neighbours(key)

    def _merge_neighbours(self, key: int) -> None:
        cluster = self._clusters[key]
        margin = self.threshold + self.settings.story_merge_margin
        close = [
            other
            for other in self._candidates(self._key_vector(cluster), cluster.first, cluster.last)
            if other != key and self._pair_score(cluster, self._clusters[other]) >= margin
        ]
        if close:
            keys = sorted([key, *close])
            self._fold(keys[0], keys[1:])

    def _best(self, vector: ArticleVector) -> int | None:
        probe = _Cluster(key=-1)
        _absorb(probe, vector)
        best, best_score = None, -math.inf
        for key in self._candidates(self._key_vector(probe), vector.time, vector.time):
            score = self._pair_score(probe, self._clusters[key])
            if score > best_score:
                best, best_score = key, score
        return best if best_score >= self.threshold else None

    def _candidates(self, query: np.ndarray, first: float | None, last: float | None) -> list[int]:
        keys = self._ann.search(query, self.settings.story_candidates)
        return sorted(k for k in keys if self._in_window(self._clusters[k], first, last))

    def _in_window(self, cluster: _Cluster, first: float | None, last: float | None) -> bool:
        if first is None or last is None or cluster.first is None or cluster.last is None:
            return True
        return first - cluster.last <= self.window and cluster.first - last <= self.window

    def _pair_score(self, first: _Cluster, second: _Cluster) -> float:
        tfidf = cosine(self._weighted(first), self._weighted(second))
        share = self.settings.story_embedding_weight
        english = _english(first) and _english(second)
        if first.embedding is not None and second.embedding is not None and english:
            embedding = _cosine(first.embedding, second.embedding)
        elif first.multilingual is not None and second.multilingual is not None:
            slope, intercept = self._calibration
            embedding = slope * _cosine(first.multilingual, second.multilingual) + intercept
            if not _share_language(first, second):
                share = self.settings.story_crosslingual_embedding_weight
        elif first.embedding is not None and second.embedding is not None:
            embedding = _cosine(first.embedding, second.embedding)
        else:
            return tfidf
        return share * embedding + (1 - share) * tfidf

    def _weighted(self, cluster: _Cluster) -> dict[str, float]:
        if cluster.weighted is None:
            cluster.weighted = self.featurizer.weigh(cluster.terms)
        return cluster.weighted

    def _key_vector(self, cluster: _Cluster) -> np.ndarray:
        dense = self.featurizer.dense(self._weighted(cluster))
        key = cluster.embedding
        if self.featurizer.multilingual is not None:
            key = cluster.multilingual
            if key is None:  # only for one-article probes in similarity()
                key = np.zeros(self.featurizer.multilingual.dimension, dtype=np.float32)
        if key is None:
            return dense
        share = self.settings.story_embedding_weight
        norm = max(float(np.linalg.norm(key)), 1e-12)
        return np.concatenate([math.sqrt(share) * key / norm, math.sqrt(1 - share) * dense]).astype(
            np.float32
        )

    # -- bookkeeping --------------------------------------------------------

    def _new_cluster(self) -> int:
        key = self._next_key
        self._next_key += 1
        self._clusters[key] = _Cluster(key=key)
        self._touched[key] = ([], [])
        return key

    def _join(self, key: int, vector: ArticleVector) -> None:
        cluster = self._clusters[key]
        self._touch(key)[1].append(vector.article_id)
        _absorb(cluster, vector, seq=self._seq[vector.article_id])
        self._story_of[vector.article_id] = key
        if cluster.last is not None:
            heapq.heappush(self._expiry, (cluster.last, key))
        self._reindex(cluster)

    def _fold(self, key: int, others: Sequence[int]) -> None:
        survivor = self._clusters[key]
        self._touch(key)
        for other in others:
            absorbed = self._clusters.pop(other)
            before, added = self._touched.pop(other, ([story_id(absorbed.members)], []))
            self._touched[key][0].extend(before)
            self._touched[key][1].extend(added)
            self._ann.remove(absorbed.ann_key)
            _merge_into(survivor, absorbed)
            for article_id in absorbed.members:
                self._story_of[article_id] = key
        survivor.members.sort(key=self._seq.__getitem__)
        survivor.indexed_size = 0
        self._reindex(survivor)

    def _touch(self, key: int) -> tuple[list[str], list[str]]:
        if key not in self._touched:
            self._touched[key] = ([story_id(self._clusters[key].members)], [])
        return self._touched[key]

    def _reindex(self, cluster: _Cluster) -> None:
        if len(cluster.terms) > 2 * MAX_CENTROID_TERMS:
            cluster.terms = _top_terms(cluster.terms, MAX_CENTROID_TERMS)
        cluster.weighted = None
        if len(cluster.members) < REINDEX_GROWTH * cluster.indexed_size:
            return
        self._ann.remove(cluster.ann_key)
        cluster.ann_key = self._ann.add(cluster.key, self._key_vector(cluster))
        cluster.indexed_size = len(cluster.members)

    def _advance(self, time: float | None) -> None:
        if time is None:
            return
        self._now = time if self._now is None else max(self._now, time)
        while self._expiry and self._expiry[0][0] < self._now - self.window:
            last, key = heapq.heappop(self._expiry)
            cluster = self._clusters.get(key)
            if cluster is not None and cluster.last == last and cluster.ann_key is not None:
                self._ann.remove(cluster.ann_key)
                cluster.ann_key = None
                cluster.terms = _top_terms(cluster.terms, EXPIRED_CENTROID_TERMS)
                cluster.weighted = None

    def _link(self, reuse: Iterable[Reuse]) -> None:
        for link in reuse:
            self._partners.setdefault(link.source_id, set()).add(link.target_id)
            self._partners.setdefault(link.target_id, set()).add(link.source_id)

    def _changes(self) -> list[StoryChange]:
        changes = []
        for key in sorted(self._touched):
            if key not in self._clusters:
                continue
            before, added = self._touched[key]
            kind: Literal["new", "grown", "merged"] = (
                "new" if not before else "merged" if len(before) > 1 else "grown"
            )
            story = self._story(self._clusters[key])
            changes.append(
                StoryChange(kind=kind, story=story, previous_ids=tuple(before), added=tuple(added))
            )
        self._touched = {}
        return changes

    def _story(self, cluster: _Cluster) -> Story:
        timeline = sorted(cluster.timeline)
        dated = [t for t in timeline if t[0] != math.inf]
        return Story(
            id=story_id(cluster.members),
            title=self._central_title(cluster),
            article_ids=tuple(cluster.members),
            key_entities=_key_entities(cluster.entities),
            first_seen=dated[0][2] if dated else None,
            last_seen=dated[-1][2] if dated else None,
            outlet_count=len(cluster.outlets),
            timeline=tuple((published, article_id) for _, _, published, article_id in timeline),
        )

    def _central_title(self, cluster: _Cluster) -> str:
        centroid = self._weighted(cluster)
        best, best_score = cluster.members[0], -1.0
        for article_id in cluster.members:
            terms = cluster.titles[article_id][1]
            score = sum(centroid.get(t, 0.0) for t in terms) / math.sqrt(len(terms) or 1)
            if score > best_score:
                best, best_score = article_id, score
        return cluster.titles[best][0]


class _Ann:
    """usearch HNSW index over story key vectors; a story's old vector is removed on update."""

    def __init__(self) -> None:
        self._index: Any = None
        self._owner: dict[int, int] = {}
        self._next = 0

    def add(self, story_key: int, vector: np.ndarray) -> int:
        if self._index is None:
            from usearch.index import Index

            self._index = Index(ndim=len(vector), metric="ip", dtype="f32")
        ann_key = self._next
        self._next += 1
        self._index.add(ann_key, vector, threads=1)
        self._owner[ann_key] = story_key
        return ann_key

    def remove(self, ann_key: int | None) -> None:
        if ann_key is not None and self._owner.pop(ann_key, None) is not None:
            self._index.remove(ann_key)

    def search(self, vector: np.ndarray, count: int) -> list[int]:
        if not self._owner:
            return []
        found = self._index.search(vector, count, threads=1)
        return [self._owner[int(k)] for k in found.keys if int(k) in self._owner]


def _absorb(cluster: _Cluster, vector: ArticleVector, *, seq: int = 0) -> None:
    cluster.members.append(vector.article_id)
    for term, weight in vector.terms.items():
        cluster.terms[term] = cluster.terms.get(term, 0.0) + weight
    if vector.embedding is not None:
        embedding = np.asarray(vector.embedding, dtype=np.float32)
        cluster.embedding = (
            embedding.copy() if cluster.embedding is None else cluster.embedding + embedding
        )
    if vector.multilingual is not None:
        crossing = np.asarray(vector.multilingual, dtype=np.float32)
        cluster.multilingual = (
            crossing.copy() if cluster.multilingual is None else cluster.multilingual + crossing
        )
    cluster.languages.add(vector.language or None)
    cluster.weighted = None
    cluster.entities.update(vector.entities)
    if vector.outlet:
        cluster.outlets.add(vector.outlet)
    time = math.inf if vector.time is None else vector.time
    cluster.timeline.append((time, seq, vector.published or "", vector.article_id))
    cluster.titles[vector.article_id] = (vector.title, vector.title_terms)
    if vector.time is not None:
        cluster.first = vector.time if cluster.first is None else min(cluster.first, vector.time)
        cluster.last = vector.time if cluster.last is None else max(cluster.last, vector.time)


def _merge_into(survivor: _Cluster, other: _Cluster) -> None:
    survivor.members.extend(other.members)
    for term, weight in other.terms.items():
        survivor.terms[term] = survivor.terms.get(term, 0.0) + weight
    if other.embedding is not None:
        survivor.embedding = (
            other.embedding.copy()
            if survivor.embedding is None
            else survivor.embedding + other.embedding
        )
    if other.multilingual is not None:
        survivor.multilingual = (
            other.multilingual.copy()
            if survivor.multilingual is None
            else survivor.multilingual + other.multilingual
        )
    survivor.languages |= other.languages
    survivor.entities.update(other.entities)
    survivor.outlets |= other.outlets
    survivor.timeline.extend(other.timeline)
    survivor.titles.update(other.titles)
    times = [t for t in (survivor.first, other.first, survivor.last, other.last) if t is not None]
    survivor.first = min(times) if times else None
    survivor.last = max(times) if times else None


def _cosine(first: np.ndarray, second: np.ndarray) -> float:
    norms = float(np.linalg.norm(first) * np.linalg.norm(second))
    return float(first @ second / max(norms, 1e-12))


def _english(cluster: _Cluster) -> bool:
    return all(is_english(language) for language in cluster.languages)


def _share_language(first: _Cluster, second: _Cluster) -> bool:
    """Whether the two have a language in common (an unknown language matches any)."""
    return (
        None in first.languages
        or None in second.languages
        or bool(first.languages & second.languages)
    )


def _top_terms(terms: dict[str, float], count: int) -> dict[str, float]:
    return dict(sorted(terms.items(), key=lambda t: (-t[1], t[0]))[:count])


def _key_entities(entities: Counter[str]) -> tuple[str, ...]:
    by_name: dict[str, Counter[str]] = {}
    for name, count in entities.items():
        by_name.setdefault(name.casefold(), Counter())[name] += count
    ranked = sorted(by_name.values(), key=lambda c: (-c.total(), min(c)))
    return tuple(min(c, key=lambda n: (-c[n], n)) for c in ranked[:KEY_ENTITIES])


def group_stories(
    articles: Sequence[Article],
    reuse: Sequence[Reuse] = (),
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    entities: EntityExtractor | None = None,
    multilingual: Embedder | None = None,
    idf: OnlineIdf | None = None,
) -> tuple[Story, ...]:
    """Return the stories of ``articles``, largest first, each article in exactly one.

    Runs the online pass in (publication time, id) order, then the batch
    merge pass. Without ``embedder``/``entities`` the default models are
    used when ``settings.story_embeddings``/``story_entities`` say so; the
    multilingual embedder is used when ``settings.story_multilingual`` says
    so and some article is not in English (as ingest detected it).
    Articles linked by ``reuse`` always share a story. ``idf``, when given,
    is counted on from where it stands (background document frequencies)
    and is left holding those of ``articles`` too.
    """
    settings = settings or Settings()
    models = _models(articles, settings, embedder, entities, multilingual)
    index = StoryIndex(settings=settings, idf=idf, **models)
    return _ordered(articles, _online_and_batch(index, articles, reuse))


def regroup_stories(
    articles: Sequence[Article],
    reuse: Sequence[Reuse],
    previous: Sequence[Story],
    changed: Iterable[str],
    *,
    idf: OnlineIdf,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    entities: EntityExtractor | None = None,
    multilingual: Embedder | None = None,
) -> tuple[Story, ...]:
    """The stories of ``articles`` after an update, regrouping only what it can reach.

    ``previous`` are the stories of the articles before the update and
    ``idf`` their document frequencies (``group_stories`` leaves them in its
    ``idf``); ``changed`` are the articles the update added or changed. A
    previous story is grouped again when it holds a changed article or one
    linked by ``reuse`` to a changed article, or an article published less
    than ``story_window_hours`` before the first changed one (or undated):
    only those can take a changed article in the online pass or merge with
    its story. The other stories are kept as they were. The regrouped
    articles (and any in no previous story) go through the online and batch
    passes with IDF counted on from the document frequencies of the kept
    articles. When every story is reached (or a changed article is undated)
    this is ``group_stories`` of all ``articles``. ``idf`` is left holding
    the document frequencies of all ``articles``.
    """
    settings = settings or Settings()
    by_id = {a.id: a for a in articles}
    changed = {i for i in changed if i in by_id}
    touched = changed | {
        i for r in reuse if {r.source_id, r.target_id} & changed for i in (r.source_id, r.target_id)
    }
    times = [_epoch_of(by_id[i]) for i in changed]
    if None in times:
        kept: list[Story] = []
    else:
        start = min(times, default=math.inf) - settings.story_window_hours * 3600.0

        def reached(story: Story) -> bool:
            members = [by_id.get(i) for i in story.article_ids]
            if any(m is None or m.id in touched for m in members):
                return True
            return any((t := _epoch_of(m)) is None or t >= start for m in members if m)

        kept = [s for s in previous if not reached(s)]
    kept_ids = {i for s in kept for i in s.article_ids}
    if not kept:
        idf.frequency.clear()
        idf.documents = 0
    regrouped = [a for a in articles if a.id not in kept_ids]
    models = _models(regrouped, settings, embedder, entities, multilingual)
    index = StoryIndex(settings=settings, idf=idf, **models)
    was_grouped = {i for s in previous for i in s.article_ids}
    if kept:
        again = [a for a in regrouped if a.id in was_grouped]
        for vector in index.featurizer.vectors(again, count=False):
            idf.remove(vector.terms)
    links = [r for r in reuse if r.source_id not in kept_ids and r.target_id not in kept_ids]
    stories = [*kept, *_online_and_batch(index, regrouped, links)]
    return _ordered(articles, stories)


def _models(
    articles: Sequence[Article],
    settings: Settings,
    embedder: Embedder | None,
    entities: EntityExtractor | None,
    multilingual: Embedder | None,
) -> dict[str, Any]:
    """The story models the settings call for, defaults where none is given."""
    if embedder is None and settings.story_embeddings:
        embedder = default_embedder()
    if entities is None and settings.story_entities:
        entities = default_entities()
    if (
        multilingual is None
        and settings.story_embeddings
        and settings.story_multilingual
        and not all(is_english(a.language) for a in articles)
    ):
        multilingual = default_multilingual()
    return {"embedder": embedder, "entities": entities, "multilingual": multilingual}


def _online_and_batch(
    index: StoryIndex, articles: Sequence[Article], reuse: Sequence[Reuse]
) -> tuple[Story, ...]:
    index.add(sorted(articles, key=_stream_order), reuse)
    index.consolidate()
    return index.stories()


def _ordered(articles: Sequence[Article], stories: Iterable[Story]) -> tuple[Story, ...]:
    """Stories with their members in input order, largest first, then by first member."""
    order = {a.id: i for i, a in enumerate(articles)}
    ordered = [
        _with_members(s, tuple(sorted(s.article_ids, key=order.__getitem__))) for s in stories
    ]
    return tuple(sorted(ordered, key=lambda s: (-len(s.article_ids), order[s.article_ids[0]])))


@functools.cache
def default_embedder() -> Embedder:
    """The shared MiniLM embedder, loaded once per process.

    Held at module level on purpose: loading the models costs seconds and
    they hold no state that changes results (only a cache of vectors).
    """
    return MiniLMEmbedder()


@functools.cache
def default_multilingual() -> Embedder:
    """The shared multilingual-e5-small embedder, loaded once per process (see above)."""
    return E5Embedder()


@functools.cache
def default_entities() -> EntityExtractor:
    """The shared spaCy entity extractor, loaded once per process (see above)."""
    return SpacyEntities()


def _stream_order(article: Article) -> tuple[bool, float, str]:
    time = _epoch_of(article)
    return (time is None, time or 0.0, article.id)


def _epoch_of(article: Article) -> float | None:
    parsed = parse_time(article.published)
    return parsed.timestamp() if parsed else None


def _with_members(story: Story, members: tuple[str, ...]) -> Story:
    return replace(story, article_ids=members)
