"""The brief as one self-contained HTML page.

``render_html`` turns a :class:`~newstrace.model.Brief` into view records
(plain frozen dataclasses) and hands them to the Jinja2 template
``templates/brief.html.j2``. Autoescaping is on for every template: article
text, titles, outlets and paths are hostile input and are only ever inserted
as escaped text. The page needs no network (inline CSS, inline SVG, no
scripts) and URLs from the articles are shown as text, never as links.

Anchors: ``#article-<id>`` shows an article's cleaned text with its quotes,
citations, claim mentions and flags marked (``#quote-<n>``, ``#cite-<n>``,
``#mention-<claim>-<n>``, ``#flag-<n>``); ``#claim-<id>`` shows a claim's
chains and mentions; ``#reuse-<n>`` shows the aligned sentences of the
``n``-th reuse edge side by side. Marked spans never overlap: when two would,
the flag, then the quote, then the citation, then the claim mention wins, and
links to a span that lost fall back to its article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newstrace.model import AlignedPair, Article, Brief, Claim, Reuse
from newstrace.report.markdown import (
    article_labels,
    bare_quote,
    copy_families,
    default_title,
    edge_text,
    family_edges,
    is_disputed,
    label_for,
    mentioning_articles,
    quotes_by_speaker,
    stance_counts,
    story_groups,
    verdict,
)

_TEMPLATES = Path(__file__).parent / "templates"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")

# Graph geometry, in SVG user units.
BOX_W, BOX_H, V_GAP, COL_GAP, MARGIN, HEAD, MAX_COLS = 210, 50, 40, 150, 12, 24, 4


def anchor(prefix: str, ident: str) -> str:
    """An HTML id such as ``claim-<id>``; characters unsafe in a fragment become ``_``."""
    return f"{prefix}-{_UNSAFE_ID.sub('_', ident)}"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- highlighting


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight; a lower ``priority`` wins an overlap."""

    start: int
    end: int
    cls: str
    anchor: str = ""
    title: str = ""
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text, marked when ``cls`` is set."""

    text: str
    cls: str = ""
    anchor: str = ""
    title: str = ""


def highlight(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """Cut ``text`` into plain and marked segments.

    Marks outside the text or empty are dropped; a mark overlapping one
    already taken (by priority, then position) is skipped.
    """
    taken: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.priority, m.start, m.start - m.end)):
        if not 0 <= mark.start < mark.end <= len(text):
            continue
        if any(mark.start < other.end and other.start < mark.end for other in taken):
            continue
        taken.append(mark)
    segments: list[Segment] = []
    position = 0
    for mark in sorted(taken, key=lambda m: m.start):
        if mark.start > position:
            segments.append(Segment(text[position : mark.start]))
        segments.append(Segment(text[mark.start : mark.end], mark.cls, mark.anchor, mark.title))
        position = mark.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def word_marks(text: str, words: Iterable[str], cls: str, titles: dict[str, str]) -> list[Mark]:
    """Marks for every whole-word occurrence of each of ``words`` in ``text``."""
    marks = []
    for word in dict.fromkeys(w for w in words if w.strip()):
        pattern = r"(?<!\w)" + re.escape(word) + r"(?!\w)"
        for found in re.finditer(pattern, text):
            marks.append(Mark(found.start(), found.end(), cls, title=titles.get(word, "")))
    return marks


# ---------------------------------------------------------------- view records


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleRef:
    """How an article is named and linked everywhere in the page."""

    id: str
    label: str
    title: str
    outlet: str
    published: str
    source_path: str
    href: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeView:
    href: str
    text: str
    kind: str
    score: float
    source: ArticleRef
    target: ArticleRef
    directed: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyView:
    number: int
    articles: list[ArticleRef]
    edges: list[EdgeView]


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphBox:
    x: float
    y: float
    href: str
    line1: str
    line2: str
    tip: str
    single: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphEdge:
    path: str
    kind: str
    label: str
    lx: float
    ly: float
    href: str
    arrow: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Graph:
    width: float
    height: float
    box_w: float
    box_h: float
    headers: list[tuple[float, float, str]]
    boxes: list[GraphBox]
    edges: list[GraphEdge]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryView:
    anchor: str
    title: str
    count: int
    families: list[FamilyView]
    singles: list[ArticleRef]
    graph: Graph


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    text: str
    href: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionView:
    article: ArticleRef
    href: str
    stance: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginView:
    kind: str
    name: str
    evidence: list[Link]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainView:
    article: ArticleRef
    steps: list[list[Link]]
    origin: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimView:
    number: int
    anchor: str
    statement: str
    articles: int
    independent: int
    disputed: bool
    origins: list[OriginView]
    stances: list[tuple[str, int]]
    conflicts: list[Link]
    chains: list[ChainView]
    mentions: list[MentionView]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteView:
    text: str
    href: str
    article: ArticleRef
    cue: str
    direct: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteGroup:
    speaker: str
    kind: str
    quotes: list[QuoteView]


@dataclass(frozen=True, slots=True, kw_only=True)
class SpanView:
    """A citation or a flag: an article span with a label and a note."""

    article: ArticleRef
    href: str
    kind: str
    text: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PairView:
    source: list[Segment]
    target: list[Segment]
    kind: str
    similarity: float
    substitutions: list[tuple[str, str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReuseView:
    anchor: str
    text: str
    kind: str
    edge: Reuse
    source: ArticleRef
    target: ArticleRef
    pairs: list[PairView]
    open: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleView:
    ref: ArticleRef
    anchor: str
    article: Article
    segments: list[Segment]
    marks: dict[str, int]


# ---------------------------------------------------------------- building the views


class _Context:
    """Lookups shared while building the views of one brief."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.labels = article_labels(brief.articles)
        self.by_id = {article.id: article for article in brief.articles}
        self.numbers = {claim.id: n for n, claim in enumerate(brief.claims, start=1)}
        self.rendered: set[str] = set()

    def ref(self, article_id: str) -> ArticleRef:
        article = self.by_id.get(article_id)
        return ArticleRef(
            id=article_id,
            label=label_for(self.labels, article_id),
            title=(article.title or article.source_path) if article else "(not in this brief)",
            outlet=(article.outlet or "") if article else "",
            published=(article.published or "") if article else "",
            source_path=article.source_path if article else "",
            href="#" + anchor("article", article_id),
        )

    def href(self, mark_anchor: str, article_id: str) -> str:
        """Link to a marked span, or to its article when the span was not marked."""
        if mark_anchor in self.rendered:
            return "#" + mark_anchor
        return "#" + anchor("article", article_id)


