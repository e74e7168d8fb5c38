"""The brief as compact Markdown, for pasting into a chat or a ticket."""

from __future__ import annotations

from collections import Counter

from newstrace.model import Article, Brief
from newstrace.report._sections import article_title, origin_namer
from newstrace.report._view import (
    article_labels,
    bare_quote,
    default_title,
    edge_text,
    families_with_edges,
    label_for,
    md_text,
    mentioning_articles,
    plural,
    quotes_by_speaker,
    shorten,
    stance_counts,
    story_groups,
    verdict,
)

QUOTES_PER_SPEAKER = 5  # the Markdown brief is for pasting: longer lists are cut
MAX_CLAIMS = 15
MAX_ORIGINS = 8
MAX_FLAG_EXAMPLES = 5


def _article_md(article: Article, labels: dict[str, str]) -> str:
    parts = [f"**{label_for(labels, article.id)}**"]
    if article.outlet:
        parts.append(f"*{md_text(article.outlet)}*")
    parts.append(md_text(shorten(article_title(article), 70)))
    if article.published:
        parts.append(f"({md_text(article.published)})")
    return " ".join(parts)


def _families_md(brief: Brief, labels: dict[str, str]) -> list[str]:
    lines = ["## Copy families", ""]
    groups = story_groups(brief)
    by_id = {article.id: article for article in brief.articles}
    for _, title, ids in groups:
        if len(groups) > 1 or brief.stories:
            lines += [f"### {md_text(title)} ({plural(len(ids), 'article')})", ""]
        families = families_with_edges(ids, brief.reuse)
        singles = [f[0] for f, _ in families if len(f) == 1]
        for number, (family, edges) in enumerate((f for f in families if len(f[0]) > 1), 1):
            members = "; ".join(_article_md(by_id[i], labels) for i in family)
            lines.append(f"- Family {number}: {members}")
            lines += [f"  - {md_text(edge_text(e, labels))}" for _, e in edges]
        if singles:
            members = "; ".join(_article_md(by_id[i], labels) for i in singles)
            lines.append(f"- No reuse found: {members}")
        lines.append("")
    return lines


def _claims_md(brief: Brief, labels: dict[str, str]) -> list[str]:
    if not brief.claims:
        return []
    numbers = {claim.id: n for n, claim in enumerate(brief.claims, start=1)}
    lines = [
        "## Claims",
        "",
        "| # | statement | articles | independent | origins | stance / conflicts |",
        "| --: | --- | --: | --: | --- | --- |",
    ]
    shown = origin_namer(brief, labels)
    for claim in brief.claims[:MAX_CLAIMS]:
        origins = "; ".join(f"{o.kind}: {shown(o.name)}" for o in claim.origins) or "—"
        stance = ", ".join(f"{n} {s}" for s, n in stance_counts(claim))
        conflicts = ", ".join(f"#{numbers[c]}" if c in numbers else c for c in claim.conflicts_with)
        if conflicts:
            stance = f"{stance}; conflicts with {conflicts}"
        cells = [
            str(numbers[claim.id]),
            shorten(claim.statement, 140),
            str(len(mentioning_articles(claim))),
            str(claim.independent_count),
            origins,
            stance or "—",
        ]
        lines.append("| " + " | ".join(md_text(cell) for cell in cells) + " |")
    if len(brief.claims) > MAX_CLAIMS:
        lines += ["", f"… and {len(brief.claims) - MAX_CLAIMS} more claims in the HTML brief."]
    return [*lines, ""]


def _origins_md(brief: Brief, labels: dict[str, str]) -> list[str]:
    """The distinct origins, most used first, with the articles that carry them."""
    rows: dict[tuple[str, str], tuple[str, set[str], list[str]]] = {}
    shown = origin_namer(brief, labels)
    for claim in brief.claims:
        for origin in claim.origins:
            key = (origin.kind, " ".join(origin.name.lower().split()))
            name, claims, articles = rows.setdefault(key, (shown(origin.name), set(), []))
            claims.add(claim.id)
            articles[:] = dict.fromkeys([*articles, *(m.article_id for m in claim.mentions)])
    if not rows:
        return []
    ordered = sorted(rows.items(), key=lambda item: (-len(item[1][1]), item[1][0].lower()))
    lines = ["## Independent origins", ""]
    for (kind, _), (name, claims, articles) in ordered[:MAX_ORIGINS]:
        carried = ", ".join(label_for(labels, a) for a in articles)
        lines.append(
            f"- **{md_text(name)}** ({kind.replace('_', ' ')}): "
            f"{plural(len(claims), 'claim')}, carried by {carried}"
        )
    if len(ordered) > MAX_ORIGINS:
        lines.append(f"- … and {len(ordered) - MAX_ORIGINS} more")
    return [*lines, ""]


