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

A line that carries a quotation ("…" of ten characters or more) is never
removed: losing a quote is worse than keeping junk. Two removals are smaller
than a line: an update stamp that starts a sentence ("Update(1920ET)Going
into …") is cut and the sentence kept, and tracking parameters (``utm_*``,
``fbclid`` …) are cut from URLs inside kept lines.

The cleaned text is also normalised for analysis (``_text.normalise``:
no-break and other odd spaces, zero-width characters, soft hyphens,
compatibility forms) unless ``Settings.normalise_unicode`` is off; each
change is listed in ``Article.normalised`` with its raw range, so kept runs,
normalised changes and removed spans together account for every raw
character but whitespace. Rules see the normalised form of each line.

Metadata found on the way: update stamps go to ``Article.updates``; a byline
line ("By Kim Lee") is removed and fills ``Article.author`` when empty; a
dateline ("VESSMARK (NPA) —", "WASHINGTON, March 14 (Reuters) -") fills
``Article.dateline`` and stays in the text, since the sentence it starts
carries the news.

Per-corpus boilerplate: ``learn_templates`` finds lines that recur across
many articles of one outlet (``Settings.template_min_articles`` and
``template_min_share``); ``clean_article(..., templates=...)`` removes them
as "outlet template". ``clean_corpus`` does both. With
``Settings.keep_boilerplate`` nothing is removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any, NamedTuple

from ._cuts import UPDATE_STAMP, Cut, line_cuts, may_cut
from ._templates import Templates, carries_quote, learn_templates, template_key
from ._text import ODD_CHARACTERS, normalise, normalise_runs
from .config import Settings
from .model import Article, RemovedSpan

MAX_BOILERPLATE_CHARS = 150  # the same bound as ``_templates.MAX_TEMPLATE_CHARS``
FRONT_MATTER = "front matter"
TEMPLATE = "outlet template"

Matcher = re.Pattern[str] | Callable[[str], bool]

__all__ = [
    "RULES",
    "Rule",
    "Templates",
    "classify_lines",
    "clean_article",
    "clean_corpus",
    "learn_templates",
    "template_lines_in",
]


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
    pattern = re.compile(_alternation(alternatives), re.IGNORECASE)
    _ALTERNATIVES[pattern.pattern] = alternatives
    return pattern


_ALTERNATIVES: dict[str, tuple[str, ...]] = {}  # built at import: the parts of each rule


def _alternation(alternatives: Iterable[str]) -> str:
    """One pattern for all ``alternatives``, the ``^``-anchored ones behind a single ``^``.

    ``re`` tries every alternative at every position of a search; hoisting the
    anchor makes the anchored ones cost one test per position instead of one each.
    """
    alternatives = tuple(alternatives)
    anchored = [a[1:] for a in alternatives if a.startswith("^")]
    floating = [a for a in alternatives if not a.startswith("^")]
    parts = [f"^(?:{'|'.join(f'(?:{a})' for a in anchored)})"] if anchored else []
    return "|".join(parts + [f"(?:{a})" for a in floating])


_URL_TOKEN = re.compile(r"<?(?:https?://|www\.)\S+?>?", re.IGNORECASE)


def _is_url_line(line: str) -> bool:
    """A line made only of URLs (checked token by token: no regex backtracking)."""
    if not _URL_TOKEN.match(line):
        return False
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


