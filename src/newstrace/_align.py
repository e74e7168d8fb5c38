"""Sentence alignment for the reuse stage: one-to-one, best first, word swaps found.

``align`` scores every sentence of one article against every sentence of the
other with rapidfuzz (on folded words), then ``align_sentences`` compares each
promising pair word by word: ``verbatim`` (same words), ``substituted`` (same
words in the same order with a few swapped: the mark of machine-spun copies)
or ``near`` (other edits). Pairs are then matched one to one, best first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from rapidfuzz import fuzz, process

from ._text import word_spans, words
from .config import Settings
from .model import AlignedPair, Sentence, Span

MIN_SENTENCE_WORDS = 5
MANGLED = 50  # fuzz.ratio at or above which a swapped name is a misspelling, not another name


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
    if states_other_facts(matcher, source.text, target.text):
        return None
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
        source=sentence_span(source),
        target=sentence_span(target),
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


def states_other_facts(matcher: SequenceMatcher[str], source_text: str, target_text: str) -> bool:
    """Whether an edit swaps a number or a name for a different one.

    Two sentences cut from one template ("{n} people were hurt, {who} said")
    with other numbers or other people state other facts: the same wording,
    not the same sentence. A name counts when it is capitalised past the
    first word, and a swap of names when as many names stand on each side
    ("the World Wide Web" → "the Internet" is a rewording); a mangled
    spelling (similar letters) is damage, not another name, and a number
    spelled out is the same number.
    """
    source_tokens = _surface_words(source_text)
    target_tokens = _surface_words(target_text)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        old = _facts(source_tokens, i1, i2)
        new = _facts(target_tokens, j1, j2)
        if old[0] and new[0] and not old[0] & new[0]:
            return True
        if (
            old[1]
            and len(old[1]) == len(new[1])
            and not any(fuzz.ratio(a, b) >= MANGLED for a in old[1] for b in new[1])
        ):
            return True
    return False


def _facts(tokens: Sequence[str], start: int, end: int) -> tuple[set[str], set[str]]:
    """Numbers and names among ``tokens[start:end]``."""
    numbers = {t for t in tokens[start:end] if any(c.isdigit() for c in t)}
    names = {
        t.lower()
        for index, t in enumerate(tokens[start:end], start)
        if index > 0 and len(t) > 1 and t[:1].isupper() and not any(c.isdigit() for c in t)
    }
    return numbers, names


def _swap_tolerant_ratio(matcher: SequenceMatcher[str], source_len: int, target_len: int) -> float:
    """Share of word positions that are equal or swapped one for one (spun copies)."""
    kept = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3):
            kept += min(i2 - i1, j2 - j1)
    longest = max(source_len, target_len)
    return kept / longest if longest else 0.0


def _surface_words(text: str) -> list[str]:
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


def coverage(sentences: Sequence[Sentence], aligned: Sequence[Span]) -> float:
    """Share of the article's characters (in sentences long enough to align) that align."""
    total = sum(len(s.text) for s in sentences if len(s.text.split()) >= MIN_SENTENCE_WORDS)
    covered = sum(span.end - span.start for span in aligned)
    return min(covered / total, 1.0) if total else 0.0


def sentence_span(sentence: Sentence) -> Span:
    return Span(
        article_id=sentence.article_id, start=sentence.start, end=sentence.end, text=sentence.text
    )