def _article_marks(ctx: _Context) -> dict[str, list[Mark]]:
    brief = ctx.brief
    marks: dict[str, list[Mark]] = {a.id: [] for a in brief.articles}
    for i, flag in enumerate(brief.flags):
        mark = Mark(flag.start, flag.end, "flag", f"flag-{i}", f"flag: {flag.kind}", 0)
        marks.setdefault(flag.article_id, []).append(mark)
    for i, quote in enumerate(brief.quotes):
        title = f"quote · {quote.speaker or 'unattributed'}"
        marks.setdefault(quote.article_id, []).append(
            Mark(quote.start, quote.end, "quote", f"quote-{i}", title, 1)
        )
    for i, cite in enumerate(brief.citations):
        mark = Mark(cite.start, cite.end, "cite", f"cite-{i}", f"cites {cite.outlet}", 2)
        marks.setdefault(cite.article_id, []).append(mark)
    for claim in brief.claims:
        n = ctx.numbers[claim.id]
        for j, m in enumerate(claim.mentions):
            mark = Mark(m.start, m.end, "claim", f"mention-{n}-{j}", f"claim {n} · {m.stance}", 3)
            marks.setdefault(m.article_id, []).append(mark)
    return marks


def _articles(ctx: _Context) -> list[ArticleView]:
    views = []
    all_marks = _article_marks(ctx)
    for article in ctx.brief.articles:
        segments = highlight(article.text, all_marks[article.id])
        counts: dict[str, int] = {}
        for seg in segments:
            if seg.cls:
                ctx.rendered.add(seg.anchor)
                counts[seg.cls] = counts.get(seg.cls, 0) + 1
        ref = ctx.ref(article.id)
        views.append(
            ArticleView(
                ref=ref, anchor=ref.href[1:], article=article, segments=segments, marks=counts
            )
        )
    return views


