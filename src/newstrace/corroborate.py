"""Count the independent origins behind each claim, and find conflicting claims.

Each article mentioning a claim contributes one chain, from its best
mention (one with a speaker or a citation first, then the one closest to the
claim's statement). The mention is traced to an origin, first rule that
applies:

1. the article copies another article that mentions the same claim (a
   directed reuse edge): the mention's origin is that article's, and the
   chain records the copy;
2. a quote in the mention (or in its sentence) names its speaker: the
   speaker is the origin; a denial with no quote is the denier's, read
   from the subject of its denial verb ("The embassy denied …");
3. the mention cites an outlet ("NPA reported"): when an article of that
   outlet mentions the claim, the chain continues there; otherwise the
   outlet is the origin. A citation elsewhere in the article is followed
   too, but only to an article of that outlet that mentions the claim;
4. the article shares an upstream with another mentioning article: it
   takes that article's speaker or citation when it has one, otherwise both
   count as one inferred upstream;
5. otherwise the article's own reporting is the origin.

Then origins collapse, by explicit rules set in ``Settings`` (each collapse
adds its reason as the last step of the chain):

- ``anonymous_grouping="side"``: anonymous speakers with the same role and
  no conflicting side are one origin ("description": identical only);
- ``official_grouping="government"``: anonymous officials of one side and
  that side's government bodies speaking as such ("the White House", "the
  Chinese embassy") are one origin ("anonymous": no such collapse);
- ``spokespeople="organisation"``: a named spokesperson speaks for the
  organisation of their affiliation ("person": they count on their own);
- ``circular_reporting="collapse"``: outlets citing each other in a loop
  (A cites B, which cites A) are one origin, not one each ("count": each
  cited outlet counts);
- ``unsourced_mentions="fold"``: an article stating the claim without any
  source, and without a sign of its own evidence ("records seen by", "has
  learned", "we found"), does not add an origin when other articles
  attribute it ("count": such statements count as own reporting).

``independent_count`` is the number of distinct origins; ``chains`` holds
one explanation per mentioning article. A claim denied by some mentions
conflicts with the assertions whose content it denies.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from ._graph import UnionFind
from ._text import content_words, fold
from .claims import SIDES as CLAIM_SIDES
from .claims import denied_part, unit_features
from .config import Settings
from .errors import ConfigError
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
MAX_DENIER_WORDS = 8
COLLAPSING_RULES = {
    "anonymous_grouping": ("side", "description"),
    "official_grouping": ("government", "anonymous"),
    "spokespeople": ("organisation", "person"),
    "circular_reporting": ("collapse", "count"),
    "unsourced_mentions": ("fold", "count"),
}

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
    **CLAIM_SIDES,  # countries: their names, adjectives and capitals
    "u.s.": "us",
    "biden": "us",
    "administration": "us",
    "white": "us",
    "pentagon": "us",
    "uk": "uk",
    "eu": "eu",
    "nato": "nato",
    "western": "west",
}
_GOVERNMENT = re.compile(
    r"\b(?:government|embassy|ministry|white house|state department|pentagon|kremlin|"
    r"administration|foreign office|cabinet|consulate|presidency)\b"
)
_SPOKESPERSON = re.compile(r"\b(?:spokes\w*|press secretary|representative)\b")
_DENIER = re.compile(
    r"^\W*(?P<denier>[A-Z][^,;:]{2,80}?)\s+(?:(?:has|have|had|also|quickly|publicly|flatly|"
    r"strongly|firmly|swiftly|already)\s+)*(?:den(?:y|ies|ied)|rejected|rejects|dismissed|"
    r"dismisses|refuted)\b"
)
_OWN_EVIDENCE = re.compile(
    r"\b(?:seen by|obtained by|reviewed by|has learned|have learned|witnessed|our reporters?|"
    r"(?:records|documents|data|figures|footage|images|logs) (?:seen|show|shows|showed|obtained|"
    r"reviewed)|this (?:newspaper|paper|site|station)|we (?:saw|found|counted|confirmed))\b"
)
_PRONOUN = re.compile(r"(?:he|she|it|they|we|i|you|this|that)")
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
    """Return the claims with origins, independent counts, chains and conflicts,
    most important first (``importance``: disputed, then most articles).

    The collapsing rules are the ``Settings`` fields named in the module
    docstring.
    """
    settings = settings or Settings()
    for name, allowed in COLLAPSING_RULES.items():
        if getattr(settings, name) not in allowed:
            raise ConfigError(
                f"setting {name!r} must be one of {', '.join(allowed)}; "
                f"got {getattr(settings, name)!r}"
            )
    tracer = _Tracer(articles, reuse, shared_affiliations(quotes), citations, settings)
    traced = [tracer.trace_claim(claim) for claim in claims]
    conflicts = find_conflicts(traced)
    result = [replace(c, conflicts_with=conflicts.get(c.id, ())) for c in traced]
    return tuple(sorted(result, key=importance))


def shared_affiliations(quotes: Sequence[Quote]) -> list[Quote]:
    """Give a named spokesperson's title and affiliation, stated in one article
    ("Petra Holm, a spokeswoman for the Vessmark Port Authority"), to their quotes
    in articles that name them without it ("spokesperson Petra Holm said")."""
    known: dict[str, Quote] = {}
    for q in quotes:
        spokesperson = q.speaker_title and _SPOKESPERSON.search(fold(q.speaker_title))
        if q.speaker_kind == "named" and q.speaker and q.speaker_affiliation and spokesperson:
            known.setdefault(fold(q.speaker), q)
    return [
        replace(
            q,
            speaker_title=known[fold(q.speaker)].speaker_title,
            speaker_affiliation=known[fold(q.speaker)].speaker_affiliation,
        )
        if q.speaker_kind == "named"
        and q.speaker
        and not q.speaker_affiliation
        and fold(q.speaker) in known
        else q
        for q in quotes
    ]


def importance(claim: Claim) -> tuple[bool, int, int, str]:
    """Sort key, most important first: disputed claims, then by articles, then origins."""
    articles = len({m.article_id for m in claim.mentions})
    return (not claim.conflicts_with, -articles, -claim.independent_count, claim.id)


def find_conflicts(claims: Sequence[Claim]) -> dict[str, tuple[str, ...]]:
    """Map each claim id to the ids of claims in the same story that it contradicts.

    A denial contradicts an assertion when what it denies (the words after
    its denial cue: "rejects reports *of skipped crane inspections*") shares
    at least ``CONFLICT_OVERLAP`` distinctive word stems with the assertion,
    or one such stem and the same kind of event (a denied "request" and a
    claim that someone asked for something). Stems found in more than
    ``TOPIC_SHARE`` of the story's claims say what the story is about (the
    port, the crane), not what is denied, and do not count.
    """
    found: dict[str, set[str]] = defaultdict(set)
    by_story: dict[str | None, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_story[claim.story_id].append(claim)
    for story_claims in by_story.values():
        stems = {c.id: _stems(" ".join(m.text for m in c.mentions)) for c in story_claims}
        events = {c.id: _main_event(c) for c in story_claims}
        frequency = Counter(stem for bag in stems.values() for stem in bag)
        limit = max(2, TOPIC_SHARE * len(story_claims))
        topic = {stem for stem, n in frequency.items() if n > limit}
        for denial in story_claims:
            denied_text = _denied_text(denial)
            denied = _stems(denied_text) - topic
            if not denied:
                continue
            denied_event = unit_features(denied_text).event
            for other in story_claims:
                if other.id == denial.id or _denied_text(other):
                    continue
                shared = len(denied & stems[other.id])
                same_event = denied_event is not None and denied_event == events[other.id]
                if shared >= CONFLICT_OVERLAP or (shared and same_event):
                    found[denial.id].add(other.id)
                    found[other.id].add(denial.id)
    return {claim_id: tuple(sorted(ids)) for claim_id, ids in found.items()}


def _denied_text(claim: Claim) -> str:
    parts = [denied_part(m.text) for m in claim.mentions if m.stance == "denied"]
    return " ".join(p for p in parts if p)


def _main_event(claim: Claim) -> str | None:
    """The kind of event most of the claim's mentions report (see ``claims.unit_features``)."""
    kinds = Counter(unit_features(m.text).event for m in claim.mentions)
    kinds.pop(None, None)
    return min(kinds, key=lambda k: (-kinds[k], k)) if kinds else None


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in content_words(text) if not w.isdigit()}


