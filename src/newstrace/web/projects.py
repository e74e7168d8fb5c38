"""Projects of the web app: one folder per project under a data directory.

A project ``NAME`` lives in ``DATA_DIR/NAME/``: ``project.db`` is its
``newstrace.store`` (SQLite), ``uploads/`` keeps every uploaded or pasted
file under a generated safe name. Project names are short slugs, so a name
can never reach outside the data directory; uploaded file names are reduced
to a safe base name and the final path is checked to stay inside
``uploads/``.

Writes to a project (ingest + analysis) take that project's lock; reads load
the stored brief once per analysis and share it between requests.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newstrace.config import Settings
from newstrace.errors import NewstraceError, StoreError
from newstrace.model import Brief, Story
from newstrace.pipeline import analyze_store, ingest_store
from newstrace.store import Store, open_store

PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".json", ".jsonl")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ProjectError(NewstraceError):
    """A request a project cannot serve: bad name, missing project, bad upload."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestReport:
    """What one upload or paste did."""

    added: int
    already_present: int
    skipped: list[str]
    stories: int
    articles: int


def safe_filename(name: str, number: int) -> str:
    """``0007-report.txt`` from any client-given name (directories and odd characters dropped)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip("._") or "upload"
    return f"{number:04d}-{base[-80:]}"


class Projects:
    """The projects under ``data_dir``; thread-safe."""

    def __init__(self, data_dir: Path, settings: Settings) -> None:
        self.data_dir = data_dir.resolve()
        self.settings = settings
        self._lock = threading.Lock()
        self._stores: dict[str, Store] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._briefs: dict[str, Brief | None] = {}

    # ---------------------------------------------------------- names and folders

    def folder(self, name: str) -> Path:
        if not PROJECT_NAME.match(name):
            raise ProjectError(
                "a project name is 1–63 lowercase letters, digits, - or _, "
                "starting with a letter or digit",
                status=404,
            )
        return self.data_dir / name

    def names(self) -> list[str]:
        if not self.data_dir.is_dir():
            return []
        return sorted(
            p.name for p in self.data_dir.iterdir() if p.is_dir() and PROJECT_NAME.match(p.name)
        )

    def create(self, name: str) -> str:
        folder = self.folder(name)
        (folder / "uploads").mkdir(parents=True, exist_ok=True)
        self.store(name)
        return name

    def exists(self, name: str) -> bool:
        return self.folder(name).is_dir()

    def require(self, name: str) -> Path:
        folder = self.folder(name)
        if not folder.is_dir():
            raise ProjectError(f"no project named {name!r}", status=404)
        return folder

    # ---------------------------------------------------------- store and brief

    def store(self, name: str) -> Store:
        folder = self.folder(name)
        with self._lock:
            if name not in self._stores:
                self._stores[name] = open_store(folder / "project.db")
                self._locks[name] = threading.Lock()
            return self._stores[name]

    def brief(self, name: str, story_id: str | None = None) -> Brief | None:
        """The stored analysis (or one story of it); ``None`` before the first analysis."""
        self.require(name)
        store = self.store(name)
        if story_id is not None:
            try:
                return store.load_brief(story_id)
            except StoreError as exc:
                raise ProjectError(str(exc), status=404) from exc
        if name not in self._briefs:
            try:
                brief: Brief | None = store.load_brief()
            except StoreError:
                brief = None
            self._briefs[name] = brief
        return self._briefs[name]

    def stories(self, name: str) -> tuple[Story, ...]:
        self.require(name)
        return self.store(name).stories()

    def article_count(self, name: str) -> int:
        self.require(name)
        return len(self.store(name).article_ids())

    # ---------------------------------------------------------- writing

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        """Hold the project's write lock; yields its uploads folder."""
        uploads = self.require(name) / "uploads"
        uploads.mkdir(exist_ok=True)
        self.store(name)
        with self._locks[name]:
            yield uploads

    def save_file(self, uploads: Path, name: str, data: bytes) -> Path:
        """Write ``data`` under a fresh safe name inside ``uploads``."""
        suffix = Path(name.replace("\\", "/")).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise ProjectError(
                f"{name!r}: unsupported file type; use one of {', '.join(ALLOWED_SUFFIXES)}"
            )
        number = sum(1 for _ in uploads.iterdir()) + 1
        target = (uploads / safe_filename(name, number)).resolve()
        if target.parent != uploads.resolve():
            raise ProjectError(f"{name!r}: bad file name")
        target.write_bytes(data)
        return target

    def ingest(self, name: str, paths: list[str]) -> IngestReport:
        """Add ``paths`` (files inside the project, or URLs) to the store and re-analyze."""
        store = self.store(name)
        added = ingest_store(store, paths, settings=self.settings)
        result = analyze_store(store, settings=self.settings)
        self._briefs[name] = result.brief
        return IngestReport(
            added=added.added,
            already_present=added.already_present,
            skipped=[f"{Path(s.source).name}: {s.reason}" for s in added.skipped],
            stories=len(result.brief.stories),
            articles=len(result.brief.articles),
        )

    def close(self) -> None:
        with self._lock:
            for store in self._stores.values():
                store.close()
            self._stores.clear()
