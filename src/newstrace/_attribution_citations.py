"""Outlet citations: "CNN reported", "according to the FT", "told Reuters",
"a fresh FT report", "Bloomberg notes", "See also <Outlet>" (a line of its own, known
outlets only), and reports left unnamed ("cited in multiple reports", outlet
``UNNAMED_OUTLET``). Offsets index ``Article.text``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._attribution_lexicon import (
    ACRONYM,
    CITE_PATTERNS,
    FILLERS,
    KNOWN_OUTLETS,
    NOT_OUTLET,
    OUTLET_ALIASES,
    OUTLET_WORDS,
    UNNAMED_OUTLET,
    UNNAMED_REPORTS,
)
from .model import Citation, Sentence


def citations(article_id: str, text: str, sentences: Sequence[Sentence]) -> tuple[Citation, ...]:
    found = [
        hit
        for sentence in sentences
        for pattern, strict, before in CITE_PATTERNS
        for match in pattern.finditer(text, sentence.start, sentence.end)
        if (hit := _citation_hit(match, strict, before))
    ]
    found += [
        (match.start(), match.end(), UNNAMED_OUTLET)
        for sentence in sentences
        for match in UNNAMED_REPORTS.finditer(text, sentence.start, sentence.end)
    ]
    kept: list[tuple[int, int, str]] = []
    for start, end, outlet in sorted(found, key=lambda h: (h[0], -h[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, outlet))
    return tuple(
        Citation(article_id=article_id, start=s, end=e, text=text[s:e], outlet=o)
        for s, e, o in kept
    )


def _citation_hit(match: re.Match[str], strict: bool, before: bool) -> tuple[int, int, str] | None:
    """The outlet in a citation match: the longest run of its capitalised words
    that names an outlet (ending at the cue when the outlet comes first); for
    "X reported" and "reported by X" any capitalised name not known as a non-outlet."""
    tokens = list(re.finditer(r"\S+", match.group("outlet")))
    base = match.start("outlet")
    n = len(tokens)
    runs = [tokens[i:] for i in range(n)] if before else [tokens[:i] for i in range(n, 0, -1)]
    if not strict and tokens:
        runs.append(tokens[1:] if tokens[0].group().lower() in FILLERS else tokens)
    for run in runs:
        words = [t.group() for t in run]
        outlet = outlet_name(words) or (None if run is not runs[-1] or strict else _plain(words))
        if outlet and before:
            return base + run[0].start(), match.end(), outlet
        if outlet:
            last, end = run[-1].group(), base + run[-1].end()
            trailing = 0 if ACRONYM.fullmatch(last) else len(last) - len(last.rstrip(".,"))
            return match.start(), end - trailing, outlet
    return None


def _plain(words: list[str]) -> str | None:
    """A capitalised name that is not a known non-outlet ("officials", "US", "Department")."""
    words = words[1:] if words[:1] == ["The"] else words
    if not words or any(w in NOT_OUTLET or w.lower() in NOT_OUTLET for w in words):
        return None
    return " ".join(words)


def outlet_name(words: Sequence[str]) -> str | None:
    """The canonical outlet name these words spell, or None if they do not look like one."""
    words = [w.rstrip(".,") for w in words]
    if words and words[0] in ("The", "the"):
        words = words[1:]
    if not words or not words[0][:1].isupper():
        return None
    if not all(w[:1].isupper() or w.isdigit() or w in ("of", "&", "and", "de") for w in words):
        return None
    name = " ".join(words)
    if name in NOT_OUTLET:
        return None
    known = "_".join(words) in KNOWN_OUTLETS or any(w in OUTLET_WORDS for w in words)
    if known or (len(words) == 1 and re.fullmatch(r"[A-Z]{2,5}", name)):
        return OUTLET_ALIASES.get(name, name)
    return None