def _edge_view(ctx: _Context, index: int, edge: Reuse) -> EdgeView:
    return EdgeView(
        href=f"#reuse-{index}",
        text=edge_text(edge, ctx.labels),
        kind=edge.kind,
        score=edge.score,
        source=ctx.ref(edge.source_id),
        target=ctx.ref(edge.target_id),
        directed=edge.kind != "shared_upstream",
    )


def _stories(ctx: _Context) -> list[StoryView]:
    views = []
    for story_id, title, ids in story_groups(ctx.brief):
        families = copy_families(ids, ctx.brief.reuse)
        groups = [f for f in families if len(f) > 1]
        singles = [f[0] for f in families if len(f) == 1]
        family_views = [
            FamilyView(
                number=n,
                articles=[ctx.ref(i) for i in _column_order(ctx, family)],
                edges=[_edge_view(ctx, i, e) for i, e in family_edges(family, ctx.brief.reuse)],
            )
            for n, family in enumerate(groups, start=1)
        ]
        columns = [*groups, tuple(singles)] if singles else groups
        views.append(
            StoryView(
                anchor=anchor("story", story_id),
                title=title,
                count=len(ids),
                families=family_views,
                singles=[ctx.ref(i) for i in singles],
                graph=_graph(ctx, columns, has_singles=bool(singles)),
            )
        )
    return views


# ---------------------------------------------------------------- provenance graph


def _column_order(ctx: _Context, family: Sequence[str]) -> list[str]:
    """Family members, copied-from articles above their copies."""
    directed = [
        (e.source_id, e.target_id)
        for _, e in family_edges(family, ctx.brief.reuse)
        if e.kind != "shared_upstream"
    ]
    depth = dict.fromkeys(family, 0)
    for _ in family:  # longest path, bounded so that a cycle cannot loop forever
        changed = False
        for source, target in directed:
            if depth[source] + 1 > depth[target] and depth[source] + 1 < len(family):
                depth[target] = depth[source] + 1
                changed = True
        if not changed:
            break
    order = {article_id: i for i, article_id in enumerate(family)}
    published = {a: ctx.ref(a).published for a in family}
    return sorted(family, key=lambda a: (depth[a], not published[a], published[a], order[a]))


def _graph(ctx: _Context, columns: Sequence[Sequence[str]], *, has_singles: bool) -> Graph:
    headers: list[tuple[float, float, str]] = []
    boxes: list[GraphBox] = []
    edges: list[GraphEdge] = []
    row_top, row_height = float(MARGIN), 0.0
    for n, column in enumerate(columns):
        if n and n % MAX_COLS == 0:
            row_top += row_height + V_GAP
            row_height = 0.0
        x = MARGIN + (n % MAX_COLS) * (BOX_W + COL_GAP)
        single = has_singles and n == len(columns) - 1
        order = list(column) if single else _column_order(ctx, column)
        headers.append((x, row_top + 14, "no reuse found" if single else f"family {n + 1}"))
        top = row_top + HEAD
        boxes += [
            _graph_box(ctx, a, x, top + i * (BOX_H + V_GAP), single) for i, a in enumerate(order)
        ]
        if not single:
            position = {article_id: i for i, article_id in enumerate(order)}
            edges += [
                _graph_edge(ctx, i, e, x, top, position)
                for i, e in family_edges(column, ctx.brief.reuse)
            ]
        row_height = max(row_height, HEAD + len(order) * (BOX_H + V_GAP) - V_GAP)
    width = MARGIN + min(len(columns), MAX_COLS) * (BOX_W + COL_GAP) - COL_GAP / 3
    return Graph(
        width=width,
        height=row_top + row_height + MARGIN,
        box_w=BOX_W,
        box_h=BOX_H,
        headers=headers,
        boxes=boxes,
        edges=edges,
    )


