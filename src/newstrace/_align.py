"""Sentence alignment for the reuse stage: one-to-one, best first, word swaps found.

``align`` scores every sentence of one article against every sentence of the
other with rapidfuzz (on folded words), then ``align_sentences`` compares each
promising pair word by word: ``verbatim`` (same words), ``substituted`` (same
words in the same order with a few swapped: the mark of machine-spun copies)
or ``near`` (other edits). Pairs are then matched one to one, best first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ._text import word_spans, words
from .config import Settings
from .model import AlignedPair, Sentence, Span

MIN_SENTENCE_WORDS = 5
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december".split()
)  # names too common to tell two stories apart
MIN_WORD_OVERLAP = 0.35  # word-level LCS ratio below which two sentences are not compared
MANGLED = 50  # fuzz.ratio at or above which a swapped name may be a misspelling, not another name


def align(
    source: Sequence[Sentence], target: Sequence[Sentence], *, settings: Settings
) -> list[AlignedPair]:
    """Match sentences one to one, best first, keeping pairs above the threshold."""
    candidates = []
    for first, second, char_ratio in _comparable(source, target, settings):
        pair = align_sentences(first, second, settings=settings, char_ratio=char_ratio)
        if pair is not None:
            candidates.append(pair)
    return _one_to_one(candidates)


def template_siblings(
    source: Sequence[Sentence],
    target: Sequence[Sentence],
    aligned: Sequence[AlignedPair],
    *,
    settings: Settings,
) -> list[AlignedPair]:
    """Sentences left out of ``aligned`` that match in wording but state other
    names or numbers (``align`` rejects them), one to one.

    Two reports cut from one template share such sentences; a copy keeps its
    facts and has none. ``fact_agreement`` over them as well as the aligned
    pairs sees a swapped name that ``align`` dropped as another fact.
    """
    used = {p.source.start for p in aligned}, {p.target.start for p in aligned}
    left = [s for s in source if s.start not in used[0]]
    right = [s for s in target if s.start not in used[1]]
    candidates = []
    for first, second, char_ratio in _comparable(left, right, settings):
        matched = _word_match(first, second, settings, char_ratio)
        if matched is not None and states_other_facts(matched[0], first.text, second.text):
            candidates.append(
                AlignedPair(
                    source=sentence_span(first),
                    target=sentence_span(second),
                    similarity=round(matched[1], 4),
                    kind="near",
                )
            )
    return _one_to_one(candidates)


def _comparable(
    source: Sequence[Sentence], target: Sequence[Sentence], settings: Settings
) -> Iterator[tuple[Sentence, Sentence, float]]:
    """Sentence pairs worth a word-by-word comparison, with their character ratio:
    close enough in characters and in words (both tested for all pairs at once)."""
    left = [s for s in source if len(s.text.split()) >= MIN_SENTENCE_WORDS]
    right = [s for s in target if len(s.text.split()) >= MIN_SENTENCE_WORDS]
    if not left or not right:
        return
    cutoff = settings.sentence_match_threshold * 100 - 15
    scores = process.cdist(
        [_tokens(s.text).joined for s in left],
        [_tokens(s.text).joined for s in right],
        scorer=fuzz.ratio,
        score_cutoff=max(cutoff, 0),
        dtype=np.float64,
    )
    word_scores = process.cdist(
        *_as_word_strings(
            [_tokens(s.text).words for s in left], [_tokens(s.text).words for s in right]
        ),
        scorer=fuzz.ratio,
        score_cutoff=MIN_WORD_OVERLAP * 100,
    )
    for i, j in zip(*(scores * (word_scores > 0)).nonzero(), strict=True):
        yield left[i], right[j], float(scores[i, j]) / 100


def _as_word_strings(
    left: Sequence[tuple[str, ...]], right: Sequence[tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """Each sentence as a string of one character per word, so that rapidfuzz
    compares word sequences (its ratio is then the word-level LCS ratio)."""
    code: dict[str, str] = {}

    def spell(sentence: tuple[str, ...]) -> str:
        return "".join(code.setdefault(w, chr(0x4E00 + len(code))) for w in sentence)

    return [spell(s) for s in left], [spell(s) for s in right]


class _Tokens(NamedTuple):
    words: tuple[str, ...]  # folded, for comparison
    surface: tuple[str, ...]  # as written, for names and numbers
    joined: str


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> _Tokens:
    """A sentence's words, computed once however many sentences it is compared with."""
    folded = tuple(words(text))
    return _Tokens(folded, tuple(text[a:b] for a, b in word_spans(text)), " ".join(folded))


def align_sentences(
    source: Sentence, target: Sentence, *, settings: Settings, char_ratio: float | None = None
) -> AlignedPair | None:
    """Compare two sentences word by word; ``None`` when they are not the same sentence."""
    matched = _word_match(source, target, settings, char_ratio)
    if matched is None:
        return None
    matcher, similarity, swap_ratio = matched
    source_words, target_words = _tokens(source.text).words, _tokens(target.text).words
    substitutions, inserted = _substitutions(matcher, source.text, target.text)
    if max(similarity, swap_ratio if substitutions else 0.0) < settings.sentence_match_threshold:
        return None
    if states_other_facts(matcher, source.text, target.text):
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


