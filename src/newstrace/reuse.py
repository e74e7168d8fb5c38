"""Find text reuse between articles: who copied whom, how, and in which direction.

Three steps, none of which compares all pairs of articles:

1. **Candidates.** Each article's word ``shingle_size``-grams go into a
   MinHash (datasketch) indexed in an LSH table, which finds near-duplicates;
   an inverted index of hashed sentence trigrams finds partial reuse (a few
   shared paragraphs in a long article) that whole-document MinHash misses.
   Trigrams shared by more than ``max_posting`` articles are common phrases
   and are ignored.
2. **Alignment.** The sentences of each candidate pair are scored with
   rapidfuzz (character ratio, and word-sequence ratio so that swapped
   synonyms still align) and matched one to one, best first. Each matched
   pair is ``verbatim``, ``near`` or ``substituted`` (same words in the same
   order with a few swapped: the mark of machine-spun copies).
3. **Kind and direction** from the coverage of each side and the share of
   substituted sentences: ``verbatim``, ``abridged`` (the target is a subset),
   ``extended`` (the target adds to an earlier, shorter source), ``spun``,
   ``partial`` (a few passages reused) or ``shared_upstream`` (each side has
   much aligned material and much the other lacks, and no publication times
   tell which came first). Direction follows the publication times when both
   are known, else the longer article is taken as the source, with a lower
   ``direction_confidence``. Links that a common source explains (two copies
   of one wire story) are dropped: see ``prune_redundant``.

Paraphrase ("rewritten") detection needs sentence embeddings and comes later.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from itertools import combinations

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from ._text import parse_time, shingles, words
from .config import Settings
from .model import AlignedPair, Article, Reuse, Sentence, Span

MIN_SENTENCE_WORDS = 5
WHOLE = 0.95
DATED = 0.9
CONTAINED = 0.8
MOSTLY = 0.6
SUBSTANTIAL = 0.25
SPUN_SHARE = 0.3


def find_reuse(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    settings: Settings | None = None,
) -> tuple[Reuse, ...]:
    """Return one ``Reuse`` record for every pair of articles that share text."""
    settings = settings or Settings()
    by_id = {a.id: a for a in articles}
    links = []
    for first, second in sorted(candidate_pairs(articles, sentences, settings=settings)):
        link = compare(
            by_id[first], by_id[second], sentences[first], sentences[second], settings=settings
        )
        if link is not None:
            links.append(link)
    return tuple(prune_redundant(links))


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
    kept = {frozenset((link.source_id, link.target_id)): link for link in links}
    for link in sorted(
        links,
        key=lambda r: (r.score, -((r.source_id in copies) + (r.target_id in copies))),
    ):
        pair = frozenset((link.source_id, link.target_id))
        if _explained(link, kept):
            del kept[pair]
    return [link for link in links if frozenset((link.source_id, link.target_id)) in kept]


def _explained(link: Reuse, kept: Mapping[frozenset[str], Reuse]) -> bool:
    ends = (link.source_id, link.target_id)
    neighbours = [
        other for pair in kept if len(pair & set(ends)) == 1 for other in pair - set(ends)
    ]
    for third in set(neighbours):
        via = [kept.get(frozenset((end, third))) for end in ends]
        if all(via) and all(
            _link_spans(via_link, end) >= _link_spans(link, end)
            for via_link, end in zip(via, ends, strict=True)
            if via_link is not None
        ):
            return True
    return False


def _link_spans(link: Reuse, article_id: str) -> set[int]:
    if link.source_id == article_id:
        return {p.source.start for p in link.aligned}
    return {p.target.start for p in link.aligned}


def candidate_pairs(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    settings: Settings,
    max_posting: int = 50,
) -> set[tuple[str, str]]:
    """Pairs of article ids (in input order) that may share text."""
    order = {a.id: i for i, a in enumerate(articles)}
    pairs = _minhash_pairs(articles, settings) | _sentence_fingerprint_pairs(
        articles, sentences, settings, max_posting
    )
    return {(a, b) if order[a] < order[b] else (b, a) for a, b in pairs if a != b}


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
    if len(pairs) < settings.min_shared_sentences:
        return None
    first_coverage = _coverage(first_sentences, [p.source for p in pairs])
    second_coverage = _coverage(second_sentences, [p.target for p in pairs])
    source_first, confidence = _direction(first, second, first_coverage, second_coverage)
    if not source_first:
        pairs = [_swap(p) for p in pairs]
        first, second = second, first
        first_coverage, second_coverage = second_coverage, first_coverage
    kind = classify(pairs, first_coverage, second_coverage)
    if kind == "shared_upstream" and confidence >= DATED:
        kind = "partial"  # publication times order them: the later one took from the earlier
    elif kind == "shared_upstream":
        confidence = 0.0
    elif kind == "extended" and confidence < 0.75:
        kind = "abridged"
        pairs = [_swap(p) for p in pairs]
        first, second = second, first
        first_coverage, second_coverage = second_coverage, first_coverage
    similarity = sum(p.similarity for p in pairs) / len(pairs)
    return Reuse(
        source_id=first.id,
        target_id=second.id,
        kind=kind,
        score=round(similarity * max(first_coverage, second_coverage), 4),
        direction_confidence=round(confidence, 4),
        source_coverage=round(first_coverage, 4),
        target_coverage=round(second_coverage, 4),
        aligned=tuple(sorted(pairs, key=lambda p: p.target.start)),
    )


def classify(pairs: Sequence[AlignedPair], source_coverage: float, target_coverage: float) -> str:
    """The kind of reuse, from coverage of each side and the kind of aligned pairs.

    One side "contains" the other when most of the other is aligned and what
    is left of the other is at most half of what is left of it (an abridged
    copy may add an editor's line or two).
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
    return "spun" if substituted >= SPUN_SHARE else "partial"


def _contained(inner_coverage: float, outer_coverage: float) -> bool:
    return inner_coverage >= MOSTLY and (1 - inner_coverage) <= 0.5 * (1 - outer_coverage)


def align(
    source: Sequence[Sentence], target: Sequence[Sentence], *, settings: Settings
) -> list[AlignedPair]:
    """Match sentences one to one, best first, keeping pairs above the threshold."""
    left = [s for s in source if len(s.text.split()) >= MIN_SENTENCE_WORDS]
    right = [s for s in target if len(s.text.split()) >= MIN_SENTENCE_WORDS]
    if not left or not right:
        return []
    cutoff = settings.sentence_match_threshold * 100 - 15
    scores = process.cdist(
        [" ".join(words(s.text)) for s in left],
        [" ".join(words(s.text)) for s in right],
        scorer=fuzz.ratio,
        score_cutoff=max(cutoff, 0),
    )
    candidates = []
    for i, j in zip(*scores.nonzero(), strict=True):
        pair = align_sentences(left[i], right[j], settings=settings)
        if pair is not None:
            candidates.append(pair)
    return _one_to_one(candidates)


def align_sentences(
    source: Sentence, target: Sentence, *, settings: Settings
) -> AlignedPair | None:
    """Compare two sentences word by word; ``None`` when they are not the same sentence."""
    source_words, target_words = words(source.text), words(target.text)
    matcher = SequenceMatcher(None, source_words, target_words, autojunk=False)
    word_ratio = matcher.ratio()
    char_ratio = fuzz.ratio(" ".join(source_words), " ".join(target_words)) / 100
    substitutions, inserted = _substitutions(matcher, source.text, target.text)
    swap_ratio = _swap_tolerant_ratio(matcher, len(source_words), len(target_words))
    similarity = max(word_ratio, char_ratio)
    if max(similarity, swap_ratio if substitutions else 0.0) < settings.sentence_match_threshold:
        return None
    if source_words == target_words or (
        not substitutions and similarity >= settings.verbatim_similarity
    ):
        kind = "verbatim"
    elif substitutions and inserted <= 0.2 * max(len(source_words), len(target_words)):
        kind = "substituted"
    else:
        kind = "near"
    return AlignedPair(
        source=_span(source),
        target=_span(target),
        similarity=round(similarity, 4),
        kind=kind,
        substitutions=tuple(substitutions),
    )


def _substitutions(
    matcher: SequenceMatcher[str], source_text: str, target_text: str
) -> tuple[list[tuple[str, str]], int]:
    """Word swaps of up to three words, and the count of other inserted/deleted words."""
    source_tokens = _surface_words(source_text)
    target_tokens = _surface_words(target_text)
    swaps, other = [], 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3:
            swaps.append((" ".join(source_tokens[i1:i2]), " ".join(target_tokens[j1:j2])))
        elif op != "equal":
            other += max(i2 - i1, j2 - j1)
    return swaps, other


def _swap_tolerant_ratio(matcher: SequenceMatcher[str], source_len: int, target_len: int) -> float:
    """Share of word positions that are equal or swapped one for one (spun copies)."""
    kept = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3):
            kept += min(i2 - i1, j2 - j1)
    longest = max(source_len, target_len)
    return kept / longest if longest else 0.0


