"""Private text helpers shared by the stages: word tokens, stopwords, dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told tells according would also""".split()
)


def fold(text: str) -> str:
    """Lower-case and strip accents and typographic variants, for comparison only."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").lower()


def words(text: str) -> list[str]:
    """Folded word tokens of ``text``."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word token of ``text``, in the same order as ``words``."""
    return [m.span() for m in _WORD.finditer(text)]


def content_words(text: str) -> list[str]:
    """Folded words of ``text`` without stopwords and one-letter tokens."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def shingles(tokens: list[str], size: int) -> set[str]:
    """Word ``size``-grams of ``tokens`` as strings (the whole list when shorter)."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO-8601 date or date-time; ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
