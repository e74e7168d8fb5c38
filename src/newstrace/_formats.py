"""Turn the bytes of one input into article records, whatever its format.

Formats: plain text/Markdown (front matter for metadata), HTML pages (main
text and metadata by trafilatura), RSS/Atom feeds (feedparser, one record
per entry) and JSON/JSONL dumps (one record per object, with a field
mapping). ``detect_format`` tells them apart by suffix, content type or, for
standard input and unknown suffixes, by the first bytes.

HTML: the main text is trafilatura's (no comments, no images or links, no
formatting marks; tables kept, because news tables carry figures).
``page_with_chrome`` lays the page's visible text out one block a line and
finds the main text's lines in it: ``Record.text`` is that page text and
``Record.removed`` the blocks left out, each with the page furniture it sat
in (``nav`` → menu, ``class="comments"`` → comments …), so nothing of the
page vanishes silently. If a main-text line is not a block of the page,
``Record.text`` is the main text alone.
Feed entries and JSON fields that hold HTML are reduced to text with
``html_to_text`` (paragraph breaks kept, tags and scripts dropped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from .config import Settings
from .errors import IngestError, ParseError
from .model import Skipped

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIX_FORMATS = (
    dict.fromkeys(TEXT_SUFFIXES, "text")
    | dict.fromkeys(HTML_SUFFIXES, "html")
    | dict.fromkeys(FEED_SUFFIXES, "feed")
    | dict.fromkeys(JSON_SUFFIXES, "json")
    | dict.fromkeys(JSONL_SUFFIXES, "jsonl")
)

DEFAULT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "maintext", "article_text", "articleBody",
             "full_text", "description"),
    "title": ("title", "headline", "name"),
    "url": ("url", "link", "canonical_url", "source_url"),
    "published": ("published", "date", "date_publish", "published_at", "publishedAt",
                  "datePublished", "pubDate", "publish_date", "created_at"),
    "outlet": ("outlet", "source", "site_name", "sitename", "source_domain", "publisher",
               "domain"),
    "author": ("author", "authors", "byline", "creator"),
    "reference_date": ("date_download", "crawled_at", "crawl_date", "date_crawled",
                       "fetched_at", "retrieved_at", "scraped_at", "downloaded_at"),
}  # fmt: skip
LIST_KEYS = ("articles", "items", "entries", "data", "results", "docs")


@dataclass(slots=True)
class Record:
    """One article's text and metadata, before it becomes an ``Article``."""

    text: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)
    kind: str = "text"
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # HTML page chrome


def detect_format(name: str, head: bytes, content_type: str = "") -> str | None:
    """``text``, ``html``, ``feed``, ``json`` or ``jsonl`` (``None``: not an article format)."""
    suffix = name[name.rfind(".") :].lower() if "." in name.rsplit("/", 1)[-1] else ""
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    content_type = content_type.split(";")[0].strip().lower()
    if "html" in content_type:
        return "html"
    if any(k in content_type for k in ("rss", "atom", "xml")):
        return "feed"
    if "json" in content_type:
        return "jsonl" if "ndjson" in content_type or "jsonl" in content_type else "json"
    if content_type.startswith("text/") or not suffix:
        return sniff(head)
    return None


def sniff(head: bytes) -> str:
    """Guess a format from the first bytes of an input."""
    start = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml") or start.startswith((b"<rss", b"<feed", b"<rdf")):
        return "feed" if re.search(rb"<(?:rss|feed|rdf:rdf)\b", start) else "html"
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")):
        return "html"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith(b"}") and b"\n{" in start else "json"
    return "text"


# --- HTML ---------------------------------------------------------------------------


# Explicit extraction settings: main text and metadata only; news tables carry figures.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "output_format": "python",
    "with_metadata": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
}


# a DOCTYPE with an internal subset (entity declarations) is no part of a web page:
# it only serves entity bombs, and it hides the page from the HTML parser
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