def _surface_words(text: str) -> list[str]:
    from ._text import word_spans

    return [text[a:b] for a, b in word_spans(text)]


def _one_to_one(candidates: Iterable[AlignedPair]) -> list[AlignedPair]:
    used_source: set[int] = set()
    used_target: set[int] = set()
    chosen = []
    for pair in sorted(candidates, key=lambda p: (-p.similarity, p.source.start, p.target.start)):
        if pair.source.start in used_source or pair.target.start in used_target:
            continue
        used_source.add(pair.source.start)
        used_target.add(pair.target.start)
        chosen.append(pair)
    return chosen


def _coverage(sentences: Sequence[Sentence], aligned: Sequence[Span]) -> float:
    """Share of the article's characters (in sentences long enough to align) that align."""
    total = sum(len(s.text) for s in sentences if len(s.text.split()) >= MIN_SENTENCE_WORDS)
    covered = sum(span.end - span.start for span in aligned)
    return min(covered / total, 1.0) if total else 0.0


def _direction(
    first: Article, second: Article, first_coverage: float, second_coverage: float
) -> tuple[bool, float]:
    """Whether ``first`` is the source, and how sure that is."""
    first_time, second_time = parse_time(first.published), parse_time(second.published)
    if first_time and second_time and first_time != second_time:
        return first_time < second_time, DATED
    if abs(first_coverage - second_coverage) >= 0.1:
        # The article with less of itself aligned has material the other lacks: the longer one.
        return first_coverage < second_coverage, 0.6
    return True, 0.5


