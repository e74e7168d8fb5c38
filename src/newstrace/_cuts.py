"""Removals smaller than a line: update-stamp prefixes and URL tracking parameters.

``line_cuts`` finds, inside a line the clean stage keeps, an update stamp
that starts a sentence ("Update(1920ET)Going into …": the stamp is cut, the
sentence kept) and tracking parameters in URLs (``utm_*``, ``fbclid`` …:
cut so that exactly one ``&`` remains between the parameters kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ._outlets import TRACKING_PARAMS, TRACKING_PREFIXES

TRACKING = "tracking parameters"

_ZONE = r"(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|IST|JST|HKT|AEST|AEDT)"
_CLOCK = rf"\d{{1,2}}[:.h]\d{{2}}\s*(?:[ap]\.?m\.?)?\s*(?:{_ZONE}\b)?"
_BRACKETED_CLOCK = rf"\d{{1,2}}[:.h]?\d{{2}}\s*(?:[ap]\.?m\.?)?\s*{_ZONE}?"
UPDATE_STAMP = re.compile(  # "Update (19:20 ET):", "Update(1920ET)", "Updated 10.15am"
    rf"(?:update[ds]?|editor['’]s note)\s*(?:\(\s*{_BRACKETED_CLOCK}\s*\)|"
    rf"\[\s*{_BRACKETED_CLOCK}\s*\]|{_CLOCK})\s*[:.–—-]?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cut:
    """A removal inside a kept line (raw offsets)."""

    start: int
    end: int
    reason: str

    def fields(self, raw: str) -> dict[str, Any]:
        """The ``RemovedSpan`` fields of this cut in ``raw``."""
        return {"start": self.start, "end": self.end, "text": raw[self.start : self.end],
                "reason": self.reason}  # fmt: skip


_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'”’)\]]+", re.IGNORECASE)


def may_cut(content: str) -> bool:
    """A cheap test: whether ``line_cuts`` can find anything in a stripped line."""
    return content[:1] in _STAMP_INITIALS or "://" in content


_STAMP_INITIALS = frozenset("uUeE")


def line_cuts(raw: str, start: int, end: int) -> Iterator[Cut]:
    """Update-stamp prefixes and tracking parameters inside the line ``raw[start:end]``."""
    line = raw[start:end]
    content = line.strip()
    content_start = start + len(line) - len(line.lstrip())
    stamp = UPDATE_STAMP.match(content)
    if stamp and stamp.end() < len(content) and content[stamp.end()].isalpha():
        yield Cut(content_start, content_start + stamp.end(), "timestamp")
    for url in _URL_IN_TEXT.finditer(raw, start, end):
        yield from _tracking_cuts(url.start(), url.group())


def _tracking_cuts(offset: int, url: str) -> Iterator[Cut]:
    """Cut tracking parameters from a query, leaving one ``&`` between the kept ones."""
    question = url.find("?")
    if question < 0:
        return
    query_start = offset + question + 1
    query = url[question + 1 :].split("#", 1)[0]
    kept, position = [], query_start
    for param in query.split("&"):
        key = param.split("=", 1)[0].lower()
        if key not in TRACKING_PARAMS and not key.startswith(TRACKING_PREFIXES):
            kept.append((position, position + len(param)))
        position += len(param) + 1
    query_end = query_start + len(query)
    if not kept:
        yield Cut(query_start - 1, query_end, TRACKING)
        return
    gaps = [(query_start, kept[0][0])]
    gaps += [(a_end + 1, b_start) for (_, a_end), (b_start, _) in zip(kept, kept[1:], strict=False)]
    gaps.append((kept[-1][1], query_end))
    yield from (Cut(start, end, TRACKING) for start, end in gaps if end > start)
