"""Read articles from files, folders, globs, standard input and URLs.

Inputs (any mix, in order): files; folders (walked recursively, hidden
entries skipped); glob patterns (``data/**/*.html``); ``-`` for standard
input; ``http(s)://`` URLs, fetched with a timeout, a size cap and polite
concurrency (``_fetch``). Formats (``_formats``): ``.txt``/``.md`` with
optional front matter (``---`` lines around ``key: value`` pairs: ``title``,
``outlet``, ``url``, ``published``, ``author``); ``.html``/``.htm`` (main
text and metadata by trafilatura); RSS/Atom feeds (``.xml``/``.rss``/
``.atom``: one article per entry); JSON arrays and JSONL dumps (one article
per object, fields chosen by ``Settings.text_field`` … or common names).
Standard input, URLs and unknown suffixes are recognised by content type or
first bytes.

HTML: an article's ``raw_text`` is the page's visible text, one block a
line, and its ``text`` trafilatura's main text; the blocks trafilatura left
out (menus, related links, comments, footer …) are ``RemovedSpan`` records
in ``removed`` and ``page_chrome``, with the furniture they sat in as reason
("page menu", "page comments", else "page chrome"). When trafilatura's text
cannot be found block by block in the page, ``raw_text`` is its text alone.
Every later removal (the clean stage) is recorded as for any other format.

Decoding: UTF-8 (with or without BOM), UTF-16 with BOM, the ``charset``
an HTML page declares, else charset-normalizer's best guess, else
Windows-1252. Metadata (``_meta``): language per article (lingua), the
outlet canonicalised through an alias table or taken from the URL's domain,
tracking parameters stripped from URLs, dates normalised to ISO 8601. When
the source gives no outlet or date, cues in the text fill them (a dateline
"(Reuters) —", "By Jane Doe, Financial Times", "© 2024 The Harbour Gazette",
"This article first appeared in X"; "LONDON, Monday —", "Posted yesterday"
resolved against the feed, crawl or file date), each with its span in
``Article.metadata_evidence``.

An input that cannot be used (missing, empty, binary, too large, undecodable,
unsupported, a feed with no entries, a malformed JSONL line, a URL that
fails) is reported as ``Skipped`` with a one-line reason naming it (and the
line, for JSONL), and the rest of the batch goes on.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from . import _formats
from ._fetch import Fetched, fetch_all, is_url
from ._formats import Record
from ._meta import Enricher, outlet_from_text, published_from_text
from ._text import parse_time
from .config import Settings
from .errors import IngestError
from .model import Article, MetadataEvidence, RemovedSpan, Skipped

SUPPORTED_SUFFIXES = frozenset(_formats.SUFFIX_FORMATS)
METADATA_KEYS = ("title", "outlet", "url", "published", "author")
STDIN = "-"

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_META_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_SECTION_SUFFIX = re.compile(r"\s+[|｜]\s+([^|｜]{1,40})$")
_GLOB_CHARS = re.compile(r"[*?\[]")
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    """Articles read in input order, and the inputs that were skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True)
class _Input:
    """One input to read: a file path, standard input or a fetched URL."""

    source: str
    path: Path | None = None
    fetched: Fetched | None = None


def ingest(
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    stdin: BinaryIO | None = None,
) -> IngestResult:
    """Read every article under ``paths`` (files, folders, globs, ``-``, URLs)."""
    settings = settings or Settings()
    reader = _Reader(settings, stdin)
    skipped: list[Skipped] = []
    articles: list[Article] = []
    for item in _inputs([str(p) for p in paths], settings, skipped):
        try:
            found, bad = reader.read(item)
        except IngestError as exc:
            skipped.append(Skipped(source=item.source, stage="ingest", reason=exc.reason))
            continue
        articles.extend(found)
        skipped.extend(bad)
    return IngestResult(articles=tuple(_unique_ids(articles)), skipped=tuple(skipped))


