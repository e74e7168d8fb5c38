"""Remove boilerplate lines from an article, keeping the reason for each removal.

Web copies of news carry junk around the story: a metadata header, share
bars, comment forms, "See also" link inserts, photo credits, bare URLs,
update stamps, newsletter and cookie notices, copyright and syndication
notes. ``clean_article`` drops such lines from ``Article.raw_text`` and
records every one as a ``RemovedSpan`` with its reason, so nothing is lost
silently; ``Article.kept`` maps the cleaned text back to the raw text.

Cleaning is line based and conservative. A line is removed whole (with its
newline) when it matches a rule of ``RULES``; a line longer than
``MAX_BOILERPLATE_CHARS`` is never boilerplate, except a line of bare URLs.
A *weak* rule ("Email", "Comment", "Facebook" alone) only fires next to
other boilerplate of the same kind, so a lone word in the story survives.
Blank lines left doubled by a removal are dropped, as are leading blank lines
and trailing whitespace; they hold no text, so they are not listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from .config import Settings
from .model import Article, RemovedSpan

MAX_BOILERPLATE_CHARS = 150
FRONT_MATTER = "front matter"

Matcher = re.Pattern[str] | Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    """Lines matching ``matcher`` (stripped of surrounding whitespace) are boilerplate.

    A weak rule (``alone=False``) removes a line only when a neighbouring
    non-blank line is boilerplate of the same reason, or is weak for it too.
    """

    reason: str
    matcher: Matcher
    alone: bool = True
    any_length: bool = False

    def matches(self, line: str) -> bool:
        """Whether ``line`` (stripped) is boilerplate under this rule."""
        if len(line) > MAX_BOILERPLATE_CHARS and not self.any_length:
            return False
        if isinstance(self.matcher, re.Pattern):
            return self.matcher.search(line) is not None
        return self.matcher(line)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_URL_TOKEN = re.compile(r"<?(?:https?://|www\.)\S+?>?", re.IGNORECASE)


def _is_url_line(line: str) -> bool:
    """A line made only of URLs (checked token by token: no regex backtracking)."""
    tokens = line.split()
    return bool(tokens) and all(_URL_TOKEN.fullmatch(token) for token in tokens)


_STAMP = re.compile(
    r"(?:last\s+|first\s+)?(?:updated|modified|published|posted|edited)\b(?:\s+(?:on|at)\b)?\s*:?",
    re.IGNORECASE,
)
_DATE_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday mon tue tues wed thu thurs fri sat sun".split()
)
_DATE_WORDS = _DATE_NAMES | frozenset(
    "am pm a m p gmt utc bst cet cest et est edt pt pst pdt ist jst at on st nd rd th ago "
    "hour hours minute minutes min mins day days h".split()
)


def _is_timestamp(line: str) -> bool:
    """Whether a line is a stamp word followed only by a date ("Updated 14:02 GMT")."""
    stamp = _STAMP.match(line)
    if not stamp:
        return False
    rest = line[stamp.end() :]
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", rest)]
    has_date = any(ch.isdigit() for ch in rest) or not _DATE_NAMES.isdisjoint(words)
    return has_date and all(word in _DATE_WORDS for word in words)


_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|pinterest|whatsapp|telegram|reddit|tumblr|e-?mail|mail"
    r"|print|messenger|flipboard|tweet|share|copy link|sms|vk|bluesky|mastodon|threads)"
)
_SEP = r"[\s,|•·/:-]*"
_CREDIT_WORD = r"(?:photo|image|picture|photograph)s?"

RULES: tuple[Rule, ...] = (
    Rule(
        "share bar",
        _rx(
            rf"^(?:{_SOCIAL}{_SEP}){{2,}}$",
            r"^share(?:\s+this(?:\s+(?:article|story|post|page))?\s*:?|\s*:)"
            rf"(?:{_SEP}{_SOCIAL})*{_SEP}$",
            rf"^share\s+(?:on|via)\s+{_SOCIAL}\b",
            r"^\d[\d,.]*k?\s+shares?$",
        ),
    ),
    Rule(
        "comment form",
        _rx(
            r"^leave a (?:reply|comment)\b.{0,40}$",
            r"^your email address will not be published",
            r"\brequired fields are marked\b",
            r"^save my name,? email,? and website\b",
            r"^(?:post comment|cancel reply|comments are closed\.?)$",
            r"^you must be (?:logged|signed) in to post a comment",
            r"^notify me of (?:follow-up comments|new posts)\b",
            r"^(?:\d+|no) comments?(?: yet)?[.:]?$",
            r"^(?:join|start) the (?:discussion|conversation)\.?$",
        ),
    ),
    Rule(
        "see-also insert",
        _rx(
            r"^(?:see also|also see|read also|also read|read more|read next)\b",
            r"^(?:related|recommended|more on this)(?: \w+)?\s*[:|»>–—-]",
        ),
    ),
    Rule(
        "caption",
        _rx(
            rf"^[(\[]?(?:{_CREDIT_WORD}|pictured)(?:\s+credit)?\s*:",
            rf"^[(\[]{_CREDIT_WORD}\s+(?:by|credit|courtesy)\b.*[)\]]$",
            rf"^{_CREDIT_WORD}\s+(?:by|courtesy of)\s+[^.!?]{{1,60}}$",
            rf"[.!?\"”’)]\s*{_CREDIT_WORD}(?:\s+credit)?\s*:\s*[^\s.!?][^.!?:]{{0,60}}\.?$",
            r"(?:^|[/(|]|\bvia )\s*getty images\s*\)?$",
            r"^file (?:photo|picture|image)s?(?:\s*[:\-–—]|$)",
            r"/file photo\s*\)?$",
            r"^[(\[]?(?:ap|afp|reuters|epa|xinhua|getty)\s+(?:photo|images?)\b[^)\]]*[)\]]?$",
        ),
    ),
    Rule("url line", _is_url_line, any_length=True),
    Rule("timestamp", _is_timestamp),
    Rule("timestamp", _rx(r"^this (?:story|article|report|post) (?:has been|was) updated\b")),
    Rule(
        "promo",
        _rx(
            r"^(?:advertisement|advertising|sponsored(?: content)?|ad|story continues below"
            r"(?: advertisement)?|continue reading(?: below)?|scroll to continue(?: with content)?)"
            r"\s*\.?$",
            r"^subscribe\b",
            r"^sign up (?:for|to|now|here)\b",
            r"\bclick here\b",
            r"^follow us\b",
            r"^download (?:our|the) .{0,30}\bapp\b",
            r"\b(?:we use|(?:this|our) (?:site|website) uses|accept(?: all)?) cookies\b",
        ),
    ),
    Rule(
        "copyright",
        _rx(r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))", r"\ball rights reserved\b"),
    ),
    Rule(
        "syndication note",
        _rx(
            r"^[(\[]?this (?:article|story|piece|post|report|content|column)\b.{0,40}?"
            r"\b(?:originally|first)\s+(?:appeared|published|ran|posted)\b",
            r"\bpublished from a (?:wire agency|syndicated) feed\b",
            r"\bauto-generated from a syndicated feed\b",
            r"^[(\[]?this (?:article|story) (?:is|was) republished from\b",
            r"^(?:re)?published (?:with permission|courtesy) (?:of|from)\b",
            r"^originally published (?:on|in|at|by)\b",
        ),
    ),
    Rule("share bar", _rx(rf"^{_SOCIAL}\s*:?$"), alone=False),
    Rule("comment form", _rx(r"^(?:comments?|name|e-?mail|website|url)\s*\*?\s*:?$"), alone=False),
)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    content: str


@dataclass(frozen=True, slots=True)
class _Mark:
    reasons: tuple[str, ...]
    strong: bool


def clean_article(article: Article, *, settings: Settings | None = None) -> Article:
    """Remove boilerplate from ``article.raw_text``.

    Return a new ``Article`` with ``text`` (cleaned), ``removed`` (each
    ``RemovedSpan`` with its reason, offsets into ``raw_text``) and ``kept``
    (``(clean_start, raw_start, length)`` runs) set. The incoming ``text`` is
    ignored; ``settings`` is accepted for the pipeline and not used yet.
    """
    raw = article.raw_text
    lines = list(_split_lines(raw))
    reasons = classify_lines([line.content for line in lines])
    text, kept = _assemble(raw, lines, _keep_mask(lines, reasons))
    removed = tuple(_removed_spans(raw, lines, reasons))
    return replace(article, text=text, kept=kept, removed=removed)


def classify_lines(lines: Sequence[str]) -> list[str | None]:
    """The removal reason of each line (``None``: keep it); lines are given stripped."""
    reasons: list[str | None] = [None] * len(lines)
    body_start = _front_matter_end(lines)
    reasons[:body_start] = [FRONT_MATTER] * body_start
    candidates = [(i, _mark(text)) for i, text in enumerate(lines) if i >= body_start and text]
    for block in _blocks(candidates):
        for (index, _), reason in zip(block, _decide([m for _, m in block]), strict=True):
            reasons[index] = reason
    return reasons


def _split_lines(raw: str) -> Iterator[_Line]:
    start = 0
    while start < len(raw):
        newline = raw.find("\n", start)
        end = len(raw) if newline < 0 else newline + 1
        yield _Line(start, end, raw[start:end].strip())
        start = end


_FENCE = re.compile(r"\ufeff?---")
_META_KEY = re.compile(r"[A-Za-z_][\w -]*:")


def _front_matter_end(lines: Sequence[str]) -> int:
    """Number of leading lines forming a ``---`` metadata block (0 if there is none)."""
    if not lines or not _FENCE.fullmatch(lines[0]):
        return 0
    for index in range(1, len(lines)):
        if lines[index] == "---":
            body = [text for text in lines[1:index] if text]
            return index + 1 if _looks_like_metadata(body) else 0
    return 0


def _looks_like_metadata(body: Sequence[str]) -> bool:
    keys = sum(1 for text in body if _META_KEY.match(text))
    return keys > 0 and keys >= len(body) - keys


def _mark(line: str) -> _Mark | None:
    weak: list[str] = []
    for rule in RULES:
        if rule.matches(line):
            if rule.alone:
                return _Mark((rule.reason,), strong=True)
            weak.append(rule.reason)
    return _Mark(tuple(weak), strong=False) if weak else None


def _blocks(candidates: list[tuple[int, _Mark | None]]) -> Iterator[list[tuple[int, _Mark]]]:
    """Runs of consecutive non-blank lines that all match some rule."""
    block: list[tuple[int, _Mark]] = []
    for index, mark in candidates:
        if mark is None:
            if block:
                yield block
            block = []
        else:
            block.append((index, mark))
    if block:
        yield block


def _decide(block: list[_Mark]) -> list[str | None]:
    """Reasons for a run of matching lines: strong ones, then weak ones they reach."""
    decided: list[str | None] = [m.reasons[0] if m.strong else None for m in block]
    for order in (range(len(block)), range(len(block) - 1, -1, -1)):
        previous: str | None = None
        for k in order:
            if decided[k] is None and previous in block[k].reasons:
                decided[k] = previous
            previous = decided[k]
    _decide_weak_runs(block, decided)
    return decided


def _decide_weak_runs(block: list[_Mark], decided: list[str | None]) -> None:
    """Two or more adjacent weak lines sharing a reason are boilerplate together."""
    k = 0
    while k < len(block):
        common = set(block[k].reasons)
        j = k
        while (
            decided[k] is None
            and j + 1 < len(block)
            and decided[j + 1] is None
            and common & set(block[j + 1].reasons)
        ):
            j += 1
            common &= set(block[j].reasons)
        if j > k:
            reason = next(r for r in block[k].reasons if r in common)
            decided[k : j + 1] = [reason] * (j + 1 - k)
        k = j + 1


def _keep_mask(lines: Sequence[_Line], reasons: Sequence[str | None]) -> list[bool]:
    """Keep unremoved lines, dropping leading blank lines and doubled blank lines."""
    keep = []
    previous_blank = True
    for line, reason in zip(lines, reasons, strict=True):
        blank = not line.content
        kept = reason is None and not (blank and previous_blank)
        keep.append(kept)
        if kept:
            previous_blank = blank
    return keep


def _assemble(
    raw: str, lines: Sequence[_Line], keep: Sequence[bool]
) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """Cleaned text (trailing whitespace trimmed) and its ``kept`` runs."""
    runs: list[list[int]] = []
    length = 0
    for line, kept in zip(lines, keep, strict=True):
        if not kept:
            continue
        if runs and runs[-1][1] + runs[-1][2] == line.start:
            runs[-1][2] += line.end - line.start
        else:
            runs.append([length, line.start, line.end - line.start])
        length += line.end - line.start
    text = "".join(raw[r : r + n] for _, r, n in runs).rstrip()
    return text, _trim_runs(runs, len(text))


def _trim_runs(runs: list[list[int]], length: int) -> tuple[tuple[int, int, int], ...]:
    trimmed = [(c, r, min(n, length - c)) for c, r, n in runs if c < length]
    return tuple(trimmed) or ((0, 0, 0),)


def _removed_spans(
    raw: str, lines: Sequence[_Line], reasons: Sequence[str | None]
) -> Iterator[RemovedSpan]:
    """One span per run of adjacent lines removed for the same reason."""
    index = 0
    while index < len(lines):
        reason = reasons[index]
        last = index
        while reason and last + 1 < len(lines) and reasons[last + 1] == reason:
            last += 1
        if reason:
            start, end = lines[index].start, lines[last].end
            yield RemovedSpan(start=start, end=end, text=raw[start:end], reason=reason)
        index = last + 1