def _swap(pair: AlignedPair) -> AlignedPair:
    return AlignedPair(
        source=pair.target,
        target=pair.source,
        similarity=pair.similarity,
        kind=pair.kind,
        substitutions=tuple((b, a) for a, b in pair.substitutions),
    )


def _span(sentence: Sentence) -> Span:
    return Span(
        article_id=sentence.article_id, start=sentence.start, end=sentence.end, text=sentence.text
    )


def _minhash_pairs(articles: Sequence[Article], settings: Settings) -> set[tuple[str, str]]:
    lsh = MinHashLSH(threshold=settings.lsh_threshold, num_perm=settings.num_perm)
    signatures = {}
    for article in articles:
        signature = MinHash(num_perm=settings.num_perm, seed=settings.seed)
        signature.update_batch(
            s.encode("utf-8") for s in shingles(words(article.text), settings.shingle_size)
        )
        signatures[article.id] = signature
        lsh.insert(article.id, signature)
    return {
        (article_id, other)
        for article_id, signature in signatures.items()
        for other in lsh.query(signature)
    }


def _sentence_fingerprint_pairs(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
    max_posting: int,
) -> set[tuple[str, str]]:
    postings: dict[bytes, set[str]] = defaultdict(set)
    for article in articles:
        for sentence in sentences.get(article.id, ()):
            for gram in shingles(words(sentence.text), settings.sentence_shingle_size):
                postings[hashlib.blake2b(gram.encode(), digest_size=8).digest()].add(article.id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for ids in postings.values():
        if 1 < len(ids) <= max_posting:
            for pair in combinations(sorted(ids), 2):
                shared[pair] += 1
    minimum = 3 * settings.min_shared_sentences
    return {pair for pair, count in shared.items() if count >= minimum}
