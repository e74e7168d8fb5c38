"""Record types shared by every stage.

All records are frozen, keyword-only dataclasses holding tuples, so they are
hashable, safe to cache and cannot be changed by a later stage.

Offsets: every ``start``/``end`` pair on a derived record (sentence, quote,
citation, claim mention, flag, aligned span) is a half-open character range
into the *cleaned* text of its article (``Article.text``). ``RemovedSpan``
offsets are the exception: they point into ``Article.raw_text``, because the
removed text is by definition no longer in the cleaned text.
``Article.kept`` maps cleaned offsets back to raw offsets.

This module imports nothing from the rest of the project.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

ReuseKind = Literal[
    "verbatim", "abridged", "extended", "spun", "rewritten", "partial", "shared_upstream"
]
SpeakerKind = Literal["named", "anonymous", "organisation", "unknown"]
Stance = Literal["asserted", "hedged", "uncertain", "denied", "attributed"]
OriginKind = Literal["speaker", "outlet", "document", "own_reporting"]

REUSE_KINDS: tuple[str, ...] = (
    "verbatim",
    "abridged",
    "extended",
    "spun",
    "rewritten",
    "partial",
    "shared_upstream",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RemovedSpan:
    """A piece of the raw text that cleaning removed, and why.

    ``start``/``end`` index ``Article.raw_text``; ``text`` equals
    ``raw_text[start:end]``.
    """

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MetadataEvidence:
    """The text an inferred metadata value was read from.

    ``field`` is the ``Article`` field it filled (``published``, ``outlet``);
    ``start``/``end`` index ``Article.raw_text`` and ``text`` equals
    ``raw_text[start:end]``; ``rule`` names the cue ("dateline", "copyright",
    "relative to file date 2026-03-16" …).
    """

    field: str
    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news article.

    ``raw_text`` is the decoded source text; ``text`` is the cleaned text that
    every later offset points into. ``kept`` lists ``(clean_start, raw_start,
    length)`` runs: cleaned text ``text[c:c+n]`` equals ``raw_text[r:r+n]``.
    Before cleaning, ``text == raw_text`` and ``kept`` covers it in one run
    (HTML: ``text`` is the page without its ``page_chrome``).
    ``id`` is a content hash of ``raw_text``, stable across runs and paths.
    ``language`` is an ISO 639-1 code; ``section``, ``dateline`` ("VESSMARK
    (NPA)") and ``updates`` (update stamps such as "Update (19:20 ET)") are
    metadata that ingest or cleaning found in the text.
    ``normalised`` lists the Unicode normalisations of the cleaned text as
    ``(clean_start, clean_end, raw_start, raw_end)``: ``text[cs:ce]`` is the
    normalised form of ``raw_text[rs:re]`` (a no-break space made a space, a
    soft hyphen dropped …); ``kept`` runs and ``normalised`` changes together
    cover the cleaned text. ``metadata_evidence`` gives the text spans that
    metadata inferred from the text (not from the source's metadata) came from.
    ``page_chrome`` (HTML only): the page's menus, related links, comments …
    that main-text extraction left out, as spans of ``raw_text`` (which is then
    the page's visible text, one block a line); cleaning always removes them.
    """

    id: str
    source_path: str
    raw_text: str
    text: str
    title: str = ""
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    removed: tuple[RemovedSpan, ...] = ()
    kept: tuple[tuple[int, int, int], ...] = ()
    language: str | None = None
    section: str | None = None
    dateline: str | None = None
    updates: tuple[str, ...] = ()
    normalised: tuple[tuple[int, int, int, int], ...] = ()
    metadata_evidence: tuple[MetadataEvidence, ...] = ()
    page_chrome: tuple[RemovedSpan, ...] = ()

    def raw_offset(self, clean_offset: int) -> int:
        """Map an offset in the cleaned text to the same character in the raw text.

        Inside a normalised change the offset maps to the start of the raw
        characters it replaced.
        """
        for clean_start, raw_start, length in self.kept:
            if clean_start <= clean_offset < clean_start + length:
                return raw_start + (clean_offset - clean_start)
        for clean_start, clean_end, raw_start, _ in self.normalised:
            if clean_start <= clean_offset < clean_end:
                return raw_start
        if clean_offset == len(self.text) and (self.kept or self.normalised):
            return max(
                [r + n for c, r, n in self.kept if c + n == clean_offset]
                + [re for _, ce, _, re in self.normalised if ce == clean_offset]
                or [r + n for _, r, n in self.kept[-1:]]
            )
        raise ValueError(f"offset {clean_offset} is outside the cleaned text of {self.id}")

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw-text range a cleaned-text range ``[start, end)`` was made from."""
        if end <= start:
            return self.raw_offset(start), self.raw_offset(start)
        last = end - 1
        for clean_start, clean_end, _, raw_end in self.normalised:
            if clean_start <= last < clean_end:
                return self.raw_offset(start), raw_end
        return self.raw_offset(start), self.raw_offset(last) + 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence of an article's cleaned text; ``paragraph`` counts from 0."""

    article_id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A piece of one article's cleaned text."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignedPair:
    """Two sentences that the reuse stage matched, one in each article.

    ``kind`` is ``verbatim`` (same words), ``near`` (a few edits) or
    ``substituted`` (same length and order, words swapped); ``substitutions``
    lists the ``(source word, target word)`` swaps found.
    """

    source: Span
    target: Span
    similarity: float
    kind: Literal["verbatim", "near", "substituted", "paraphrase"]
    substitutions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Reuse:
    """Text reuse between two articles.

    For directed kinds ``source_id`` is the article copied from. For
    ``shared_upstream`` neither copied the other: both derive from an
    article that is not in the corpus, and the order of the two ids carries
    no meaning. ``source_coverage`` / ``target_coverage`` are the shares of
    each article's sentences that are aligned.
    ``paraphrases`` are sentence pairs aligned by meaning only (sentence
    embeddings; their ``kind`` is ``"paraphrase"``), the evidence of a
    ``rewritten`` link, and ``paraphrase_model`` names the model whose
    cosines (on MiniLM's scale) they carry. ``direction_evidence`` says what
    decided the direction, or that nothing did ("undecided": the order is
    arbitrary).
    """

    source_id: str
    target_id: str
    kind: ReuseKind
    score: float
    direction_confidence: float
    source_coverage: float = 0.0
    target_coverage: float = 0.0
    aligned: tuple[AlignedPair, ...] = ()
    paraphrases: tuple[AlignedPair, ...] = ()
    direction_evidence: str = ""
    paraphrase_model: str = ""

    @property
    def undecided(self) -> bool:
        """Whether no evidence ordered the two articles (the order of the ids is arbitrary)."""
        return self.direction_evidence.startswith("undecided")