def _graph_box(ctx: _Context, article_id: str, x: float, y: float, single: bool) -> GraphBox:
    ref = ctx.ref(article_id)
    line1 = f"{ref.label} · {ref.outlet}" if ref.outlet else ref.label
    tip = " · ".join(p for p in (ref.label, ref.outlet, ref.title, ref.published) if p)
    return GraphBox(
        x=x,
        y=y,
        href=ref.href,
        line1=_short(line1, 25),
        line2=_short(ref.title, 29),
        tip=tip,
        single=single,
    )


def _graph_edge(
    ctx: _Context, index: int, edge: Reuse, x: float, top: float, position: dict[str, int]
) -> GraphEdge:
    i, j = position[edge.source_id], position[edge.target_id]

    def y_of(k: int) -> float:
        return top + k * (BOX_H + V_GAP)

    if abs(i - j) == 1:
        cx = x + BOX_W / 2
        y1, y2 = (y_of(i) + BOX_H, y_of(j)) if i < j else (y_of(i), y_of(j) + BOX_H)
        path, lx, ly = f"M{cx},{y1} L{cx},{y2}", cx + 7, (y1 + y2) / 2 + 4
    else:
        xr, y1, y2 = x + BOX_W, y_of(i) + BOX_H / 2, y_of(j) + BOX_H / 2
        bulge = min(36 + 16 * abs(i - j), COL_GAP - 60)
        path = f"M{xr},{y1} C{xr + bulge},{y1} {xr + bulge},{y2} {xr},{y2}"
        lx, ly = xr + bulge * 0.75 + 4, (y1 + y2) / 2 + 4
    kind = "shared upstream" if edge.kind == "shared_upstream" else edge.kind
    return GraphEdge(
        path=path,
        kind=edge.kind,
        label=f"{kind} {edge.score:.2f}",
        lx=lx,
        ly=ly,
        href=f"#reuse-{index}",
        arrow=edge.kind != "shared_upstream",
    )


# ---------------------------------------------------------------- claims, quotes, reuse


def _step_links(ctx: _Context, step: str) -> list[Link]:
    """A chain step with article ids replaced by linked labels."""
    links: list[Link] = []
    for word in step.split(" "):
        if word in ctx.by_id:
            links.append(Link(text=ctx.labels[word], href=ctx.ref(word).href))
        elif links and not links[-1].href:
            links[-1] = Link(text=f"{links[-1].text} {word}")
        else:
            links.append(Link(text=word))
    return links


def _claim_view(ctx: _Context, claim: Claim) -> ClaimView:
    n = ctx.numbers[claim.id]
    return ClaimView(
        number=n,
        anchor=anchor("claim", claim.id),
        statement=claim.statement,
        articles=len(mentioning_articles(claim)),
        independent=claim.independent_count,
        disputed=is_disputed(claim),
        origins=[
            OriginView(
                kind=o.kind,
                name=o.name,
                evidence=[
                    Link(
                        text=f"{label_for(ctx.labels, e.article_id)}: {_short(e.text, 90)}",
                        href=ctx.ref(e.article_id).href,
                    )
                    for e in o.evidence
                ],
            )
            for o in claim.origins
        ],
        stances=stance_counts(claim),
        conflicts=[
            Link(text=f"#{ctx.numbers.get(c, c)}", href="#" + anchor("claim", c))
            for c in claim.conflicts_with
        ],
        chains=[
            ChainView(
                article=ctx.ref(c.article_id),
                steps=[_step_links(ctx, s) for s in c.steps],
                origin=c.origin,
            )
            for c in claim.chains
        ],
        mentions=[
            MentionView(
                article=ctx.ref(m.article_id),
                href=ctx.href(f"mention-{n}-{j}", m.article_id),
                stance=m.stance,
                text=m.text,
            )
            for j, m in enumerate(claim.mentions)
        ],
    )


