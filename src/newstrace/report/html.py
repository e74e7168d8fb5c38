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
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newstrace.model import (
    AlignedPair,
    Article,
    Brief,
    Claim,
    Flag,
    Origin,
    Quote,
    Reuse,
    two_languages,
)
from newstrace.report._graph_layout import Layout
from newstrace.report._graph_view import story_graph
from newstrace.report._sections import (
    Link,
    article_names,
    article_title,
    names_pattern,
    origin_rows,
    step_links,
    timeline_rows,
)
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
_WORD = re.compile(r"[\w-]+")
LEGEND = (
    ("verbatim", "verbatim copy"),
    ("abridged", "abridged"),
    ("extended", "extended"),
    ("spun", "spun (words swapped)"),
    ("rewritten", "rewritten"),
    ("partial", "partial"),
    ("shared_upstream", "shared unseen upstream"),
    ("cites", "cites the outlet"),
)


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
    undecided: bool  # no evidence ordered the two: ``source``/``target`` is arbitrary
    languages: str  # "de → en" when the two are in different languages, else ""


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
    graph: Layout


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
class QuoteView:
    """A quote with the words a quality flag found altered marked."""

    span: SpanView
    segments: list[Segment]
    altered: list[str]
    also: list[SpanView]
    versions: list[tuple[str, list[Segment]]] = field(default_factory=list)  # (where, wording)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteGroup:
    speaker: str
    kind: str
    quotes: list[QuoteView]
    count: int


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
        self.names = article_names(brief.articles)
        self.pattern = names_pattern(self.names)

    def display(self, name: str) -> str:
        """An origin name with the article files it names (``own reporting of 002_x.txt``)
        replaced by the articles' labels (``own reporting of article C``)."""
        if self.pattern is None:
            return name
        return self.pattern.sub(
            lambda m: f"article {label_for(self.labels, self.names[m.group(0)])}", name
        )

    def named(self, text: str) -> str:
        """``text`` with the article ids it mentions replaced by their labels."""
        return _WORD.sub(lambda m: self.labels.get(m.group(0), m.group(0)), text)

    def article_href(self, article_id: str) -> str:
        return "#" + anchor("article", article_id)

    def claim_href(self, claim_id: str) -> str:
        return "#" + anchor("claim", claim_id)

    def ref(self, article_id: str) -> ArticleRef:
        article = self.by_id.get(article_id)
        return ArticleRef(
            id=article_id,
            label=label_for(self.labels, article_id),
            title=article_title(article) if article else "(not in this brief)",
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

    def cite_href(self, article_id: str, outlet: str) -> str:
        """The first marked citation of ``outlet`` in an article, else the article."""
        for i, c in enumerate(self.brief.citations):
            same = c.article_id == article_id and c.outlet.lower() == outlet.lower()
            if same and f"cite-{i}" in self.rendered:
                return f"#cite-{i}"
        return "#" + anchor("article", article_id)


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
) -> Layout:
    """The story's provenance graph, laid out (see ``_graph_view``)."""
    return story_graph(ctx.brief, groups, singles, ctx.ref, ctx.cite_href)


# ---------------------------------------------------------------- claims, quotes, reuse


def _step_links(ctx: _Context, step: str) -> list[Link]:
    """A chain step with the articles it names replaced by linked labels."""
    return step_links(step, ctx.pattern, ctx.names, ctx.labels, ctx.article_href)


