"""Split a sentence into claim units: the clauses that each assert one thing.

A sentence is cut at line breaks and semicolons; then its reporting frame is
set aside ("…, a senior official said", "According to NPA, …", "The official
said that …") and coordinated assertions are cut apart ("… and that …",
"…, saying …", "…, but …", "…, and is …"). Denial verbs are never a reporting
frame: "X denied that A" stays whole, so the denial stays visible. A piece
shorter than ``MIN_UNIT_WORDS`` words joins its neighbour. Each unit keeps
the text of its reporting frame, which decides its stance ("US officials
fear" hedges what they fear).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_UNIT_WORDS = 3
MAX_FRAME_WORDS = 18
MAX_TRAILING_WORDS = 18
MAX_INVERTED_WORDS = 9
MIN_PARTICIPLE_WORDS = 3

_REPORTING = (
    r"(?:said|says|say|stated|states|told|tells|reported|reports|added|adds|warned|warns|"
    r"confirmed|confirms|noted|notes|believes?|believed|fears?|feared|wrote|writes|"
    r"explained|insisted|acknowledged|announced|estimated|claimed|claims|argued|"
    r"disclosed|revealed|suggested|indicated|cautioned|stressed|emphasi[sz]ed)"
)
_TRAILING_FRAME = re.compile(
    r"[,”\"]\s+(?:(?:according to|citing)\s[^,;]{2,120}|"
    r"[^,;“”\"]{2,100}?\s" + _REPORTING + r"(?:\s(?:on|in|late|early|this|last)\s[\w ]{1,25}?)?"
    r"(?:,?\s*citing\s[^,;]{2,80})?|(?P<inverted>"
    + _REPORTING
    + r")\s(?:(?-i:[A-Z])|the\s|a\s|an\s)[^,;“”\"]{2,60}(?:,\s[^,;“”\"]{2,60})?)"
    r"(?P<rest>,\s[^“”\"]*)?\W*$",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(
    r",\s+(?!(?:including|according|citing|saying|during|following|regarding|concerning|"
    r"excluding|adding|noting|bring)\b)(?P<unit>[a-z]+ing\s[^,;]{3,80})(?:,|\W*$)",
)
_QUOTED = re.compile(r"^\W*[“\"](?P<quote>[^“”\"]{8,})[”\"]\s*(?P<frame>[^“”\"]*)$")
_LEADING_ACCORDING = re.compile(r"^\W*according to\s[^,;]{2,100},\s+", re.IGNORECASE)
_LEADING_FRAME = re.compile(
    r"^\W*(?P<frame>(?:(?!,\s+and\s)[^;“”\"]){2,160}?\b"
    + _REPORTING
    + r"(?:(?:\s+[\w.’']+){1,5}?(?=\s+that\b))?)"
    r"(?:\s+on\s+\w+day)?(?:,)?\s+(?:that\s+)?(?=\S)",
)
_COORDINATION = re.compile(
    r"\s*[,–—-]?\s*(?:–|—)?\s*\band that\s+|"
    r",\s+(?:saying|adding|insisting|arguing|stressing|noting)\s+(?:that\s+)?|"
    r",\s+but\s+|"
    r",\s+and\s+(?=(?:is|are|was|were|has|have|had|will|would|could|can|it|they|he|she|we|"
    r"the|its|their|this|that|plans|intends)\b)|"
    r"\s+(?:–|—)\s+and\s+",
    re.IGNORECASE,
)
_REPORTING_WORD = re.compile(r"\b" + _REPORTING + r"\b", re.IGNORECASE)
_PIECES = re.compile(r"\n+|;\s*")
_TRIM = " \t\n,.;:–—-\"'“”‘’()"
_WORD = re.compile(r"\w+")
_DENIAL_FRAME = re.compile(
    r"\b(den(?:y|ies|ied|ying)|reject\w*|dismiss\w*|refut\w*|not (?:been )?aware|"
    r"not heard|no knowledge)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One clause of a sentence: ``[start, end)`` relative to the sentence text."""

    start: int
    end: int
    frame: str
    participle: bool = False
    joiner: str = ""


def split_units(text: str) -> list[Unit]:
    """The claim units of ``text`` (one sentence), in order; at least one unit."""
    units: list[Unit] = []
    position = 0
    for separator in [*_PIECES.finditer(text), None]:
        end = separator.start() if separator else len(text)
        units.extend(_piece_units(text, position, end))
        position = separator.end() if separator else len(text)
    units = _merge_short(text, units)
    return units or [_trimmed(text, 0, len(text), "")]


def _piece_units(text: str, start: int, end: int) -> list[Unit]:
    start, end, frame = _strip_frames(text, start, end)
    units = []
    position = start
    joiner = ""
    for match in _COORDINATION.finditer(text, start, end):
        if match.start() > position:
            units.append(_trimmed(text, position, match.start(), frame, joiner))
        position = match.end()
        joiner = match.group().strip(_TRIM).lower()
    units.append(_trimmed(text, position, end, frame, joiner))
    for match in _PARTICIPLE.finditer(text, start, end):
        unit = match.span("unit")
        if _words(text[unit[0] : unit[1]]) >= MIN_PARTICIPLE_WORDS and unit[0] > start:
            units.append(Unit(unit[0], unit[1], frame, participle=True))
    return [u for u in units if u.end > u.start]


def _strip_frames(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Set aside the reporting frame(s) around ``text[start:end]``."""
    frames = []
    piece = text[start:end]
    if (match := _QUOTED.match(piece)) and _REPORTING_WORD.search(match["frame"]):
        return start + match.start("quote"), start + match.end("quote"), match["frame"].strip(_TRIM)
    match = _TRAILING_FRAME.search(piece)
    frame_end = match.start("rest") if match and match["rest"] else len(piece)
    if (
        match
        and _words(piece[: match.start()]) >= 3
        and _words(piece[match.start() : frame_end])
        <= (MAX_INVERTED_WORDS if match["inverted"] else MAX_TRAILING_WORDS)
        and not _DENIAL_FRAME.search(match.group())
    ):
        frames.append(piece[match.start() : frame_end].strip(_TRIM))
        end = start + match.start()
    for pattern in (_LEADING_ACCORDING, _LEADING_FRAME, _LEADING_ACCORDING):
        match = pattern.match(text, start, end)
        if match is None:
            continue
        frame = match.group()
        if (
            _DENIAL_FRAME.search(frame)
            or _words(frame) > MAX_FRAME_WORDS
            or _words(text[match.end() : end]) < 3
        ):
            continue
        frames.append(frame.strip(_TRIM))
        start = match.end()
    return start, end, " ".join(frames)


def _merge_short(text: str, units: list[Unit]) -> list[Unit]:
    merged: list[Unit] = []
    extra = [u for u in units if u.participle]
    for unit in (u for u in units if not u.participle):
        if merged and (
            _words(text[unit.start : unit.end]) < MIN_UNIT_WORDS
            or _words(text[merged[-1].start : merged[-1].end]) < MIN_UNIT_WORDS
        ):
            last = merged.pop()
            unit = Unit(last.start, unit.end, last.frame or unit.frame, joiner=last.joiner)
        merged.append(unit)
    return merged + extra


def _trimmed(text: str, start: int, end: int, frame: str, joiner: str = "") -> Unit:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return Unit(start, end, frame, joiner=joiner)


def _words(text: str) -> int:
    return len(_WORD.findall(text))
