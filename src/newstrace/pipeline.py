"""Run the stages in order and collect what they find into a ``Brief``.

``analyze(paths)`` is the whole pipeline; ``analyze_articles(articles)``
starts after ingest, for articles built in Python. Per-article stages
(clean, segment, attribution) run article by article: an article that makes
a stage fail is recorded as ``Skipped`` and the rest of the batch goes on.
A ``progress(stage, done, total)`` callback, when given, is told how far
each stage has got.

``ingest_store(store, paths)`` and ``analyze_store(store)`` do the same with a
``newstrace.store`` project: ingest adds articles idempotently, analysis
re-uses the per-article and per-pair results earlier runs stored.
"""

from __future__ import annotations

import hashlib
import json
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
import numpy as np

from ._gc import gc_paused
from ._storyvec import EntityExtractor, OnlineIdf
from ._templates import TemplateCounts
from .attribution import extract_attribution
from .claims import group_claims
from .clean import Templates, clean_article, learn_templates, template_lines_in
from .config import Settings
from .corroborate import corroborate, provenance_graph
from .embed import CachingEmbedder, Embedder, MiniLMEmbedder
from .ingest import ingest
from .model import Article, Brief, Citation, Claim, Quote, Reuse, Sentence, Skipped, Story
from .quality import find_flags
from .reuse import (
    add_rewrites,
    find_reuse,
    infer_upstreams,
    pairs_of_signatures,
    prune_redundant,
)
from .segment import segment
from .stories import default_multilingual, group_stories, regroup_stories

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only when a store is used
    from .store import Store

Progress = Callable[[str, int, int], None]
R = TypeVar("R")

STAGES = (
    "ingest",
    "clean",
    "segment",
    "reuse",
    "stories",
    "attribution",
    "claims",
    "corroborate",
    "quality",
)


