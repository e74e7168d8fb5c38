"""Per-corpus boilerplate: lines that recur across many articles of one outlet.

``learn_templates`` groups articles by outlet (its name, else its URL's
domain) and keeps the lines found in at least ``template_min_articles``
distinct texts and ``template_min_share`` of the outlet's articles. Lines
longer than ``MAX_TEMPLATE_CHARS`` or carrying a quotation never qualify, so
two reports of one outlet that repeat a background paragraph keep it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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
    settings = settings or Settings()
    groups: defaultdict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if key := outlet_key(article):
            groups[key].append(article)
    by_outlet = {}
    for key, group in groups.items():
        texts = {a.raw_text for a in group}
        if len(texts) < settings.template_min_articles:
            continue
        counts = Counter(line for text in texts for line in _candidates(text))
        needed = max(settings.template_min_articles, settings.template_min_share * len(texts))
        if found := frozenset(line for line, n in counts.items() if n >= needed):
            by_outlet[key] = found
    return Templates(by_outlet)


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
