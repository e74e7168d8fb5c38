"""Count the independent origins behind each claim, and find conflicting claims.

Each mention of a claim is traced to an origin, first rule that applies:

1. the article copies another article that mentions the same claim (a
   directed reuse edge): the mention's origin is that article's, and the
   chain records the copy;
2. a quote in the mention names its speaker: the speaker is the origin
   (anonymous speakers with the same role and no conflicting side count as
   one origin: see ``group_anonymous``);
3. the mention cites an outlet ("NPA reported"): when an article of that
   outlet mentions the claim, the chain continues there; otherwise the
   outlet is the origin. A citation elsewhere in the article is followed
   too, but only to an article of that outlet that mentions the claim;
4. the article shares an upstream with another mentioning article: it
   takes that article's speaker or citation when it has one, otherwise both
   count as one inferred upstream;
5. otherwise the article's own reporting is the origin.

``independent_count`` is the number of distinct origins; ``chains`` holds
one explanation per mentioning article. A claim denied by some mentions
conflicts with the assertions it shares enough content words with.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from ._graph import UnionFind
from ._text import content_words, fold
from .claims import denied_part
from .config import Settings
from .model import (
    Article,
    Chain,
    Citation,
    Claim,
    GraphEdge,
    GraphNode,
    Mention,
    Origin,
    Quote,
    Reuse,
    Span,
    Upstream,
)

DIRECTED = frozenset({"verbatim", "abridged", "extended", "spun", "rewritten", "partial"})
CONFLICT_OVERLAP = 2
TOPIC_SHARE = 0.25
STEM = 6

_LEADING = re.compile(
    r"^(?:(?:a|an|the|another|other|one|two|three|four|five|several|some|many|multiple|"
    r"senior|top|high-ranking|unnamed|anonymous|former|current)\s+)+"
)
_TRAILING = re.compile(
    r"\s+(?:familiar with|who|speaking|briefed|close to|with knowledge|involved in|"
    r"on condition|in the know)\b.*$"
)
_PLURALS = {"people": "person", "officials": "official", "sources": "source"}
SIDES = {
    "us": "us",
    "u.s": "us",
    "u.s.": "us",
    "american": "us",
    "america": "us",
    "washington": "us",
    "biden": "us",
    "administration": "us",
    "white": "us",
    "chinese": "china",
    "china": "china",
    "beijing": "china",
    "russian": "russia",
    "russia": "russia",
    "moscow": "russia",
    "kremlin": "russia",
    "ukrainian": "ukraine",
    "ukraine": "ukraine",
    "kyiv": "ukraine",
    "british": "uk",
    "uk": "uk",
    "european": "eu",
    "eu": "eu",
    "nato": "nato",
    "french": "france",
    "german": "germany",
    "israeli": "israel",
    "iranian": "iran",
    "indian": "india",
    "japanese": "japan",
    "taiwanese": "taiwan",
    "western": "west",
}
_DOCUMENT = re.compile(r"\b(cable|memo|document|report|letter|filing|statement|email)s?\b")


@dataclass(frozen=True, slots=True)
class _Trace:
    key: str
    origin: Origin
    steps: tuple[str, ...]


def corroborate(
    claims: Sequence[Claim],
    articles: Sequence[Article],
    reuse: Sequence[Reuse] = (),
    quotes: Sequence[Quote] = (),
    citations: Sequence[Citation] = (),
    *,
    settings: Settings | None = None,
) -> tuple[Claim, ...]:
    """Return the claims with origins, independent counts, chains and conflicts.

    ``settings.anonymous_grouping`` says how anonymous speakers collapse into
    origins: see ``group_anonymous``.
    """
    settings = settings or Settings()
    tracer = _Tracer(articles, reuse, quotes, citations)
    tracer.grouping = settings.anonymous_grouping
    traced = [tracer.trace_claim(claim) for claim in claims]
    conflicts = find_conflicts(traced)
    return tuple(replace(c, conflicts_with=conflicts.get(c.id, ())) for c in traced)


def find_conflicts(claims: Sequence[Claim]) -> dict[str, tuple[str, ...]]:
    """Map each claim id to the ids of claims in the same story that it contradicts.

    A denial contradicts an assertion when what it denies (the words after
    its denial cue: "rejects reports *of skipped crane inspections*") shares
    at least ``CONFLICT_OVERLAP`` distinctive word stems with the assertion.
    Stems found in more than ``TOPIC_SHARE`` of the story's claims say what
    the story is about (the port, the crane), not what is denied, and do not
    count.
    """
    found: dict[str, set[str]] = defaultdict(set)
    by_story: dict[str | None, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_story[claim.story_id].append(claim)
    for story_claims in by_story.values():
        stems = {c.id: _stems(" ".join(m.text for m in c.mentions)) for c in story_claims}
        frequency = Counter(stem for bag in stems.values() for stem in bag)
        limit = max(2, TOPIC_SHARE * len(story_claims))
        topic = {stem for stem, n in frequency.items() if n > limit}
        for denial in story_claims:
            denied = _denied_stems(denial) - topic
            if not denied:
                continue
            for other in story_claims:
                if other.id == denial.id or _denied_stems(other):
                    continue
                if len(denied & stems[other.id]) >= CONFLICT_OVERLAP:
                    found[denial.id].add(other.id)
                    found[other.id].add(denial.id)
    return {claim_id: tuple(sorted(ids)) for claim_id, ids in found.items()}


def _denied_stems(claim: Claim) -> set[str]:
    parts = [denied_part(m.text) for m in claim.mentions if m.stance == "denied"]
    return _stems(" ".join(p for p in parts if p))


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in content_words(text) if not w.isdigit()}


def anonymous_key(description: str) -> str:
    """A grouping key for an anonymous speaker: "a senior US official" -> "us official"."""
    text = _TRAILING.sub("", _LEADING.sub("", fold(description).strip()))
    head, _, last = text.rpartition(" ")
    last = _PLURALS.get(last, last[:-1] if last.endswith("s") and len(last) > 3 else last)
    return f"{head} {last}".strip()


class _Tracer:
    grouping = "side"

    def __init__(
        self,
        articles: Sequence[Article],
        reuse: Sequence[Reuse],
        quotes: Sequence[Quote],
        citations: Sequence[Citation],
    ) -> None:
        self.articles = {a.id: a for a in articles}
        self.copied_from: dict[str, list[Reuse]] = defaultdict(list)
        self.upstream = UnionFind[str]()
        for link in reuse:
            if link.kind == "shared_upstream":
                self.upstream.union(link.source_id, link.target_id)
            elif link.kind in DIRECTED:
                self.copied_from[link.target_id].append(link)
        self.quotes: dict[str, list[Quote]] = defaultdict(list)
        for quote in quotes:
            self.quotes[quote.article_id].append(quote)
        self.citations: dict[str, list[Citation]] = defaultdict(list)
        for citation in citations:
            self.citations[citation.article_id].append(citation)

    def trace_claim(self, claim: Claim) -> Claim:
        by_article: dict[str, Mention] = {}
        for mention in claim.mentions:
            by_article.setdefault(mention.article_id, mention)
        traces = {a: self._trace(a, by_article, set()) for a in by_article}
        keys = group_anonymous({t.key for t in traces.values()}, grouping=self.grouping)
        origins: dict[str, Origin] = {}
        for trace in traces.values():
            key = keys[trace.key]
            known = origins.get(key)
            evidence = (known.evidence if known else ()) + trace.origin.evidence
            origins[key] = replace(known or trace.origin, evidence=_unique(evidence))
        chains = tuple(
            Chain(article_id=a, steps=t.steps, origin=origins[keys[t.key]].name)
            for a, t in traces.items()
        )
        return replace(
            claim,
            origins=tuple(origins.values()),
            independent_count=len(origins),
            chains=chains,
        )

    def _trace(self, article_id: str, mentions: dict[str, Mention], seen: set[str]) -> _Trace:
        seen = seen | {article_id}
        mention = mentions[article_id]
        label = self._label(article_id)
        for link in self.copied_from.get(article_id, ()):
            if link.source_id in mentions and link.source_id not in seen:
                inner = self._trace(link.source_id, mentions, seen)
                step = f"{link.kind} copy of {self._label(link.source_id)}"
                return replace(inner, steps=(label, step, *inner.steps[1:]))
        if trace := self._speaker(mention):
            return replace(trace, steps=(label, *trace.steps))
        if trace := self._citation(mention, mentions, seen):
            return replace(trace, steps=(label, *trace.steps))
        if trace := self._article_citation(mention, mentions, seen):
            return replace(trace, steps=(label, *trace.steps))
        family = [a for a in mentions if a != article_id and self._same_upstream(a, article_id)]
        for mate in sorted(family):
            mate_trace = self._attributed(mate, mentions, seen)
            if mate_trace is not None:
                step = f"shares an upstream with {self._label(mate)}"
                return replace(mate_trace, steps=(label, step, *mate_trace.steps))
        if family:
            members = sorted([article_id, *family])
            name = "upstream shared by " + ", ".join(self._label(a) for a in members)
            origin = Origin(kind="own_reporting", name=name, evidence=(_span(mention),))
            return _Trace(f"upstream:{members[0]}", origin, (label, "shares an upstream", name))
        name = f"own reporting of {label}"
        origin = Origin(kind="own_reporting", name=name, evidence=(_span(mention),))
        return _Trace(f"own:{article_id}", origin, (label, name))

    def _attributed(
        self, article_id: str, mentions: dict[str, Mention], seen: set[str]
    ) -> _Trace | None:
        """The speaker or citation trace of an article's mention, if it has one."""
        if article_id in seen:
            return None
        mention = mentions[article_id]
        trace = self._speaker(mention) or self._citation(mention, mentions, seen | {article_id})
        if trace is None:
            return None
        return replace(trace, steps=(self._label(article_id), *trace.steps))

    def _speaker(self, mention: Mention) -> _Trace | None:
        for quote in self.quotes.get(mention.article_id, ()):
            if quote.speaker and quote.start < mention.end and quote.end > mention.start:
                return _speaker_trace(quote)
        return None

    def _article_citation(
        self, mention: Mention, mentions: dict[str, Mention], seen: set[str]
    ) -> _Trace | None:
        """Follow a citation made elsewhere in the article to a cited article with the claim."""
        for citation in self.citations.get(mention.article_id, ()):
            for other in mentions:
                if other not in seen and self._is_outlet(other, citation.outlet):
                    inner = self._trace(other, mentions, seen)
                    step = f"cites {citation.outlet} (“{citation.text}”, elsewhere in the article)"
                    return replace(inner, steps=(step, *inner.steps))
        return None

    def _citation(
        self, mention: Mention, mentions: dict[str, Mention], seen: set[str]
    ) -> _Trace | None:
        for citation in self.citations.get(mention.article_id, ()):
            if not (citation.start < mention.end and citation.end > mention.start):
                continue
            step = f"cites {citation.outlet}"
            for other in mentions:
                if other not in seen and self._is_outlet(other, citation.outlet):
                    inner = self._trace(other, mentions, seen)
                    return replace(inner, steps=(step, *inner.steps))
            origin = Origin(kind="outlet", name=citation.outlet, evidence=(_span(citation),))
            return _Trace(f"outlet:{fold(citation.outlet)}", origin, (step,))
        return None

    def _is_outlet(self, article_id: str, outlet: str) -> bool:
        name = self.articles[article_id].outlet
        return bool(name) and outlet_matches(name or "", outlet)

    def _same_upstream(self, first: str, second: str) -> bool:
        return first in self.upstream.parent and self.upstream.find(first) == self.upstream.find(
            second
        )

    def _label(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        if article is None:
            return article_id
        name = PurePath(article.source_path).name
        return f"{article.outlet} ({name})" if article.outlet else name


def outlet_matches(name: str, cited: str) -> bool:
    """Whether a cited outlet ("NPA", "the Courier") names the outlet ``name``."""
    name_words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() != "the"]
    cited_words = [w for w in re.findall(r"[A-Za-z]+", cited) if w.lower() != "the"]
    if not name_words or not cited_words:
        return False
    if [w.lower() for w in name_words] == [w.lower() for w in cited_words]:
        return True
    initials = "".join(w[0] for w in name_words).lower()
    if len(cited_words) == 1 and cited_words[0].lower() == initials:
        return True
    return {w.lower() for w in cited_words} <= {w.lower() for w in name_words}


