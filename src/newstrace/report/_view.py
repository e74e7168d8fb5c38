"""Display helpers both renderers share.

Article labels (A, B, C, ...), copy families, the verdict line and the claim
and quote summaries. They only group, sort and count records the pipeline
made; nothing here recomputes an analysis.

A copy family is a connected component of the reuse edges (shared upstream
included); an article no edge touches is a family of its own. A claim is
*disputed* when it conflicts with another claim or an article denies it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newstrace.model import Article, Brief, Claim, Quote, Reuse

STANCE_ORDER: tuple[str, ...] = ("asserted", "attributed", "hedged", "uncertain", "denied")
_QUOTE_MARKS = "\"'“”‘’„«»"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 claim"``, ``"2 claims"``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def label_of(index: int) -> str:
    """Spreadsheet-style label for the ``index``-th article: A..Z, AA, AB, ..."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def article_labels(articles: Sequence[Article]) -> dict[str, str]:
    """Short labels for the articles, in brief order."""
    return {article.id: label_of(i) for i, article in enumerate(articles)}


def label_for(labels: dict[str, str], article_id: str) -> str:
    """The label of an article, or a short id for an article the brief lacks."""
    return labels.get(article_id, article_id[:8])


Edges = list[tuple[int, Reuse]]


def copy_families(article_ids: Sequence[str], reuse: Sequence[Reuse]) -> list[tuple[str, ...]]:
    """Connected components of ``reuse`` over ``article_ids``, singletons included."""
    return [members for members, _ in families_with_edges(article_ids, reuse)]


def families_with_edges(
    article_ids: Sequence[str], reuse: Sequence[Reuse]
) -> list[tuple[tuple[str, ...], Edges]]:
    """Copy families over ``article_ids``, each with its edges and their index in ``reuse``.

    Edges with an end outside ``article_ids`` are ignored. Families are ordered
    by size (largest first), then by first appearance; members keep the order
    of ``article_ids``.
    """
    parent = {article_id: article_id for article_id in article_ids}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    inside = [
        (i, e) for i, e in enumerate(reuse) if e.source_id in parent and e.target_id in parent
    ]
    for _, edge in inside:
        parent[find(edge.source_id)] = find(edge.target_id)
    groups: dict[str, list[str]] = {}
    for article_id in article_ids:
        groups.setdefault(find(article_id), []).append(article_id)
    edges: dict[str, Edges] = {}
    for i, edge in inside:
        edges.setdefault(find(edge.source_id), []).append((i, edge))
    order = {article_id: i for i, article_id in enumerate(article_ids)}
    families = [(tuple(members), edges.get(root, [])) for root, members in groups.items()]
    return sorted(families, key=lambda f: (-len(f[0]), order[f[0][0]]))