_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:(?:van|von|de|da|del|der|la|le|al|bin)\s+)?[A-Z][\w'’.-]*){0,3}"
_BYLINE = re.compile(
    rf"(?i:by)\s+({_NAME}(?:\s*(?:,|(?i:and)|&)\s+{_NAME})*)"
    r"(?:\s*(?:,|\||–|—|-|(?i:in))\s*[A-Z][\w .&'’-]{0,40})?"
)
_NOT_NAMES = _DATE_NAMES | frozenset("the then now far contrast comparison law default".split())


def _is_byline(line: str) -> bool:
    """A short line naming the author: "By Kim Lee", "By Kim Lee and Ola Berg, Reuters"."""
    if len(line) > 80 or line.endswith((".", "!", "?", ":")):
        return False
    match = _BYLINE.fullmatch(line)
    return bool(match) and line.split()[1].lower().strip(",") not in _NOT_NAMES


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
            r"^click to (?:share|email|print) (?:on|this|via)\b.{0,40}$",
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
            r"^(?:sign|log) in to (?:comment|reply|post)\b.{0,30}$",
            r"^comments?\s*\(\d+\)$",
        ),
    ),
    Rule(
        "see-also insert",
        _rx(
            r"^(?:see also|also see|read also|also read|read more|read next)\b",
            r"^(?:related|recommended|more on this)(?: \w+)?\s*[:|»>–—-]",
            r"^(?:related(?: articles| stories| content| coverage)?|you (?:may|might) also like"
            r"|recommended(?: for you)?|more (?:from|on) [\w .]{1,30}|more stories)\s*:?$",
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
    Rule("timestamp", lambda line: UPDATE_STAMP.fullmatch(line) is not None),
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
            r"^follow [\w .&'’-]{1,40} on (?:twitter|x|facebook|instagram|mastodon|threads|bluesky"
            r"|linkedin|telegram|whatsapp|youtube|tiktok)\b.{0,60}$",
            r"^advertisement\s*[-–—:|]\s*.{0,40}$",
            r"^(?:most (?:read|popular|viewed|shared)|trending(?: now| stories)?|top stories"
            r"|editor['’]?s picks|latest news|don['’]t miss)\s*:?$",
            r"^our standards\s*:",
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
    Rule("separator", _rx(r"^[*•·~=_#+](?:\s*[*•·~=_#+]){2,}$")),
    Rule(
        "tags",
        _rx(
            r"^(?:tags?|topics?|filed under|categor(?:y|ies)|keywords)\s*:",
            r"^posted in\b[^.!?]{0,80}(?:\|\s*tagged\b.*)?$",
        ),
    ),
    Rule(
        "byline",
        _rx(
            r"^(?:posted|written|published) by\s+[^.!?]{1,40}(?:\s+(?:on|at)\s+[^.!?]{1,40})?$",
            r"^(?:additional )?(?:reporting|writing|compiled) by\s+[^.!?]{1,80}"
            r"(?:;\s*editing by\s+[^.!?]{1,60})?\.?$",
        ),
    ),
    Rule("byline", lambda line: _is_byline(line)),
    Rule("share bar", _rx(rf"^{_SOCIAL}\s*:?$"), alone=False),
    Rule("comment form", _rx(r"^(?:comments?|name|e-?mail|website|url)\s*\*?\s*:?$"), alone=False),
)


class _Line(NamedTuple):
    start: int
    end: int
    content: str


@dataclass(frozen=True, slots=True)
class _Mark:
    reasons: tuple[str, ...]
    strong: bool


def clean_corpus(articles: Iterable[Article], *, settings: Settings | None = None) -> list[Article]:
    """Clean every article, removing also the lines that are template for its outlet."""
    settings = settings or Settings()
    articles = list(articles)
    templates = learn_templates(articles, settings=settings)
    return [clean_article(a, settings=settings, templates=templates) for a in articles]


def template_lines_in(article: Article, templates: Templates) -> frozenset[str]:
    """The template lines of the article's outlet that occur in it: all that its
    cleaning takes from ``templates`` (a line as written or as normalised)."""
    template = templates.lines_for(article)
    if not template:
        return frozenset()
    lines = article.raw_text.split("\n")
    present = {template_key(line) for line in lines}
    if not article.raw_text.isascii():
        present |= {template_key(normalise(line)[0]) for line in lines}
    return template & present


def clean_article(
    article: Article, *, settings: Settings | None = None, templates: Templates | None = None
) -> Article:
    """Remove boilerplate from ``article.raw_text``.

    Return a new ``Article`` with ``text`` (cleaned), ``removed`` (each
    ``RemovedSpan`` with its reason, offsets into ``raw_text``) and ``kept``
    (``(clean_start, raw_start, length)`` runs) set, plus the metadata found
    (``updates``, ``dateline``, ``author`` from a byline when it had none).
    The incoming ``text`` is ignored. ``templates`` (from ``learn_templates``)
    adds the outlet's template lines to what is removed.
    """
    settings = settings or Settings()
    raw = article.raw_text
    odd = (
        settings.normalise_unicode and not raw.isascii() and ODD_CHARACTERS.search(raw) is not None
    )
    if settings.keep_boilerplate:
        return _keep_boilerplate(article, odd=odd)
    lines = list(_split_lines(raw))
    template = templates.lines_for(article) if templates else frozenset()
    contents = [line.content for line in lines]
    if article.page_chrome:
        chrome = _chrome_reasons(lines, article.page_chrome)
        contents = [text if not page else "" for text, page in zip(contents, chrome, strict=True)]
    if odd:
        contents = [normalise(text)[0].strip() if text else text for text in contents]
    reasons = classify_lines(contents, template=template)
    if article.page_chrome:
        reasons = [page or reason for page, reason in zip(chrome, reasons, strict=True)]
    keep = _keep_mask(lines, reasons)
    cuts = [
        cut
        for line, kept in zip(lines, keep, strict=True)
        if kept and may_cut(line.content)
        for cut in line_cuts(raw, line.start, line.end)
    ]
    text, kept_runs, normalised = _assemble(raw, _pieces(lines, keep, cuts), odd=odd)
    removed = sorted(
        [
            *_removed_spans(raw, lines, reasons),
            *(RemovedSpan(**c.fields(raw)) for c in cuts),
        ],
        key=lambda span: span.start,
    )
    return replace(
        article,
        text=text,
        kept=kept_runs,
        normalised=normalised,
        removed=tuple(removed),
        **_metadata(article, lines, reasons, removed),
    )


def _keep_boilerplate(article: Article, *, odd: bool) -> Article:
    """The article with nothing cleaned: only HTML page chrome is left out."""
    raw = article.raw_text
    if not odd and not article.page_chrome:
        return replace(article, text=raw, kept=((0, 0, len(raw)),), removed=(), normalised=())
    lines = _split_lines(raw) if raw else []
    reasons = _chrome_reasons(lines, article.page_chrome)
    pieces = [(line.start, line.end) for line, page in zip(lines, reasons, strict=True) if not page]
    text, kept_runs, normalised = _assemble(raw, pieces, odd=odd, strip=False)
    removed = tuple(_removed_spans(raw, lines, reasons))
    return replace(article, text=text, kept=kept_runs, removed=removed, normalised=normalised)


def _chrome_reasons(lines: Sequence[_Line], chrome: Sequence[RemovedSpan]) -> list[str | None]:
    """For each line, the page-chrome reason of the span holding it (``None``: none does)."""
    if not chrome:
        return [None] * len(lines)
    spans = sorted(chrome, key=lambda span: span.start)
    reasons: list[str | None] = []
    index = 0
    for line in lines:
        while index < len(spans) and spans[index].end <= line.start:
            index += 1
        inside = index < len(spans) and spans[index].start <= line.start < spans[index].end
        reasons.append(spans[index].reason if inside and line.content else None)
    return reasons


def classify_lines(
    lines: Sequence[str], *, template: frozenset[str] = frozenset()
) -> list[str | None]:
    """The removal reason of each line (``None``: keep it); lines are given stripped."""
    reasons: list[str | None] = [None] * len(lines)
    body_start = _front_matter_end(lines)
    reasons[:body_start] = [FRONT_MATTER] * body_start
    candidates = [
        (i, _mark(text) if len(text) <= MAX_BOILERPLATE_CHARS or text[:1] in "<hHwW" else None)
        for i, text in enumerate(lines)
        if i >= body_start and text
    ]
    for block in _blocks(candidates):
        for (index, _), reason in zip(block, _decide([m for _, m in block]), strict=True):
            reasons[index] = reason
    _extend_link_lists(lines, reasons)
    if template:
        for index in range(body_start, len(lines)):
            line = lines[index]
            if (
                line
                and reasons[index] is None
                and len(line) <= MAX_BOILERPLATE_CHARS
                and template_key(line) in template
            ):
                reasons[index] = TEMPLATE
    return reasons


_LINK_LIST_HEADER = _rx(
    r"^(?:related(?: articles| stories| content| coverage)?|you (?:may|might) also like"
    r"|recommended(?: for you)?|more (?:from|on) [\w .]{1,30}|more stories|read (?:more|next)"
    r"|see also|most (?:read|popular|viewed))\s*:?$"
)


def _extend_link_lists(lines: Sequence[str], reasons: list[str | None]) -> None:
    """Headline-like lines right under a link-list header ("You may also like") are
    links too: short, no closing punctuation, no quote, up to the next blank line."""
    for index, reason in enumerate(reasons):
        if not reason or not _LINK_LIST_HEADER.match(lines[index]):
            continue
        for below in range(index + 1, len(lines)):
            text = lines[below]
            if reasons[below] or not _looks_like_link_title(text):
                break
            reasons[below] = reason


def _looks_like_link_title(text: str) -> bool:
    return (
        0 < len(text) <= 100
        and not text.endswith((".", "!", "?", '"', "”", ":"))
        and not (carries_quote(text))
    )


_DATELINE = re.compile(
    r"((?:[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+)*)(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+)*)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^()]{1,40}\))?)\s*[—–-]{1,2}\s+\S"
)
_STAMP_TRIM = " \t:.–—-"


def _metadata(
    article: Article,
    lines: Sequence[_Line],
    reasons: Sequence[str | None],
    removed: list[RemovedSpan],
) -> dict[str, object]:
    """Update stamps, dateline and byline author found while cleaning."""
    updates = tuple(
        span.text.strip().strip(_STAMP_TRIM)
        for span in removed
        if span.reason == "timestamp" and any(ch.isdigit() for ch in span.text)
    )
    kept = [line.content for line, reason in zip(lines, reasons, strict=True) if not reason]
    dateline = next((m.group(1) for t in kept[:6] if (m := _DATELINE.match(t[:200]))), None)
    author = article.author
    if not author:
        bylines = (line.content for line, r in zip(lines, reasons, strict=True) if r == "byline")
        if (match := _BYLINE.fullmatch(next(bylines, ""))) is not None:
            author = match.group(1)
    return {"updates": updates, "dateline": dateline or article.dateline, "author": author}


def _split_lines(raw: str) -> list[_Line]:
    """Lines with their newline (the last one may have none); empty text, no lines."""
    pieces = raw.split("\n")
    ends = list(accumulate(len(piece) + 1 for piece in pieces))
    ends[-1] -= 1  # no newline after the last piece
    starts = [0, *ends[:-1]]
    lines = list(map(_Line._make, zip(starts, ends, map(str.strip, pieces), strict=True)))
    if lines[-1].start == len(raw):
        lines.pop()
    return lines


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


Test = tuple[str, bool, Callable[[str], object]]


def _tests(rules: Iterable[Rule]) -> tuple[Test, ...]:
    """``(reason, alone, test)`` of each rule; ``test(line)`` is truthy on a match."""
    return tuple(
        (r.reason, r.alone, r.matcher.search if isinstance(r.matcher, re.Pattern) else r.matcher)
        for r in rules
    )


_ALL_TESTS = _tests(RULES)
_LONG_TESTS = _tests(rule for rule in RULES if rule.any_length)
_CALLABLE_TESTS = _tests(rule for rule in RULES if not isinstance(rule.matcher, re.Pattern))
_PATTERN_PARTS = [
    alternative
    for rule in RULES
    if isinstance(rule.matcher, re.Pattern)
    for alternative in _ALTERNATIVES[rule.matcher.pattern]
]
_ANY_ANCHORED = re.compile(
    "|".join(f"(?:{a[1:]})" for a in _PATTERN_PARTS if a.startswith("^")), re.IGNORECASE
)
FLOATING_PARTS = tuple(a for a in _PATTERN_PARTS if not a.startswith("^"))
_ANY_FLOATING = re.compile("|".join(f"(?:{a})" for a in FLOATING_PARTS), re.IGNORECASE)
# Every unanchored alternative needs one of these words (a test checks): a substring
# test on them is much cheaper than searching the alternatives at every position.
FLOATING_HINTS = ("required", "photo", "image", "picture", "getty", "click", "cookies",
                  "rights", "feed")  # fmt: skip


def _any_pattern(line: str) -> bool:
    """Whether some rule pattern matches ``line`` (one combined test for all of them)."""
    if _ANY_ANCHORED.match(line):
        return True
    lower = line.lower()
    return any(hint in lower for hint in FLOATING_HINTS) and bool(_ANY_FLOATING.search(line))


def _candidate_tests(line: str) -> tuple[Test, ...]:
    """The rules worth trying on a line: one combined test rules out every pattern."""
    if len(line) > MAX_BOILERPLATE_CHARS:
        return _LONG_TESTS
    return _ALL_TESTS if _any_pattern(line) else _CALLABLE_TESTS


def _mark(line: str) -> _Mark | None:
    weak: list[str] = []
    for reason, alone, test in _candidate_tests(line):
        if test(line):
            if alone:
                return None if carries_quote(line) else _Mark((reason,), strong=True)
            weak.append(reason)
    if not weak or carries_quote(line):
        return None
    return _Mark(tuple(weak), strong=False)


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


def _pieces(
    lines: Sequence[_Line], keep: Sequence[bool], cuts: Sequence[Cut]
) -> Iterator[tuple[int, int]]:
    """Raw ``(start, end)`` ranges kept: kept lines minus the cuts inside them."""
    by_start = sorted(cuts, key=lambda cut: cut.start)
    index = 0
    for line, kept in zip(lines, keep, strict=True):
        if not kept:
            continue
        position = line.start
        while index < len(by_start) and by_start[index].start < line.end:
            cut = by_start[index]
            if cut.start > position:
                yield position, cut.start
            position = max(position, cut.end)
            index += 1
        if position < line.end:
            yield position, line.end


Changes = tuple[tuple[int, int, int, int], ...]


def _assemble(
    raw: str, pieces: Iterable[tuple[int, int]], *, odd: bool, strip: bool = True
) -> tuple[str, tuple[tuple[int, int, int], ...], Changes]:
    """Cleaned text (normalised when ``odd``; trailing whitespace trimmed when
    ``strip``), its ``kept`` runs and its ``normalised`` changes."""
    segments: list[list[Any]] = []  # [clean start, raw start, raw end, replacement or None]
    length = 0
    for start, end in pieces:
        runs = normalise_runs(raw, start, end) if odd else ((start, end, None),)
        for run_start, run_end, new in runs:
            last = segments[-1] if segments else None
            if new is None and last is not None and last[3] is None and last[2] == run_start:
                last[2] = run_end
            else:
                segments.append([length, run_start, run_end, new])
            length += run_end - run_start if new is None else len(new)
    text = "".join(raw[r:e] if new is None else new for _, r, e, new in segments)
    if strip:
        text = text.rstrip()
    return text, *_trim(segments, len(text))


def _trim(
    segments: list[list[Any]], length: int
) -> tuple[tuple[tuple[int, int, int], ...], Changes]:
    """Runs and changes inside the first ``length`` characters of the cleaned text.

    What lies beyond is whitespace, except dropped invisible characters, which
    stay listed (at the end) so that every raw character is accounted for.
    """
    kept: list[tuple[int, int, int]] = []
    changes: list[tuple[int, int, int, int]] = []
    for clean, start, end, new in segments:
        if new is None:
            if clean < length:
                kept.append((clean, start, min(end - start, length - clean)))
        elif clean < length or (new == "" and clean >= length):
            clean = min(clean, length)
            changes.append((clean, min(clean + len(new), length), start, end))
    return tuple(kept) or ((0, 0, 0),), tuple(changes)


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