def _quotes_md(brief: Brief, labels: dict[str, str]) -> list[str]:
    if not brief.quotes:
        return []
    lines = ["## Quotes by speaker", ""]
    for speaker, kind, quotes in quotes_by_speaker(brief.quotes):
        tag = f" ({kind})" if kind in ("anonymous", "organisation") else ""
        lines.append(f"- **{md_text(speaker)}**{tag}: {plural(len(quotes), 'quote')}")
        for quote in quotes[:QUOTES_PER_SPEAKER]:
            cue = f", {md_text(quote.cue)}" if quote.cue else ""
            where = label_for(labels, quote.article_id)
            text = md_text(shorten(bare_quote(quote.text) if quote.direct else quote.text))
            lines.append(
                f"  - “{text}” — {where}{cue}" if quote.direct else f"  - {text} — {where}{cue}"
            )
        if len(quotes) > QUOTES_PER_SPEAKER:
            lines.append(f"  - … and {len(quotes) - QUOTES_PER_SPEAKER} more")
    return [*lines, ""]


def _citations_md(brief: Brief, labels: dict[str, str]) -> list[str]:
    if not brief.citations:
        return []
    cited: dict[str, list[str]] = {}
    for citation in brief.citations:
        cited.setdefault(citation.outlet, []).append(label_for(labels, citation.article_id))
    lines = ["## Citations", ""]
    for outlet, citing in sorted(cited.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"- **{md_text(outlet)}** cited by {', '.join(dict.fromkeys(citing))}")
    return [*lines, ""]


def _flags_md(brief: Brief, labels: dict[str, str]) -> list[str]:
    """Flags counted per article and kind, then a few examples."""
    if not brief.flags:
        return []
    counts: dict[str, Counter[str]] = {}
    for flag in brief.flags:
        counts.setdefault(flag.article_id, Counter())[flag.kind.replace("_", " ")] += 1
    lines = ["## Quality flags", ""]
    for article_id, kinds in counts.items():
        listed = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
        lines.append(f"- **{label_for(labels, article_id)}**: {listed}")
    lines += ["", "| article | kind | text | evidence |", "| --- | --- | --- | --- |"]
    for flag in brief.flags[:MAX_FLAG_EXAMPLES]:
        cells = [label_for(labels, flag.article_id), flag.kind, shorten(flag.text), flag.evidence]
        lines.append("| " + " | ".join(md_text(cell) for cell in cells) + " |")
    if len(brief.flags) > MAX_FLAG_EXAMPLES:
        lines += ["", f"… and {len(brief.flags) - MAX_FLAG_EXAMPLES} more flags in the HTML brief."]
    return [*lines, ""]


def _skipped_md(brief: Brief) -> list[str]:
    if not brief.skipped:
        return []
    lines = ["## Skipped inputs", ""]
    lines += [
        f"- {md_text(s.source)} ({md_text(s.stage)}): {md_text(s.reason)}" for s in brief.skipped
    ]
    return [*lines, ""]


def render_markdown(brief: Brief, *, title: str | None = None) -> str:
    """Render ``brief`` as compact Markdown: verdict, families, claims, quotes, flags."""
    labels = article_labels(brief.articles)
    lines = [f"# {md_text(title or default_title(brief))}", "", f"**{verdict(brief).line()}**", ""]
    if brief.articles:
        lines += _families_md(brief, labels)
    lines += _origins_md(brief, labels)
    lines += _claims_md(brief, labels)
    lines += _quotes_md(brief, labels)
    lines += _citations_md(brief, labels)
    lines += _flags_md(brief, labels)
    lines += _skipped_md(brief)
    return "\n".join(lines).rstrip() + "\n"
