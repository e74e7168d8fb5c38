"""One brief per story, and an index page that lists them.

``story_briefs(brief)`` splits a run into one :class:`~newstrace.model.Brief`
per story by filtering its records (articles of the story, reuse links
between them, their quotes, citations and flags, the story's claims and the
part of the provenance graph that touches them); nothing is recomputed.
Articles that no story holds form a last "other articles" brief.

``write_story_pages(brief, directory)`` writes ``index.html`` and, per
story, ``<story>.html``, ``<story>.md`` and ``<story>.json``, plus the whole
run as ``brief.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from newstrace.model import Brief, Claim, Story
from newstrace.report._view import Verdict, story_groups, verdict
from newstrace.report.html import render_html, render_template
from newstrace.report.markdown import render_markdown

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """One story's brief, its file name and its verdict, for the index."""

    story: Story
    brief: Brief
    filename: str
    verdict: Verdict
    first: str
    last: str


def story_briefs(brief: Brief) -> list[tuple[Story, Brief]]:
    """One brief per story (and one for the articles no story holds)."""
    stories = {s.id: s for s in brief.stories}
    parts = []
    for story_id, title, ids in story_groups(brief):
        story = stories.get(story_id) or Story(id=story_id, title=title, article_ids=ids)
        parts.append((story, _only(brief, story, set(ids))))
    return parts


def _only(brief: Brief, story: Story, ids: set[str]) -> Brief:
    def inside(claim: Claim) -> bool:
        if claim.story_id is not None:
            return claim.story_id == story.id
        return all(m.article_id in ids for m in claim.mentions)

    edges = tuple(
        e
        for e in brief.graph_edges
        if _graph_end(e.source, ids)
        and _graph_end(e.target, ids)
        and (e.source.startswith("article:") or e.target.startswith("article:"))
    )
    touched = {e.source for e in edges} | {e.target for e in edges}
    return Brief(
        articles=tuple(a for a in brief.articles if a.id in ids),
        sentences=tuple(s for s in brief.sentences if s.article_id in ids),
        reuse=tuple(r for r in brief.reuse if r.source_id in ids and r.target_id in ids),
        stories=(story,),
        quotes=tuple(q for q in brief.quotes if q.article_id in ids),
        citations=tuple(c for c in brief.citations if c.article_id in ids),
        claims=tuple(c for c in brief.claims if inside(c)),
        flags=tuple(f for f in brief.flags if f.article_id in ids),
        graph_nodes=tuple(
            n for n in brief.graph_nodes if n.id in touched or _graph_end(n.id, ids, strict=True)
        ),
        graph_edges=edges,
    )


def _graph_end(node_id: str, ids: set[str], *, strict: bool = False) -> bool:
    """An article node of the story, or (unless ``strict``) any non-article node."""
    if node_id.startswith("article:"):
        return node_id.removeprefix("article:") in ids
    return not strict


def page_name(story: Story) -> str:
    """A file name (without suffix) safe on every file system: ``story-<id>``."""
    return "story-" + (_UNSAFE_NAME.sub("_", story.id)[:60] or "untitled")


def story_pages(brief: Brief) -> list[StoryPage]:
    """The stories of ``brief`` with their briefs, biggest story first."""
    pages = []
    for story, part in story_briefs(brief):
        dates = sorted(a.published for a in part.articles if a.published)
        pages.append(
            StoryPage(
                story=story,
                brief=part,
                filename=page_name(story) + ".html",
                verdict=verdict(part),
                first=dates[0] if dates else "",
                last=dates[-1] if dates else "",
            )
        )
    return sorted(pages, key=lambda p: -len(p.brief.articles))


def render_index(brief: Brief, pages: list[StoryPage], *, title: str | None = None) -> str:
    """The index page: the run's verdict and one row per story, linking to its brief."""
    return render_template(
        "index.html.j2",
        title=title or "newstrace briefs",
        verdict=verdict(brief),
        pages=pages,
        skipped=brief.skipped,
    )


def write_story_pages(brief: Brief, directory: Path) -> list[Path]:
    """Write ``index.html``, each story as HTML, Markdown and JSON, and ``brief.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    pages = story_pages(brief)
    written = []
    for page in pages:
        stem = directory / page.filename.removesuffix(".html")
        for suffix, text in (
            (".html", render_html(page.brief, back="index.html")),
            (".md", render_markdown(page.brief)),
            (".json", page.brief.to_json()),
        ):
            path = stem.with_suffix(suffix)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    for name, text in (("index.html", render_index(brief, pages)), ("brief.json", brief.to_json())):
        (directory / name).write_text(text, encoding="utf-8")
        written.append(directory / name)
    return written