def read_url_list(path: str | Path) -> list[str]:
    """The URLs listed in a text file, one a line (blank lines and ``#`` comments ignored)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read URL list ({exc})", source=str(path)) from exc
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_article(
    path: str | Path, *, source_path: str | None = None, settings: Settings | None = None
) -> Article:
    """Read one single-article file; raise ``IngestError`` if it cannot be used."""
    settings = settings or Settings()
    item = _Input(source_path or str(path), path=Path(path))
    articles, skipped = _Reader(settings, None).read(item)
    if len(articles) != 1:
        reason = skipped[0].reason if skipped else f"{len(articles)} articles, not one"
        raise IngestError(reason, source=item.source)
    return articles[0]


class _Reader:
    """Reads inputs into articles; holds the settings and the metadata enricher."""

    def __init__(self, settings: Settings, stdin: BinaryIO | None) -> None:
        self.settings = settings
        self.stdin = stdin
        self.enricher = Enricher(settings)

    def read(self, item: _Input) -> tuple[list[Article], list[Skipped]]:
        data, name, content_type, url = self._load(item)
        fmt = _formats.detect_format(name, data[:4096], content_type)
        if fmt is None:
            suffix = Path(name).suffix or "no extension"
            raise IngestError(f"unsupported format ({suffix})", source=item.source)
        if not data.strip():
            raise IngestError("empty file", source=item.source)
        records, skipped = self._records(fmt, data, item.source, url)
        articles = []
        for record in records:  # one bad record of a feed or dump does not lose the others
            try:
                articles.append(self.article(record, path=item.path))
            except IngestError as exc:
                skipped.append(Skipped(source=record.source, stage="ingest", reason=exc.reason))
        return articles, skipped

    def _load(self, item: _Input) -> tuple[bytes, str, str, str | None]:
        if item.fetched is not None:
            fetched = item.fetched
            name = fetched.final_url.split("?")[0].split("#")[0]
            return fetched.content, name, fetched.content_type, fetched.final_url
        if item.path is None:
            stream = self.stdin or sys.stdin.buffer
            return _read_capped(stream, item.source, self.settings), "", "", None
        return _read_bytes(item.path, item.source, self.settings), item.path.name, "", None

    def _records(
        self, fmt: str, data: bytes, source: str, url: str | None
    ) -> tuple[list[Record], list[Skipped]]:
        settings = self.settings
        if fmt == "feed":
            _reject_binary(data, source)
            return _formats.parse_feed(data, source=source, settings=settings), []
        text = decode(data, source=source, html=fmt == "html")
        if len(text) > settings.max_article_chars and fmt in ("text", "html"):
            raise IngestError(f"text too long ({len(text):,} characters)", source=source)
        if fmt == "html":
            return [_formats.parse_html(text, source=source, url=url)], []
        if fmt in ("json", "jsonl"):
            return _formats.parse_json(text, source=source, settings=settings, lines=fmt == "jsonl")
        record = _text_record(text, source)
        if url and "url" not in record.meta:
            record.meta["url"] = url
        return [record], []

    def article(self, record: Record, *, path: Path | None = None) -> Article:
        """Build the ``Article`` of a record, with inferred metadata.

        Outlet and publication date come from the source's metadata (or the
        URL) when it has them, else from cues in the text, each recorded in
        ``metadata_evidence``; relative dates in the text are resolved against
        the record's reference date (feed or crawl date) or the file's date.
        """
        text, cap = record.text, self.settings.max_article_chars
        if len(text) > cap:
            reason = f"text too long ({len(text):,} characters; max_article_chars is {cap:,})"
            raise IngestError(reason, source=record.source)
        chrome = tuple(
            RemovedSpan(start=start, end=end, text=text[start:end], reason=reason)
            for start, end, reason in record.removed
            if end <= len(text)
        )
        main, kept = _without(text, chrome)
        meta, enrich = record.meta, self.enricher
        title, section = _split_section(meta.get("title") or _first_line(main))
        url = enrich.url(meta.get("url"))
        outlet = enrich.outlet(meta.get("outlet"), url)
        published = enrich.published(meta.get("published"))
        evidence: list[MetadataEvidence] = []
        body = len(text) - len(split_front_matter(text)[1]) if not (outlet and published) else 0
        if not published:
            reference = parse_time(meta.get("reference_date")) or _file_time(path)
            if found := published_from_text(text, reference=reference, start=body):
                published = found.value
                evidence.append(found.evidence("published", text))
        if not outlet and (found := outlet_from_text(text, enrich.outlets, start=body)):
            outlet = found.value
            evidence.append(found.evidence("outlet", text))
        return Article(
            id=content_id(main),
            source_path=record.source,
            raw_text=text,
            text=main,
            title=title,
            outlet=outlet,
            url=url,
            published=published,
            author=meta.get("author"),
            kept=kept,
            removed=chrome,
            page_chrome=chrome,
            language=enrich.language(main),
            section=meta.get("section") or section,
            metadata_evidence=tuple(evidence),
        )


def _without(
    text: str, spans: tuple[RemovedSpan, ...]
) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """``text`` without the (sorted, disjoint) ``spans``, and its ``kept`` runs."""
    if not spans:
        return text, ((0, 0, len(text)),)
    runs, position, length = [], 0, 0
    for span in (*spans, RemovedSpan(start=len(text), end=len(text), text="", reason="")):
        if span.start > position:
            runs.append((length, position, span.start - position))
            length += span.start - position
        position = span.end
    return "".join(text[r : r + n] for _, r, n in runs), tuple(runs) or ((0, 0, 0),)


def _file_time(path: Path | None) -> datetime | None:
    """The modification time of a file (UTC), the reference for relative dates."""
    if path is None:
        return None
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (OSError, ValueError, OverflowError):
        return None


def parse_text(text: str, *, source_path: str, settings: Settings | None = None) -> Article:
    """Build an ``Article`` from decoded text (front matter and headline included)."""
    reader = _Reader(settings or Settings(), None)
    return reader.article(_text_record(text, source_path))


def _text_record(text: str, source: str) -> Record:
    if not text.strip():
        raise IngestError("empty file", source=source)
    metadata, body = split_front_matter(text)
    if not body.strip():
        raise IngestError("no article text after the front matter", source=source)
    meta = {
        "title": metadata.get("title") or _first_line(body),
        "outlet": metadata.get("outlet") or metadata.get("source") or metadata.get("site"),
        "url": metadata.get("url") or metadata.get("link"),
        "published": metadata.get("published") or metadata.get("date"),
        "author": metadata.get("author"),
        "section": metadata.get("section"),
    }
    return Record(text, source, {k: v for k, v in meta.items() if v})


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
    return _split_section(_first_line(body))[0]


def _first_line(body: str) -> str:
    """The first line of ``body`` (section suffix included) if it reads as a headline."""
    first = next((line.strip() for line in body[:5000].splitlines() if line.strip()), "")
    first = first.lstrip("#").strip()
    if not first or len(first) > 250 or (first.endswith(".") and len(first) > 120):
        return ""
    return first


def _split_section(title: str) -> tuple[str, str | None]:
    """A title and the section suffix it carried ("Headline | China" → China)."""
    match = _SECTION_SUFFIX.search(title)
    return (title[: match.start()], match.group(1).strip()) if match else (title, None)


def decode(data: bytes, *, source: str, html: bool = False) -> str:
    """Decode bytes: UTF-8/UTF-16 by BOM, a declared HTML charset, else detection."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(f"cannot decode UTF-16 text ({exc.reason})", source=source) from exc
    _reject_binary(data, source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):  # UTF-8 with some Windows-1252 lines or words pasted in
        return data.decode("utf-8", errors=_WINDOWS_FALLBACK)
    declared = _HTML_CHARSET.search(data[:4096]) if html else None
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return _detect_decode(data, source)


