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

from newstrace.model import AlignedPair, Article, Brief, Claim, Origin, Quote, Reuse
from newstrace.report._view import (
    Edges,
    article_labels,
    bare_quote,
    default_title,
    families_with_edges,
    is_disputed,
    label_for,
    mentioning_articles,
    quotes_by_speaker,
    shorten,
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


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str = ""


@dataclass(frozen=True, slots=True)
class SpanView:
    """A linked piece of an article: a mention (``kind`` = stance), a quote
    (``kind`` = cue, ``note`` = "direct" or "reported"), a citation (``kind`` =
    cited outlet) or a flag (``kind`` = flag kind, ``note`` = evidence)."""

    article: ArticleRef
    href: str
    text: str
    kind: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PairView:
    source: list[Segment]
    target: list[Segment]
    kind: str
    similarity: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ReuseView:
    anchor: str
    kind: str
    edge: Reuse
    source: ArticleRef
    target: ArticleRef
    pairs: list[PairView]
    open: bool


@dataclass(frozen=True, slots=True)
class GraphBox:
    x: float
    y: float
    href: str
    line1: str
    line2: str
    tip: str
    single: bool


@dataclass(frozen=True, slots=True)
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
    headers: list[tuple[float, float, str]]
    boxes: list[GraphBox]
    edges: list[GraphEdge]
    box_w: float = BOX_W
    box_h: float = BOX_H


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyView:
    number: int
    articles: list[ArticleRef]
    edges: list[ReuseView]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryView:
    anchor: str
    title: str
    count: int
    families: list[FamilyView]
    singles: list[ArticleRef]
    graph: Graph


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
    mentions: list[SpanView]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteGroup:
    speaker: str
    kind: str
    quotes: list[SpanView]


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleView:
    ref: ArticleRef
    anchor: str
    article: Article
    segments: list[Segment]


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

    def span(
        self, mark: str, article_id: str, text: str, kind: str = "", note: str = ""
    ) -> SpanView:
        """A span linked to its mark, or to its article when the mark lost an overlap."""
        href = "#" + (mark if mark in self.rendered else anchor("article", article_id))
        return SpanView(self.ref(article_id), href, text, kind, note)


def _article_marks(ctx: _Context) -> dict[str, list[Mark]]:
    brief = ctx.brief
    marks: dict[str, list[Mark]] = {a.id: [] for a in brief.articles}

    def add(article_id: str, mark: Mark) -> None:
        marks.setdefault(article_id, []).append(mark)

    for i, f in enumerate(brief.flags):
        add(f.article_id, Mark(f.start, f.end, "flag", f"flag-{i}", f"flag: {f.kind}", 0))
    for i, q in enumerate(brief.quotes):
        title = f"quote · {q.speaker or 'unattributed'}"
        add(q.article_id, Mark(q.start, q.end, "quote", f"quote-{i}", title, 1))
    for i, c in enumerate(brief.citations):
        add(c.article_id, Mark(c.start, c.end, "cite", f"cite-{i}", f"cites {c.outlet}", 2))
    for claim in brief.claims:
        n = ctx.numbers[claim.id]
        for j, m in enumerate(claim.mentions):
            title = f"claim {n} · {m.stance}"
            add(m.article_id, Mark(m.start, m.end, "claim", f"mention-{n}-{j}", title, 3))
    return marks


def _articles(ctx: _Context) -> list[ArticleView]:
    """The article views; records in ``ctx.rendered`` which marks made it in."""
    views = []
    all_marks = _article_marks(ctx)
    for article in ctx.brief.articles:
        segments = highlight(article.text, all_marks[article.id])
        ctx.rendered.update(seg.anchor for seg in segments if seg.anchor)
        ref = ctx.ref(article.id)
        views.append(ArticleView(ref=ref, anchor=ref.href[1:], article=article, segments=segments))
    return views


def _stories(ctx: _Context, reuse: list[ReuseView]) -> list[StoryView]:
    views = []
    for story_id, title, ids in story_groups(ctx.brief):
        families = families_with_edges(ids, ctx.brief.reuse)
        groups = [(family, edges) for family, edges in families if len(family) > 1]
        singles = [family[0] for family, _ in families if len(family) == 1]
        family_views = [
            FamilyView(
                number=n,
                articles=[ctx.ref(i) for i in _column_order(ctx, family, edges)],
                edges=[reuse[i] for i, _ in edges],
            )
            for n, (family, edges) in enumerate(groups, start=1)
        ]
        views.append(
            StoryView(
                anchor=anchor("story", story_id),
                title=title,
                count=len(ids),
                families=family_views,
                singles=[ctx.ref(i) for i in singles],
                graph=_graph(ctx, groups, singles),
            )
        )
    return views


# ---------------------------------------------------------------- provenance graph


def _column_order(ctx: _Context, family: Sequence[str], edges: Edges) -> list[str]:
    """Family members, copied-from articles above their copies."""
    directed = [(e.source_id, e.target_id) for _, e in edges if e.kind != "shared_upstream"]
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


def _graph(
    ctx: _Context, groups: Sequence[tuple[tuple[str, ...], Edges]], singles: Sequence[str]
) -> Graph:
    """Lay families out as columns of boxes, at most ``MAX_COLS`` to a row.

    A last column gathers the ``singles``, the articles no reuse links.
    """
    headers: list[tuple[float, float, str]] = []
    boxes: list[GraphBox] = []
    lines: list[GraphEdge] = []
    columns = [*groups, (tuple(singles), [])] if singles else list(groups)
    row_top, row_height = float(MARGIN), 0.0
    for n, (column, edges) in enumerate(columns):
        if n and n % MAX_COLS == 0:
            row_top += row_height + V_GAP
            row_height = 0.0
        x = MARGIN + (n % MAX_COLS) * (BOX_W + COL_GAP)
        single = bool(singles) and n == len(columns) - 1
        order = list(column) if single else _column_order(ctx, column, edges)
        headers.append((x, row_top + 14, "no reuse found" if single else f"family {n + 1}"))
        top = row_top + HEAD
        boxes += [_box(ctx, a, x, top + i * (BOX_H + V_GAP), single) for i, a in enumerate(order)]
        position = {article_id: i for i, article_id in enumerate(order)}
        lines += [_line(i, e, x, top, position) for i, e in edges]
        row_height = max(row_height, HEAD + len(order) * (BOX_H + V_GAP) - V_GAP)
    width = MARGIN + min(len(columns), MAX_COLS) * (BOX_W + COL_GAP) - COL_GAP / 3
    height = row_top + row_height + MARGIN
    return Graph(width=width, height=height, headers=headers, boxes=boxes, edges=lines)


def _box(ctx: _Context, article_id: str, x: float, y: float, single: bool) -> GraphBox:
    ref = ctx.ref(article_id)
    line1 = shorten(f"{ref.label} · {ref.outlet}" if ref.outlet else ref.label, 25)
    tip = " · ".join(p for p in (ref.label, ref.outlet, ref.title, ref.published) if p)
    return GraphBox(x, y, ref.href, line1, shorten(ref.title, 29), tip, single)


def _line(index: int, edge: Reuse, x: float, top: float, position: dict[str, int]) -> GraphEdge:
    """A straight arrow between neighbours, else a curve bulging right of the column."""
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
    label = f"{edge.kind.replace('_', ' ')} {edge.score:.2f}"
    arrow = edge.kind != "shared_upstream"
    return GraphEdge(path, edge.kind, label, lx, ly, f"#reuse-{index}", arrow)


# ---------------------------------------------------------------- claims, quotes, reuse


def _step_links(ctx: _Context, step: str) -> list[Link]:
    """A chain step with article ids replaced by linked labels."""
    links: list[Link] = []
    for word in step.split(" "):
        if word in ctx.by_id:
            links.append(Link(ctx.labels[word], ctx.ref(word).href))
        elif links and not links[-1].href:
            links[-1] = Link(f"{links[-1].text} {word}")
        else:
            links.append(Link(word))
    return links


def _origin_view(ctx: _Context, origin: Origin) -> OriginView:
    evidence = [
        Link(
            f"{label_for(ctx.labels, e.article_id)}: {shorten(e.text, 90)}",
            ctx.ref(e.article_id).href,
        )
        for e in origin.evidence
    ]
    return OriginView(kind=origin.kind, name=origin.name, evidence=evidence)


def _claim_view(ctx: _Context, claim: Claim) -> ClaimView:
    n = ctx.numbers[claim.id]
    return ClaimView(
        number=n,
        anchor=anchor("claim", claim.id),
        statement=claim.statement,
        articles=len(mentioning_articles(claim)),
        independent=claim.independent_count,
        disputed=is_disputed(claim),
        origins=[_origin_view(ctx, o) for o in claim.origins],
        stances=stance_counts(claim),
        conflicts=[
            Link(f"#{ctx.numbers[c]}", "#" + anchor("claim", c)) if c in ctx.numbers else Link(c)
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
            ctx.span(f"mention-{n}-{j}", m.article_id, m.text, m.stance)
            for j, m in enumerate(claim.mentions)
        ],
    )


def _quote_groups(ctx: _Context) -> list[QuoteGroup]:
    index = {id(q): i for i, q in enumerate(ctx.brief.quotes)}

    def view(q: Quote) -> SpanView:
        text = bare_quote(q.text) if q.direct else q.text
        note = "direct" if q.direct else "reported"
        return ctx.span(f"quote-{index[id(q)]}", q.article_id, text, q.cue or "", note)

    return [
        QuoteGroup(speaker=speaker, kind=kind, quotes=[view(q) for q in quotes])
        for speaker, kind, quotes in quotes_by_speaker(ctx.brief.quotes)
    ]


def _citations(ctx: _Context) -> list[SpanView]:
    rows = [
        ctx.span(f"cite-{i}", c.article_id, c.text, c.outlet)
        for i, c in enumerate(ctx.brief.citations)
    ]
    return sorted(rows, key=lambda r: (r.kind.lower(), r.article.label))


def _flags(ctx: _Context) -> list[SpanView]:
    return [
        ctx.span(f"flag-{i}", f.article_id, f.text, f.kind, f.evidence)
        for i, f in enumerate(ctx.brief.flags)
    ]


def _pair_view(pair: AlignedPair) -> PairView:
    """Both sides of an aligned pair, the swapped words marked on each side."""
    subs = pair.substitutions
    to_target = {a: f"became “{b}”" for a, b in subs}
    from_source = {b: f"was “{a}”" for a, b in subs}
    source = word_marks(pair.source.text, (a for a, _ in subs), "sub", to_target)
    target = word_marks(pair.target.text, (b for _, b in subs), "sub", from_source)
    return PairView(
        source=highlight(pair.source.text, source),
        target=highlight(pair.target.text, target),
        kind=pair.kind,
        similarity=pair.similarity,
    )


def _reuse_views(ctx: _Context) -> list[ReuseView]:
    return [
        ReuseView(
            anchor=f"reuse-{i}",
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
    reuse = _reuse_views(ctx)
    template = _environment().get_template("brief.html.j2")
    return template.render(
        title=title or default_title(brief),
        verdict=verdict(brief),
        stories=_stories(ctx, reuse),
        show_story_titles=bool(brief.stories),
        claims=[_claim_view(ctx, c) for c in brief.claims],
        quote_groups=_quote_groups(ctx),
        citations=_citations(ctx),
        reuse=reuse,
        flags=_flags(ctx),
        articles=articles,
        skipped=brief.skipped,
    )