def anonymous_key(description: str) -> str:
    """A grouping key for an anonymous speaker: "a senior US official" -> "us official"."""
    text = _TRAILING.sub("", _LEADING.sub("", fold(description).strip()))
    head, _, last = text.rpartition(" ")
    last = _PLURALS.get(last, last[:-1] if last.endswith("s") and len(last) > 3 else last)
    return f"{head} {last}".strip()


class _Tracer:
    def __init__(
        self,
        articles: Sequence[Article],
        reuse: Sequence[Reuse],
        quotes: Sequence[Quote],
        citations: Sequence[Citation],
        settings: Settings,
    ) -> None:
        self.settings = settings
        self.articles = {a.id: a for a in articles}
        self.copied_from: dict[str, list[Reuse]] = defaultdict(list)
        self.undecided_with: dict[str, set[str]] = defaultdict(set)  # linked, order unknown
        self.upstream = UnionFind[str]()
        for link in reuse:
            if link.kind == "shared_upstream":
                self.upstream.union(link.source_id, link.target_id)
            elif link.kind in DIRECTED:
                self.copied_from[link.target_id].append(link)
                if link.undecided:
                    self.undecided_with[link.source_id].add(link.target_id)
        self.quotes: dict[str, list[Quote]] = defaultdict(list)
        for quote in quotes:
            self.quotes[quote.article_id].append(quote)
        self.citations: dict[str, list[Citation]] = defaultdict(list)
        for citation in citations:
            self.citations[citation.article_id].append(citation)

    def trace_claim(self, claim: Claim) -> Claim:
        chosen = self._chosen_mentions(claim)
        traces = {a: self._trace(a, chosen, ()) for a in chosen}
        groups = group_origins(traces, settings=self.settings)
        origins: dict[str, Origin] = {}
        for article_id, trace in traces.items():
            key = groups[article_id][0]
            known = origins.get(key)
            evidence = (known.evidence if known else ()) + trace.origin.evidence
            base = known or traces[_owner(groups, key)].origin
            origins[key] = replace(base, evidence=_unique(evidence))
        chains = tuple(
            Chain(
                article_id=a,
                steps=t.steps + ((groups[a][1],) if groups[a][1] else ()),
                origin=origins[groups[a][0]].name,
            )
            for a, t in traces.items()
        )
        return replace(
            claim,
            origins=tuple(origins.values()),
            independent_count=len(origins),
            chains=chains,
        )

    def _chosen_mentions(self, claim: Claim) -> dict[str, Mention]:
        """Each article's best mention: attributed first, then closest to the statement."""
        statement = set(content_words(claim.statement))
        by_article: dict[str, list[Mention]] = defaultdict(list)
        for mention in claim.mentions:
            by_article[mention.article_id].append(mention)

        def rank(mention: Mention) -> tuple[int, float, int]:
            source = 0 if self._quote_for(mention) else 1 if self._citation_for(mention) else 2
            bag = set(content_words(mention.text))
            closeness = 2 * len(bag & statement) / max(1, len(bag) + len(statement))
            return (source, -closeness, mention.start)

        return {a: min(ms, key=rank) for a, ms in by_article.items()}

    def _trace(
        self, article_id: str, mentions: dict[str, Mention], path: tuple[str, ...]
    ) -> _Trace:
        path = (*path, article_id)
        mention = mentions[article_id]
        label = self._label(article_id)
        for link in self.copied_from.get(article_id, ()):
            if link.source_id in mentions and link.source_id not in path:
                inner = self._trace(link.source_id, mentions, path)
                source = self._label(link.source_id)
                either = article_id in self.undecided_with.get(link.source_id, ())
                step = f"{link.kind} {'either way with' if either else 'copy of'} {source}"
                return replace(inner, steps=(label, step, *inner.steps[1:]))
        if trace := self._speaker(mention):
            via = self._citation_for(mention)
            cited = (f"cites {via.outlet} (“{via.text}”)",) if via else ()
            return replace(trace, steps=(label, *cited, *trace.steps))
        if trace := self._citation(mention, mentions, path):
            return replace(trace, steps=(label, *trace.steps))
        if trace := self._article_citation(mention, mentions, path):
            return replace(trace, steps=(label, *trace.steps))
        family = [a for a in mentions if a != article_id and self._same_upstream(a, article_id)]
        for mate in sorted(family):
            mate_trace = self._attributed(mate, mentions, path)
            if mate_trace is not None:
                step = f"shares an upstream with {self._label(mate)}"
                return replace(mate_trace, steps=(label, step, *mate_trace.steps))
        if family:
            members = sorted([article_id, *family])
            name = "upstream shared by " + ", ".join(self._label(a) for a in members)
            origin = Origin(kind="own_reporting", name=name, evidence=(_span(mention),))
            return _Trace(f"upstream:{members[0]}", origin, (label, "shares an upstream", name))
        name = f"own reporting of {label}"
        copies = sorted(a for a in self.undecided_with.get(article_id, ()) if a in mentions)
        if copies:  # which of them copied which, no evidence said
            name += "".join(f" or {self._label(a)}" for a in copies)
        origin = Origin(kind="own_reporting", name=name, evidence=(_span(mention),))
        return _Trace(f"own:{article_id}", origin, (label, name))

    def _attributed(
        self, article_id: str, mentions: dict[str, Mention], path: tuple[str, ...]
    ) -> _Trace | None:
        """The speaker or citation trace of an article's mention, if it has one."""
        if article_id in path:
            return None
        mention = mentions[article_id]
        trace = self._speaker(mention) or self._citation(mention, mentions, (*path, article_id))
        if trace is None:
            return None
        return replace(trace, steps=(self._label(article_id), *trace.steps))

    def _quote_for(self, mention: Mention) -> Quote | None:
        """The quote that carries the mention: overlapping it, else spoken in its sentence."""
        quotes = [q for q in self.quotes.get(mention.article_id, ()) if q.speaker]
        for quote in quotes:
            if quote.start < mention.end and quote.end > mention.start:
                return quote
        start, end = self._sentence(mention)
        for quote in quotes:
            speaker_start = quote.start if quote.speaker_start is None else quote.speaker_start
            if quote.start < end and quote.end > start and start <= speaker_start < end:
                return quote
        return None

    def _speaker(self, mention: Mention) -> _Trace | None:
        if quote := self._quote_for(mention):
            return _speaker_trace(quote)
        if mention.stance == "denied" and (match := _DENIER.match(mention.text)):
            name = match["denier"].strip()
            if len(name.split()) <= MAX_DENIER_WORDS and not _PRONOUN.fullmatch(fold(name)):
                start = mention.start + match.start("denier")
                evidence = Span(
                    article_id=mention.article_id, start=start, end=start + len(name), text=name
                )
                origin = Origin(kind="speaker", name=name, evidence=(evidence, _span(mention)))
                return _Trace(f"org:{organisation_key(name)}", origin, (f"denied by {name}",))
        return None

    def _sentence(self, mention: Mention) -> tuple[int, int]:
        """The span of the sentence around a mention (clause mentions sit inside one)."""
        article = self.articles.get(mention.article_id)
        if article is None:
            return mention.start, mention.end
        text = article.text
        before = max(text.rfind(mark, 0, mention.start) for mark in (". ", "\n", "? ", "! "))
        after = [i for i in (text.find(m, mention.end) for m in (". ", "\n", "? ", "! ")) if i >= 0]
        return before + 1, min(after, default=len(text))

    def _citation_for(self, mention: Mention) -> Citation | None:
        start, end = self._sentence(mention)
        for citation in self.citations.get(mention.article_id, ()):
            if citation.start < end and citation.end > start:
                return citation
        return None

    def _article_citation(
        self, mention: Mention, mentions: dict[str, Mention], path: tuple[str, ...]
    ) -> _Trace | None:
        """Follow a citation made elsewhere in the article to a cited article with the claim."""
        for citation in self.citations.get(mention.article_id, ()):
            for other in mentions:
                if other not in path and self._is_outlet(other, citation.outlet):
                    inner = self._trace(other, mentions, path)
                    step = f"cites {citation.outlet} (“{citation.text}”, elsewhere in the article)"
                    return replace(inner, steps=(step, *inner.steps))
        return None

    def _citation(
        self, mention: Mention, mentions: dict[str, Mention], path: tuple[str, ...]
    ) -> _Trace | None:
        citation = self._citation_for(mention)
        if citation is None:
            return None
        step = f"cites {citation.outlet}"
        cited = [other for other in mentions if self._is_outlet(other, citation.outlet)]
        for other in cited:
            if other not in path:
                inner = self._trace(other, mentions, path)
                return replace(inner, steps=(step, *inner.steps))
        loop = [other for other in cited if other in path]
        if loop and self.settings.circular_reporting == "collapse":
            members = sorted(path[path.index(loop[0]) :])
            names = " and ".join(self._label(a) for a in members)
            origin = Origin(
                kind="outlet", name=f"circular reporting of {names}", evidence=(_span(citation),)
            )
            loop_step = (
                f"{citation.outlet} in turn cites this article's outlet: circular reporting, "
                "counted once (setting circular_reporting='collapse')"
            )
            return _Trace(f"circular:{'+'.join(members)}", origin, (step, loop_step))
        origin = Origin(kind="outlet", name=citation.outlet, evidence=(_span(citation),))
        return _Trace(f"outlet:{fold(citation.outlet)}", origin, (step,))

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
    if quote.speaker_kind == "organisation":
        return _Trace(f"org:{organisation_key(speaker)}", origin, (f"quotes {speaker}",))
    if (
        quote.speaker_affiliation
        and quote.speaker_title
        and _SPOKESPERSON.search(fold(quote.speaker_title))
    ):
        described = f"{speaker} ({quote.speaker_title}, {quote.speaker_affiliation})"
        origin = replace(origin, name=described)
        key = f"named:{fold(speaker)}|{organisation_key(quote.speaker_affiliation)}"
        return _Trace(key, origin, (f"quotes {described}",))
    return _Trace(f"named:{fold(speaker)}", origin, (f"quotes {speaker}",))


