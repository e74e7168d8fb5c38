"""Per-corpus boilerplate: lines that recur across many articles of one outlet.

``learn_templates`` groups articles by outlet (its name, else its URL's
domain) and keeps the lines found in at least ``template_min_articles``
distinct texts and ``template_min_share`` of the outlet's articles.
``TemplateCounts`` keeps those counts, so that a store analysis adds only
its new articles to them. Lines
longer than ``MAX_TEMPLATE_CHARS`` or carrying a quotation never qualify, so
two reports of one outlet that repeat a background paragraph keep it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._outlets import domain
from .config import Settings
from .model import Article

MAX_TEMPLATE_CHARS = 150

_QUOTED = re.compile(r"[\"“„«][^\"“”„«»]{10,}[\"”»“]")


def carries_quote(line: str) -> bool:
    """Whether a line holds a quotation of ten characters or more."""
    return _QUOTED.search(line) is not None


@dataclass(frozen=True, slots=True)
class Templates:
    """Lines (normalised) that are template for each outlet, learned from a corpus."""

    by_outlet: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def lines_for(self, article: Article) -> frozenset[str]:
        """The template lines of the article's outlet (empty when unknown)."""
        key = outlet_key(article)
        return self.by_outlet.get(key, frozenset()) if key else frozenset()


def learn_templates(articles: Iterable[Article], *, settings: Settings | None = None) -> Templates:
    """Lines that recur in many articles of one outlet: at least
    ``template_min_articles`` of them and ``template_min_share`` of the outlet's."""
    counts = TemplateCounts()
    counts.add(articles)
    return counts.templates(settings or Settings())


@dataclass
class TemplateCounts:
    """What ``learn_templates`` counts, kept so that later articles can be added.

    Per outlet: the digests of its distinct raw texts counted, and in how many
    of them each candidate line occurs; ``counted`` holds the ids of the
    articles added. ``to_data``/``from_data`` turn it into JSON-able data.
    """

    counted: set[str] = field(default_factory=set)
    texts: dict[str, set[str]] = field(default_factory=dict)
    lines: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, articles: Iterable[Article]) -> None:
        """Count the articles not counted before."""
        for article in articles:
            if article.id in self.counted:
                continue
            self.counted.add(article.id)
            if not (key := outlet_key(article)):
                continue
            digest = hashlib.sha1(article.raw_text.encode()).hexdigest()[:20]
            texts = self.texts.setdefault(key, set())
            if digest not in texts:
                texts.add(digest)
                self.lines.setdefault(key, Counter()).update(_candidates(article.raw_text))

    def templates(self, settings: Settings) -> Templates:
        """The template lines of each outlet, as ``learn_templates`` gives them."""
        by_outlet = {}
        for key, texts in self.texts.items():
            if len(texts) < settings.template_min_articles:
                continue
            needed = max(settings.template_min_articles, settings.template_min_share * len(texts))
            lines = self.lines.get(key, Counter())
            if found := frozenset(line for line, n in lines.items() if n >= needed):
                by_outlet[key] = found
        return Templates(by_outlet)

    def to_data(self) -> dict[str, Any]:
        return {
            "counted": sorted(self.counted),
            "texts": {key: sorted(texts) for key, texts in self.texts.items()},
            "lines": {key: dict(lines) for key, lines in self.lines.items()},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> TemplateCounts:
        return cls(
            counted=set(data["counted"]),
            texts={key: set(texts) for key, texts in data["texts"].items()},
            lines={key: Counter(lines) for key, lines in data["lines"].items()},
        )


def _candidates(text: str) -> set[str]:
    lines = (line.strip() for line in text.splitlines())
    return {
        template_key(line)
        for line in lines
        if line and len(line) <= MAX_TEMPLATE_CHARS and not carries_quote(line)
    }


def template_key(line: str) -> str:
    """A line as compared across articles: case-folded, whitespace collapsed."""
    return " ".join(line.casefold().split())


def outlet_key(article: Article) -> str | None:
    """The outlet an article is grouped under: its name, else its URL's domain."""
    return (article.outlet or domain(article.url) or "").casefold() or None
