"""Paraphrase alignment and the evidence for direction, for the reuse stage.

* ``paraphrase_pairs`` aligns the sentences of two articles by the cosine of
  their sentence embeddings, one to one, best first. Quoted words are removed
  from each sentence before it is embedded (two reports that quote the same
  speaker share the quote, not the reporting) and sentences left with fewer
  than ``MIN_WORDS`` words take no part.
* ``cites`` tells whether an article names another article's outlet (the
  full name, its initials such as "NPA", or "the Courier"), and
  ``credit_line`` finds "first published in" / "originally appeared on"
  credits: a rewrite that names its source was made from it.
* ``degradation`` counts the marks of a damaged copy on each side of an
  alignment: a swapped word that breaks a term the article uses elsewhere
  ("the manager replied" in an article that otherwise says "official"), and
  a mangled name (a capitalised word swapped for a similar-looking one that
  the other article uses consistently). A spun or garbled copy derives from
  the clean one, not the reverse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from ._align import sentence_span
from ._text import STOPWORDS, fold, word_spans, words
from .embed import Embedder, cosines
from .model import AlignedPair, Article, Sentence

MIN_WORDS = 5
RECURRING = 2
_QUOTED = re.compile(r"[“\"«][^”\"»]*[”\"»]")
_CREDIT = re.compile(  # "first published in", and so on in German, French, Spanish, Italian
    r"\b(?i:(?:first|originally)\s+(?:published|appeared|ran)\s+(?:in|on|by|at)"
    r"|(?:erschien|erschienen|veröffentlicht)\s+(?:zuerst|ursprünglich)\s+(?:in|im|bei|auf)"
    r"|(?:zuerst|ursprünglich)\s+(?:erschienen|veröffentlicht)\s+(?:in|im|bei|auf)"
    r"|publié\s+(?:initialement|d'abord|à l'origine|pour la première fois)\s+(?:dans|par|sur)"
    r"|publicado\s+(?:originalmente|inicialmente|por primera vez)\s+(?:en|por)"
    r"|pubblicato\s+(?:originariamente|originalmente|per la prima volta)\s+(?:su|da|in))"
    r"\s+(?:(?i:the|der|dem|die|le|la|el|il)\s+)?"
    r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,5})"
)
_GENERIC = frozenset("the a an of and news daily online tv times post press agency".split())


def unquoted(text: str) -> str:
    """``text`` with quoted passages removed."""
    return _QUOTED.sub(" ", text)


def mostly_quote(text: str) -> bool:
    """Whether at least half of ``text`` is inside quotation marks."""
    return len(unquoted(text).strip()) <= 0.5 * len(text.strip())


def paraphrase_pairs(
    first: Sequence[Sentence],
    second: Sequence[Sentence],
    *,
    embedder: Embedder,
    threshold: float,
) -> list[AlignedPair]:
    """Sentences of ``first`` and ``second`` that say the same thing, one to one."""
    left, right = eligible(first), eligible(second)
    if not left or not right:
        return []
    vectors = embedder.embed([unquoted(s.text) for s in (*left, *right)])
    similarity = cosines(embedder, vectors[: len(left)], vectors[len(left) :])
    rows, cols = np.nonzero(similarity >= threshold)
    order = sorted(
        zip(rows.tolist(), cols.tolist(), strict=True), key=lambda ij: (-similarity[ij], ij)
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for i, j in order:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append(
            AlignedPair(
                source=sentence_span(left[i]),
                target=sentence_span(right[j]),
                similarity=round(float(similarity[i, j]), 4),
                kind="paraphrase",  # type: ignore[arg-type]  # model.AlignedPair.kind lacks it
            )
        )
    return pairs


def eligible(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences with at least ``MIN_WORDS`` words outside quotes: those paraphrased."""
    return [s for s in sentences if len(unquoted(s.text).split()) >= MIN_WORDS]


def embedded_texts(sentences: Sequence[Sentence]) -> list[str]:
    """What is embedded of each eligible sentence: its words outside quotes."""
    return [unquoted(s.text) for s in eligible(sentences)]