def _windows_bytes(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


_WINDOWS_FALLBACK = "newstrace-cp1252"
codecs.register_error(_WINDOWS_FALLBACK, _windows_bytes)


def _mostly_utf8(data: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 still hold at least as many valid UTF-8
    non-ASCII characters as invalid bytes: UTF-8 text with a foreign part."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for c in text if c > "\x7f") - invalid
    return valid > 0 and valid >= invalid


def _detect_decode(data: bytes, source: str) -> str:
    """Windows-1252 when it reads as mostly ASCII letters (Western text), else detection."""
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _mostly_ascii_letters(western):
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    if western is None:
        raise IngestError("cannot decode text (unknown encoding)", source=source)
    return western


def _mostly_ascii_letters(text: str) -> bool:
    letters = [ch for ch in text[:100_000] if ch.isalpha()]
    foreign = sum(1 for ch in letters if not ch.isascii())
    return bool(letters) and foreign <= 0.25 * len(letters)


def _reject_binary(data: bytes, source: str) -> None:
    if b"\x00" in data[:8192]:
        raise IngestError("binary file (contains NUL bytes)", source=source)


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


def _read_capped(stream: BinaryIO, source: str, settings: Settings) -> bytes:
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        limit = settings.max_file_bytes
        raise IngestError(f"input too large (over {limit:,} bytes)", source=source)
    return data


def _inputs(given: list[str], settings: Settings, skipped: list[Skipped]) -> Iterator[_Input]:
    """Expand the inputs in order; URLs are fetched together first."""
    urls = [g for g in given if is_url(g)]
    fetched = dict(zip(urls, fetch_all(urls, settings=settings), strict=True))
    for value in given:
        if value in fetched:
            result = fetched[value]
            if isinstance(result, IngestError):
                skipped.append(Skipped(source=value, stage="ingest", reason=result.reason))
            else:
                yield _Input(value, fetched=result)
        elif value == STDIN:
            yield _Input("<stdin>")
        else:
            yield from _path_inputs(value, skipped)


def _path_inputs(value: str, skipped: list[Skipped]) -> Iterator[_Input]:
    path = Path(value)
    if path.is_dir():
        yield from (_Input(str(p), path=p) for p in _walk(path))
    elif path.exists():
        yield _Input(value, path=path)
    elif _GLOB_CHARS.search(value):
        matches = sorted(glob.glob(value, recursive=True))
        files = [Path(m) for m in matches if Path(m).is_file() and _supported(Path(m))]
        if not files:
            skipped.append(Skipped(source=value, stage="ingest", reason="no file matches"))
        yield from (_Input(str(p), path=p) for p in files)
    else:
        skipped.append(Skipped(source=value, stage="ingest", reason="no such file"))


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and _supported(path):
                yield path


def _unique_ids(articles: list[Article]) -> Iterator[Article]:
    """Identical texts from different inputs get distinct ids (``…-2``, ``…-3``)."""
    seen: dict[str, int] = {}
    for article in articles:
        count = seen.get(article.id, 0) + 1
        seen[article.id] = count
        yield replace(article, id=f"{article.id}-{count}") if count > 1 else article