def organisation_key(name: str) -> str:
    """A grouping key for an organisation: "The Chinese embassy in the US" -> "chinese embassy"."""
    text = fold(name).strip()
    text = re.sub(r"^(?:both|the|a|an)\s+", "", text)
    text = re.sub(r"^(?:the)\s+", "", text)
    text = re.sub(r"\s+(?:in|at|to|for)\s.*$", "", text)
    return re.sub(r"[^\w\s.]", "", text).strip()


def group_origins(
    traces: Mapping[str, _Trace], *, settings: Settings
) -> dict[str, tuple[str, str]]:
    """Map each article to ``(origin key, reason)``: the origin it counts in and why.

    ``reason`` is empty when the article's own origin is kept as it is. The
    rules, in order, are the settings named in the module docstring.
    """
    keys = {t.key for t in traces.values()}
    mapping = {k: (k, "") for k in keys}
    anonymous = group_anonymous(keys, grouping=settings.anonymous_grouping)
    for key, group in anonymous.items():
        if group != key:
            mapping[key] = (
                group,
                f"counted with {_display(group)}: same role, same side "
                "(setting anonymous_grouping='side')",
            )
    if settings.spokespeople == "organisation":
        for key in keys:
            if key.startswith("named:") and "|" in key:
                organisation = "org:" + key.partition("|")[2]
                mapping[key] = (
                    organisation,
                    f"speaks for {organisation[4:]} (setting spokespeople='organisation')",
                )
    if settings.official_grouping == "government":
        _group_governments(mapping)
    if settings.unsourced_mentions == "fold":
        _fold_unsourced(mapping, traces)
    return {article: _resolve(mapping, trace.key) for article, trace in traces.items()}