def outlet_names(outlet: str | None) -> list[str]:
    """Ways an article may name ``outlet``: full name, initials, "the <Last word>"."""
    if not outlet or not outlet.strip():
        return []
    name = re.sub(r"^the\s+", "", outlet.strip(), flags=re.IGNORECASE)
    names = [name]
    parts = name.split()
    initials = "".join(p[0] for p in parts if p[:1].isupper())
    if len(parts) >= 2 and len(initials) >= 3:
        names.append(initials)
    if len(parts) >= 2 and parts[-1].lower() not in _GENERIC and parts[-1][:1].isupper():
        names.append(f"the {parts[-1]}")
    return names


def cites(article: Article, source: Article) -> bool:
    """Whether ``article`` names ``source``'s outlet (and is not from that outlet)."""
    if not source.outlet or (article.outlet or "").lower() == source.outlet.lower():
        return False
    for name in outlet_names(source.outlet):
        flags = 0 if name.isupper() or name.startswith("the ") else re.IGNORECASE
        pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
        if name.startswith("the "):
            pattern = rf"(?<![\w-])[Tt]he {re.escape(name[4:])}(?![\w-])"
        if re.search(pattern, article.text, flags):
            return True
    return False


def credit_line(article: Article, source: Article) -> bool:
    """Whether ``article`` says it was first published by ``source``'s outlet."""
    names = [n.lower() for n in outlet_names(source.outlet)]
    for match in _CREDIT.finditer(article.text):
        credited = match.group(1).lower().rstrip(".")
        if any(name in credited or credited in name for name in names):
            return True
    return False


def degradation(
    pairs: Sequence[AlignedPair], first: Article, second: Article
) -> tuple[int, int, list[str]]:
    """Marks of damage on each side of ``pairs`` (first → second) and what they are."""
    first_counts, second_counts = Counter(words(first.text)), Counter(words(second.text))
    lowercase = lowercase_words(first.text) | lowercase_words(second.text)
    marks = [0, 0]
    notes = []
    for pair in pairs:
        for old, new in pair.substitutions:
            side = _damaged_side(old, new, first_counts, second_counts, lowercase)
            if side is not None:
                marks[side] += 1
                damaged, clean = (new, old) if side == 1 else (old, new)
                notes.append(f"“{clean}” → “{damaged}”")
    return marks[0], marks[1], notes


def lowercase_words(text: str) -> set[str]:
    """The words ``text`` writes at least once starting with a lower-case letter, folded."""
    return {fold(text[start:end]) for start, end in word_spans(text) if text[start].islower()}


def _inflected(a: str, b: str) -> bool:
    """Whether one word is the other with an ending added ("term", "terms"): grammar, not a swap."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= 3


def _damaged_side(
    old: str, new: str, first: Counter[str], second: Counter[str], lowercase: set[str]
) -> int | None:
    """0 or 1 when the swap ``old`` (first) → ``new`` (second) damaged that side.

    ``lowercase`` holds the words either article writes in lower case: a word
    capitalised only at the start of a sentence is not a name.
    """
    old_words, new_words = words(old), words(new)
    if len(old_words) != 1 or len(new_words) != 1:
        return None
    a, b = old_words[0], new_words[0]
    if min(len(a), len(b)) < 3 or a in STOPWORDS or b in STOPWORDS or _inflected(a, b):
        return None
    names = old[:1].isupper() and new[:1].isupper() and not {a, b} & lowercase
    if names and fuzz.ratio(a, b) >= 50:
        # A mangled name: the spelling both articles use elsewhere is the right one.
        a_uses, b_uses = first[a] - 1 + second[a], second[b] - 1 + first[b]
        if a_uses != b_uses:
            return 1 if a_uses > b_uses else 0
        return None
    # The second says ``a`` at least twice elsewhere (a settled term), but ``b`` here;
    # not when ``b`` is a term it uses elsewhere as often (its own word, not a swap).
    second_breaks = second[a] >= RECURRING and first[a] >= RECURRING and second[b] - 1 < second[a]
    first_breaks = first[b] >= RECURRING and second[b] >= RECURRING and first[a] - 1 < first[b]
    if second_breaks != first_breaks:
        return 1 if second_breaks else 0
    return None
