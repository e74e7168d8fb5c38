"""Find text reuse between articles: who copied whom, how, and in which direction.

Four steps, none of which compares all pairs of articles:

1. **Candidates** (``_signatures``). Sampled hashes of each article's word
   ``shingle_size``-grams, computed with numpy, go into one inverted index; a
   pair is a candidate when the hashes it shares are at least
   ``min_containment`` of the smaller article. Containment, not Jaccard, so
   an abridged copy, four reused paragraphs, or a spun copy and an abridged
   copy of one upstream (Jaccard ≈ 0.2) are found. Hashes in more than
   ``max_posting`` articles (or ``max_posting_share`` of a big corpus) are
   common phrases and ignored.
2. **Alignment** (``_align``). Sentences are matched one to one with
   rapidfuzz: ``verbatim``, ``near`` or ``substituted`` (word swaps: spinning).
   Quotes shared word for word do not count as reuse.
3. **Kind and direction.** Coverage of each side gives ``verbatim``,
   ``abridged``, ``extended``, ``spun`` or ``partial``; how the contained
   side's aligned sentences reuse the other's words (5-gram containment, word
   LCS; thresholds chosen on the project's own data) separates copied, edited
   (``spun``) and ``rewritten`` text. Pairs whose sentences are all only
   loosely alike (``near``, below ``LOOSE``) are not linked. Direction, with
   ``direction_evidence``: a credit line ("first published by"), publication
   times, one article naming the other's outlet, degradation (a copy with a
   settled term swapped, "the official" → "the manager", or a mangled name is
   not the source; an inflection, a word capitalised only at a sentence
   start, or a word the article uses as its own is not damage), containment;
   else "undecided" (confidence 0.5). A damaged copy that also has much the
   clean one lacks makes a ``shared_upstream`` link (confidence 0): neither
   copied the other.
4. **Rewrites** (``add_rewrites``, ``_paraphrase``). Pairs sharing enough
   rare terms (``rewrite_candidates``), and not already copies, are aligned
   by sentence embeddings (``embed.MiniLMEmbedder`` by default, loaded only
   when needed). A term is a content word or a pair of content words that
   meet more often than chance, and rare when it is in at most
   ``max_posting`` articles: in a big corpus a story's town and people are
   each in hundreds of articles, but together only in the story's. A pair is
   ``rewritten`` when the derived side names its source and paraphrases at
   least one of its sentences, or paraphrases ``rewrite_coverage`` of itself.
   Two articles in a language the embedder was trained on (MiniLM: English,
   or unknown) are compared with it; other pairs with multilingual-e5-small
   (``_multilingual``), its cosines put on MiniLM's scale (``embed.cosines``).
   MiniLM's cosines mean nothing in other languages: they follow shared word
   pieces, and same-story reports would pass for rewrites. A translation is
   a rewrite across two languages: pairs in two known languages that share
   rare names and numbers (``translation_rows``) are aligned by E5 at the
   lower ``paraphrase_similarity_crosslingual``.

Links that a common source explains (two copies or rewrites of one wire
story) are dropped: see ``prune_redundant``. ``infer_upstreams`` turns each
group of ``shared_upstream`` links into one ``Upstream`` record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from math import isqrt
from typing import Any

import numpy as np

from . import _paraphrase as para
from ._align import align, align_sentences, coverage, fact_agreement, template_siblings
from ._multilingual import E5Embedder
from ._signatures import ShingleHasher, rare_pair_terms
from ._signatures import candidate_pairs as signature_pairs
from ._text import STOPWORDS, content_words, fold, parse_time, shingles, words
from .config import Settings
from .embed import Embedder, MiniLMEmbedder, trained_on
from .model import AlignedPair, Article, Reuse, Sentence, Upstream, two_languages

__all__ = [
    "align",
    "align_sentences",
    "candidate_pairs",
    "classify",
    "compare",
    "compare_rewrite",
    "add_rewrites",
    "find_reuse",
    "infer_upstreams",
    "prune_redundant",
]

WHOLE = 0.95
CREDITED = 0.95
DATED = 0.9
CITED = 0.8
DEGRADED = 0.75
CONTAINED = 0.8
MOSTLY = 0.6
SUBSTANTIAL = 0.25
SPUN_SHARE = 0.3
MIN_FACTS = 2  # names and numbers in the aligned sentences before their agreement counts
KEPT_FACTS = 0.5  # share of them a copy keeps; template siblings keep few
MIN_KEPT = 3  # names and numbers kept before a small share of an article is reuse
LOOSE = 0.7  # a link of "near" pairs only needs one this close (synthetic gap 0.69–0.73)
COPY_KINDS = ("verbatim", "abridged", "extended", "spun")
REWRITE_MIN_SHARED = 3  # rare terms two articles share before a paraphrase alignment
REWRITE_PAIR_WORDS = 12  # least common words of an article paired up for rewrite blocking
REWRITE_PAIR_LIFT = 4.0  # how many times chance two words must meet for their pair to count


@dataclass(frozen=True, slots=True)
class Direction:
    """Whether the first article is the source, how sure, and why."""

    first_is_source: bool
    confidence: float
    evidence: str


def find_reuse(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    multilingual: Embedder | None = None,
) -> tuple[Reuse, ...]:
    """Return one ``Reuse`` record for every pair of articles that share text.

    ``embedder`` aligns paraphrased sentences (the ``rewritten`` kind), and
    ``multilingual`` those of articles in a language ``embedder`` was not
    trained on; when they are not given, MiniLM and multilingual-e5-small are
    loaded only if some pair needs them (see ``add_rewrites``).
    """
    settings = settings or Settings()
    by_id = {a.id: a for a in articles}
    links = []
    for first, second in sorted(candidate_pairs(articles, sentences, settings=settings)):
        link = compare(
            by_id[first], by_id[second], sentences[first], sentences[second], settings=settings
        )
        if link is not None:
            links.append(link)
    if settings.paraphrase:
        links = add_rewrites(
            articles,
            sentences,
            links,
            settings=settings,
            embedder=embedder,
            multilingual=multilingual,
        )
    return tuple(prune_redundant(links))


def add_rewrites(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    links: Sequence[Reuse],
    *,
    settings: Settings,
    embedder: Embedder | None = None,
    multilingual: Embedder | None = None,
) -> list[Reuse]:
    """``links`` plus a ``rewritten`` link for each paraphrasing pair not already a copy.

    A ``rewritten`` link replaces a ``partial`` one between the same two
    articles; when the partial link holds verbatim sentences (a passage
    copied, not rewritten), only a rewrite that names its source does.
    Two articles in a language ``embedder`` was trained on
    (``Embedder.languages``; MiniLM: English) are compared with it; any
    other pair with ``multilingual`` (multilingual-e5-small by default, when
    ``settings.paraphrase_multilingual``), whose cosines ``embed.cosines``
    puts on the same scale; with neither, no rewrite is looked for there
    (copies still are).
    """
    loose = ("partial", "rewritten")
    linked = {frozenset((r.source_id, r.target_id)) for r in links if r.kind not in loose}
    verbatim_passages = {
        frozenset((r.source_id, r.target_id))
        for r in links
        if r.kind in loose and any(p.kind == "verbatim" for p in r.aligned)
    }
    todo = [
        p for p in rewrite_candidates(articles, settings=settings) if frozenset(p) not in linked
    ]
    models = _rewrite_models(articles, todo, settings, embedder, multilingual)
    todo = [p for p in todo if p in models]
    if not todo:
        return list(links)
    for model in {id(m): m for m in models.values()}.values():
        prepare = getattr(model, "prepare", None)  # an embedder may be any object with ``embed``
        if prepare is not None:
            compared = dict.fromkeys(i for pair in todo if models[pair] is model for i in pair)
            prepare([text for i in compared for text in para.embedded_texts(sentences[i])])
    by_id = {a.id: a for a in articles}
    actors = story_actors(articles, {i for pair in todo for i in pair})
    rewrites = {}
    for first, second in todo:
        link = compare_rewrite(
            by_id[first],
            by_id[second],
            sentences[first],
            sentences[second],
            settings=settings,
            embedder=models[first, second],
            named_only=frozenset((first, second)) in verbatim_passages,
            actors=actors,
        )
        if link is not None:
            rewrites[frozenset((first, second))] = link
    kept = [r for r in links if frozenset((r.source_id, r.target_id)) not in rewrites]
    return kept + list(rewrites.values())


def _rewrite_models(
    articles: Sequence[Article],
    pairs: Sequence[tuple[str, str]],
    settings: Settings,
    embedder: Embedder | None,
    multilingual: Embedder | None,
) -> dict[tuple[str, str], Embedder]:
    """The embedder that compares each pair: the first of ``embedder`` and
    ``multilingual`` trained on both articles' languages (``embed.trained_on``).
    A pair neither was trained on is left out: there their cosines do not tell a
    paraphrase from a sentence on the same subject. Default models (given as
    classes) are made only when a pair needs them."""
    language = {a.id: a.language for a in articles}
    models: list[Any] = [embedder if embedder is not None else MiniLMEmbedder]
    if settings.paraphrase_multilingual:
        models.append(multilingual if multilingual is not None else E5Embedder)
    made: dict[type, Embedder] = {}
    chosen = {}
    for pair in pairs:
        model = next((m for m in models if all(trained_on(m, language[i]) for i in pair)), None)
        if isinstance(model, type):
            model = made.setdefault(model, model())
        if model is not None:
            chosen[pair] = model
    return chosen


def infer_upstreams(links: Sequence[Reuse]) -> tuple[Upstream, ...]:
    """One inferred upstream article per group of articles joined by ``shared_upstream`` links.

    Members are the articles the links join (connected components, members
    in first-seen order); ``shared`` is the aligned material of those links.
    """
    upstream_links = [link for link in links if link.kind == "shared_upstream"]
    group: dict[str, list[str]] = {}
    for link in upstream_links:
        left = group.setdefault(link.source_id, [link.source_id])
        right = group.setdefault(link.target_id, [link.target_id])
        if left is not right:
            left.extend(right)
            for member in right:
                group[member] = left
    upstreams, seen = [], set()
    for members in group.values():
        if id(members) in seen:
            continue
        seen.add(id(members))
        ids = set(members)
        shared = tuple(
            pair
            for link in upstream_links
            if link.source_id in ids
            for pair in (*link.aligned, *link.paraphrases)
        )
        ordered = tuple(sorted(members))
        upstreams.append(
            Upstream(id="upstream:" + "+".join(ordered), members=ordered, shared=shared)
        )
    return tuple(upstreams)


def story_actors(articles: Sequence[Article], ids: set[str] | None = None) -> frozenset[str]:
    """Articles whose outlet is named by an article published before them.

    A port authority's press statement names its author, and so do reports
    written before the statement existed: there the name is an actor in the
    story, not a citation, so naming it is no evidence of rewriting it.
    """
    actors = set()
    for article in articles:
        if ids is not None and article.id not in ids:
            continue
        published = parse_time(article.published)
        if not article.outlet or published is None:
            continue
        for other in articles:
            earlier = parse_time(other.published)
            if earlier is not None and earlier < published and para.cites(other, article):
                actors.add(article.id)
                break
    return frozenset(actors)


def prune_redundant(links: Sequence[Reuse]) -> list[Reuse]:
    """Drop links that a common source explains.

    When B and C both copy A, B and C share text too, but neither copied the
    other. A link B–C is dropped when some article A, linked to both, is
    aligned with every sentence that B–C aligns. Links are examined weakest
    first (and, among equals, those between copies first), against the links
    still kept, so of two identical copies one keeps its link to the source.
    """
    copies = {
        link.target_id
        for link in links
        if link.kind in ("verbatim", "abridged", "spun") and link.direction_confidence >= 0.75
    }
    links = _drop_siblings(links)
    kept = {frozenset((link.source_id, link.target_id)): link for link in links}
    linked: dict[str, set[str]] = {}
    for link in links:
        linked.setdefault(link.source_id, set()).add(link.target_id)
        linked.setdefault(link.target_id, set()).add(link.source_id)
    for link in sorted(
        links,
        key=lambda r: (r.score, -((r.source_id in copies) + (r.target_id in copies))),
    ):
        pair = frozenset((link.source_id, link.target_id))
        if _explained(link, kept, linked):
            del kept[pair]
            linked[link.source_id].discard(link.target_id)
            linked[link.target_id].discard(link.source_id)
    return [link for link in links if frozenset((link.source_id, link.target_id)) in kept]


def _drop_siblings(links: Sequence[Reuse]) -> list[Reuse]:
    """Drop loose links (partial, rewritten) between two articles derived from one source.

    Two rewrites of one wire story resemble each other because of the wire
    story (as do a copy and an article that took passages of the wire); a
    link between them stays only when one names the other's outlet.
    """
    sources: dict[str, set[str]] = {}
    for link in links:
        if link.direction_confidence >= CITED:  # a shared upstream has none
            sources.setdefault(link.target_id, set()).add(link.source_id)
    return [
        link
        for link in links
        if link.kind not in ("partial", "rewritten")
        or _named(link.direction_evidence)
        or not (sources.get(link.source_id, set()) & sources.get(link.target_id, set()))
    ]


def _explained(
    link: Reuse, kept: Mapping[frozenset[str], Reuse], linked: Mapping[str, set[str]]
) -> bool:
    ends = (link.source_id, link.target_id)
    for third in linked[link.source_id] & linked[link.target_id]:  # linked to both ends
        via = [kept.get(frozenset((end, third))) for end in ends]
        if all(via) and all(
            _link_spans(via_link, end) >= _link_spans(link, end)
            for via_link, end in zip(via, ends, strict=True)
            if via_link is not None
        ):
            return True
    return False


def _link_spans(link: Reuse, article_id: str) -> set[int]:
    pairs = (*link.aligned, *link.paraphrases)
    if link.source_id == article_id:
        return {p.source.start for p in pairs}
    return {p.target.start for p in pairs}


def candidate_pairs(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
    *,
    settings: Settings,
) -> set[tuple[str, str]]:
    """Pairs of article ids (in input order) that may share text.

    Sampled word-shingle hashes of each article go into one inverted index;
    a pair is a candidate when the hashes it shares make up at least
    ``min_containment`` of the smaller article (see ``_signatures``).
    """
    hasher = ShingleHasher(
        size=settings.shingle_size, sample=settings.shingle_sample, seed=settings.seed
    )
    signatures = (hasher.text_shingles(a.text) for a in articles)  # one at a time: no list
    return pairs_of_signatures(articles, signatures, settings=settings)


def pairs_of_signatures(
    articles: Sequence[Article],
    signatures: Iterable[np.ndarray],
    *,
    settings: Settings,
    touching: Collection[str] | None = None,
) -> set[tuple[str, str]]:
    """``candidate_pairs`` from shingle signatures made beforehand (one per article);
    with ``touching`` (article ids) only those with one of these articles in them."""
    mask = None
    if touching is not None:
        mask = np.fromiter((a.id in touching for a in articles), dtype=bool, count=len(articles))
    rows = signature_pairs(
        signatures,
        min_shared=settings.min_shared_sentences,
        min_containment=settings.min_containment,
        max_posting=posting_limit(settings, len(articles)),
        touching=mask,
    )
    return {(articles[i].id, articles[j].id) for i, j, _ in rows.tolist()}


def posting_limit(settings: Settings, articles: int) -> int:
    """How many articles a shingle hash may be in before it is a common phrase."""
    return max(settings.max_posting, int(settings.max_posting_share * articles))


def rewrite_candidates(articles: Sequence[Article], *, settings: Settings) -> list[tuple[str, str]]:
    """Pairs that share enough rare terms (names, places, and pairs of them) to be worth a
    paraphrase alignment: blocking on terms in at most ``max_posting`` articles, so never
    all pairs (see ``rewrite_rows``); with ``settings.paraphrase_multilingual``, pairs in
    two languages that share enough rare names and numbers too (``translation_rows``)."""
    texts = [a.text for a in articles]
    rows = rewrite_rows(texts, settings=settings)
    languages = [a.language for a in articles]
    if settings.paraphrase_multilingual and len({lang for lang in languages if lang}) > 1:
        across = translation_rows(texts, languages, settings=settings)
        rows = np.unique(np.concatenate([rows, across]), axis=0)
    return sorted((articles[i].id, articles[j].id) for i, j in rows.tolist())


_NAME_OR_NUMBER = re.compile(r"\d+|\b[^\W\d_][\w'’-]*", re.UNICODE)


def names_and_numbers(text: str) -> list[str]:
    """The words a translation keeps: digit runs, and capitalised words the text never
    writes in lower case (names; a sentence's first word only when it is one), folded."""
    tokens = _NAME_OR_NUMBER.findall(text)
    lower = {t for t in tokens if t.islower()}
    kept = (t for t in tokens if t.isdigit() or (t[0].isupper() and t.lower() not in lower))
    return [word for word in map(fold, kept) if word not in STOPWORDS]


def translation_rows(
    texts: Sequence[str], languages: Sequence[str | None], *, settings: Settings
) -> np.ndarray:
    """``(k, 2)`` rows ``(i, j)``, ``i < j``, of the candidates for a translation:
    pairs of texts in two known languages blocked as ``rewrite_rows`` blocks
    rewrites, on their names and numbers (``names_and_numbers``) instead of
    their content words. Pairs in one language are left to ``rewrite_rows``."""
    rows = rewrite_rows(texts, settings=settings, terms=names_and_numbers)
    keep = [two_languages(languages[i], languages[j]) for i, j in rows.tolist()]
    return rows[np.array(keep, dtype=bool)] if len(rows) else rows


def rewrite_rows(
    texts: Sequence[str],
    *,
    settings: Settings,
    terms: Callable[[str], list[str]] = content_words,
) -> np.ndarray:
    """``(k, 2)`` rows ``(i, j)``, ``i < j``, of the rewrite candidates among texts.

    Two blockings, whose candidates are joined; a term is rare when it is in
    at most ``max_posting`` articles. Words are ``terms(text)`` (content
    words; ``names_and_numbers`` for translations).

    * Words: a pair of articles sharing at least ``REWRITE_MIN_SHARED`` rare
      content words, and at least ``paraphrase_candidate_containment`` (c)
      of the smaller side's.
    * Pairs of words (``_signatures.rare_pair_terms``): each article's
      ``REWRITE_PAIR_WORDS`` least common content words among those in at
      most ``pair_word_limit`` articles, paired up, each pair kept when its
      two words meet ``REWRITE_PAIR_LIFT`` times as often as chance would
      have them. A pair of articles sharing at least ``REWRITE_MIN_SHARED``
      rare pairs, and c² of the smaller side's (a share c of an article's
      words makes about c² of their pairs), is a candidate.

    In a big corpus a story's town and people are each in hundreds of
    articles and drop out of the first blocking, but together they are in
    the story's articles only.
    """

    def block(signatures: Sequence[np.ndarray], containment: float) -> np.ndarray:
        return signature_pairs(
            signatures,
            min_shared=REWRITE_MIN_SHARED,
            min_containment=containment,
            max_posting=settings.max_posting,
            rare_only=True,
        )[:, :2]

    hasher = ShingleHasher(size=1, sample=1, seed=settings.seed)
    singles = [hasher.shingles(terms(text)) for text in texts]
    del hasher
    containment = settings.paraphrase_candidate_containment
    alone = block(singles, containment)
    pairs = rare_pair_terms(
        singles,
        max_frequency=pair_word_limit(settings, len(singles)),
        max_words=REWRITE_PAIR_WORDS,
        min_lift=REWRITE_PAIR_LIFT,
    )
    del singles  # keeps the peak memory down
    return np.unique(np.concatenate([alone, block(pairs, containment**2)]), axis=0)


def pair_word_limit(settings: Settings, articles: int) -> int:
    """How many articles a word may be in and still pair up for rewrite blocking.

    Two unrelated words each in ``sqrt(max_posting * articles)`` articles
    meet by chance in about ``max_posting`` of them, the most a rare term
    may be in; a story's names meet in its own articles.
    """
    return max(settings.max_posting, isqrt(settings.max_posting * articles))


def compare(
    first: Article,
    second: Article,
    first_sentences: Sequence[Sentence],
    second_sentences: Sequence[Sentence],
    *,
    settings: Settings | None = None,
) -> Reuse | None:
    """Align two articles and classify their reuse; ``None`` when they share too little."""
    settings = settings or Settings()
    pairs = align(first_sentences, second_sentences, settings=settings)
    reported = [p for p in pairs if p.kind != "verbatim" or not para.mostly_quote(p.target.text)]
    distinct = min(
        len({" ".join(words(p.source.text)) for p in reported}),
        len({" ".join(words(p.target.text)) for p in reported}),
    )
    if distinct < settings.min_shared_sentences:
        return None  # shared quotes, or one stock sentence repeated, are not article reuse
    if all(p.kind == "near" for p in reported) and max(p.similarity for p in reported) < LOOSE:
        return None  # loosely alike sentences that share a story's names, nothing reused
    kept, total = fact_agreement(reported)
    if total >= MIN_FACTS and kept < KEPT_FACTS * total:
        return None  # one template, other names and numbers: not the same story
    siblings = template_siblings(first_sentences, second_sentences, pairs, settings=settings)
    if siblings:  # template sentences align dropped for their other facts count too
        kept_all, total_all = fact_agreement([*reported, *siblings])
        if total_all >= MIN_FACTS and kept_all < KEPT_FACTS * total_all:
            return None
    first_coverage = coverage(first_sentences, [p.source for p in pairs])
    second_coverage = coverage(second_sentences, [p.target for p in pairs])
    if kept < MIN_KEPT and max(first_coverage, second_coverage) < SUBSTANTIAL:
        return None  # a few stock sentences with no name or number in common
    direction = _direction(first, second, pairs, first_coverage, second_coverage)
    if direction.evidence.startswith("shared upstream"):
        kind = "shared_upstream"
    else:
        if not direction.first_is_source:
            pairs = [_swap(p) for p in pairs]
            first, second = second, first
            first_coverage, second_coverage = second_coverage, first_coverage
        kind = classify(pairs, first_coverage, second_coverage)
    confidence, evidence = direction.confidence, direction.evidence
    refinable = kind in ("verbatim", "abridged", "extended") or (
        kind == "shared_upstream" and not evidence.startswith(("undecided", "shared upstream"))
    )
    if refinable:
        kind = _refine(kind, first, second, pairs, settings)
    if kind == "shared_upstream" and confidence >= DATED:
        kind = "partial"  # publication times order them: the later one took from the earlier
    elif kind == "shared_upstream":
        confidence = 0.0
        evidence = (
            evidence
            if evidence.startswith("shared upstream")
            else ("shared upstream: each has aligned material the other lacks")
        )
    elif kind == "extended" and confidence < DEGRADED:
        kind = "abridged"
        pairs = [_swap(p) for p in pairs]
        first, second = second, first
        first_coverage, second_coverage = second_coverage, first_coverage
        evidence = "containment: the longer article is taken as the source"
    similarity = sum(p.similarity for p in pairs) / len(pairs)
    return Reuse(
        source_id=first.id,
        target_id=second.id,
        kind=kind,  # type: ignore[arg-type]
        score=round(similarity * max(first_coverage, second_coverage), 4),
        direction_confidence=round(confidence, 4),
        source_coverage=round(first_coverage, 4),
        target_coverage=round(second_coverage, 4),
        aligned=tuple(sorted(pairs, key=lambda p: p.target.start)),
        direction_evidence=evidence,
    )


def compare_rewrite(
    first: Article,
    second: Article,
    first_sentences: Sequence[Sentence],
    second_sentences: Sequence[Sentence],
    *,
    settings: Settings,
    embedder: Embedder,
    named_only: bool = False,
    actors: frozenset[str] = frozenset(),
) -> Reuse | None:
    """A ``rewritten`` link when one article paraphrases much of the other, else ``None``.

    The derived side must either name the source's outlet (or credit it) and
    paraphrase at least one of its sentences, or paraphrase at least
    ``rewrite_coverage`` of its own sentences (and ``rewrite_min_pairs``) from
    the source without naming it. Shared quotes do not count. With
    ``named_only`` (the two already share some verbatim passages) only the
    first way counts. Naming an outlet in ``actors`` (see ``story_actors``)
    is not naming a source.
    """
    direction = _rewrite_direction(first, second, actors)
    named = _named(direction.evidence)
    if named_only and not named:
        return None
    if not direction.first_is_source:
        first, second = second, first
        first_sentences, second_sentences = second_sentences, first_sentences
    across = two_languages(first.language, second.language)
    pairs = para.paraphrase_pairs(
        first_sentences,
        second_sentences,
        embedder=embedder,
        threshold=(
            settings.paraphrase_similarity_crosslingual
            if across
            else settings.paraphrase_similarity
        ),
    )
    source_coverage = _eligible_share(first_sentences, pairs)
    target_coverage = _eligible_share(second_sentences, pairs)
    confidence, evidence = direction.confidence, direction.evidence
    if (
        not across  # sentences split otherwise in two languages: shares order nothing
        and evidence.startswith("undecided")
        and abs(source_coverage - target_coverage) >= 0.1
    ):
        confidence, evidence = 0.6, "containment: the less paraphrased article is the source"
        if source_coverage > target_coverage:
            pairs = [_swap(p) for p in pairs]
            first, second = second, first
            first_sentences, second_sentences = second_sentences, first_sentences
            source_coverage, target_coverage = target_coverage, source_coverage
    enough = (
        target_coverage >= settings.rewrite_coverage and len(pairs) >= settings.rewrite_min_pairs
    )
    if not pairs or not (named or enough):
        return None
    kept, compared = fact_agreement(pairs, in_order=False)
    if compared >= MIN_FACTS and kept < KEPT_FACTS * compared:
        return None  # the same kind of sentences about other people and numbers
    similarity = float(np.mean([p.similarity for p in pairs]))
    return Reuse(
        source_id=first.id,
        target_id=second.id,
        kind="rewritten",
        score=round(similarity * target_coverage, 4),
        direction_confidence=round(confidence, 4),
        source_coverage=round(source_coverage, 4),
        target_coverage=round(target_coverage, 4),
        aligned=tuple(align(first_sentences, second_sentences, settings=settings)),
        paraphrases=tuple(sorted(pairs, key=lambda p: p.target.start)),
        direction_evidence=evidence,
        paraphrase_model=getattr(embedder, "name", "") or type(embedder).__name__,
    )


def _eligible_share(sentences: Sequence[Sentence], pairs: Sequence[AlignedPair]) -> float:
    """Share of the sentences long enough to paraphrase that ``pairs`` align."""
    eligible = {s.start for s in para.eligible(sentences)}
    if not eligible:
        return 0.0
    ids = {s.article_id for s in sentences}
    used = {p.source.start for p in pairs if p.source.article_id in ids}
    used |= {p.target.start for p in pairs if p.target.article_id in ids}
    return len(used & eligible) / len(eligible)


def reuse_profile(inner: str, outer: str) -> tuple[float, float]:
    """How ``inner`` reuses ``outer``: its share of word 5-grams found in ``outer``,
    and its share of words in the longest common word subsequence with ``outer``."""
    inner_words, outer_words = words(inner), words(outer)
    if not inner_words:
        return 0.0, 0.0
    inner_grams = shingles(inner_words, 5)
    contained = len(inner_grams & shingles(outer_words, 5)) / len(inner_grams)
    matcher = SequenceMatcher(None, outer_words, inner_words, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    return contained, common / len(inner_words)


def _refine(
    kind: str, source: Article, target: Article, pairs: Sequence[AlignedPair], settings: Settings
) -> str:
    """Copied, edited or rewritten, from how the contained side reuses the other's words.

    Only the contained side's aligned sentences are measured (the target's, or
    the source's of an ``extended`` link): a copy that adds its own paragraphs
    is still a copy of what it took. They are a copy when most of their word
    5-grams are in the other article, an edited ("spun") copy when most of
    their words still follow the other's order, and a rewrite otherwise.
    Thresholds chosen on the project's own data, the example corpus's truth
    and the synthetic generator (``benchmarks/fit_reuse_thresholds.py``);
    Clough & Stevenson's answers only evaluate them (their licence forbids
    fitting).
    """
    inner, outer = (source, target) if kind == "extended" else (target, source)
    contained, in_order = reuse_profile(reused_text(pairs, inner.id), outer.text)
    if contained >= settings.copy_containment:
        return "partial" if kind == "shared_upstream" else kind
    if in_order >= settings.edit_lcs:
        return "spun"
    return "rewritten"


def reused_text(pairs: Sequence[AlignedPair], article_id: str) -> str:
    """The sentences of ``article_id`` that ``pairs`` align, in text order."""
    spans = {
        (span.start, span.text)
        for pair in pairs
        for span in (pair.source, pair.target)
        if span.article_id == article_id
    }
    return "\n".join(text for _, text in sorted(spans))


def classify(pairs: Sequence[AlignedPair], source_coverage: float, target_coverage: float) -> str:
    """The kind of reuse, from coverage of each side and the kind of aligned pairs.

    One side "contains" the other when most of the other is aligned and what
    is left of the other is at most half of what is left of it (an abridged
    copy may add an editor's line or two). When neither contains the other
    and a small share of one is aligned, a few passages were taken:
    ``partial``, however many of them were edited ("spun" says the article
    was copied with its words swapped).
    """
    substituted = sum(p.kind == "substituted" for p in pairs) / len(pairs)
    verbatim = sum(p.kind == "verbatim" for p in pairs) / len(pairs)
    if source_coverage >= WHOLE and target_coverage >= WHOLE:
        return "verbatim" if verbatim >= 0.8 else "spun" if substituted > 0 else "abridged"
    target_contained = _contained(target_coverage, source_coverage)
    source_contained = _contained(source_coverage, target_coverage)
    if substituted >= SPUN_SHARE and (target_contained or source_contained):
        return "spun"
    if target_contained:
        return "abridged"
    if source_contained:
        return "extended"
    if min(source_coverage, target_coverage) >= SUBSTANTIAL:
        return "shared_upstream"
    return "partial"


def _contained(inner_coverage: float, outer_coverage: float) -> bool:
    if inner_coverage >= WHOLE:
        return True
    return inner_coverage >= MOSTLY and (1 - inner_coverage) <= 0.5 * (1 - outer_coverage)


def _direction(
    first: Article,
    second: Article,
    pairs: Sequence[AlignedPair],
    first_coverage: float,
    second_coverage: float,
) -> Direction:
    """Which of two aligned articles is the source, how sure, and why.

    In order: a credit line, publication times, one naming the other's
    outlet, degradation (a damaged copy is not the source; when the damaged
    one also has much the clean one lacks, neither copied the other: a shared
    upstream), then containment (the longer one); else undecided.
    """
    stated = _stated_direction(first, second)
    if stated is not None:
        return stated
    first_marks, second_marks, notes = para.degradation(pairs, first, second)
    if first_marks != second_marks:
        damaged_first = first_marks > second_marks
        damaged_coverage = first_coverage if damaged_first else second_coverage
        clean_coverage = second_coverage if damaged_first else first_coverage
        damage = "; ".join(notes[:3])
        if not _contained(damaged_coverage, clean_coverage):
            return Direction(
                not damaged_first,
                0.0,
                f"shared upstream: the {'first' if damaged_first else 'second'} is damaged "
                f"({damage}) yet has {1 - damaged_coverage:.0%} the other lacks",
            )
        return Direction(not damaged_first, DEGRADED, f"degradation: {damage}")
    if abs(first_coverage - second_coverage) >= 0.1:
        # The article with less of itself aligned has material the other lacks: the longer one.
        return Direction(
            first_coverage < second_coverage, 0.6, "containment: the longer article is the source"
        )
    return Direction(True, 0.5, "undecided: no evidence orders them")


def _rewrite_direction(
    first: Article, second: Article, actors: frozenset[str] = frozenset()
) -> Direction:
    if first.id in actors or second.id in actors:
        credited = para.credit_line(first, second) != para.credit_line(second, first)
        stated = _cue_direction(first, second) if credited else _dated_direction(first, second)
        return stated or Direction(True, 0.5, "undecided: no evidence orders them")
    stated = _stated_direction(first, second)
    return stated or Direction(True, 0.5, "undecided: no evidence orders them")


def _stated_direction(first: Article, second: Article) -> Direction | None:
    """Direction from what the articles state: a credit line or cited outlet, and dates.

    A strong credit line wins; otherwise publication times, confirmed by the
    cue when both agree; otherwise the cue alone; ``None`` when neither says.
    """
    cue = _cue_direction(first, second)
    if cue is not None and cue.confidence > DATED:
        return cue
    dated = _dated_direction(first, second)
    if dated is not None and cue is not None and cue.first_is_source == dated.first_is_source:
        return Direction(dated.first_is_source, DATED, f"{dated.evidence}; {cue.evidence}")
    return dated or cue


def _cue_direction(first: Article, second: Article) -> Direction | None:
    """A credit line or an outlet named by one article and not the other."""
    first_credits, second_credits = para.credit_line(first, second), para.credit_line(second, first)
    if first_credits != second_credits:
        return Direction(second_credits, CREDITED, "credit: “first published in/by” its outlet")
    first_cites, second_cites = para.cites(first, second), para.cites(second, first)
    if first_cites != second_cites:
        outlet = first.outlet if second_cites else second.outlet
        return Direction(second_cites, CITED, f"cites its outlet ({outlet})")
    return None


def _named(evidence: str) -> bool:
    """Whether direction evidence includes one article naming or crediting the other."""
    return "cites its outlet" in evidence or "credit:" in evidence


def _dated_direction(first: Article, second: Article) -> Direction | None:
    first_time, second_time = parse_time(first.published), parse_time(second.published)
    if first_time and second_time and first_time != second_time:
        return Direction(first_time < second_time, DATED, "publication times")
    return None


def _swap(pair: AlignedPair) -> AlignedPair:
    return AlignedPair(
        source=pair.target,
        target=pair.source,
        similarity=pair.similarity,
        kind=pair.kind,
        substitutions=tuple((b, a) for a, b in pair.substitutions),
    )
