"""Private text helpers shared by the stages: word tokens, stopwords, dates.

Unicode normalisation for analysis (``normalise``, ``normalise_runs``):
odd spaces (no-break, thin, ideographic …) become a plain space, invisible
format characters (zero-width space, soft hyphen, word joiner, BOM,
direction marks) are dropped, line and paragraph separators become ``\n``,
compatibility forms (ligatures, full- and half-width forms, Arabic and
Hebrew presentation forms) take their NFKC form, and a letter followed by
combining marks is composed (NFC). Typographic quotes, dashes, ellipses,
superscripts and symbols are kept as written: they carry meaning. Every
change is reported with its raw range, so the original stays recoverable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
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
    if text.isascii():
        return text.lower()
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


_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_SEPARATORS = "\u2028\u2029"
_COMPATIBILITY = "\ufb00-\ufdff\ufe70-\ufefe\uff01-\uffef"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
ODD_CHARACTERS = re.compile(f"[{_ODD_SPACES}{_INVISIBLE}{_SEPARATORS}{_COMPATIBILITY}{_COMBINING}]")
_COMBINING_MARK = re.compile(f"[{_COMBINING}]")
_FIXED = {ch: " " for ch in "\u00a0\u1680\u202f\u205f\u3000"}
_FIXED |= {chr(c): " " for c in range(0x2000, 0x200B)}
_FIXED |= {ch: "" for ch in "\u00ad\u200b\u200e\u200f\ufeff"}
_FIXED |= {chr(c): "" for c in (*range(0x202A, 0x202F), *range(0x2060, 0x2065))}
_FIXED |= {chr(c): "" for c in range(0x2066, 0x206A)}
_FIXED |= {"\u2028": "\n", "\u2029": "\n"}

Run = tuple[int, int, str | None]


def normalise_runs(text: str, start: int = 0, end: int | None = None) -> Iterator[Run]:
    """Split ``text[start:end]`` into ``(start, end, replacement)`` runs covering it in order.

    ``replacement`` is ``None`` where the text stays as it is, else the
    normalised form of ``text[start:end]`` (``""`` for a dropped invisible
    character). Joining the runs' texts gives the normalised text.
    """
    end = len(text) if end is None else end
    position = start
    for match in ODD_CHARACTERS.finditer(text, start, end):
        at = match.start()
        if at < position:
            continue
        char = match.group()
        if _COMBINING_MARK.match(char):
            first = at - 1 if at > position else at
            last = at + 1
            while last < end and _COMBINING_MARK.match(text, last):
                last += 1
            new = unicodedata.normalize("NFC", text[first:last])
        else:
            first, last = at, at + 1
            new = _FIXED.get(char)
            if new is None:
                new = unicodedata.normalize("NFKC", char)
        if new == text[first:last]:
            continue
        if first > position:
            yield position, first, None
        yield first, last, new
        position = last
    if position < end:
        yield position, end, None


def normalise(text: str) -> tuple[str, tuple[tuple[int, int, int, int], ...]]:
    """The normalised text and its changes as ``(norm_start, norm_end, raw_start, raw_end)``.

    Outside the changes the normalised text equals the raw text character for
    character, so any normalised offset maps back to the raw text.
    """
    parts: list[str] = []
    changes: list[tuple[int, int, int, int]] = []
    length = 0
    for start, end, new in normalise_runs(text):
        piece = text[start:end] if new is None else new
        if new is not None:
            changes.append((length, length + len(new), start, end))
        parts.append(piece)
        length += len(piece)
    return "".join(parts), tuple(changes)
