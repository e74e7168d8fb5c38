"""The store interface: what the pipeline and the CLI may ask of a store.

A store holds a *project*: the ingested articles (raw and cleaned), caches of
per-article and per-pair stage results, and the brief of the last analysis.
``newstrace.store.open_store(url)`` returns the implementation for a URL;
every method that writes runs in one transaction, so a process killed at
any moment leaves either all or nothing of that call.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NamedTuple

from ..model import Article, Brief, Story
from ._codec import JSONText


class AddResult(NamedTuple):
    """How many of the articles given to ``add_articles`` were new."""

    added: int
    already_present: int


class Store(ABC):
    """A project store (SQLite or PostgreSQL behind one interface)."""

    url: str

    # articles
    @abstractmethod
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Add the articles whose id is not stored yet, in one transaction."""

    @abstractmethod
    def articles(self, ids: Sequence[str] | None = None) -> tuple[Article, ...]:
        """The stored articles (or those with ``ids``), in ingest order."""

    @abstractmethod
    def article_ids(self) -> tuple[str, ...]:
        """The ids of the stored articles, in ingest order."""

    @abstractmethod
    def clean_keys(self) -> dict[str, str | None]:
        """For each article id, the key it was cleaned with (None: not cleaned)."""

    @abstractmethod
    def update_cleaned(self, articles: Sequence[Article], *, keys: Mapping[str, str]) -> None:
        """Store the cleaned text, removed spans and kept runs of ``articles``, each
        with the key (``keys[article.id]``) of the settings and templates used."""

    # caches
    @abstractmethod
    def cached(self, stage: str, *, keys: Mapping[str, str]) -> dict[str, Any]:
        """Per-article results of ``stage`` stored under the key ``keys[article_id]``."""

    @abstractmethod
    def cache(self, stage: str, results: Mapping[str, Any], *, keys: Mapping[str, str]) -> None:
        """Store per-article results of ``stage`` (JSON-able) under ``keys``."""

    @abstractmethod
    def cached_pairs(
        self, *, keys: Mapping[tuple[str, str], str]
    ) -> dict[tuple[str, str], JSONText]:
        """Stored comparisons of the article pairs in ``keys``, made under those keys,
        as JSON text (``_codec.decode_json`` reads it; saved as it is)."""

    @abstractmethod
    def cache_pairs(
        self, results: Mapping[tuple[str, str], Any], *, keys: Mapping[tuple[str, str], str]
    ) -> None:
        """Store pair comparisons (JSON-able, None for "nothing found") under ``keys``."""

    @abstractmethod
    def vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored embeddings (raw float32 bytes) for those of ``keys`` that are stored."""

    @abstractmethod
    def add_vectors(self, vectors: Mapping[str, bytes]) -> None:
        """Store embeddings; keys already stored are left as they are."""

    @abstractmethod
    def signatures(self, *, keys: Mapping[str, str]) -> dict[str, bytes]:
        """Stored shingle signatures (raw bytes) of the articles in ``keys``, made under
        those keys."""

    @abstractmethod
    def add_signatures(self, signatures: Mapping[str, bytes], *, keys: Mapping[str, str]) -> None:
        """Store shingle signatures by article id, each under ``keys[article_id]``."""

    # the analysis
    @abstractmethod
    def save_brief(
        self,
        brief: Brief,
        *,
        settings_key: str = "saved",
        cleaned: Sequence[Article] = (),
        clean_keys: Mapping[str, str] | None = None,
        meta: Mapping[str, str] | None = None,
        encoded: Sequence[tuple[object, Any]] = (),
        text_keys: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the stored analysis with ``brief``; articles missing from the
        store are added, and ``settings_key`` names the settings it was made with.
        ``cleaned`` articles get their cleaned text stored as by ``update_cleaned``
        (with ``clean_keys``), and ``meta`` facts are set, in the same
        transaction, so the stored brief, the stored texts it points into and
        the state the next analysis starts from always change together.
        ``encoded`` pairs records of the brief with their ``encode``d data,
        when the caller has it, to save encoding them again; ``text_keys``
        are the ``cache_key(settings_key, text)`` of the articles, when the
        caller has them."""

    @abstractmethod
    def load_brief(self, story_id: str | None = None) -> Brief:
        """The stored brief, or the part of it about one story (``StoreError`` if none)."""

    @abstractmethod
    def stories(self) -> tuple[Story, ...]:
        """The stories of the stored brief (empty before the first analysis)."""

    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """A project fact, e.g. ``analysis_key``."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Record a project fact."""

    # whole project
    @abstractmethod
    def export_jsonl(self, out: IO[str]) -> int:
        """Write the whole project as JSONL (one row a line); return the line count."""

    @abstractmethod
    def import_jsonl(self, lines: Iterable[str]) -> AddResult:
        """Read a project written by ``export_jsonl``; articles are merged by id."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection pool."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def cache_key(settings_key: str, text: str) -> str:
    """The key of a per-article result: the settings and the cleaned text it came from."""
    return hashlib.sha1(f"{settings_key}\0{text}".encode()).hexdigest()[:32]


def store_url(location: str | Path) -> str:
    """A SQLAlchemy URL for a ``--db`` value: a URL as is, anything else a SQLite path."""
    text = str(location)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"