def _quote_groups(ctx: _Context) -> list[QuoteGroup]:
    index = {id(q): i for i, q in enumerate(ctx.brief.quotes)}
    return [
        QuoteGroup(
            speaker=speaker,
            kind=kind,
            quotes=[
                QuoteView(
                    text=bare_quote(q.text) if q.direct else q.text,
                    href=ctx.href(f"quote-{index[id(q)]}", q.article_id),
                    article=ctx.ref(q.article_id),
                    cue=q.cue or "",
                    direct=q.direct,
                )
                for q in quotes
            ],
        )
        for speaker, kind, quotes in quotes_by_speaker(ctx.brief.quotes)
    ]


def _citations(ctx: _Context) -> list[SpanView]:
    rows = [
        SpanView(
            article=ctx.ref(c.article_id),
            href=ctx.href(f"cite-{i}", c.article_id),
            kind=c.outlet,
            text=c.text,
            note="",
        )
        for i, c in enumerate(ctx.brief.citations)
    ]
    return sorted(rows, key=lambda r: (r.kind.lower(), r.article.label))


def _flags(ctx: _Context) -> list[SpanView]:
    return [
        SpanView(
            article=ctx.ref(f.article_id),
            href=ctx.href(f"flag-{i}", f.article_id),
            kind=f.kind,
            text=f.text,
            note=f.evidence,
        )
        for i, f in enumerate(ctx.brief.flags)
    ]


def _pair_view(pair: AlignedPair) -> PairView:
    subs = list(pair.substitutions)
    to_target = {a: f"became “{b}”" for a, b in subs}
    from_source = {b: f"was “{a}”" for a, b in subs}
    source = word_marks(pair.source.text, (a for a, _ in subs), "sub", to_target)
    target = word_marks(pair.target.text, (b for _, b in subs), "sub", from_source)
    return PairView(
        source=highlight(pair.source.text, source),
        target=highlight(pair.target.text, target),
        kind=pair.kind,
        similarity=pair.similarity,
        substitutions=subs,
    )


def _reuse_views(ctx: _Context) -> list[ReuseView]:
    return [
        ReuseView(
            anchor=f"reuse-{i}",
            text=edge_text(edge, ctx.labels),
            kind=edge.kind,
            edge=edge,
            source=ctx.ref(edge.source_id),
            target=ctx.ref(edge.target_id),
            pairs=[_pair_view(p) for p in edge.aligned],
            open=any(p.substitutions for p in edge.aligned),
        )
        for i, edge in enumerate(ctx.brief.reuse)
    ]


# ---------------------------------------------------------------- rendering


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(brief: Brief, *, title: str | None = None) -> str:
    """Render ``brief`` as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    ctx = _Context(brief)
    articles = _articles(ctx)  # first: it records which spans got marked
    summary = verdict(brief)
    return (
        _environment()
        .get_template("brief.html.j2")
        .render(
            title=title or default_title(brief),
            verdict=summary,
            stories=_stories(ctx),
            show_story_titles=bool(brief.stories),
            claims=[_claim_view(ctx, c) for c in brief.claims],
            quote_groups=_quote_groups(ctx),
            citations=_citations(ctx),
            reuse=_reuse_views(ctx),
            flags=_flags(ctx),
            articles=articles,
            skipped=brief.skipped,
        )
    )