def _origin_view(ctx: _Context, origin: Origin) -> OriginView:
    evidence = [
        Link(
            f"{label_for(ctx.labels, e.article_id)}: {shorten(e.text, 90)}",
            ctx.ref(e.article_id).href,
        )
        for e in origin.evidence
    ]
    return OriginView(kind=origin.kind, name=ctx.display(origin.name), evidence=evidence)


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
                origin=ctx.display(c.origin),
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
    flags: dict[str, list[Flag]] = {}
    for flag in ctx.brief.flags:
        if flag.start < flag.end:
            flags.setdefault(flag.article_id, []).append(flag)

    def view(q: Quote) -> QuoteView:
        text = bare_quote(q.text) if q.direct else q.text
        note = "direct" if q.direct else "reported"
        span = ctx.span(f"quote-{index[id(q)]}", q.article_id, text, q.cue or "", note)
        inside = [f for f in flags.get(q.article_id, []) if q.start <= f.start and f.end <= q.end]
        shift = q.start + max(q.text.find(text), 0)
        marks, evidence, versions = [], [], []
        for f in inside:
            other = _other_wording(f) if f.kind == "altered_quote" else None
            if other is None:
                title = f"{f.kind}: {f.evidence}"
                marks.append(Mark(f.start - shift, f.end - shift, "sub", title=title))
                evidence.append(f"{f.kind.replace('_', ' ')}: {ctx.named(f.evidence)}")
                continue
            wording, where = other
            wording = bare_quote(wording) if q.direct else wording
            where = ctx.named(where)
            ours, theirs = word_changes(text, wording)
            marks += [Mark(a, b, "sub", title=f"differs from {where}") for a, b in ours]
            evidence.append(f"altered quote: the words marked differ from {where}")
            versions.append((where, highlight(wording, [Mark(a, b, "was") for a, b in theirs])))
        segments = highlight(text, marks)
        return QuoteView(span=span, segments=segments, altered=evidence, also=[], versions=versions)

    return [
        QuoteGroup(
            speaker=speaker,
            kind=kind,
            quotes=_merge_same(view(q) for q in quotes),
            count=len(quotes),
        )
        for speaker, kind, quotes in quotes_by_speaker(ctx.brief.quotes)
    ]


_ALTERED = re.compile(
    r"^quote reads “(?P<ours>.*)” here but “(?P<theirs>.*)” in (?P<where>[^“”]+)$", re.S
)


def _other_wording(flag: Flag) -> tuple[str, str] | None:
    """``(other wording, articles carrying it)`` from an altered-quote flag's evidence."""
    found = _ALTERED.match(flag.evidence)
    return (found["theirs"], found["where"]) if found else None