@dataclass(frozen=True, slots=True, kw_only=True)
class Upstream:
    """An article not in the corpus that two or more articles of it derive from.

    Inferred from ``shared_upstream`` links: each member has aligned material
    the other lacks, so neither copied the other. ``id`` is ``upstream:`` and
    the member ids joined by ``+`` (the provenance graph node of the same
    id); ``shared`` holds the aligned sentence pairs between members, the
    upstream's text as far as the corpus shows it.
    """

    id: str
    members: tuple[str, ...]
    shared: tuple[AlignedPair, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """A group of articles about one event.

    ``title`` is the headline of the most central article; ``key_entities``
    the most frequent named entities; ``first_seen``/``last_seen`` the
    earliest and latest publication times (ISO strings as the articles give
    them, ``None`` when no article is dated); ``timeline`` lists
    ``(published, article id)`` in time order (undated articles last, with
    ``""``); ``outlet_count`` counts distinct outlets.
    """

    id: str
    title: str
    article_ids: tuple[str, ...]
    key_entities: tuple[str, ...] = ()
    first_seen: str | None = None
    last_seen: str | None = None
    outlet_count: int = 0
    timeline: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Something a speaker said, quoted directly or reported.

    ``speaker`` is the speaker's fullest name in the article, or their
    description for anonymous speakers ("a senior US official");
    ``speaker_start``/``speaker_end`` locate the mention that named them.
    ``speaker_title``/``speaker_affiliation`` describe a named speaker ("head",
    "Dockworkers' Union"); an anonymous one has an ``anonymous_kind``
    ("government official", "source familiar", "analyst", "spokesperson", …), a
    ``side`` (the government or organisation named, "US defense") and a ``count``
    when the text states it ("two officials" -> 2). A ``direct=False`` quote whose
    text holds quotation marks is reported speech around a partial quote.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_kind: SpeakerKind
    cue: str | None = None
    direct: bool = True
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_title: str | None = None
    speaker_affiliation: str | None = None
    anonymous_kind: str | None = None
    side: str | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """An article citing another outlet ("CNN reported ...")."""

    article_id: str
    start: int
    end: int
    text: str
    outlet: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One sentence asserting a claim, with its stance."""

    article_id: str
    start: int
    end: int
    text: str
    stance: Stance = "asserted"


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where a claim comes from: a speaker, a cited outlet, a document or an
    article's own reporting; ``evidence`` holds the spans that show it."""

    kind: OriginKind
    name: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Chain:
    """How one article's mention of a claim reaches its origin.

    ``steps`` reads left to right, e.g. ``("art-b", "copies art-a",
    "cites CNN", "a senior US official")``.
    """

    article_id: str
    steps: tuple[str, ...]
    origin: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One assertion made by one or more articles.

    ``independent_count`` is the number of independent origins behind the
    claim; ``chains`` explains it article by article.
    """

    id: str
    statement: str
    mentions: tuple[Mention, ...]
    story_id: str | None = None
    origins: tuple[Origin, ...] = ()
    independent_count: int = 0
    chains: tuple[Chain, ...] = ()
    conflicts_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """A quality problem found in an article, with the span that shows it.

    ``text`` equals the cleaned text at ``start:end``, except for flags about
    text that cleaning removed (``spam_insert``): those are empty spans
    (``start == end``) at the place of the cut, and ``text`` is the removed text.
    """

    article_id: str
    kind: str
    start: int
    end: int
    text: str
    evidence: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An input that could not be processed, and why."""

    source: str
    stage: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphNode:
    """A node of the provenance graph.

    ``kind`` is ``article``, ``upstream`` (an article inferred from two copies
    that share it, not in the corpus), ``outlet`` (a cited outlet) or
    ``origin`` (a speaker or document a claim comes from).
    """

    id: str
    kind: Literal["article", "upstream", "outlet", "origin"]
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphEdge:
    """A provenance edge, from where text or a claim came from to where it went.

    ``kind`` is a reuse kind (``verbatim``, ``spun``, ...), ``cites`` (article
    to the outlet it cites), ``publishes`` (outlet to its article in the
    corpus) or ``attributes`` (origin to the article that quotes it).
    """

    source: str
    target: str
    kind: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Brief:
    """Everything one run found, ready to report."""

    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...] = ()
    reuse: tuple[Reuse, ...] = ()
    stories: tuple[Story, ...] = ()
    quotes: tuple[Quote, ...] = ()
    citations: tuple[Citation, ...] = ()
    claims: tuple[Claim, ...] = ()
    flags: tuple[Flag, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    graph_nodes: tuple[GraphNode, ...] = ()
    graph_edges: tuple[GraphEdge, ...] = ()
    upstreams: tuple[Upstream, ...] = ()

    def article(self, article_id: str) -> Article:
        """Return the article with this id (``KeyError`` if there is none)."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def copy_families(self) -> list[tuple[str, ...]]:
        """Articles linked by reuse (any kind), in article order; unlinked ones alone."""
        neighbours: dict[str, set[str]] = {a.id: set() for a in self.articles}
        for link in self.reuse:
            neighbours.setdefault(link.source_id, set()).add(link.target_id)
            neighbours.setdefault(link.target_id, set()).add(link.source_id)
        order = {article_id: index for index, article_id in enumerate(neighbours)}
        families, seen = [], set()
        for start in neighbours:
            if start in seen:
                continue
            family, frontier = {start}, [start]
            while frontier:
                for other in neighbours[frontier.pop()] - family:
                    family.add(other)
                    frontier.append(other)
            seen |= family
            families.append(tuple(sorted(family, key=order.__getitem__)))
        return families

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (see ``SCHEMA_VERSION``) as plain Python data."""
        return {
            "schema_version": SCHEMA_VERSION,
            "articles": [_article_dict(a) for a in self.articles],
            "reuse": [_reuse_dict(r) for r in self.reuse],
            "stories": [
                {
                    "id": s.id,
                    "title": s.title,
                    "articles": list(s.article_ids),
                    "key_entities": list(s.key_entities),
                    "first_seen": s.first_seen,
                    "last_seen": s.last_seen,
                    "outlet_count": s.outlet_count,
                    "timeline": [{"published": p, "article": a} for p, a in s.timeline],
                }
                for s in self.stories
            ],
            "quotes": [_quote_dict(q) for q in self.quotes],
            "citations": [
                {
                    "article": c.article_id,
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "outlet": c.outlet,
                }
                for c in self.citations
            ],
            "claims": [_claim_dict(c) for c in self.claims],
            "flags": [
                {
                    "article": f.article_id,
                    "kind": f.kind,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "evidence": f.evidence,
                }
                for f in self.flags
            ],
            "skipped": [asdict(s) for s in self.skipped],
            "graph": {
                "nodes": [asdict(n) for n in self.graph_nodes],
                "edges": [
                    {
                        "source": e.source,
                        "target": e.target,
                        "kind": e.kind,
                        "evidence": [_span_dict(span) for span in e.evidence],
                    }
                    for e in self.graph_edges
                ],
            },
            "upstreams": [
                {
                    "id": u.id,
                    "members": list(u.members),
                    "shared": [
                        {
                            "source": _span_dict(p.source),
                            "target": _span_dict(p.target),
                            "similarity": round(p.similarity, 4),
                            "kind": p.kind,
                        }
                        for p in u.shared
                    ],
                }
                for u in self.upstreams
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON contract as a string."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


SCHEMA_VERSION = "1"


def two_languages(first: str | None, second: str | None) -> bool:
    """Whether two language codes are both known and differ (a translation's pair)."""
    return bool(first and second and first != second)


def _span_dict(span: Span) -> dict[str, Any]:
    return {"article": span.article_id, "start": span.start, "end": span.end, "text": span.text}


def _article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source_path": article.source_path,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published,
        "author": article.author,
        "text": article.text,
        "removed": [asdict(r) for r in article.removed],
        "language": article.language,
        "section": article.section,
        "dateline": article.dateline,
        "updates": list(article.updates),
    }


def _reuse_dict(reuse: Reuse) -> dict[str, Any]:
    return {
        "source": reuse.source_id,
        "target": reuse.target_id,
        "kind": reuse.kind,
        "score": round(reuse.score, 4),
        "direction_confidence": round(reuse.direction_confidence, 4),
        "source_coverage": round(reuse.source_coverage, 4),
        "target_coverage": round(reuse.target_coverage, 4),
        "aligned": [
            {
                "source": _span_dict(p.source),
                "target": _span_dict(p.target),
                "similarity": round(p.similarity, 4),
                "kind": p.kind,
                "substitutions": [list(s) for s in p.substitutions],
            }
            for p in reuse.aligned
        ],
        "paraphrases": [
            {
                "source": _span_dict(p.source),
                "target": _span_dict(p.target),
                "similarity": round(p.similarity, 4),
                "kind": p.kind,
            }
            for p in reuse.paraphrases
        ],
        "direction_evidence": reuse.direction_evidence,
        **({"paraphrase_model": reuse.paraphrase_model} if reuse.paraphrase_model else {}),
    }


def _quote_dict(quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.id,
        "article": quote.article_id,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "speaker": quote.speaker,
        "speaker_kind": quote.speaker_kind,
        "cue": quote.cue,
        "direct": quote.direct,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
        "speaker_title": quote.speaker_title,
        "speaker_affiliation": quote.speaker_affiliation,
        "anonymous_kind": quote.anonymous_kind,
        "side": quote.side,
        "count": quote.count,
    }


def _claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "statement": claim.statement,
        "story": claim.story_id,
        "mentions": [
            {
                "article": m.article_id,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "stance": m.stance,
            }
            for m in claim.mentions
        ],
        "origins": [
            {"kind": o.kind, "name": o.name, "evidence": [_span_dict(e) for e in o.evidence]}
            for o in claim.origins
        ],
        "article_count": len({m.article_id for m in claim.mentions}),
        "independent_count": claim.independent_count,
        "chains": [
            {"article": c.article_id, "steps": list(c.steps), "origin": c.origin}
            for c in claim.chains
        ],
        "conflicts_with": list(claim.conflicts_with),
    }
