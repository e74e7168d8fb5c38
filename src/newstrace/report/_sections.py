"""View records for the origins, timeline and chain sections of the HTML brief.

Like the rest of ``report/``, these only group and sort records the
pipeline made: origins are the claims' ``Origin`` records merged by kind and
name, the timeline sorts articles by their ``published`` field, and chain
steps link the article descriptions the corroborate stage wrote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from newstrace.model import Article, Brief, Claim
from newstrace.report._view import label_for, shorten


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginRow:
    """One origin and every claim and article it stands behind."""

    kind: str
    name: str
    claims: list[Link]
    articles: list[Link]
    evidence: list[Link]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineRow:
    """One article in publication order, with what it copies and how."""

    when: str
    date: str
    time: str
    label: Link
    outlet: str
    title: str
    copies: list[tuple[str, Link, bool]]  # (kind, article, either way: not ordered)
    flags: int


def origin_key(kind: str, name: str) -> tuple[str, str]:
    """Origins with the same kind and name (case and spacing aside) are one origin."""
    return kind, " ".join(name.lower().split())


def origin_rows(
    brief: Brief,
    numbers: dict[str, int],
    claim_href: Callable[[str], str],
    article_href: Callable[[str], str],
    labels: dict[str, str],
) -> list[OriginRow]:
    """The distinct origins of the brief's claims, the most used first."""
    grouped: dict[tuple[str, str], list[Claim]] = {}
    names: dict[tuple[str, str], str] = {}
    evidence: dict[tuple[str, str], list[Link]] = {}
    for claim in brief.claims:
        for origin in claim.origins:
            key = origin_key(origin.kind, origin.name)
            names.setdefault(key, origin.name)
            grouped.setdefault(key, [])
            if claim not in grouped[key]:
                grouped[key].append(claim)
            for span in origin.evidence[:1]:
                found = evidence.setdefault(key, [])
                if len(found) < 3:
                    text = f"{label_for(labels, span.article_id)}: {shorten(span.text, 70)}"
                    found.append(Link(text, article_href(span.article_id)))
    rows = []
    for key, claims in grouped.items():
        articles = dict.fromkeys(m.article_id for c in claims for m in c.mentions)
        rows.append(
            OriginRow(
                kind=key[0],
                name=names[key],
                claims=[Link(f"#{numbers[c.id]}", claim_href(c.id)) for c in claims],
                articles=[Link(label_for(labels, a), article_href(a)) for a in articles],
                evidence=evidence.get(key, []),
            )
        )
    return sorted(rows, key=lambda r: (-len(r.claims), -len(r.articles), r.name.lower()))


def timeline_rows(
    brief: Brief, labels: dict[str, str], article_href: Callable[[str], str]
) -> list[TimelineRow]:
    """Articles by publication time (undated last), each with the articles it copies
    (``(kind, article, either way)``: a link no evidence ordered is on both sides)."""
    copies: dict[str, list[tuple[str, Link, bool]]] = {}
    for i, edge in enumerate(brief.reuse):
        either = edge.kind == "shared_upstream" or edge.undecided
        source = Link(label_for(labels, edge.source_id), f"#reuse-{i}")
        copies.setdefault(edge.target_id, []).append((edge.kind, source, either))
        if either:
            other = Link(label_for(labels, edge.target_id), f"#reuse-{i}")
            copies.setdefault(edge.source_id, []).append((edge.kind, other, either))
    flags: dict[str, int] = {}
    for flag in brief.flags:
        flags[flag.article_id] = flags.get(flag.article_id, 0) + 1
    ordered = sorted(brief.articles, key=lambda a: (not a.published, a.published or ""))
    return [_timeline_row(a, labels, article_href, copies, flags) for a in ordered]


def _timeline_row(
    article: Article,
    labels: dict[str, str],
    article_href: Callable[[str], str],
    copies: dict[str, list[tuple[str, Link, bool]]],
    flags: dict[str, int],
) -> TimelineRow:
    when = article.published or ""
    date, _, time = when.partition("T")
    return TimelineRow(
        when=when,
        date=date or "undated",
        time=time[:5],
        label=Link(label_for(labels, article.id), article_href(article.id)),
        outlet=article.outlet or "",
        title=article.title or article.source_path,
        copies=copies.get(article.id, []),
        flags=flags.get(article.id, 0),
    )


def article_names(articles: tuple[Article, ...]) -> dict[str, str]:
    """How chain steps name articles (``"Outlet (file.txt)"``), mapped to article ids."""
    names: dict[str, str] = {}
    bases = Counter(PurePath(a.source_path).name for a in articles)
    for article in articles:
        base = PurePath(article.source_path).name
        names[f"{article.outlet or base} ({base})"] = article.id
        names[article.id] = article.id
        if bases[base] == 1 and len(base) > 3:  # an article without outlet is named by its file
            names[base] = article.id
    return names


def origin_namer(brief: Brief, labels: dict[str, str]) -> Callable[[str], str]:
    """Shows an origin name with the article files or ids it names (``own reporting of
    002_x.txt``) replaced by the articles' labels (``own reporting of article C``)."""
    names = article_names(brief.articles)
    pattern = names_pattern(names)

    def shown(name: str) -> str:
        if pattern is None:
            return name
        return pattern.sub(lambda m: f"article {label_for(labels, names[m.group(0)])}", name)

    return shown


def article_title(article: Article) -> str:
    """The title, or for an untitled article the start of its text, marked as such."""
    if article.title.strip():
        return article.title
    first = next((line for line in article.text.splitlines() if line.strip()), "")
    return f"(untitled) {shorten(first, 80)}" if first else PurePath(article.source_path).name


def names_pattern(names: dict[str, str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names``, longest first."""
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def step_links(
    step: str,
    pattern: re.Pattern[str] | None,
    names: dict[str, str],
    labels: dict[str, str],
    article_href: Callable[[str], str],
) -> list[Link]:
    """A chain step with each article it names replaced by a linked label."""
    if pattern is None:
        return [Link(step)]
    links: list[Link] = []
    position = 0
    for found in pattern.finditer(step):
        if found.start() > position:
            links.append(Link(step[position : found.start()].strip()))
        article_id = names[found.group(0)]
        links.append(Link(label_for(labels, article_id), article_href(article_id)))
        position = found.end()
    if position < len(step):
        links.append(Link(step[position:].strip()))
    return [link for link in links if link.text]