def _speaker_trace(quote: Quote) -> _Trace:
    speaker = quote.speaker or ""
    evidence = (
        Span(article_id=quote.article_id, start=quote.start, end=quote.end, text=quote.text),
    )
    if quote.speaker_kind == "anonymous":
        key = anonymous_key(speaker)
        name = f"anonymous {key}s" if key else "anonymous source"
        origin = Origin(kind="speaker", name=name, evidence=evidence)
        return _Trace(f"anon:{key}", origin, (f"quotes {speaker}",))
    kind = "document" if _DOCUMENT.search(fold(speaker)) else "speaker"
    origin = Origin(kind=kind, name=speaker, evidence=evidence)
    return _Trace(f"named:{fold(speaker)}", origin, (f"quotes {speaker}",))


def group_anonymous(keys: set[str], *, grouping: str = "side") -> dict[str, str]:
    """Map each origin key to the key of the group it counts in.

    With ``grouping="side"`` (the default), anonymous speakers with the same
    head noun count as one origin unless their descriptions name different
    sides: "a senior US official", "a senior administration official" and
    "the official" are one origin, "a Chinese official" another. With
    ``"description"``, only identical descriptions count as one. Other keys
    map to themselves.
    """
    mapping = {key: key for key in keys}
    if grouping != "side":
        return mapping
    groups: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
    for key in sorted(k for k in keys if k.startswith("anon:")):
        description = key.removeprefix("anon:")
        groups[(description.rpartition(" ")[2], _sides(description))].append(key)
    for (head, sides), members in list(groups.items()):
        sided = [g for (h, s), g in groups.items() if h == head and s]
        if not sides and len(sided) == 1:
            sided[0].extend(members)
            members.clear()
    for members in groups.values():
        if members:
            representative = max(members, key=lambda k: (len(_sides(k)), len(k), k))
            mapping.update((member, representative) for member in members)
    return mapping