def analyze(
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Brief:
    """Read the articles under ``paths`` and run every stage on them."""
    settings = settings or Settings()
    paths = list(paths)
    result = ingest(paths, settings=settings)
    _tell(progress, "ingest", len(paths), len(paths))
    return analyze_articles(
        result.articles, settings=settings, progress=progress, skipped=result.skipped
    )


@gc_paused()  # the stages make no reference cycles; collections would walk them all
def analyze_articles(
    articles: Sequence[Article],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    skipped: Sequence[Skipped] = (),
) -> Brief:
    """Run every stage after ingest on ``articles``."""
    settings = settings or Settings()
    skips = list(skipped)
    templates = learn_templates(articles, settings=settings)  # lines an outlet repeats
    budget = settings.max_article_seconds
    cleaned = _each(
        articles,
        "clean",
        lambda a: clean_article(a, settings=settings, templates=templates),
        skips,
        progress,
        budget=budget,
    )
    cleaned = [a for a in cleaned if a.text.strip() or _skip(skips, a, "clean", "nothing left")]
    sentences = dict(
        zip(
            [a.id for a in cleaned],
            _each(cleaned, "segment", segment, skips, progress, keep_failed=True, budget=budget),
            strict=True,
        )
    )
    sentences = _cap_sentences(cleaned, sentences, settings, skips)
    embedder = MiniLMEmbedder()  # one model and one vector cache for every stage of the run
    reuse = find_reuse(
        cleaned,
        sentences,
        settings=settings,
        embedder=embedder,
        multilingual=default_multilingual(),
    )
    _tell(progress, "reuse", 1, 1)
    story_embedder = embedder if settings.story_embeddings else None
    stories = group_stories(cleaned, reuse, settings=settings, embedder=story_embedder)
    _tell(progress, "stories", 1, 1)
    quotes, citations = _attribution(cleaned, sentences, settings, skips, progress)
    sentences = _without_over_budget(cleaned, sentences, skips)
    languages = {a.id: a.language for a in cleaned}
    claims = group_claims(
        sentences, reuse, stories, settings=settings, embedder=embedder, languages=languages
    )
    _tell(progress, "claims", 1, 1)
    return _finish(
        cleaned, sentences, reuse, stories, quotes, citations, claims, skips, settings, progress
    )


def _finish(
    cleaned: Sequence[Article],
    sentences: dict[str, tuple[Sentence, ...]],
    reuse: Sequence[Reuse],
    stories: Sequence[Story],
    quotes: Sequence[Quote],
    citations: Sequence[Citation],
    claims: Sequence[Claim],
    skips: Sequence[Skipped],
    settings: Settings,
    progress: Progress | None,
) -> Brief:
    """Corroborate, flag, and collect everything into the ``Brief``."""
    claims = corroborate(claims, cleaned, reuse, quotes, citations, settings=settings)
    upstreams = infer_upstreams(reuse)
    graph_nodes, graph_edges = provenance_graph(cleaned, reuse, citations, claims, upstreams)
    _tell(progress, "corroborate", 1, 1)
    flags = find_flags(cleaned, reuse, quotes)
    _tell(progress, "quality", 1, 1)
    return Brief(
        articles=tuple(cleaned),
        sentences=tuple(s for a in cleaned for s in sentences[a.id]),
        reuse=tuple(reuse),
        stories=tuple(stories),
        quotes=tuple(quotes),
        citations=tuple(citations),
        claims=claims,
        flags=flags,
        skipped=tuple(skips),
        graph_nodes=graph_nodes,
        graph_edges=graph_edges,
        upstreams=upstreams,
    )


def _attribution(
    articles: Sequence[Article],
    sentences: dict[str, tuple[Sentence, ...]],
    settings: Settings,
    skips: list[Skipped],
    progress: Progress | None,
) -> tuple[list[Quote], list[Citation]]:
    results = _each(
        articles,
        "attribution",
        lambda a: extract_attribution(a, sentences[a.id], settings=settings),
        skips,
        progress,
        keep_failed=True,
        budget=settings.max_article_seconds,
    )
    quotes = [q for result in results if result for q in result[0]]
    citations = [c for result in results if result for c in result[1]]
    return quotes, citations


def _each(
    articles: Sequence[Article],
    stage: str,
    function: Callable[[Article], R],
    skips: list[Skipped],
    progress: Progress | None,
    *,
    keep_failed: bool = False,
    budget: float = 0.0,
) -> list[Any]:
    """Apply ``function`` to each article; record failures as skipped.

    With ``keep_failed`` a failed article yields an empty tuple (it stays in
    the run with nothing found by this stage); otherwise it is dropped. An
    article that takes longer than ``budget`` seconds fails (see ``time_budget``).
    """
    results: list[Any] = []
    for done, article in enumerate(articles, 1):
        try:
            with time_budget(budget):
                result = function(article)
            results.append(result)
        except Exception as exc:  # one bad article must not stop the batch
            _skip(skips, article, stage, f"{type(exc).__name__}: {exc}")
            if keep_failed:
                results.append(())
        _tell(progress, stage, done, len(articles))
    return results


_BUDGET_RETRY_SECONDS = 0.05


class OverBudget(Exception):  # noqa: N818 (the name is the skip reason's prefix)
    """An article took longer than ``Settings.max_article_seconds`` in one stage."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``OverBudget`` in the block once it has run ``seconds``.

    Uses SIGALRM, so it is enforced only in the main thread on POSIX (the CLI);
    elsewhere (the web app's worker threads, Dask workers) it does nothing and
    the size caps (``max_article_chars``, ``max_article_sentences``) bound the work.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise OverBudget(f"took longer than {seconds:g} s (max_article_seconds)")

    previous = signal.signal(signal.SIGALRM, expire)
    # The alarm repeats until the block ends: an exception raised inside a
    # garbage-collector callback or a __del__ is swallowed by Python, and a
    # single alarm landing there would leave the block unbounded.
    signal.setitimer(signal.ITIMER_REAL, seconds, _BUDGET_RETRY_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _over_budget(result: Any) -> bool:
    return str(result.get("skipped", "")).startswith(OverBudget.__name__)


def _without_over_budget(
    articles: Sequence[Article], sentences: dict[str, tuple[Sentence, ...]], skips: list[Skipped]
) -> dict[str, tuple[Sentence, ...]]:
    """The sentences, less those of articles that went over their time budget: the
    later stages (claims, their embeddings) do not spend more time on them."""
    over = {s.source for s in skips if s.reason.startswith(OverBudget.__name__)}
    if not over:
        return sentences
    return {a.id: () if a.source_path in over else sentences[a.id] for a in articles}


def _cap_sentences(
    articles: Sequence[Article],
    sentences: dict[str, tuple[Sentence, ...]],
    settings: Settings,
    skips: list[Skipped],
) -> dict[str, tuple[Sentence, ...]]:
    """Keep the first ``max_article_sentences`` of each article, saying where it cut."""
    cap = settings.max_article_sentences
    for article in articles:
        found = sentences[article.id]
        if len(found) > cap:
            sentences[article.id] = found[:cap]
            reason = (
                f"only the first {cap:,} of {len(found):,} sentences analyzed "
                f"(max_article_sentences); the text after offset {found[cap].start:,} was not"
            )
            _skip(skips, article, "segment", reason)
    return sentences


def _skip(skips: list[Skipped], article: Article, stage: str, reason: str) -> bool:
    skips.append(Skipped(source=article.source_path, stage=stage, reason=reason))
    return False


def _tell(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


# --- the store: incremental ingest and analysis --------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreIngest:
    """What ``ingest_store`` did: articles added, already present, inputs skipped."""

    added: int
    already_present: int
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreAnalysis:
    """What ``analyze_store`` found and how much of it was recomputed.

    ``new_articles`` were analyzed for the first time; ``changed_stories``
    are stories that are new or whose membership changed since the stored
    analysis, ``dropped_stories`` are stored stories that no longer exist
    (their articles joined another story). ``recomputed`` counts, per stage,
    the articles (or article pairs, for ``reuse``) actually computed rather
    than read from the store; for ``embeddings`` (MiniLM) and
    ``multilingual_embeddings`` (multilingual-e5-small), the sentence vectors.
    """

    brief: Brief
    new_articles: tuple[str, ...]
    changed_stories: tuple[str, ...]
    dropped_stories: tuple[str, ...]
    recomputed: dict[str, int]


def ingest_store(
    store: Store,
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    batch_size: int = 100,
    progress: Progress | None = None,
) -> StoreIngest:
    """Read the articles under ``paths`` into ``store``, ``batch_size`` per transaction.

    Idempotent: articles already stored (same content id) are counted, not
    added again. A run killed at any moment leaves whole batches only; run
    again, it adds exactly what is missing.
    """
    settings = settings or Settings()
    result = ingest(list(paths), settings=settings)
    added = present = 0
    articles = result.articles
    for start in range(0, len(articles), batch_size):
        counts = store.add_articles(articles[start : start + batch_size])
        added, present = added + counts.added, present + counts.already_present
        _tell(progress, "ingest", min(start + batch_size, len(articles)), len(articles))
    return StoreIngest(added=added, already_present=present, skipped=result.skipped)


def settings_key(settings: Settings) -> str:
    """A digest of the settings (and the code version) that stage caches are keyed by."""
    from . import __version__

    text = f"{__version__}|{sorted(asdict(settings).items())}"
    return hashlib.sha1(text.encode()).hexdigest()[:16]


@gc_paused()
def analyze_store(
    store: Store,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    client: Any = None,
) -> StoreAnalysis:
    """Analyze every article in ``store``, re-using what earlier runs stored.

    Re-used from the store when the settings are unchanged: the cleaned text
    of every article whose template lines (those of its outlet's that it
    contains; templates are learned over the whole store) did not change, the
    sentences, quotes and citations of
    every article whose cleaned text did not change, the reuse comparison of
    every candidate pair whose two texts did not change, sentence embeddings,
    and the claims of every story whose articles and texts did not change;
    when no article was added since the last analysis, the stored brief
    itself. Recomputed when something is new: the template lines of every
    outlet (from the line counts the last run kept, with the new articles
    added), the candidate search of the new and changed articles, paraphrase
    ("rewritten") comparisons (from stored embeddings), the pruning of the
    groups of linked articles they reach, the stories they can reach,
    corroboration, provenance graph and quality flags. The result equals
    ``analyze_articles(store.articles())`` and is saved as the stored brief.

    With a ``dask.distributed`` ``client`` (see ``dask_client``), cleaning and
    segmentation of the articles that need it run on the cluster as a Dask
    bag; the result is the same.
    """
    settings = settings or Settings()
    key = settings_key(settings)
    run = _StoreRun(store, settings, key, progress, client)
    same_settings = store.get_meta("analysis_key") == key
    previous = {s.id: s for s in store.stories()} if same_settings else {}
    contents = _digest(store.article_ids())
    if same_settings and store.get_meta("analyzed_articles") == contents:
        brief = store.load_brief()
        return StoreAnalysis(
            brief=brief, new_articles=(), changed_stories=(), dropped_stories=(), recomputed={}
        )
    brief = run.analyze(previous)
    run.save(brief, contents)
    current = {s.id for s in brief.stories}
    return StoreAnalysis(
        brief=brief,
        new_articles=tuple(a.id for a in brief.articles if a.id in run.first_time),
        changed_stories=tuple(s.id for s in brief.stories if s.id not in previous),
        dropped_stories=tuple(i for i in previous if i not in current),
        recomputed=run.recomputed,
    )


class _StoredEmbedder(CachingEmbedder):
    """An embedder whose vectors are read from, and saved to, the store, under
    keys that start with ``prefix`` (one per model)."""

    def __init__(self, inner: Embedder, store: Store, prefix: str = "minilm") -> None:
        self.inner, self.store, self.prefix = inner, store, prefix
        self.dimension, self.languages, self.name = inner.dimension, inner.languages, inner.name
        self.calibration = getattr(inner, "calibration", (1.0, 0.0))
        self._cache: dict[str, np.ndarray] = {}
        self.fresh: dict[str, bytes] = {}

    def _fill(self, texts: Sequence[str]) -> list[str]:
        """The key of each text, after reading the stored vectors of those not
        known yet and embedding the rest in one call."""
        keys = [_vector_key(t, self.prefix) for t in texts]
        self._read_stored(dict.fromkeys(keys))
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}
        if todo:
            for key, vector in zip(todo, self.inner.embed(list(todo.values())), strict=True):
                self._cache[key] = vector
                self.fresh[key] = vector.astype(np.float32).tobytes()
        return keys

    def prefetch(self, texts: Sequence[str], compute: Callable[[list[str]], list[bytes]]) -> None:
        """Have the vectors of ``texts`` ready: stored ones read, the rest made by
        ``compute`` (given the distinct missing texts, in the order ``embed`` batches them)."""
        from .store._dask import embedding_order

        by_key = {_vector_key(t, self.prefix): t for t in texts}
        self._read_stored(by_key)
        todo = embedding_order([t for k, t in by_key.items() if k not in self._cache])
        for text, data in zip(todo, compute(todo) if todo else [], strict=True):
            key = _vector_key(text, self.prefix)
            self._cache[key] = np.frombuffer(data, dtype=np.float32)
            self.fresh[key] = data

    def _read_stored(self, keys: Iterable[str]) -> None:
        """Read into the cache the stored vectors of those of ``keys`` not in it yet."""
        wanted = [k for k in keys if k not in self._cache]
        for key, data in (self.store.vectors(wanted) if wanted else {}).items():
            self._cache[key] = np.frombuffer(data, dtype=np.float32)

    def save(self) -> int:
        """Store the vectors computed in this run; return how many."""
        count = len(self.fresh)
        self.store.add_vectors(self.fresh)
        self.fresh = {}
        return count


def _vector_key(text: str, prefix: str) -> str:
    """The store's key of a text's vector by the model ``prefix`` names."""
    return f"{prefix}-" + hashlib.sha1(text.encode()).hexdigest()


@contextmanager
def dask_client(address: str, *, workers: int = 2, processes: bool = True) -> Iterator[Any]:
    """A ``dask.distributed`` client for ``address``, or for a ``LocalCluster`` of
    ``workers`` single-threaded workers (processes, unless ``processes=False``)
    when ``address`` is ``local``."""
    from distributed import Client, LocalCluster

    if address != "local":
        with Client(address) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=":0",  # any free port: 8787 may be taken
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


class _StoreRun:
    """One incremental analysis: the stages of ``analyze_articles`` with store caches."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        key: str,
        progress: Progress | None,
        client: Any = None,
    ) -> None:
        self.store, self.settings, self.key, self.progress = store, settings, key, progress
        self.client = client  # a dask.distributed Client: clean and segment run on it
        self.skips: list[Skipped] = []
        self.recomputed: dict[str, int] = {}
        self.embedder = _StoredEmbedder(MiniLMEmbedder(), store)
        self.multilingual = _StoredEmbedder(default_multilingual(), store, prefix="e5")
        self.first_time: set[str] = set()  # articles never cleaned before this run
        self.recleaned: set[str] = set()  # articles whose cleaned text was (re)computed
        self.cleaned: list[Article] = []  # those of them cleaned, saved with the brief
        self.clean_keys: dict[str, str] = {}
        self.sentences: dict[str, tuple[Sentence, ...]] = {}
        self.linked_pairs: list[tuple[str, str]] = []  # candidate pairs that gave a link
        self.kept_pairs: list[tuple[str, str]] = []  # those of them whose link pruning kept
        self.encoded_links: list[tuple[Reuse, Any]] = []  # each link with its stored data
        self.idf = OnlineIdf()  # document frequencies of the story stage
        self.template_counts = TemplateCounts()  # the template learning of the store
        self.made_keys: dict[str, tuple[str, str]] = {}  # article id: (text, its cache key)

    def analyze(self, previous: dict[str, Story]) -> Brief:
        """The stages of ``analyze_articles`` (keep the two in step: a test compares them)."""
        cleaned = self.clean(list(self.store.articles()))
        sentences = self.segment(cleaned)
        reuse = self.reuse(cleaned)
        stories = self.stories(cleaned, reuse, previous)
        quotes, citations = self.attribution(cleaned, sentences)
        sentences = _without_over_budget(cleaned, sentences, self.skips)
        claims = self.claims(sentences, reuse, stories, previous, cleaned)
        brief = _finish(
            cleaned,
            sentences,
            reuse,
            stories,
            quotes,
            citations,
            claims,
            self.skips,
            self.settings,
            self.progress,
        )
        self.recomputed["embeddings"] = self.embedder.save()
        if made := self.multilingual.save():
            self.recomputed["multilingual_embeddings"] = made
        return brief

    def clean(self, articles: list[Article]) -> list[Article]:
        """Clean the articles whose settings or outlet templates changed since last time."""
        state = self.previous_state("template_counts")
        self.template_counts = (
            TemplateCounts.from_data(state["counts"]) if state else TemplateCounts()
        )
        self.template_counts.add(articles)
        templates = self.template_counts.templates(self.settings)
        wanted = {a.id: _clean_key(self.key, template_lines_in(a, templates)) for a in articles}
        stored = self.store.clean_keys()
        self.first_time = {i for i in wanted if stored.get(i) is None}
        todo = [_as_raw(a) for a in articles if stored.get(a.id) != wanted[a.id]]
        results = self.map("clean", partial(_clean_one, self.settings, templates), todo)
        done = []
        for article, (ok, value) in zip(todo, results, strict=True):
            if ok:
                done.append(value)
            else:
                _skip(self.skips, article, "clean", value)
        self.cleaned, self.clean_keys = done, wanted
        self.recleaned = {a.id for a in todo}
        self.recomputed["clean"] = len(todo)
        fresh = {a.id: a for a in done}
        failed = {a.id for a in todo} - set(fresh)
        cleaned = [fresh.get(a.id, a) for a in articles if a.id not in failed]
        _tell(self.progress, "clean", len(articles), len(articles))
        return [
            a for a in cleaned if a.text.strip() or _skip(self.skips, a, "clean", "nothing left")
        ]

    def segment(self, articles: list[Article]) -> dict[str, tuple[Sentence, ...]]:
        """The sentences of ``articles`` (stored, else made and stored; kept for the run)."""
        from .store._records import sentences_from_data

        todo = [a for a in articles if a.id not in self.sentences]
        if todo:
            data = self.cached("segment", todo, _segment_one)
            found = {a.id: sentences_from_data(data[a.id].get("ok", ())) for a in todo}
            self.sentences |= _cap_sentences(todo, found, self.settings, self.skips)
        return {a.id: self.sentences[a.id] for a in articles if a.id in self.sentences}

    def save(self, brief: Brief, contents: str) -> None:
        """Store ``brief`` with the cleaned texts and what the next run starts from,
        in one transaction: a run killed before leaves all of them as they were."""
        frequency = {t: n for t, n in self.idf.frequency.items() if n > 0}
        state = {
            "analyzed_articles": contents,
            "reuse_links": json.dumps(
                {"articles": contents, "pairs": self.linked_pairs, "kept": self.kept_pairs}
            ),
            "story_idf": json.dumps(
                {"articles": contents, "documents": self.idf.documents, "frequency": frequency}
            ),
            "template_counts": msgspec.json.encode(
                {"articles": contents, "counts": self.template_counts.to_data()}
            ).decode(),
        }
        self.store.save_brief(
            brief,
            settings_key=self.key,
            cleaned=self.cleaned,
            clean_keys=self.clean_keys,
            meta=state,
            encoded=self.encoded_links,
            text_keys=self.text_keys(brief.articles),
        )

    def text_keys(self, articles: Sequence[Article]) -> dict[str, str]:
        """``cache_key`` of each article's text, each made once a run."""
        from .store import cache_key

        keys = {}
        for article in articles:
            made = self.made_keys.get(article.id)
            if made is None or made[0] is not article.text:
                made = self.made_keys[article.id] = (
                    article.text,
                    cache_key(self.key, article.text),
                )
            keys[article.id] = made[1]
        return keys

    def previous_state(self, name: str) -> dict[str, Any] | None:
        """What the last analysis left under ``name`` (``reuse_links``, ``story_idf``),
        or ``None`` when it was made with other settings or is not the last one."""
        if self.store.get_meta("analysis_key") != self.key:
            return None
        text = self.store.get_meta(name)
        state = msgspec.json.decode(text) if text else None
        if state is None or state.get("articles") != self.store.get_meta("analyzed_articles"):
            return None
        return state

    def attribution(
        self, articles: list[Article], sentences: dict[str, tuple[Sentence, ...]]
    ) -> tuple[list[Quote], list[Citation]]:
        from .store import _dask
        from .store._codec import decode

        data = self.cached(
            "attribution",
            articles,
            partial(_dask.attribution, self.settings),
            pack=lambda a: (a, sentences[a.id]),
        )
        found = [data[a.id].get("ok", ([], [])) for a in articles]
        quotes = [q for f in found for q in decode(tuple[Quote, ...], f[0])]
        citations = [c for f in found for c in decode(tuple[Citation, ...], f[1])]
        return quotes, citations

    def cached(
        self,
        stage: str,
        articles: list[Article],
        compute: Callable[[Article], Any] | Callable[[list[Any]], list[tuple[bool, Any]]],
        *,
        local: bool = False,
        pack: Callable[[Article], Any] | None = None,
    ) -> dict[str, Any]:
        """Per-article results of ``stage``: stored ones, the rest computed and stored.

        With ``pack``, ``compute`` takes a partition of ``pack(article)`` items and
        returns ``(ok, result)`` for each (see ``store._dask``)."""
        from .store._dask import run_partitions

        keys = self.text_keys(articles)
        data = self.store.cached(stage, keys=keys)
        todo = [a for a in articles if a.id not in data]
        if pack is None:
            results = self.map(stage, compute, todo, local=local)  # type: ignore[arg-type]
        else:
            results = run_partitions(self.client, compute, [pack(a) for a in todo])
            _tell(self.progress, stage, len(todo), len(todo))
        fresh = {
            a.id: value if ok else {"skipped": value}
            for a, (ok, value) in zip(todo, results, strict=True)
        }
        # an article over its time budget may fit another time: not stored as skipped
        self.store.cache(stage, {i: v for i, v in fresh.items() if not _over_budget(v)}, keys=keys)
        data |= fresh
        for article in articles:
            if "skipped" in data[article.id]:
                _skip(self.skips, article, stage, data[article.id]["skipped"])
        self.recomputed[stage] = len(todo)
        return data

    def map(
        self,
        stage: str,
        function: Callable[[Article], Any],
        items: list[Article],
        *,
        local: bool = False,
    ) -> list[tuple[bool, Any]]:
        """``(True, function(item))`` or ``(False, reason)`` for each item, in order:
        on the Dask client in bounded partitions when there is one
        (``store._dask.run_partitions``), else here."""
        from .store._dask import run_partitions

        if self.client is None or local or not items:
            results = []
            for done, item in enumerate(items, 1):
                results.append(_attempt(function, item, budget=self.settings.max_article_seconds))
                _tell(self.progress, stage, done, len(items))
            return results
        results = run_partitions(self.client, partial(_attempt_each, function), items)
        _tell(self.progress, stage, len(items), len(items))
        return results

    def reuse(self, articles: list[Article]) -> tuple[Reuse, ...]:
        """``find_reuse``, with the comparison of each candidate pair whose two
        texts did not change read from the store (keep in step with ``find_reuse``).

        After an earlier analysis with the same settings, only the candidate
        pairs with an article whose text is new or changed are searched for;
        the links between two unchanged articles are those the last analysis
        found (the common-phrase limit that made them candidates is not
        re-applied to them). Pruning works on each group of linked articles
        apart, so a group the update does not reach keeps the links the last
        analysis kept, and those it dropped are not even read (without the
        paraphrase search, which looks at every link).
        """
        from .store import cache_key
        from .store._codec import decode, decode_json
        from .store._dask import compare_pairs, run_partitions

        by_id = {a.id: a for a in articles}
        text_keys = self.text_keys(articles)
        state = self.previous_state("reuse_links")
        settled: set[tuple[str, str]] = set()  # pairs of groups the update does not reach
        if state is None:
            pairs = self.candidates(articles)
        else:
            pairs = self.candidates(articles, touching=self.recleaned)
            before = [(a, b) for a, b in state["pairs"]]
            if "kept" in state and not self.settings.paraphrase:
                touched = self.recleaned | {i for p in before for i in p if i not in by_id}
                settled = _untouched_pairs(before, pairs, touched)
            pairs |= {
                p for p in before if p[0] in by_id and p[1] in by_id and not set(p) & self.recleaned
            }
        kept_before = {(a, b) for a, b in state["kept"]} if settled else set()
        pairs = sorted(pairs)
        wanted = [p for p in pairs if p not in settled or p in kept_before]
        keys = {(a, b): cache_key(text_keys[a], text_keys[b]) for a, b in wanted}
        known = self.store.cached_pairs(keys=keys)
        todo = [pair for pair in wanted if pair not in known]
        sentences = self.segment([by_id[i] for i in dict.fromkeys(i for p in todo for i in p)])
        made = run_partitions(
            self.client,
            partial(compare_pairs, self.settings),
            [(by_id[a], by_id[b], sentences[a], sentences[b]) for a, b in todo],
        )
        fresh = dict(zip(todo, made, strict=True))
        found = {
            pair: decode_json(Reuse | None, known[pair])
            if pair in known
            else decode(Reuse | None, fresh[pair])
            for pair in wanted
        }
        self.linked_pairs = [p for p in pairs if p in settled or found[p] is not None]
        self.store.cache_pairs(fresh, keys=keys)
        open_links = [link for p, link in found.items() if p not in settled and link is not None]
        if self.settings.paraphrase:
            open_links = add_rewrites(
                articles,
                self.segment(articles),
                open_links,
                settings=self.settings,
                embedder=self.embedder,
                multilingual=self.multilingual,
            )
        pruned = {id(link) for link in prune_redundant(open_links)}
        links = [
            link
            for p, link in found.items()
            if link is not None and (p in kept_before if p in settled else id(link) in pruned)
        ]
        data = {
            id(link): known[p] if p in known else fresh[p]
            for p, link in found.items()
            if link is not None
        }
        links += [link for link in open_links if id(link) in pruned and id(link) not in data]
        self.encoded_links = [(link, data[id(link)]) for link in links if id(link) in data]
        final = {id(link) for link in links}
        self.kept_pairs = [p for p, link in found.items() if id(link) in final]
        self.recomputed["reuse"] = len(fresh)
        _tell(self.progress, "reuse", 1, 1)
        return tuple(links)

    def stories(
        self, articles: list[Article], reuse: tuple[Reuse, ...], previous: dict[str, Story]
    ) -> tuple[Story, ...]:
        """``group_stories``; after an earlier analysis with the same settings,
        ``regroup_stories`` of what the new and changed articles can reach."""
        entities = self.story_inputs(articles)
        embedder = self.embedder if self.settings.story_embeddings else None
        models = {"settings": self.settings, "embedder": embedder, "entities": entities}
        state = self.previous_state("story_idf") if previous else None
        if state is None:
            self.idf = OnlineIdf()
            stories = group_stories(articles, reuse, idf=self.idf, **models)
        else:
            self.idf = OnlineIdf(state["frequency"], state["documents"])
            stories = regroup_stories(
                articles, reuse, tuple(previous.values()), self.recleaned, idf=self.idf, **models
            )
        _tell(self.progress, "stories", 1, 1)
        return stories

    def candidates(
        self, articles: list[Article], *, touching: set[str] | None = None
    ) -> set[tuple[str, str]]:
        """``reuse.candidate_pairs`` (those with an article in ``touching`` when given),
        with the shingle signature of each article whose text did not change read
        from the store (the rest made on the cluster, if any)."""
        from .store._dask import run_partitions, shingle_signatures, signature_array

        keys = self.text_keys(articles)
        stored = self.store.signatures(keys=keys)
        todo = [a for a in articles if a.id not in stored]
        made = run_partitions(self.client, partial(shingle_signatures, self.settings), todo)
        fresh = dict(zip([a.id for a in todo], made, strict=True))
        self.store.add_signatures(fresh, keys=keys)
        self.recomputed["signatures"] = len(todo)
        signatures = stored | fresh
        arrays = (signature_array(signatures[a.id]) for a in articles)
        return pairs_of_signatures(articles, arrays, settings=self.settings, touching=touching)

    def story_inputs(self, articles: list[Article]) -> Any:
        """Get the story stage's per-article model results ready: lead embeddings
        (made on the cluster when there is one) and lead entities (stored, the
        missing ones made on the cluster or here); return the entity extractor."""
        from ._storyvec import _lead
        from .store import cache_key
        from .store._dask import EMBED_BATCH, lead_entities, lead_vectors, run_partitions

        leads = {a.id: _lead(a) for a in articles}
        if self.client is not None and self.settings.story_embeddings:
            self.embedder.prefetch(
                list(leads.values()),
                lambda texts: run_partitions(
                    self.client, lead_vectors, texts, multiple=EMBED_BATCH
                ),
            )
        if not self.settings.story_entities:
            return None
        keys = {i: cache_key(self.key, lead) for i, lead in leads.items()}
        data = self.store.cached("entities", keys=keys)
        todo = [i for i in leads if i not in data]
        found = run_partitions(self.client, lead_entities, [leads[i] for i in todo])
        fresh = dict(zip(todo, found, strict=True))
        self.store.cache("entities", fresh, keys=keys)
        self.recomputed["entities"] = len(todo)
        return _KnownEntities({leads[i]: tuple(v) for i, v in (data | fresh).items()})

    def claims(
        self,
        sentences: dict[str, tuple[Sentence, ...]],
        reuse: tuple[Reuse, ...],
        stories: tuple[Story, ...],
        previous: dict[str, Story],
        articles: Sequence[Article],
    ) -> tuple[Claim, ...]:
        """Claims story by story; a story whose articles and their texts did not
        change keeps its stored claims."""
        languages = {a.id: a.language for a in articles}
        stored: dict[str, list[Claim]] = {}
        if previous:
            for claim in self.store.load_brief().claims:
                stored.setdefault(claim.story_id or "", []).append(_ungrouped(claim))
        claims: list[Claim] = []
        redone = 0
        for story in stories:
            if story.id in previous and self.recleaned.isdisjoint(story.article_ids):
                claims.extend(stored.get(story.id, ()))
            else:
                redone += 1
                claims.extend(
                    group_claims(
                        sentences,
                        reuse,
                        (story,),
                        settings=self.settings,
                        embedder=self.embedder,
                        languages=languages,
                    )
                )
        self.recomputed["claims"] = redone
        _tell(self.progress, "claims", 1, 1)
        return tuple(claims)


