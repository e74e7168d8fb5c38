"""Projects of the web app: one folder per project under a data directory.

A project ``NAME`` lives in ``DATA_DIR/NAME/``: ``project.db`` is its
``newstrace.store`` (SQLite), ``uploads/`` keeps every uploaded or pasted
file under a generated safe name. Project names are short slugs, so a name
can never reach outside the data directory; uploaded file names are reduced
to a safe base name and the final path is checked to stay inside
``uploads/``.

Writes to a project (ingest + analysis) take that project's lock; reads load
the stored brief once per analysis and share it between requests. An ingest
can run in the background (``start_ingest``): it is then a job whose status
(stage, articles done/total, skipped files with reasons, the final report or
the error) the pages and the API read while it runs.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from newstrace.config import Settings
from newstrace.errors import NewstraceError, StoreError
from newstrace.model import Brief, Story
from newstrace.pipeline import STAGES as PIPELINE_STAGES
from newstrace.pipeline import Progress, analyze_store, ingest_store
from newstrace.store import Store, open_store

PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".json", ".jsonl")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# The stages an ingest reports, in order (``read`` is the web app's own; the rest are
# the pipeline's progress names); only for drawing the overall bar, unknown names are fine.
STAGES = ("read", *PIPELINE_STAGES)
_UPLOAD_NUMBER = re.compile(r"^\d{4}-")
MAX_JOBS = 100  # finished jobs kept in memory, newest first
log = logging.getLogger(__name__)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class StageProgress:
    """How far one stage of an ingest got: ``done`` of ``total`` items."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class JobStatus:
    """A background ingest + analysis, as far as it got.

    ``state`` is ``queued`` (waiting for another write to the project),
    ``running``, ``done`` or ``failed``; ``stages`` lists every stage reported
    so far in order, the last one being the current one.
    """

    id: str
    project: str
    state: str
    inputs: int
    stages: list[StageProgress] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    report: IngestReport | None = None
    error: str = ""
    started: float = 0.0
    finished: float = 0.0

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def current(self) -> StageProgress | None:
        return self.stages[-1] if self.stages else None

    @property
    def fraction(self) -> float:
        """How much of the whole ingest is done, 0–1, counting each known stage equally."""
        if self.state == "done":
            return 1.0
        finished = 0.0
        for s in self.stages:
            if s.stage in STAGES:
                part = s.done / s.total if s.total else 1.0
                finished = max(finished, STAGES.index(s.stage) + part)
        return min(finished / len(STAGES), 1.0)

    @property
    def upcoming(self) -> list[str]:
        """The known stages not reported yet."""
        seen = {s.stage for s in self.stages}
        return [s for s in STAGES if s not in seen] if self.active else []

    @property
    def seconds(self) -> float:
        return (self.finished or time.time()) - self.started


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
        self._story_briefs: dict[tuple[str, str], Brief] = {}
        self._jobs: dict[str, JobStatus] = {}
        self._saving = threading.Lock()

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
            if (name, story_id) not in self._story_briefs:
                try:
                    self._story_briefs[name, story_id] = store.load_brief(story_id)
                except StoreError as exc:
                    raise ProjectError(str(exc), status=404) from exc
            return self._story_briefs[name, story_id]
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

    def save_files(self, name: str, files: list[tuple[str, bytes]]) -> list[str]:
        """Write uploaded ``(file name, data)`` pairs into the project; their paths.

        Does not wait for a running ingest: files get their numbers under a
        lock of their own.
        """
        uploads = self.require(name) / "uploads"
        uploads.mkdir(exist_ok=True)
        with self._saving:
            for file_name, _ in files:  # check every name before writing any file
                self._check_suffix(file_name)
            return [str(self.save_file(uploads, n, data)) for n, data in files]

    @staticmethod
    def _check_suffix(name: str) -> None:
        suffix = Path(name.replace("\\", "/")).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise ProjectError(
                f"{name!r}: unsupported file type; use one of {', '.join(ALLOWED_SUFFIXES)}"
            )

    def save_file(self, uploads: Path, name: str, data: bytes) -> Path:
        """Write ``data`` under a fresh safe name inside ``uploads``."""
        self._check_suffix(name)
        number = sum(1 for _ in uploads.iterdir()) + 1
        target = (uploads / safe_filename(name, number)).resolve()
        if target.parent != uploads.resolve():
            raise ProjectError(f"{name!r}: bad file name")
        target.write_bytes(data)
        return target

    def ingest(
        self,
        name: str,
        paths: list[str],
        *,
        progress: Progress | None = None,
        on_skipped: Callable[[list[str]], None] | None = None,
    ) -> IngestReport:
        """Add ``paths`` (files inside the project, or URLs) to the store and re-analyze."""
        store = self.store(name)
        if progress is not None:
            progress("read", 0, len(paths))
        added = ingest_store(store, paths, settings=self.settings, progress=progress)
        skipped = [
            f"{_UPLOAD_NUMBER.sub('', Path(s.source).name)}: {s.reason}" for s in added.skipped
        ]
        if progress is not None:
            progress("read", len(paths), len(paths))
        if on_skipped is not None:
            on_skipped(skipped)
        result = analyze_store(store, settings=self.settings, progress=progress)
        self._briefs[name] = result.brief
        for key in [k for k in self._story_briefs if k[0] == name]:
            self._story_briefs.pop(key, None)
        return IngestReport(
            added=added.added,
            already_present=added.already_present,
            skipped=skipped,
            stories=len(result.brief.stories),
            articles=len(result.brief.articles),
        )

    # ---------------------------------------------------------- background jobs

    def start_ingest(self, name: str, paths: list[str]) -> JobStatus:
        """Run ``ingest`` in a background thread; returns the new job at once."""
        self.require(name)
        self.store(name)
        job = JobStatus(
            id=uuid.uuid4().hex[:12],
            project=name,
            state="queued",
            inputs=len(paths),
            started=time.time(),
        )
        with self._lock:
            self._jobs[job.id] = job
            finished = [j.id for j in self._jobs.values() if not j.active]
            for old in finished[: max(len(finished) - MAX_JOBS, 0)]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job.id, paths), daemon=True).start()
        return job

    def job(self, name: str, job_id: str) -> JobStatus:
        job = self._jobs.get(job_id)
        if job is None or job.project != name:
            raise ProjectError(f"no ingest job {job_id!r} in project {name!r}", status=404)
        return job

    def jobs(self, name: str) -> list[JobStatus]:
        """The project's jobs, newest first."""
        with self._lock:
            found = [j for j in self._jobs.values() if j.project == name]
        return sorted(found, key=lambda j: j.started, reverse=True)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _progress(self, job_id: str, stage: str, done: int, total: int) -> None:
        with self._lock:
            job = self._jobs[job_id]
            now = StageProgress(stage=stage, done=done, total=total)
            stages = [now if s.stage == stage else s for s in job.stages]
            if now not in stages:
                stages.append(now)
            self._jobs[job_id] = replace(job, state="running", stages=stages)

    def _run(self, job_id: str, paths: list[str]) -> None:
        name = self._jobs[job_id].project
        try:
            with self.writing(name):
                self._update(job_id, state="running")
                report = self.ingest(
                    name,
                    paths,
                    progress=lambda stage, done, total: self._progress(job_id, stage, done, total),
                    on_skipped=lambda skipped: self._update(job_id, skipped=skipped),
                )
        except NewstraceError as exc:
            self._update(job_id, state="failed", error=str(exc), finished=time.time())
        except Exception as exc:  # noqa: BLE001 - a job must end with a message, never hang
            log.exception("ingest job %s failed", job_id)
            message = f"analysis failed: {type(exc).__name__}: {exc}".splitlines()[0][:300]
            self._update(job_id, state="failed", error=message, finished=time.time())
        else:
            self._update(job_id, state="done", report=report, finished=time.time())

    def close(self) -> None:
        with self._lock:
            for store in self._stores.values():
                store.close()
            self._stores.clear()