def parse_html(html: str, *, source: str, url: str | None = None) -> Record:
    """Main text and metadata of an HTML page (``ParseError`` if it has none)."""
    from trafilatura import bare_extraction

    html = _INTERNAL_SUBSET.sub("<!DOCTYPE html>", html, count=1)
    document = bare_extraction(html, url=url, **TRAFILATURA_OPTIONS)
    text = getattr(document, "text", None) or ""
    if not text.strip():
        raise ParseError("no main text found in the HTML page", source=source)
    meta = {
        "title": getattr(document, "title", None),
        "author": getattr(document, "author", None),
        "published": getattr(document, "date", None),
        "outlet": getattr(document, "sitename", None),
        "url": getattr(document, "url", None) or url,
        "section": ", ".join(getattr(document, "categories", None) or ()) or None,
    }
    record = Record(text=text, source=source, meta=_clean_meta(meta), kind="html")
    if page := page_with_chrome(html, text):
        record.text, record.removed = page
    return record


PAGE_CHROME = "page chrome"
_CHROME_TAGS = {"nav": "menu", "header": "header", "footer": "footer", "aside": "sidebar",
                "form": "form", "menu": "menu"}  # fmt: skip
_CHROME_HINTS = (
    ("comment", "comments"), ("related", "related links"), ("share", "share bar"),
    ("social", "share bar"), ("breadcrumb", "breadcrumbs"), ("newsletter", "newsletter prompt"),
    ("subscribe", "newsletter prompt"), ("cookie", "cookie notice"), ("advert", "advertisement"),
    ("promo", "advertisement"), ("sidebar", "sidebar"), ("menu", "menu"), ("nav", "menu"),
    ("footer", "footer"), ("header", "header"),
)  # fmt: skip