def story_groups(brief: Brief) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(story id, title, article ids)`` per story; all articles when there are none.

    Articles that no story holds are gathered in a last "Other articles" group.
    """
    known = {article.id for article in brief.articles}
    if not brief.stories:
        return [("all", "All articles", tuple(a.id for a in brief.articles))]
    groups = [
        (
            story.id,
            story.title or "Untitled story",
            tuple(i for i in story.article_ids if i in known),
        )
        for story in brief.stories
    ]
    placed = {i for story in brief.stories for i in story.article_ids}
    rest = tuple(a.id for a in brief.articles if a.id not in placed)
    if rest:
        groups.append(("other", "Other articles", rest))
    return groups


def is_disputed(claim: Claim) -> bool:
    """A claim another claim contradicts, or one an article denies."""
    return bool(claim.conflicts_with) or any(m.stance == "denied" for m in claim.mentions)


def mentioning_articles(claim: Claim) -> tuple[str, ...]:
    """The distinct articles mentioning a claim, in mention order."""
    return tuple(dict.fromkeys(m.article_id for m in claim.mentions))


def stance_counts(claim: Claim) -> list[tuple[str, int]]:
    """``(stance, number of mentions)`` in a fixed stance order."""
    counts: Counter[str] = Counter(m.stance for m in claim.mentions)
    known = [(s, counts[s]) for s in STANCE_ORDER if counts[s]]
    return known + sorted((s, n) for s, n in counts.items() if s not in STANCE_ORDER)


def quotes_by_speaker(quotes: Iterable[Quote]) -> list[tuple[str, str, list[Quote]]]:
    """``(speaker, speaker kind, quotes)``, most quoted first; ``None`` is "unattributed"."""
    groups: dict[str, list[Quote]] = {}
    for quote in quotes:
        groups.setdefault(quote.speaker or "unattributed", []).append(quote)
    rows = [(speaker, _speaker_kind(items), items) for speaker, items in groups.items()]
    return sorted(rows, key=lambda row: (-len(row[2]), row[0] == "unattributed", row[0].lower()))


def _speaker_kind(quotes: Sequence[Quote]) -> str:
    if quotes[0].speaker is None:
        return "unknown"
    return Counter(q.speaker_kind for q in quotes).most_common(1)[0][0]


def bare_quote(text: str) -> str:
    """A direct quote without its own quotation marks and trailing comma, for display."""
    bare = text.strip().strip(_QUOTE_MARKS).rstrip(",").strip()
    return bare or text


def edge_text(edge: Reuse, labels: dict[str, str]) -> str:
    """``"B ← A verbatim 0.98"``; ``"A ↔ B shared upstream 0.87"``;
    ``"A ↔ B rewritten 0.66, direction undecided"``."""
    source, target = label_for(labels, edge.source_id), label_for(labels, edge.target_id)
    if edge.kind == "shared_upstream":
        return f"{source} ↔ {target} shared upstream {edge.score:.2f}"
    if edge.undecided:
        return f"{source} ↔ {target} {edge.kind} {edge.score:.2f}, direction undecided"
    return f"{target} ← {source} {edge.kind} {edge.score:.2f}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The counts of the one-line verdict."""

    articles: int
    outlets: int
    families: int
    origins: int
    claims: int
    disputed: int
    flags: int
    skipped: int

    def parts(self) -> list[tuple[str, str]]:
        """``(text, section anchor)`` per figure; flags and skips only when present."""
        parts = [
            (plural(self.articles, "article"), "articles"),
            (
                plural(self.outlets, "outlet")
                if self.outlets or not self.articles
                else "outlets not given",
                "articles",
            ),
            (plural(self.families, "copy family", "copy families"), "families"),
            (plural(self.origins, "independent origin"), "origins"),
            (plural(self.claims, "claim"), "claims"),
            (plural(self.disputed, "disputed claim"), "claims"),
        ]
        if self.flags:
            parts.append((plural(self.flags, "quality flag"), "flags"))
        if self.skipped:
            parts.append((plural(self.skipped, "skipped input"), "skipped"))
        return parts

    def line(self) -> str:
        """``"11 articles · 8 outlets · 4 copy families · 5 independent origins · …"``."""
        return " · ".join(text for text, _ in self.parts())


def verdict(brief: Brief) -> Verdict:
    """Count what the verdict line shows."""
    ids = [article.id for article in brief.articles]
    return Verdict(
        articles=len(brief.articles),
        outlets=len({a.outlet.strip().lower() for a in brief.articles if a.outlet}),
        families=len(copy_families(ids, brief.reuse)),
        origins=len(distinct_origins(brief.claims)),
        claims=len(brief.claims),
        disputed=sum(is_disputed(c) for c in brief.claims),
        flags=len(brief.flags),
        skipped=len(brief.skipped),
    )


def distinct_origins(claims: Iterable[Claim]) -> set[tuple[str, str]]:
    """The claims' origins as ``(kind, folded name)``: the same speaker, outlet or
    document counts once whichever claims it stands behind."""
    return {(o.kind, " ".join(o.name.lower().split())) for c in claims for o in c.origins}


def default_title(brief: Brief) -> str:
    """The first story's title, else a generic one."""
    for story in brief.stories:
        if story.title:
            return story.title
    return "newstrace brief"


# ---------------------------------------------------------------- markdown


def md_text(text: str) -> str:
    """Escape Markdown/HTML specials and fold newlines so text stays inline."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def shorten(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