def _sides(description: str) -> frozenset[str]:
    return frozenset(SIDES.get(word, word) for word in description.split() if word in SIDES)


def _span(record: Mention | Citation) -> Span:
    return Span(article_id=record.article_id, start=record.start, end=record.end, text=record.text)


def _unique(spans: Sequence[Span]) -> tuple[Span, ...]:
    return tuple(dict.fromkeys(spans))


def provenance_graph(
    articles: Sequence[Article],
    reuse: Sequence[Reuse] = (),
    citations: Sequence[Citation] = (),
    claims: Sequence[Claim] = (),
    upstreams: Sequence[Upstream] = (),
) -> tuple[tuple[GraphNode, ...], tuple[GraphEdge, ...]]:
    """The provenance graph: copies, inferred upstreams, citations and attributions.

    A ``shared_upstream`` link hangs off the node of the ``upstreams`` record
    that holds both its articles (one node per family), else off its own.
    """
    nodes: dict[str, GraphNode] = {}
    edges: dict[tuple[str, str, str], GraphEdge] = {}

    def node(node_id: str, kind: str, label: str) -> str:
        nodes.setdefault(node_id, GraphNode(id=node_id, kind=kind, label=label))  # type: ignore[arg-type]
        return node_id

    def edge(source: str, target: str, kind: str, evidence: tuple[Span, ...] = ()) -> None:
        known = edges.get((source, target, kind))
        merged = _unique((known.evidence if known else ()) + evidence)
        edges[(source, target, kind)] = GraphEdge(
            source=source, target=target, kind=kind, evidence=merged
        )

    labels = {a.id: a.outlet or PurePath(a.source_path).name for a in articles}
    for article in articles:
        node(f"article:{article.id}", "article", labels[article.id])
    for link in reuse:
        evidence = (link.aligned[0].target,) if link.aligned else ()
        source, target = f"article:{link.source_id}", f"article:{link.target_id}"
        if link.kind == "shared_upstream":
            members = sorted((link.source_id, link.target_id))
            family = [u for u in upstreams if set(members) <= set(u.members)]
            upstream_id = family[0].id if family else f"upstream:{'+'.join(members)}"
            upstream = node(upstream_id, "upstream", "inferred upstream")
            edge(upstream, source, "shared_upstream")
            edge(upstream, target, "shared_upstream", evidence)
        else:
            edge(source, target, link.kind, evidence)
    for citation in citations:
        outlet = node(f"outlet:{fold(citation.outlet)}", "outlet", citation.outlet)
        edge(f"article:{citation.article_id}", outlet, "cites", (_span(citation),))
        for article in articles:
            if article.outlet and outlet_matches(article.outlet, citation.outlet):
                edge(outlet, f"article:{article.id}", "publishes")
    for claim in claims:
        for origin in claim.origins:
            if origin.kind in ("speaker", "document"):
                origin_id = node(f"origin:{fold(origin.name)}", "origin", origin.name)
                for span in origin.evidence:
                    edge(origin_id, f"article:{span.article_id}", "attributes", (span,))
    return tuple(nodes.values()), tuple(edges.values())
