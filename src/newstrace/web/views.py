"""Plain view records for the web app's pages: an article, a claim, search hits.

They only select and group records of a stored :class:`~newstrace.model.Brief`;
links are absolute paths inside one project (``base`` is ``/projects/NAME``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from newstrace.model import Article, Brief, Claim, RemovedSpan
from newstrace.report._view import article_labels, is_disputed, label_for, shorten, stance_counts
from newstrace.report.html import marked_anchors
from newstrace.web.projects import ProjectError

MAX_HITS = 50


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: what it is, a link to it and a line of context."""

    kind: str
    title: str
    href: str
    context: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticlePage:
    article: Article
    label: str
    removed: tuple[RemovedSpan, ...]
    quotes: int
    citations: int
    flags: int
    claims: list[Hit]
    story_href: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionRow:
    label: str
    outlet: str
    stance: str
    text: str
    href: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPage:
    claim: Claim
    number: int
    disputed: bool
    stances: list[tuple[str, int]]
    mentions: list[MentionRow]
    chains: list[tuple[str, str, list[str], str]]
    conflicts: list[Hit]


def _href(base: str, kind: str, ident: str) -> str:
    return f"{base}/{kind}/{quote(ident, safe='')}"


def _claim_hit(base: str, claim: Claim, width: int) -> Hit:
    return Hit(
        "claim",
        shorten(claim.statement, width),
        _href(base, "claims", claim.id),
        f"{claim.independent_count} independent",
    )


def article_view(brief: Brief, article_id: str, base: str) -> ArticlePage:
    """One article with counts of what the analysis found in it."""
    try:
        article = brief.article(article_id)
    except KeyError:
        raise ProjectError(f"no article {article_id!r} in this project", status=404) from None
    story = next((s for s in brief.stories if article_id in s.article_ids), None)
    claims = [
        _claim_hit(base, c, 120)
        for c in brief.claims
        if any(m.article_id == article_id for m in c.mentions)
    ]
    return ArticlePage(
        article=article,
        label=article_labels(brief.articles)[article_id],
        removed=article.removed,
        quotes=sum(q.article_id == article_id for q in brief.quotes),
        citations=sum(c.article_id == article_id for c in brief.citations),
        flags=sum(f.article_id == article_id for f in brief.flags),
        claims=claims,
        story_href=_href(base, "stories", story.id) if story else "",
    )


def claim_view(brief: Brief, claim_id: str, base: str) -> ClaimPage:
    """One claim: its mentions (linked to the sentence in each article) and chains."""
    numbers = {c.id: n for n, c in enumerate(brief.claims, start=1)}
    claim = next((c for c in brief.claims if c.id == claim_id), None)
    if claim is None:
        raise ProjectError(f"no claim {claim_id!r} in this project", status=404)
    labels = article_labels(brief.articles)
    by_id = {a.id: a for a in brief.articles}
    marked = marked_anchors(brief)

    def where(article_id: str, j: int) -> str:
        mark = f"mention-{numbers[claim.id]}-{j}"
        return _href(base, "articles", article_id) + (f"#{mark}" if mark in marked else "#text")

    mentions = [
        MentionRow(
            label=label_for(labels, m.article_id),
            outlet=(by_id[m.article_id].outlet or "") if m.article_id in by_id else "",
            stance=m.stance,
            text=m.text,
            href=where(m.article_id, j),
        )
        for j, m in enumerate(claim.mentions)
    ]
    chains = [
        (
            label_for(labels, c.article_id),
            _href(base, "articles", c.article_id),
            list(c.steps),
            c.origin,
        )
        for c in claim.chains
    ]
    conflicts = [
        Hit("claim", shorten(other.statement, 120), _href(base, "claims", other.id), "")
        for other in brief.claims
        if other.id in claim.conflicts_with
    ]
    return ClaimPage(
        claim=claim,
        number=numbers[claim.id],
        disputed=is_disputed(claim),
        stances=stance_counts(claim),
        mentions=mentions,
        chains=chains,
        conflicts=conflicts,
    )


def _claim_words(claim: Claim) -> str:
    parts = [claim.statement, *(o.name for o in claim.origins), *(m.text for m in claim.mentions)]
    return " ".join(" ".join(parts).lower().split())


def search_brief(brief: Brief, query: str, base: str) -> dict[str, list[Hit]]:
    """Articles whose title, outlet or text, and claims whose statement, origins or
    mentions, contain ``query`` (a speaker's name finds the claims resting on them)."""
    needle = " ".join(query.lower().split())
    if not needle:
        return {"articles": [], "claims": []}
    articles = []
    for a in brief.articles:
        where = a.text.lower().find(needle)
        if needle in (a.title or "").lower() or needle in (a.outlet or "").lower() or where >= 0:
            start = max(where - 60, 0) if where >= 0 else 0
            context = shorten(a.text[start : start + 200], 160)
            title = f"{a.title or a.source_path} — {a.outlet or 'unknown outlet'}"
            articles.append(Hit("article", title, _href(base, "articles", a.id), context))
    claims = [_claim_hit(base, c, 160) for c in brief.claims if needle in _claim_words(c)]
    return {"articles": articles[:MAX_HITS], "claims": claims[:MAX_HITS]}
