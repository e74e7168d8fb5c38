"""Tests for the HTML and Markdown briefs (``newstrace.report``)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newstrace.model import (
    AlignedPair,
    Article,
    Brief,
    Chain,
    Citation,
    Claim,
    Flag,
    Mention,
    Origin,
    Quote,
    RemovedSpan,
    Reuse,
    Skipped,
    Span,
    Story,
)
from newstrace.report import render_html, render_markdown
from newstrace.report._view import copy_families, md_text, verdict
from newstrace.report.html import Mark, highlight

HOSTILE_TITLE = "<script>alert(1)</script>"

WIRE = (
    "WASHINGTON — The United States warned China against helping Russia, officials said.\n\n"
    '"There will be consequences," a senior US official said on Monday.\n\n'
    "The meeting in Rome lasted seven hours."
)
SPUN = (
    "WASHINGTON — The United States warned China against helping Russia, managers said.\n\n"
    '"There will be consequences," a senior US manager said on Monday.'
)
HOSTILE = (
    "China denies | offering help, CNN reported. <img src=x onerror=alert(2)>\n\n"
    '"We never <script>steal()</script> help," the ministry said.'
)


def _span(article: Article, needle: str) -> Span:
    start = article.text.index(needle)
    return Span(article_id=article.id, start=start, end=start + len(needle), text=needle)


def _article(ident: str, text: str, **meta: str) -> Article:
    return Article(id=ident, source_path=f"corpus/{ident}.txt", raw_text=text, text=text, **meta)


def _articles() -> tuple[Article, ...]:
    raw = WIRE + "\nShare on Facebook"
    wire = Article(
        id="art-a",
        source_path="corpus/wire.html",
        raw_text=raw,
        text=WIRE,
        title="US warns China over Russia",
        outlet="Wire Daily",
        published="2022-03-14",
        url="https://example.com/wire",
        removed=(
            RemovedSpan(start=len(WIRE), end=len(raw), text=raw[len(WIRE) :], reason="share_bar"),
        ),
    )
    return (
        wire,
        _article(
            "art-b", WIRE, title="US warns China (copy)", outlet="Copy Post", published="2022-03-15"
        ),
        _article("art-c", SPUN, title="US cautions China", outlet="Spin News"),
        _article("art-d", HOSTILE, title=HOSTILE_TITLE, outlet="Evil | Outlet"),
    )


def _pair(source: Article, target: Article, s_text: str, t_text: str, **kw: object) -> AlignedPair:
    return AlignedPair(source=_span(source, s_text), target=_span(target, t_text), **kw)


def _reuse(a: Article, b: Article, c: Article) -> tuple[Reuse, ...]:
    line = WIRE.split("\n\n")[1]
    spun_line = SPUN.split("\n\n")[1]
    return (
        Reuse(
            source_id=a.id,
            target_id=b.id,
            kind="verbatim",
            score=0.98,
            direction_confidence=0.7,
            source_coverage=1.0,
            target_coverage=1.0,
            aligned=(_pair(a, b, line, line, similarity=1.0, kind="verbatim"),),
        ),
        Reuse(
            source_id=a.id,
            target_id=c.id,
            kind="spun",
            score=0.81,
            direction_confidence=0.9,
            source_coverage=0.66,
            target_coverage=1.0,
            aligned=(
                _pair(
                    a,
                    c,
                    line,
                    spun_line,
                    similarity=0.85,
                    kind="substituted",
                    substitutions=(("official", "manager"),),
                ),
            ),
        ),
    )


def _claims(a: Article, b: Article, c: Article, d: Article) -> tuple[Claim, ...]:
    warned = "The United States warned China against helping Russia"
    mentions = tuple(
        Mention(article_id=x.id, **_offsets(x, warned), text=warned) for x in (a, b, c)
    )
    official = Origin(
        kind="speaker", name="a senior US official", evidence=(_span(a, "a senior US official"),)
    )
    denial = "China denies | offering help"
    return (
        Claim(
            id="claim-1",
            statement=warned,
            mentions=mentions,
            story_id="story-1",
            origins=(official,),
            independent_count=1,
            conflicts_with=("claim-2",),
            chains=(
                Chain(
                    article_id="art-a",
                    steps=("art-a", "a senior US official"),
                    origin="a senior US official",
                ),
                Chain(
                    article_id="art-c",
                    steps=("art-c", "copies art-a"),
                    origin="a senior US official",
                ),
            ),
        ),
        Claim(
            id="claim-2",
            statement=denial,
            story_id="story-1",
            mentions=(
                Mention(article_id=d.id, **_offsets(d, denial), text=denial, stance="denied"),
            ),
            origins=(Origin(kind="outlet", name="CNN"),),
            independent_count=1,
            conflicts_with=("claim-1",),
            chains=(Chain(article_id="art-d", steps=("art-d", "cites CNN"), origin="CNN"),),
        ),
    )


def _offsets(article: Article, needle: str) -> dict[str, int]:
    span = _span(article, needle)
    return {"start": span.start, "end": span.end}


@pytest.fixture
def brief() -> Brief:
    return make_brief()


def make_brief() -> Brief:
    """Four articles (wire, verbatim copy, spun copy, hostile text) with every record kind."""
    a, b, c, d = _articles()
    quote = '"There will be consequences,"'
    return Brief(
        articles=(a, b, c, d),
        reuse=_reuse(a, b, c),
        stories=(
            Story(
                id="story-1", title="US–China talks in Rome", article_ids=(a.id, b.id, c.id, d.id)
            ),
        ),
        quotes=(
            Quote(
                id="q1",
                article_id=a.id,
                **_offsets(a, quote),
                text=quote,
                speaker="a senior US official",
                speaker_kind="anonymous",
                cue="said",
            ),
            Quote(
                id="q2",
                article_id=d.id,
                **_offsets(d, "<script>steal()</script>"),
                text="<script>steal()</script>",
                speaker=None,
                speaker_kind="unknown",
            ),
        ),
        citations=(
            Citation(
                article_id=d.id, **_offsets(d, "CNN reported"), text="CNN reported", outlet="CNN"
            ),
        ),
        claims=_claims(a, b, c, d),
        flags=(
            Flag(
                article_id=c.id,
                kind="altered_quote",
                **_offsets(c, "manager said"),
                text="manager said",
                evidence="the wire copy says “official”",
            ),
        ),
        skipped=(Skipped(source="feeds/broken.xml", stage="ingest", reason="not XML"),),
    )


VERDICT = (
    "4 articles · 4 outlets · 2 copy families · 2 independent origins · "
    "2 claims · 2 disputed claims"
)


def test_verdict_counts(brief: Brief) -> None:
    summary = verdict(brief)
    assert (summary.articles, summary.outlets, summary.families, summary.origins) == (4, 4, 2, 2)
    assert (summary.claims, summary.disputed, summary.flags, summary.skipped) == (2, 2, 1, 1)
    assert VERDICT in render_markdown(brief)
    html = render_html(brief)
    for part in VERDICT.split(" · "):
        assert f">{part}</a>" in html


def test_copy_families_include_singletons(brief: Brief) -> None:
    ids = [a.id for a in brief.articles]
    assert copy_families(ids, brief.reuse) == [("art-a", "art-b", "art-c"), ("art-d",)]


def test_every_claim_has_an_anchor_and_links_to_it(brief: Brief) -> None:
    html = render_html(brief)
    for claim in brief.claims:
        assert f'id="claim-{claim.id}"' in html
        assert f'<a class="indep" href="#claim-{claim.id}">{claim.independent_count}</a>' in html


def test_internal_links_resolve(brief: Brief) -> None:
    html = render_html(brief)
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]*)"', html))
    assert targets and targets <= ids
    assert {"article-art-a", "quote-0", "cite-0", "flag-0", "reuse-1"} <= targets


def test_substitutions_are_marked(brief: Brief) -> None:
    html = render_html(brief)
    assert re.search(r'<mark class="sub"[^>]*>official</mark>', html)
    assert re.search(r'<mark class="sub"[^>]*>manager</mark>', html)


def two_article_brief(
    source_text: str,
    target_text: str,
    pairs: dict[str, list[tuple[int, float, str]]],
    languages: tuple[str | None, str | None] = (None, None),
    **link: Any,
) -> Brief:
    """Articles A and B (their sentences split at ". ") and one ``Reuse`` link from A to B:
    ``pairs`` gives its ``aligned`` and ``paraphrases`` as (sentence, similarity, kind)."""
    source, target = (
        Article(id=name, source_path=f"{name}.txt", raw_text=text, text=text, language=language)
        for name, text, language in zip(
            ("src", "tgt"), (source_text, target_text), languages, strict=True
        )
    )
    first, second = source_text.split(". "), target_text.split(". ")
    made = {
        field: tuple(
            AlignedPair(
                source=_span(source, first[i]),
                target=_span(target, second[i]),
                similarity=similarity,
                kind=kind,  # type: ignore[arg-type]
            )
            for i, similarity, kind in rows
        )
        for field, rows in pairs.items()
    }
    reuse = Reuse(source_id="src", target_id="tgt", direction_confidence=0.5, **made, **link)
    return Brief(articles=(source, target), reuse=(reuse,))


def section_of(html: str, name: str, following: str) -> str:
    return html[html.index(f'<section id="{name}">') : html.index(f'<section id="{following}">')]


def test_paraphrased_sentences_are_shown_side_by_side_with_dropped_and_added_words() -> None:
    brief = two_article_brief(
        "Seven workers were hurt when the crane fell at the port on Friday.",
        "The crane collapse at the port injured seven workers, officials said.",
        {"paraphrases": [(0, 0.81, "paraphrase")]},
        kind="rewritten",
        score=0.6,
        paraphrase_model="multilingual-e5-small (4-bit)",
    )
    section = section_of(render_html(brief), "reuse", "flags")
    assert "1 aligned sentence · paraphrases by multilingual-e5-small (4-bit)" in section
    assert brief.to_dict()["reuse"][0]["paraphrase_model"] == "multilingual-e5-small (4-bit)"
    assert re.search(r'<mark class="drop"[^>]*>Friday</mark>', section)
    assert re.search(r'<mark class="add"[^>]*>officials</mark>', section)
    assert not re.search(r'<mark class="(drop|add)"[^>]*>crane</mark>', section)  # kept


def test_a_sentence_pair_both_aligned_and_paraphrased_is_shown_once() -> None:
    brief = two_article_brief(
        "Seven workers were hurt when the crane fell. The port was closed on Friday.",
        "Seven dockers were hurt when the crane fell. Officials shut the port that day.",
        {
            "aligned": [(0, 0.9, "substituted")],
            "paraphrases": [(0, 0.95, "paraphrase"), (1, 0.8, "paraphrase")],
        },
        kind="rewritten",
        score=0.6,
    )
    section = section_of(render_html(brief), "reuse", "flags")
    assert "2 aligned sentences" in section
    assert section.count('class="sim"') == 2 and "0.95" not in section


def test_a_translation_says_so_and_marks_no_word_as_dropped_or_added() -> None:
    brief = two_article_brief(
        "Seven workers were hurt when the crane fell at the port on Friday.",
        "Sieben Arbeiter wurden verletzt, als der Kran am Freitag im Hafen umstürzte.",
        {"paraphrases": [(0, 0.62, "paraphrase")]},
        languages=("en", "de"),
        kind="rewritten",
        score=0.6,
        direction_evidence="publication times",
    )
    section = section_of(render_html(brief), "reuse", "flags")
    assert "across languages, en → de" in section
    table = section[section.index('<table class="sbs">') :]
    assert '<mark class="drop"' not in table and '<mark class="add"' not in table


def test_a_link_no_evidence_ordered_is_drawn_and_listed_without_a_direction() -> None:
    brief = two_article_brief(
        "Seven workers were hurt when the crane fell at the port on Friday.",
        "Seven workers were injured when the crane fell at the port on Friday.",
        {"aligned": [(0, 0.9, "substituted")]},
        kind="spun",
        score=0.9,
        direction_evidence="undecided: no evidence orders them",
    )
    html = render_html(brief)
    section = section_of(html, "reuse", "flags")
    assert "A ↔ B" in section and "direction undecided" in section and "←" not in section
    families = section_of(html, "families", "origins")
    assert "A ↔ B" in families and "←" not in families
    edge = re.search(r'<a href="#reuse-0" class="ge k-spun">.*?</a>', families, re.S)
    assert edge and "marker-end" not in edge.group(0)
    timeline = section_of(html, "timeline", "quotes")
    assert timeline.count("with <a") == 2 and " of <a" not in timeline
    assert "A ↔ B spun 0.90, direction undecided" in render_markdown(brief)


def test_hostile_text_is_escaped(brief: Brief) -> None:
    html = render_html(brief, title=HOSTILE_TITLE)
    assert "<script" not in html.lower()
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_is_self_contained(brief: Brief) -> None:
    html = render_html(brief)
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"url\((?!#)|@import|<link\b|<script\b", html, re.I)
    assert "https://example.com/wire" in html  # shown as text, not as a link


def test_quotes_grouped_by_speaker(brief: Brief) -> None:
    html = render_html(brief)
    assert "a senior US official" in html and "unattributed" in html
    assert "anonymous</span>" in html
    md = render_markdown(brief)
    assert "**a senior US official** (anonymous): 1 quote" in md
    assert "**unattributed**: 1 quote" in md


def test_removed_and_skipped_are_shown(brief: Brief) -> None:
    html = render_html(brief)
    assert "Share on Facebook" in html and "share bar" in html
    assert "feeds/broken.xml" in html and "not XML" in html
    assert "feeds/broken.xml (ingest): not XML" in render_markdown(brief)


def test_markdown_escapes_table_cells(brief: Brief) -> None:
    md = render_markdown(brief)
    row = next(line for line in md.splitlines() if line.startswith("| 2 |"))
    assert r"China denies \| offering help" in row
    assert row.count(" | ") == 5  # six cells, no stray separators
    assert "conflicts with #1" in row
    assert md_text("a|b\nc") == r"a\|b c"


def test_markdown_families_and_edges(brief: Brief) -> None:
    md = render_markdown(brief)
    assert "B ← A verbatim 0.98" in md
    assert "C ← A spun 0.81" in md
    assert "No reuse found: **D**" in md


def test_overlapping_marks_are_skipped() -> None:
    segments = highlight("abcdef", [Mark(2, 6, "b", priority=1), Mark(0, 4, "a"), Mark(5, 9, "x")])
    assert [(s.text, s.cls) for s in segments] == [("abcd", "a"), ("ef", "")]


def test_quote_wins_over_claim_mention(brief: Brief) -> None:
    html = render_html(brief)
    assert 'id="quote-0"' in html
    assert 'id="mention-1-0"' in html  # the claim sentence does not overlap the quote


@pytest.mark.parametrize("render", [render_html, render_markdown])
def test_empty_brief_renders(render) -> None:  # type: ignore[no-untyped-def]
    out = render(Brief(articles=()))
    assert "0 articles" in out


def test_conflict_with_unknown_claim_is_not_a_link(brief: Brief) -> None:
    claim = replace(brief.claims[1], conflicts_with=("claim-gone",))
    odd = replace(brief, claims=(brief.claims[0], claim))
    html = render_html(odd)
    assert 'href="#claim-claim-gone"' not in html
    assert "claim-gone" in html
    assert "conflicts with claim-gone" in render_markdown(odd)


def test_markdown_cuts_long_quote_lists(brief: Brief) -> None:
    quote = brief.quotes[0]
    many = replace(brief, quotes=tuple(replace(quote, id=f"q{i}") for i in range(8)))
    assert "… and 3 more" in render_markdown(many)


def test_shared_upstream_edges(brief: Brief) -> None:
    a, b = brief.articles[0], brief.articles[1]
    edge = Reuse(
        source_id=a.id, target_id=b.id, kind="shared_upstream", score=0.9, direction_confidence=0.0
    )
    shared = Brief(articles=(a, b), reuse=(edge,))
    assert "A ↔ B shared upstream 0.90" in render_markdown(shared)
    html = render_html(shared)
    assert "unseen upstream" in html  # the graph draws the upstream both copies share
    assert re.search(r"shared upstream</span> <span class=\"num\">0.90", html)


def test_write_example_page(brief: Brief, tmp_path: Path) -> None:
    page = tmp_path / "brief.html"
    page.write_text(render_html(brief), encoding="utf-8")
    assert page.stat().st_size > 5000


def _big_brief(n: int) -> Brief:
    """``n`` articles: one wire copied 60 times, chains of three, shared upstreams, singles."""
    text = 'The port reopened on Monday, officials said. "It is safe," a spokesman said.'
    articles = [
        _article(
            f"x{i:04d}",
            text,
            title=f"Port reopens {i}",
            outlet=f"Outlet {i}",
            published=f"2026-03-{10 + i % 9:02d}T{i % 24:02d}:00:00Z",
        )
        for i in range(n)
    ]
    ids = [a.id for a in articles]
    kinds = ("verbatim", "abridged", "spun", "rewritten")
    links = [(ids[0], ids[i], kinds[i % 4]) for i in range(1, 61)]
    links += [(ids[i], ids[i + 1], "verbatim") for i in range(61, 100, 3)]
    links += [(ids[i], ids[i + 1], "shared_upstream") for i in range(100, 120, 2)]
    reuse = tuple(
        Reuse(source_id=s, target_id=t, kind=k, score=0.9, direction_confidence=0.8)  # type: ignore[arg-type]
        for s, t, k in links
    )
    story = Story(id="s-big", title="Port reopens", article_ids=tuple(ids))
    return Brief(articles=tuple(articles), reuse=reuse, stories=(story,))


def test_graph_of_200_articles_fits_the_page_and_renders_fast() -> None:
    import time

    from newstrace.report._graph_layout import MAX_WIDTH

    big = _big_brief(200)
    started = time.perf_counter()
    html = render_html(big)
    assert time.perf_counter() - started < 5
    width = float(re.search(r'<svg class="graph" viewBox="0 0 ([\d.]+)', html).group(1))
    assert width <= MAX_WIDTH + 40
    assert html.count('class="gb n-article"') == 61 + 26 + 20  # every linked article
    assert html.count('class="gb n-single"') == 93
    assert html.count('class="gb n-upstream"') == 10


def test_graph_boxes_do_not_overlap(brief: Brief) -> None:
    from newstrace.report._graph_layout import Edge, Node, layout

    nodes = [Node(f"n{i}", "article", f"N{i}") for i in range(40)]
    edges = [Edge("n0", f"n{i}", "verbatim") for i in range(1, 40)]
    drawn = layout([("family", nodes, edges)], [Node("s", "single", "S")])
    boxes = [(p.x, p.y, p.x + p.w, p.y + p.h) for p in drawn.nodes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    assert all(p.x + p.w <= drawn.width and p.y + p.h <= drawn.height for p in drawn.nodes)


def test_story_pages_split_records_and_link_back(brief: Brief, tmp_path: Path) -> None:
    from newstrace.report.index import story_briefs, write_story_pages

    a, b, c, d = brief.articles
    two = replace(
        brief,
        stories=(
            Story(id="s/one", title="Talks", article_ids=(a.id, b.id, c.id)),
            Story(id="s2", title=HOSTILE_TITLE, article_ids=(d.id,)),
        ),
        claims=(
            replace(brief.claims[0], story_id="s/one"),
            replace(brief.claims[1], story_id="s2"),
        ),
    )
    parts = dict((s.id, p) for s, p in story_briefs(two))
    assert [x.id for x in parts["s/one"].articles] == [a.id, b.id, c.id]
    assert len(parts["s/one"].reuse) == 2 and not parts["s2"].reuse
    assert [x.id for x in parts["s2"].claims] == ["claim-2"]
    assert [q.article_id for q in parts["s2"].quotes] == [d.id]
    written = {p.name for p in write_story_pages(two, tmp_path)}
    assert {
        "index.html",
        "brief.json",
        "story-s_one.html",
        "story-s2.md",
        "story-s2.json",
    } <= written
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="story-s_one.html"' in index and "<script" not in index
    assert 'href="index.html"' in (tmp_path / "story-s2.html").read_text(encoding="utf-8")


def test_chain_steps_link_the_articles_they_name(brief: Brief) -> None:
    a = brief.articles[0]
    named = f"{a.outlet} (wire.html)"
    chain = Chain(article_id="art-b", steps=(f"verbatim copy of {named}",), origin="x")
    odd = replace(brief, claims=(replace(brief.claims[0], chains=(chain,)), brief.claims[1]))
    html = render_html(odd)
    assert '<a class="aref" href="#article-art-a">A</a>' in html


def test_identical_quotes_are_listed_once_with_every_article(brief: Brief) -> None:
    quote = brief.quotes[0]
    b = brief.articles[1]
    copy = replace(quote, id="q-copy", article_id=b.id)
    html = render_html(replace(brief, quotes=(quote, copy, brief.quotes[1])))
    assert "2 quotes · 1 distinct" in html


def test_markdown_lists_origins_and_counts_flags(brief: Brief) -> None:
    md = render_markdown(brief)
    assert "- **a senior US official** (speaker): 1 claim, carried by A, B, C" in md
    assert "- **C**: 1 altered quote" in md


def test_cli_output_folder_gets_one_brief_per_story(brief: Brief, tmp_path: Path) -> None:
    from newstrace.cli import _targets, _write

    site = tmp_path / "site"
    [(path, fmt)] = _targets([site], None)
    assert fmt == "dir"
    _write(brief, fmt, path)
    assert (site / "index.html").is_file() and (site / "story-story-1.html").is_file()


def _segments(path: str) -> list[tuple[float, float, float, float]]:
    points = [tuple(map(float, t.lstrip("ML").split(","))) for t in path.split()]
    return [(*a, *b) for a, b in zip(points, points[1:], strict=False)]


def test_bundled_edges_of_a_wrapped_family_never_cross_a_box() -> None:
    from newstrace.report._graph_layout import Edge, Node, layout

    nodes = [Node(f"n{i}", "article", f"N{i}") for i in range(200)]
    edges = [Edge("n0", f"n{i}", "verbatim") for i in range(1, 150)]
    edges += [Edge(f"n{i % 149 + 1}", f"n{i}", "spun") for i in range(150, 200)]
    drawn = layout([("family", nodes, edges)])
    boxes = {p.node.id: (p.x, p.y, p.x + p.w, p.y + p.h) for p in drawn.nodes}
    assert len({round(b[0]) for b in boxes.values()}) > 3  # the big column did wrap
    assert len(drawn.edges) == len(edges) and all(e.bus for e in drawn.edges)
    by_end = {(round(e.lx, 1), round(e.ly, 1)): e for e in drawn.edges}
    assert len(by_end) == len(edges)  # every edge ends at its own target
    for edge in drawn.edges:
        assert edge.path.startswith("M") and edge.label == ""  # a short coloured stub
        for x1, y1, x2, y2 in _segments(edge.bus) + _segments(edge.path):
            assert x1 == x2 or y1 == y2  # orthogonal
            for left, top, right, bottom in boxes.values():
                inside_x = min(x1, x2) < right - 0.5 and max(x1, x2) > left + 0.5
                inside_y = min(y1, y2) < bottom - 0.5 and max(y1, y2) > top + 0.5
                assert not (inside_x and inside_y), (edge.tip, (x1, y1, x2, y2))


def test_altered_quote_marks_only_the_changed_words() -> None:
    from newstrace.report.html import word_changes

    ours, theirs = word_changes("We see no sign of that, he said", "We don't see any sign of that")
    here = "We see no sign of that, he said"
    there = "We don't see any sign of that"
    assert [here[a:b] for a, b in ours] == ["no", "he said"]
    assert [there[a:b] for a, b in theirs] == ["don't", "any"]
    text = 'Officials said: "It is safe to return," the mayor said.'
    a = _article("q1", text, title="Port", outlet="Outlet")
    quote_text = '"It is safe to return,"'
    start = text.index(quote_text)
    quote = Quote(
        id="q",
        article_id=a.id,
        start=start,
        end=start + len(quote_text),
        text=quote_text,
        speaker="the mayor",
        speaker_kind="named",
        direct=True,
    )
    flag = Flag(
        article_id=a.id,
        kind="altered_quote",
        start=quote.start,
        end=quote.end,
        text=quote_text,
        evidence=f'quote reads “{quote_text}” here but “"It is not safe to return,"” in q2',
    )
    html = render_html(Brief(articles=(a,), quotes=(quote,), flags=(flag,)))
    section = html[html.index('id="quotes"') :]
    assert '<mark class="sub" title="differs from q2">' not in section  # nothing replaced here
    assert '<mark class="was">not</mark>' in section  # the other wording shows the added word
    assert "differ from q2" in section


def test_articles_without_title_or_outlet_read_well() -> None:
    text = "The port reopened on Monday after a week, officials said.\nMore text."
    a = _article("u1", text)  # no title, no outlet: named by its file, corpus/u1.txt
    b = _article("u2", "Dockers went back to work.", title="Dockers return")
    mention = Mention(article_id=a.id, start=0, end=20, text=text[:20])
    claim = Claim(
        id="c1",
        statement=text.splitlines()[0],
        mentions=(mention,),
        origins=(Origin(kind="own_reporting", name="own reporting of u1.txt"),),
        independent_count=1,
        chains=(
            Chain(
                article_id=a.id,
                steps=("u1.txt", "own reporting of u1.txt"),
                origin="own reporting of u1.txt",
            ),
        ),
    )
    brief = Brief(articles=(a, b), claims=(claim,))
    html, md = render_html(brief), render_markdown(brief)
    assert "outlets not given" in html and "0 outlets" not in html
    assert "(untitled) The port reopened on Monday" in html  # not the file path
    assert "(untitled) The port reopened" in md
    assert "own reporting of article A" in html and "own reporting of u1.txt" not in html
    assert "own reporting of article A" in md
    chain = html[html.index('<ol class="chains">') :]
    assert chain.index('<a class="aref" href="#article-') < chain.index("own reporting")


def test_a_deep_big_family_scrolls_at_full_size_with_bundled_edges() -> None:
    articles = tuple(
        _article(f"d{i:03d}", "The port reopened.", title=f"Port {i}", outlet=f"Outlet {i}")
        for i in range(40)
    )
    chain = (
        tuple(  # twelve generations: wider than the page even with tall columns
            Reuse(
                source_id=articles[i].id,
                target_id=articles[i + 1].id,
                kind="verbatim",
                score=0.9,
                direction_confidence=0.8,
            )
            for i in range(12)
        )
        + tuple(
            Reuse(
                source_id=articles[0].id,
                target_id=a.id,
                kind="spun",
                score=0.8,
                direction_confidence=0.8,
            )
            for a in articles[13:]
        )
    )
    html = render_html(Brief(articles=articles, reuse=chain))
    assert '<svg class="graph wide"' in html  # not shrunk to the page: the box scrolls
    assert html.count('<path class="bus"') == len(chain)
