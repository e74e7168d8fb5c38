"""Flag garbled copies: swapped words, mangled names, altered quotes, spam inserts.

Flags come from evidence the earlier stages already hold:

- ``substitution``: a word the copy swapped for another in a sentence the
  reuse stage aligned with its source (the mark of machine "spinning");
- ``mangled_name``: a swap of one capitalised word for another capitalised
  word that looks like a corrupted spelling ("Okafor" -> "Okra");
- ``altered_quote``: a swap that falls inside a direct quote of the copy,
  so the copy puts words in the speaker's mouth that the source does not;
- ``spam_insert``: a line the cleaner removed as a "see also" insert or
  promotion. It is no longer in the cleaned text, so the flag is an empty
  span at the place it was cut, with the removed text as ``text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from ._text import word_spans
from .model import AlignedPair, Article, Flag, Quote, Reuse

SPAM_REASONS = frozenset({"see-also insert", "promo"})
FLAGGED_KINDS = frozenset({"spun", "verbatim", "abridged", "extended", "partial"})
NAME_SIMILARITY = 50


def find_flags(
    articles: Sequence[Article],
    reuse: Sequence[Reuse] = (),
    quotes: Sequence[Quote] = (),
) -> tuple[Flag, ...]:
    """Return every quality flag for ``articles``."""
    flags: list[Flag] = []
    for link in reuse:
        if link.kind in FLAGGED_KINDS:
            target_quotes = [q for q in quotes if q.article_id == link.target_id and q.direct]
            for pair in link.aligned:
                flags.extend(_swap_flags(link, pair, target_quotes))
    for article in articles:
        flags.extend(_spam_flags(article))
    return tuple(flags)


def _swap_flags(link: Reuse, pair: AlignedPair, quotes: Sequence[Quote]) -> list[Flag]:
    flags = []
    target = pair.target
    spans = word_spans(target.text)
    surface = [target.text[a:b] for a, b in spans]
    position = 0
    for original, replacement in pair.substitutions:
        located = _locate(surface, replacement.split(), position)
        if located is None:
            continue
        first, last = located
        position = last
        start, end = target.start + spans[first][0], target.start + spans[last - 1][1]
        kind = _swap_kind(original, replacement, start, end, quotes)
        flags.append(
            Flag(
                article_id=link.target_id,
                kind=kind,
                start=start,
                end=end,
                text=replacement,
                evidence=f"{link.kind} copy of {link.source_id}: "
                f"source has “{original}” at {pair.source.start}–{pair.source.end}",
            )
        )
    return flags


def _swap_kind(
    original: str, replacement: str, start: int, end: int, quotes: Sequence[Quote]
) -> str:
    if any(q.start <= start and end <= q.end for q in quotes):
        return "altered_quote"
    if (
        original[:1].isupper()
        and replacement[:1].isupper()
        and fuzz.ratio(original.lower(), replacement.lower()) >= NAME_SIMILARITY
    ):
        return "mangled_name"
    return "substitution"


def _locate(surface: list[str], wanted: list[str], position: int) -> tuple[int, int] | None:
    size = len(wanted)
    for index in range(position, len(surface) - size + 1):
        if surface[index : index + size] == wanted:
            return index, index + size
    return None


def _spam_flags(article: Article) -> list[Flag]:
    flags = []
    for removed in article.removed:
        if removed.reason not in SPAM_REASONS:
            continue
        at = _clean_offset(article, removed.start)
        flags.append(
            Flag(
                article_id=article.id,
                kind="spam_insert",
                start=at,
                end=at,
                text=removed.text.strip(),
                evidence=f"removed by cleaning ({removed.reason}) at raw offset {removed.start}",
            )
        )
    return flags


def _clean_offset(article: Article, raw_offset: int) -> int:
    """The cleaned-text offset where a removed raw span used to be."""
    at = 0
    for clean_start, raw_start, length in article.kept:
        if raw_start >= raw_offset:
            return clean_start
        at = clean_start + length
    return at