def word_changes(ours: str, theirs: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words that differ between two wordings, in each of them.

    Words are compared without case and punctuation, so that only substituted,
    added or dropped words are marked, not a changed comma.
    """
    a = [(m.start(), m.end()) for m in re.finditer(r"\S+", ours)]
    b = [(m.start(), m.end()) for m in re.finditer(r"\S+", theirs)]
    key_a = [re.sub(r"\W", "", ours[i:j].lower()) for i, j in a]
    key_b = [re.sub(r"\W", "", theirs[i:j].lower()) for i, j in b]
    in_ours: list[tuple[int, int]] = []
    in_theirs: list[tuple[int, int]] = []
    matcher = SequenceMatcher(None, key_a, key_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            in_ours.append((a[i1][0], a[i2 - 1][1]))
        if j2 > j1:
            in_theirs.append((b[j1][0], b[j2 - 1][1]))
    return in_ours, in_theirs


def _merge_same(views: Iterable[QuoteView]) -> list[QuoteView]:
    """One line per wording: the same words in several articles list those articles."""
    merged: dict[str, QuoteView] = {}
    for view in views:
        key = view.span.note + " ".join(re.findall(r"\w+", view.span.text.lower()))
        if key in merged and not view.altered:
            merged[key].also.append(view.span)
        else:
            merged.setdefault(key if not view.altered else f"{key}#{len(merged)}", view)
    return list(merged.values())


def _citations(ctx: _Context) -> list[SpanView]:
    rows = [
        ctx.span(f"cite-{i}", c.article_id, c.text, c.outlet)
        for i, c in enumerate(ctx.brief.citations)
    ]
    return sorted(rows, key=lambda r: (r.kind.lower(), r.article.label))


def _flags(ctx: _Context) -> list[SpanView]:
    return [
        ctx.span(f"flag-{i}", f.article_id, f.text, f.kind, ctx.named(f.evidence))
        for i, f in enumerate(ctx.brief.flags)
    ]


def _pair_view(pair: AlignedPair, *, translated: bool = False) -> PairView:
    """Both sides of an aligned pair: swapped words marked on each side, words
    only the source has marked dropped and words only the copy has marked added
    (not across two languages, where nearly every word would be)."""
    subs = pair.substitutions
    to_target = {a: f"became “{b}”" for a, b in subs}
    from_source = {b: f"was “{a}”" for a, b in subs}
    source = word_marks(pair.source.text, (a for a, _ in subs), "sub", to_target)
    target = word_marks(pair.target.text, (b for _, b in subs), "sub", from_source)
    if not translated:
        dropped, added = _word_diff(pair.source.text, pair.target.text)
        source += [Mark(a, b, "drop", title="not in the copy", priority=1) for a, b in dropped]
        target += [Mark(a, b, "add", title="not in the source", priority=1) for a, b in added]
    return PairView(
        source=highlight(pair.source.text, source),
        target=highlight(pair.target.text, target),
        kind=pair.kind,
        similarity=pair.similarity,
    )


_DIFF_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _word_diff(source: str, target: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words only ``source`` has and of those only
    ``target`` has (a case-blind word diff); the words both have are kept."""
    first = [(m.start(), m.end(), _diff_key(m.group())) for m in _DIFF_WORD.finditer(source)]
    second = [(m.start(), m.end(), _diff_key(m.group())) for m in _DIFF_WORD.finditer(target)]
    matcher = SequenceMatcher(None, [w for *_, w in first], [w for *_, w in second], autojunk=False)
    dropped: list[tuple[int, int]] = []
    added: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        dropped += [(start, end) for start, end, _ in first[i1:i2]]
        added += [(start, end) for start, end, _ in second[j1:j2]]
    return dropped, added


def _diff_key(word: str) -> str:
    return word.casefold().replace("’", "'")


def _reuse_views(ctx: _Context) -> list[ReuseView]:
    return [_reuse_view(ctx, i, edge) for i, edge in enumerate(ctx.brief.reuse)]


def _reuse_view(ctx: _Context, index: int, edge: Reuse) -> ReuseView:
    languages = _languages(ctx.brief, edge)
    return ReuseView(
        anchor=f"reuse-{index}",
        kind=edge.kind,
        edge=edge,
        source=ctx.ref(edge.source_id),
        target=ctx.ref(edge.target_id),
        pairs=[_pair_view(p, translated=bool(languages)) for p in _shown_pairs(edge)],
        open=any(p.substitutions for p in edge.aligned) or bool(edge.paraphrases),
        undecided=edge.undecided,
        languages=languages,
    )


def _languages(brief: Brief, edge: Reuse) -> str:
    """``"de → en"`` when a link joins articles in two languages (a translation), else ""."""
    source = brief.article(edge.source_id).language
    target = brief.article(edge.target_id).language
    if not two_languages(source, target):
        return ""
    return f"{source} ↔ {target}" if edge.undecided else f"{source} → {target}"


def _shown_pairs(edge: Reuse) -> list[AlignedPair]:
    """The aligned pairs of a link, then its paraphrases of other sentence pairs:
    a pair both aligned and paraphrased is shown once, with its word swaps."""
    aligned = {(p.source.start, p.target.start) for p in edge.aligned}
    return [
        *edge.aligned,
        *(p for p in edge.paraphrases if (p.source.start, p.target.start) not in aligned),
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


def render_template(name: str, **values: object) -> str:
    """Render one of the report templates (autoescaped) with ``values``."""
    return _environment().get_template(name).render(**values)


def render_html(brief: Brief, *, title: str | None = None, back: str | None = None) -> str:
    """Render ``brief`` as one self-contained HTML page (inline CSS and SVG, no scripts).

    ``back``, when given, is a relative link (e.g. ``index.html``) shown above the title.
    """
    ctx = _Context(brief)
    articles = _articles(ctx)  # first: it records which spans got marked
    reuse = _reuse_views(ctx)
    template = _environment().get_template("brief.html.j2")
    return template.render(
        title=title or default_title(brief),
        back=back,
        verdict=verdict(brief),
        stories=_stories(ctx, reuse),
        show_story_titles=bool(brief.stories),
        legend=LEGEND,
        claims=[_claim_view(ctx, c) for c in brief.claims],
        origins=[
            replace(row, name=ctx.display(row.name))
            for row in origin_rows(brief, ctx.numbers, ctx.claim_href, ctx.article_href, ctx.labels)
        ],
        timeline=timeline_rows(brief, ctx.labels, ctx.article_href),
        quote_groups=_quote_groups(ctx),
        citations=_citations(ctx),
        reuse=reuse,
        flags=_flags(ctx),
        articles=articles,
        skipped=brief.skipped,
    )


def article_segments(brief: Brief, article_id: str) -> list[Segment]:
    """An article's cleaned text cut into plain and marked segments (quotes, citations,
    claim mentions and flags, with the anchors the full brief uses)."""
    marks = _article_marks(_Context(brief))
    return highlight(brief.article(article_id).text, marks.get(article_id, []))


def marked_anchors(brief: Brief) -> set[str]:
    """The anchors (``quote-3``, ``mention-2-0``, ...) that won their place in the
    highlighted article texts; a link to any other span should fall back to its article."""
    ctx = _Context(brief)
    _articles(ctx)
    return ctx.rendered