class _KnownEntities(EntityExtractor):
    """Entities of texts found beforehand; any other text goes to spaCy here."""

    def __init__(self, known: dict[str, tuple[str, ...]]) -> None:
        self.known = known

    def extract(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        from .stories import default_entities

        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, default_entities().extract(missing), strict=True))
        return [self.known[t] for t in texts]


def _attempt(
    function: Callable[[Article], R], article: Article, *, budget: float = 0.0
) -> tuple[bool, Any]:
    try:
        with time_budget(budget):
            result = function(article)
        return True, result
    except Exception as exc:  # one bad article must not stop the batch
        return False, f"{type(exc).__name__}: {exc}"


def _attempt_each(function: Callable[[Article], R], items: list[Article]) -> list[tuple[bool, Any]]:
    return [_attempt(function, item) for item in items]


def _untouched_pairs(
    before: Iterable[tuple[str, str]], new: Iterable[tuple[str, str]], touched: set[str]
) -> set[tuple[str, str]]:
    """The pairs of ``before`` in groups of linked articles (over the pairs of
    ``before`` and ``new``) that hold no ``touched`` article."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    before = list(before)
    for first, second in [*before, *new]:
        parent[root(first)] = root(second)
    reached = {root(i) for i in touched if i in parent}
    return {pair for pair in before if root(pair[0]) not in reached}


def _clean_one(settings: Settings, templates: Templates, article: Article) -> Article:
    return clean_article(article, settings=settings, templates=templates)


def _segment_one(article: Article) -> dict[str, Any]:
    from .store._records import sentences_data

    return {"ok": sentences_data(segment(article))}


def _digest(ids: Iterable[str]) -> str:
    return hashlib.sha1("\n".join(ids).encode()).hexdigest()


def _clean_key(settings_key: str, template_lines: Iterable[str]) -> str:
    """What an article's cleaning depends on: the settings and the template lines in it."""
    return f"{settings_key}-{_digest(sorted(template_lines))[:16]}"


def _as_raw(article: Article) -> Article:
    """The article as ingest gave it: cleaned text reset to the raw text."""
    raw = article.raw_text
    return replace(article, text=raw, removed=(), kept=((0, 0, len(raw)),))


def _ungrouped(claim: Claim) -> Claim:
    """A stored claim as ``group_claims`` made it, before corroboration."""
    return replace(claim, origins=(), independent_count=0, chains=(), conflicts_with=())
