"""Read articles from files and folders into ``Article`` records.

This first version reads plain-text and Markdown files (``.txt``, ``.md``),
from paths or folders walked recursively. An optional front-matter block at
the top of a file (``---`` lines around ``key: value`` pairs) supplies
metadata: ``title``, ``outlet``, ``url``, ``published``, ``author``. Without a
``title`` key, the first line of the body is the title when it looks like a
headline; a section suffix such as "Headline | World" is cut off.

A file that cannot be read, is empty, binary, too large or of an unsupported
format is reported as ``Skipped`` and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .config import Settings
from .errors import IngestError
from .model import Article, Skipped

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
METADATA_KEYS = ("title", "outlet", "url", "published", "author")

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_META_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_SECTION_SUFFIX = re.compile(r"\s+[|｜]\s+[^|｜]{1,40}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    """Articles read in input order, and the inputs that were skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def ingest(paths: Iterable[str | Path], *, settings: Settings | None = None) -> IngestResult:
    """Read every supported file under ``paths`` (files or folders)."""
    settings = settings or Settings()
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen_ids: dict[str, int] = {}
    for path, given in _expand(paths, skipped):
        try:
            article = read_article(path, source_path=given, settings=settings)
        except IngestError as exc:
            skipped.append(Skipped(source=given, stage="ingest", reason=exc.reason))
            continue
        count = seen_ids.get(article.id, 0) + 1
        seen_ids[article.id] = count
        if count > 1:
            article = replace(article, id=f"{article.id}-{count}")
        articles.append(article)
    return IngestResult(articles=tuple(articles), skipped=tuple(skipped))


def read_article(
    path: str | Path, *, source_path: str | None = None, settings: Settings | None = None
) -> Article:
    """Read one file into an ``Article``; raise ``IngestError`` if it cannot be used."""
    settings = settings or Settings()
    source = source_path or str(path)
    text = decode(_read_bytes(Path(path), source, settings), source=source)
    if len(text) > settings.max_article_chars:
        raise IngestError(f"text too long ({len(text):,} characters)", source=source)
    return parse_text(text, source_path=source)


def parse_text(text: str, *, source_path: str) -> Article:
    """Build an ``Article`` from decoded text (front matter and headline included)."""
    if not text.strip():
        raise IngestError("empty file", source=source_path)
    metadata, body = split_front_matter(text)
    if not body.strip():
        raise IngestError("no article text after the front matter", source=source_path)
    title = metadata.get("title") or headline(body)
    return Article(
        id=content_id(text),
        source_path=source_path,
        raw_text=text,
        text=text,
        title=title,
        outlet=metadata.get("outlet") or metadata.get("source") or metadata.get("site"),
        url=metadata.get("url") or metadata.get("link"),
        published=metadata.get("published") or metadata.get("date"),
        author=metadata.get("author"),
        kept=((0, 0, len(text)),),
    )


def content_id(text: str) -> str:
    """A stable id for an article's content: the same text always gets the same id."""
    normalised = " ".join(text.split())
    return "a" + hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:11]


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return the front-matter metadata (lower-cased keys) and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    metadata = {}
    for line in match.group(1).splitlines():
        if pair := _META_LINE.match(line):
            metadata[pair.group(1).lower()] = pair.group(2).strip("'\"")
    return metadata, text[match.end() :]


def headline(body: str) -> str:
    """The first line of ``body`` when it reads as a headline, else ``""``."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    first = first.lstrip("#").strip()
    if not first or len(first) > 250 or (first.endswith(".") and len(first) > 120):
        return ""
    return _SECTION_SUFFIX.sub("", first)


def decode(data: bytes, *, source: str) -> str:
    """Decode file bytes as UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in data[:8192]:
        raise IngestError("binary file (contains NUL bytes)", source=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise IngestError(f"cannot decode text ({exc.reason})", source=source) from exc


def _read_bytes(path: Path, source: str, settings: Settings) -> bytes:
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise IngestError(f"file too large ({size:,} bytes)", source=source)
        return path.read_bytes()
    except IsADirectoryError as exc:
        raise IngestError("is a directory", source=source) from exc
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})", source=source) from exc


def _expand(paths: Iterable[str | Path], skipped: list[Skipped]) -> Iterator[tuple[Path, str]]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from ((p, str(p)) for p in _walk(path))
        elif not path.exists():
            skipped.append(Skipped(source=str(given), stage="ingest", reason="no such file"))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = f"unsupported format ({path.suffix or 'no extension'})"
            skipped.append(Skipped(source=str(given), stage="ingest", reason=reason))
        else:
            yield path, str(given)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES:
                yield path