def _chrome_kind(tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
    """What page furniture an element is, from its tag or its class and id."""
    names = " ".join(v for k, v in attrs if k in ("class", "id", "role") and v).lower()
    for hint, kind in _CHROME_HINTS:
        if hint in names:
            return kind
    return _CHROME_TAGS.get(tag)


_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer nav "
    "aside main form button textarea figure figcaption td th dd dt title option label".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


class _Blocks:
    """Visible text blocks of a parsed page, each with the page furniture it sits in."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str | None]] = []
        self.parts: list[str] = []
        self.kind: str | None = None

    def add(self, text: str | None, kind: str | None) -> None:
        if text and not text.isspace():
            if not self.parts:
                self.kind = kind
            self.parts.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append((text, self.kind))
        self.parts = []

    def walk(self, element: Any, inherited: str | None) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _SKIP_TAGS or not tag:
            return
        tag = tag.lower()
        own = _chrome_kind(tag, list(element.attrib.items()))
        kind = inherited if own == "form" and inherited else own or inherited
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        self.add(element.text, kind)
        for child in element:
            self.walk(child, kind)
            self.add(child.tail, kind)
        if block:
            self.flush()


def _page_blocks(html: str) -> list[tuple[str, str | None]] | None:
    """The page's text blocks (lxml parse), ``None`` if it cannot be parsed."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
        blocks = _Blocks()
        blocks.walk(root, None)
    except (etree.LxmlError, ValueError, RecursionError):
        return None
    blocks.flush()
    return blocks.blocks


def page_with_chrome(html: str, main: str) -> tuple[str, list[tuple[int, int, str]]] | None:
    """The page's visible text, one block a line, and the blocks that are not ``main``.

    Each block outside the main text is ``(start, end, reason)``, the reason
    naming the furniture it sits in ("page menu", "page comments" …, else
    "page chrome"). ``None`` when some line of ``main`` is not a block of the
    page (trafilatura joined or reformatted it): the main text is used alone.
    """
    blocks = _page_blocks(html)
    if blocks is None:
        return None
    wanted = [" ".join(line.split()) for line in main.splitlines() if line.strip()]
    in_main = [False] * len(blocks)
    position = 0
    for line in wanted:
        while position < len(blocks) and blocks[position][0] != line:
            position += 1
        if position == len(blocks):
            return None
        in_main[position] = True
        position += 1
    page = "\n".join(text for text, _ in blocks)
    removed, offset = [], 0
    for (text, kind), main_block in zip(blocks, in_main, strict=True):
        if not main_block:
            reason = f"page {kind}" if kind else PAGE_CHROME
            removed.append((offset, min(offset + len(text) + 1, len(page)), reason))
        offset += len(text) + 1
    return (page, removed) if removed else None


class _TextParser(HTMLParser):
    BLOCKS = frozenset(
        "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article".split()
    )
    SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element."""
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(line for line in lines if line)


_TAG = re.compile(r"</?(?:p|div|br|span|a|em|strong|b|i|h[1-6]|li|ul)\b[^>]*>", re.IGNORECASE)


def maybe_html(text: str) -> str:
    """``text``, reduced to plain text if it is HTML markup."""
    head = text[:5000]
    return html_to_text(text) if "<" in head and _TAG.search(head) else text


# --- feeds --------------------------------------------------------------------------


def parse_feed(data: bytes, *, source: str, settings: Settings) -> list[Record]:
    """One record per feed entry; ``ParseError`` when there are none."""
    import feedparser

    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries:
        detail = "not a readable feed" if feed.get("bozo") else "feed has no entries"
        raise ParseError(detail, source=source)
    channel = feed.feed.get("title") or None
    channel_time = _entry_time(feed.feed)
    records = []
    for number, entry in enumerate(feed.entries[: settings.max_records_per_file], 1):
        body = _entry_body(entry)
        if not body.strip():
            continue
        meta = {
            "title": html_to_text(entry.get("title", "")),
            "url": entry.get("link"),
            "published": _entry_time(entry),
            "author": entry.get("author"),
            "outlet": (entry.get("source") or {}).get("title") or channel,
            "reference_date": channel_time,
        }
        records.append(Record(body, f"{source}#{number}", _clean_meta(meta), kind="feed"))
    if not records:
        raise ParseError("feed entries have no text", source=source)
    return records


def _entry_body(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", ()) if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary", "")
    return html_to_text(body) if "<" in body else body


def _entry_time(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        if parsed := entry.get(key):
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return entry.get("published") or entry.get("updated")


# --- JSON and JSONL -----------------------------------------------------------------


def parse_json(
    text: str, *, source: str, settings: Settings, lines: bool
) -> tuple[list[Record], list[Skipped]]:
    """Records of a JSON document or a JSONL stream; bad records are skipped by position."""
    records: list[Record] = []
    skipped: list[Skipped] = []
    items = _jsonl_items(text, source) if lines else _json_items(text, source)
    for position, item in items:
        where = f"{source}:{position}" if lines else f"{source}#{position}"
        if len(records) >= settings.max_records_per_file:
            limit = settings.max_records_per_file
            skipped.append(_skip(where, f"more than {limit:,} records; the rest is not read"))
            break
        try:
            records.append(_json_record(item, where, settings))
        except IngestError as exc:
            skipped.append(_skip(where, exc.reason))
    if not records and not skipped:
        raise ParseError("no records in the JSON input", source=source)
    return records, skipped


def _jsonl_items(text: str, source: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield number, IngestError(f"invalid JSON ({_json_reason(exc)})", source=source)


def _json_items(text: str, source: str) -> Iterator[tuple[int, Any]]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(f"invalid JSON ({_json_reason(exc)})", source=source) from exc
    if isinstance(data, dict):
        found = next((data[k] for k in LIST_KEYS if isinstance(data.get(k), list)), None)
        data = found if found is not None else [data]
    if not isinstance(data, list):
        raise ParseError("JSON is neither an object nor a list of objects", source=source)
    yield from enumerate(data, 1)


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg}, column {exc.colno}"
    return "nested too deeply"


def _json_record(item: Any, where: str, settings: Settings) -> Record:
    if isinstance(item, IngestError):
        raise item
    if not isinstance(item, dict):
        raise IngestError(f"a JSON {type(item).__name__}, not an object", source=where)
    chosen = {
        "text": settings.text_field,
        "title": settings.title_field,
        "url": settings.url_field,
        "published": settings.date_field,
        "outlet": settings.outlet_field,
        "author": "",
        "reference_date": "",
    }
    values = {
        key: _field(item, (name,) if name else DEFAULT_FIELDS[key]) for key, name in chosen.items()
    }
    text = values.pop("text")
    if not text or not text.strip():
        tried = settings.text_field or ", ".join(DEFAULT_FIELDS["text"][:6])
        raise IngestError(f"no text (looked for {tried})", source=where)
    return Record(maybe_html(text), where, _clean_meta(values), kind="json")


def _field(item: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value: Any = item.get(name)
        if value is None and "." in name:
            value = item
            for part in name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, str | int | float))
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def _clean_meta(meta: Mapping[str, Any]) -> dict[str, str]:
    return {k: " ".join(str(v).split())[:500] for k, v in meta.items() if v and str(v).strip()}


def _skip(source: str, reason: str) -> Skipped:
    return Skipped(source=source, stage="ingest", reason=reason)