def _word_match(
    source: Sentence, target: Sentence, settings: Settings, char_ratio: float | None
) -> tuple[SequenceMatcher[str], float, float] | None:
    """The word matcher of two sentences, their similarity (word or character
    ratio) and their swap-tolerant ratio; ``None`` when neither reaches the
    threshold."""
    mine, theirs = _tokens(source.text), _tokens(target.text)
    matcher = SequenceMatcher(None, mine.words, theirs.words, autojunk=False)
    if char_ratio is None:
        char_ratio = fuzz.ratio(mine.joined, theirs.joined) / 100
    similarity = max(matcher.ratio(), char_ratio)
    swap_ratio = _swap_tolerant_ratio(matcher, len(mine.words), len(theirs.words))
    if max(similarity, swap_ratio) < settings.sentence_match_threshold:
        return None
    return matcher, similarity, swap_ratio


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


def fact_agreement(pairs: Iterable[AlignedPair], *, in_order: bool = True) -> tuple[int, int]:
    """How many of the distinct names and numbers of the aligned source sentences
    their partners keep, and how many they keep or swap for others (a dropped
    one is neither).

    A copy, even a spun or abridged one, keeps the facts it copies; articles
    written from one template (automated reports, a house style's stock
    sentences) share the wording and swap exactly these words. A name of
    several words ("Elra Water Board") is kept only when all of it is. Days
    and months are too common to count. Each fact counts once, kept when some
    partner keeps it: a town named in every sentence of two reports about
    different events in it weighs as one fact, not as many. For paraphrases
    (``in_order=False``) word order says nothing, so facts are compared as sets.
    """
    states: dict[str, str] = {}
    for pair in pairs:
        found = (
            _fact_states(pair.source.text, pair.target.text)
            if in_order
            else _unordered_fact_states(pair.source.text, pair.target.text)
        )
        for fact, state in found:
            if _RANK[state] >= _RANK[states.get(fact, "dropped")]:
                states[fact] = state
    kept = sum(state == "kept" for state in states.values())
    return kept, kept + sum(state == "swapped" for state in states.values())


_RANK = {"dropped": 0, "swapped": 1, "kept": 2}


def _unordered_fact_states(source_text: str, target_text: str) -> list[tuple[str, str]]:
    """Fact states of a paraphrase: a fact of the source is kept when the target
    has it anywhere, swapped when the target has facts the source lacks."""
    source_tokens = _surface_words(source_text)
    target_tokens = _surface_words(target_text)
    numbers, names = _facts(source_tokens, 0, len(source_tokens))
    their_numbers, their_names = _facts(target_tokens, 0, len(target_tokens))
    names, their_names = names - CALENDAR, their_names - CALENDAR
    kept = {n for n in names if any(_misspelt(n, other) for other in their_names)}
    kept |= numbers & their_numbers
    mine = {token.lower() for token in source_tokens}
    theirs_only = (their_numbers - numbers) or {
        n for n in their_names if not any(_misspelt(n, word) for word in mine)
    }
    lost = "swapped" if theirs_only else "dropped"
    return [(fact, "kept" if fact in kept else lost) for fact in numbers | names]


def _fact_states(source_text: str, target_text: str) -> list[tuple[str, str]]:
    """Each number and name of the source (lower case), with ``kept``,
    ``swapped`` or ``dropped``."""
    source_tokens = _surface_words(source_text)
    target_tokens = _surface_words(target_text)
    matcher = SequenceMatcher(
        None, _tokens(source_text).words, _tokens(target_text).words, autojunk=False
    )
    token_state: dict[int, str] = {}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        their_numbers, their_names = _facts(target_tokens, j1, j2)
        for index in range(i1, i2):
            token = source_tokens[index]
            if op == "equal":
                token_state[index] = "kept"
            elif op == "replace" and (their_numbers or their_names - CALENDAR):
                same = token in their_numbers or any(
                    _misspelt(token.lower(), other) for other in their_names
                )
                token_state[index] = "kept" if same else "swapped"
            else:
                token_state[index] = "dropped"
    states: list[tuple[str, str]] = []
    phrase: list[int] = []
    padded = [*source_tokens, ""]  # the empty end token closes a final name
    for index, token in enumerate(padded):
        kind = _fact_kind(token, index)
        if kind == "name":
            phrase.append(index)
            continue
        if phrase:
            name = " ".join(padded[i].lower() for i in phrase)
            states.append((name, _phrase_state([token_state[i] for i in phrase])))
            phrase = []
        if kind == "number":
            states.append((token, token_state[index]))
    return states


def _fact_kind(token: str, index: int) -> str | None:
    """``number`` or ``name`` (not a day or month) for a fact token at ``index``, else ``None``:
    what ``_facts`` finds in a one-token range."""
    if any(c.isdigit() for c in token):
        return "number"
    if index > 0 and len(token) > 1 and token[:1].isupper() and token.lower() not in CALENDAR:
        return "name"
    return None


def _misspelt(name: str, other: str) -> bool:
    """Whether two names are one name misspelt: an edit or two (one per eight letters)."""
    return OSA.distance(name, other) <= 1 + max(len(name), len(other)) // 8


def _phrase_state(states: Sequence[str]) -> str:
    if "swapped" in states:
        return "swapped"
    return "kept" if all(s == "kept" for s in states) else "dropped"


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


def _surface_words(text: str) -> tuple[str, ...]:
    return _tokens(text).surface


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
