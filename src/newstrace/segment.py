"""Segment cleaned text into paragraphs and sentences with character offsets.

One segmentation is shared by every later stage. A blank line always ends
a paragraph; a single line break ends one too (pasted web copies put one
paragraph per line, and headlines stand on their own line) unless it is a
soft wrap: the line before it has no closing punctuation and either the next
line starts in lower case or the line before is long (hard-wrapped text).
Sentences are split at terminal punctuation followed by a capitalised word,
except after common abbreviations and initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Article, Sentence

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen sen rep gov lt col capt sgt maj adm jr sr inc ltd co corp "
    "no vs etc fig jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e "
    "a.m p.m mt ft approx dept est".split()
)
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LINE_BREAK = re.compile(r"[ \t]*\r?\n\s*")
_CLOSERS = tuple(".!?…:;\"'”’)]")
SOFT_WRAP_WIDTH = 60


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each paragraph, whitespace trimmed."""
    spans = []
    position = 0
    for match in _LINE_BREAK.finditer(text):
        blank_line = match.group().count("\n") > 1
        if not blank_line and _soft_wrap(text, position, match):
            continue
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _soft_wrap(text: str, line_start: int, match: re.Match[str]) -> bool:
    """Whether a single line break inside a paragraph only wraps the line."""
    line = text[line_start : match.start()].rstrip()
    following = text[match.end() : match.end() + 1]
    if not line or not following or line.endswith(_CLOSERS):
        return False
    line_begin = text.rfind("\n", 0, match.start()) + 1
    return following.islower() or match.start() - line_begin >= SOFT_WRAP_WIDTH


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence in ``text[start:end]``."""
    position = start
    for match in _BOUNDARY.finditer(text, start, end):
        if _ends_with_abbreviation(text[position : match.start() + 1]):
            continue
        if trimmed := _trim(text, position, match.end()):
            yield trimmed
        position = match.end()
    if trimmed := _trim(text, position, end):
        yield trimmed


def segment(article: Article) -> tuple[Sentence, ...]:
    """Split an article's cleaned text into sentences, numbered in order."""
    text = article.text
    sentences = []
    for paragraph_index, (p_start, p_end) in enumerate(paragraphs(text)):
        for s_start, s_end in sentence_spans(text, p_start, p_end):
            sentences.append(
                Sentence(
                    article_id=article.id,
                    index=len(sentences),
                    paragraph=paragraph_index,
                    start=s_start,
                    end=s_end,
                    text=text[s_start:s_end],
                )
            )
    return tuple(sentences)


def _ends_with_abbreviation(chunk: str) -> bool:
    if not chunk.endswith("."):
        return False
    match = _WORD_BEFORE.search(chunk[:-1])
    if not match:
        return False
    word = match.group(1).lower().strip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