def _resolve(mapping: dict[str, tuple[str, str]], key: str) -> tuple[str, str]:
    group, reason = mapping.get(key, (key, ""))
    seen = {key}
    while group in mapping and mapping[group][0] != group and group not in seen:
        seen.add(group)
        group, later = mapping[group]
        reason = reason or later
    return group, reason


def _group_governments(mapping: dict[str, tuple[str, str]]) -> None:
    """Anonymous officials of one side and that side's government bodies: one origin."""
    by_side: dict[str, list[str]] = defaultdict(list)
    for key in sorted({group for group, _ in mapping.values()}):
        sides = _sides(_display(key)) if key.startswith(("anon:", "org:")) else frozenset()
        official = key.startswith("anon:") and key.rpartition(" ")[2] in ("official", "officials")
        if len(sides) == 1 and (official or (key.startswith("org:") and _GOVERNMENT.search(key))):
            by_side[next(iter(sides))].append(key)
    for side, members in by_side.items():
        if len(members) < 2:
            continue
        representative = min(members, key=lambda k: (not k.startswith("anon:"), k))
        for key, (group, _) in list(mapping.items()):
            if group in members and group != representative:
                mapping[key] = (
                    representative,
                    f"counted with {_display(representative)}: "
                    f"one government ({side}) speaking (setting "
                    "official_grouping='government')",
                )


def _fold_unsourced(mapping: dict[str, tuple[str, str]], traces: Mapping[str, _Trace]) -> None:
    """Unsourced statements do not add an origin when other articles attribute the claim."""
    groups = Counter(_resolve(mapping, t.key)[0] for t in traces.values() if not _unsourced(t))
    if not groups:
        return
    main = min(groups, key=lambda k: (-groups[k], k))
    for trace in traces.values():
        if _unsourced(trace):
            mapping[trace.key] = (
                main,
                "states it without naming a source: not counted as an "
                "independent origin (setting unsourced_mentions='fold')",
            )


def _unsourced(trace: _Trace) -> bool:
    """A bare statement: no speaker, no citation, no sign of the outlet's own evidence."""
    if not trace.key.startswith(("own:", "upstream:")):
        return False
    return not any(_OWN_EVIDENCE.search(fold(span.text)) for span in trace.origin.evidence)


def _owner(groups: Mapping[str, tuple[str, str]], key: str) -> str:
    """An article whose own trace is the origin ``key`` (else any in the group)."""
    members = [a for a, (group, reason) in groups.items() if group == key]
    return next((a for a in members if not groups[a][1]), members[0])


def _display(key: str) -> str:
    return key.partition(":")[2]


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
