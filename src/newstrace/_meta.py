"""Article metadata that ingest infers: language, outlet, publication time.

``Enricher`` is built once per ingest run from ``Settings`` and holds what is
costly to build: the language detector (lingua, restricted to
``Settings.languages``, low-accuracy mode, built on first use) and the outlet
alias table. Dates are read as ISO 8601 first; other forms go to dateparser,
restricted to the same languages.
``published_from_text`` and ``outlet_from_text`` read the same metadata
from cues at the top (and, for outlets, the bottom) of a text, returning the
value with the span it came from.
No module-level caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ._outlets import OutletTable, strip_tracking
from .config import Settings
from .errors import ConfigError
from .model import MetadataEvidence

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGE_SAMPLE_CHARS = 1_000
MIN_LANGUAGE_CHARS = 20
ENGLISH_SHARE = 0.12
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(  # words rare in the other default languages ("in", "was", "on" are not)
    "the of and to that for with said by from they have had were are this which not but "
    "would will their its his who been after about".split()
)


def _english_share(words: list[str]) -> float:
    """Share of the first 200 (lower-cased) words that are English function words."""
    head = words[:200]
    return sum(map(_ENGLISH.__contains__, head)) / len(head) if head else 0.0


_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


class Enricher:
    """Fill in an article's language, canonical outlet, clean URL and ISO time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.outlets = OutletTable.with_file(settings.outlet_aliases or None)
        self._detector: LanguageDetector | None = None
        self.codes = {c.strip().lower() for c in settings.languages.split(",") if c.strip()}

    @property
    def detector(self) -> LanguageDetector:
        """The lingua detector for ``Settings.languages``, built on first use."""
        if self._detector is None:
            self._detector = _build_detector(self.settings.languages)
        return self._detector

    def language(self, text: str) -> str | None:
        """ISO 639-1 code of the language of ``text`` (``None`` if unsure or too short).

        Text dense in English function words is English without asking lingua
        (the common case, ~50x faster); anything else goes to the detector.
        """
        sample = text[:LANGUAGE_SAMPLE_CHARS].lower()
        if "en" in self.codes:
            tokens = sample.split()  # whitespace tokens: much faster than a word regex
            if (
                "the" in tokens
                and sum(map(len, tokens)) >= 2 * MIN_LANGUAGE_CHARS
                and _english_share(tokens) >= ENGLISH_SHARE
            ):
                return "en"
        words = _WORD.findall(sample)
        if sum(map(len, words)) < MIN_LANGUAGE_CHARS:
            return None
        if "en" in self.codes and _english_share(words) >= ENGLISH_SHARE and "the" in words:
            return "en"
        found = self.detector.detect_language_of(sample)
        return found.iso_code_639_1.name.lower() if found is not None else None

    def outlet(self, given: str | None, url: str | None) -> str | None:
        """The canonical outlet: the given name, else the URL's domain."""
        return self.outlets.canonical(given) or self.outlets.from_url(url)

    @staticmethod
    def url(value: str | None) -> str | None:
        """The URL without tracking parameters (``None`` if blank)."""
        return strip_tracking(value) if value and value.strip() else None

    def published(self, value: str | None) -> str | None:
        """``value`` as ISO 8601 when it can be read as a date; else as given."""
        if not value or not value.strip():
            return None
        if _ISO_DATE.fullmatch(value.strip()):
            return value.strip().replace(" ", "T", 1)
        parsed = parse_date(value, languages=self.settings.languages.split(","))
        return parsed.isoformat() if parsed else value.strip()


def parse_date(
    value: str, *, relative_to: datetime | None = None, languages: list[str] | None = None
) -> datetime | None:
    """Parse an ISO, RFC 822 or written date ("March 14, 2022"); ``None`` if unreadable."""
    value = value.strip()[:100]
    if _ISO_DATE.fullmatch(value):
        try:
            return datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            pass
    return _dateparser(value, relative_to, languages or ["en"])


def _dateparser(value: str, relative_to: datetime | None, languages: list[str]) -> datetime | None:
    import dateparser  # slow to import: only when a date is not ISO

    options: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if relative_to is not None:
        options["RELATIVE_BASE"] = relative_to.replace(tzinfo=None)
    try:
        parsed = dateparser.parse(value, languages=languages, settings=options)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or parsed.year < 1900:
        return None
    return parsed


def _build_detector(codes: str) -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in filter(None, (c.strip() for c in codes.split(","))):
        try:
            languages.append(Language.from_iso_code_639_1(IsoCode639_1.from_str(code)))
        except (ValueError, AttributeError) as exc:
            raise ConfigError(f"unknown language code {code!r} in settings.languages") from exc
    if len(languages) < 2:
        raise ConfigError("settings.languages needs at least two language codes")
    # Low-accuracy mode uses trigram models only: it loads in ~0.1 s instead of ~2 s and
    # is reliable on article-length samples (it is weak on single short phrases).
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


# --- metadata from the text itself --------------------------------------------------

EDGE_LINES = 8  # non-blank lines read at the top (and, for outlets, the bottom) of a text
EDGE_CHARS = 3_000
_MONTHS = {
    name: number
    for number, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"), 1)
    for name in names.split()
}  # fmt: skip
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        ("mon monday", "tue tues tuesday", "wed wednesday", "thu thur thurs thursday",
         "fri friday", "sat saturday", "sun sunday"))
    for name in names.split()
}  # fmt: skip
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_WEEKDAY = (
    r"(?P<weekday>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"  # noqa: E501
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_RELATIVE = r"(?P<relative>today|yesterday|(?P<ago>\d{1,2})\s+days?\s+ago)"
_DATE_FORMS = tuple(
    re.compile(form, re.IGNORECASE)
    for form in (
        r"(?P<iso>(?:19|20)\d\d-\d\d-\d\d)",
        rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
        rf"(?:{_WEEKDAY},?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
        _WEEKDAY,
        _RELATIVE,
    )
)
_DATE = "(?i:{})".format(
    "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', f.pattern)})" for f in _DATE_FORMS)
)
_CLOCK = r"(?:\s*(?:,|at|-|–|—)?\s*\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?"
_STAMP_LINE = re.compile(
    r"(?:(?:first\s+|last\s+)?(?:published|posted|updated|dated?)\s*(?:on|at)?\s*:?\s*)?"
    rf"(?P<date>{_DATE}){_CLOCK}\.?",
    re.IGNORECASE,
)
_PLACE = r"[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+)*"
_REGION = rf"(?:,\s*(?!(?:{_DATE})\b)[A-Z][\w.]+(?:\s+[A-Z][\w.]+)*)?"  # "PORTLAND, Maine"
_DATELINE = re.compile(
    rf"(?P<place>{_PLACE}{_REGION})(?:,\s*(?P<date>{_DATE}))?\s*(?:\((?P<agency>[^()\d]{{1,40}})\))?"
    r"\s*[—–-]{1,2}\s+\S"
)


def _edge_lines(text: str, start: int = 0, *, bottom: bool = False) -> list[tuple[int, str]]:
    """``(offset, stripped line)`` of the first (or last) non-blank lines of ``text[start:]``."""
    if bottom:
        base = max(start, len(text) - EDGE_CHARS)
        chunk = text[base:]
    else:
        base, chunk = start, text[start : start + EDGE_CHARS]
    found = []
    position = base
    for line in chunk.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            found.append((position + len(line) - len(line.lstrip()), stripped))
        position += len(line)
    return found[-EDGE_LINES:] if bottom else found[:EDGE_LINES]


@dataclass(frozen=True, slots=True)
class Found:
    """A metadata value read from the text: the value and the raw span it came from."""

    value: str
    start: int
    end: int
    rule: str

    def evidence(self, field: str, text: str) -> MetadataEvidence:
        """The ``MetadataEvidence`` record of this value in ``text``."""
        return MetadataEvidence(
            field=field, start=self.start, end=self.end, text=text[self.start : self.end],
            rule=self.rule,
        )  # fmt: skip


def published_from_text(
    text: str, *, reference: datetime | None = None, start: int = 0
) -> Found | None:
    """The publication date a dateline or date line at the top of ``text`` states.

    A full date ("14 March 2022", "2022-03-14") stands alone; a partial one
    ("March 14", "Monday", "yesterday", "3 days ago") is resolved against
    ``reference`` (the feed, crawl or file date), as the latest such day on
    or before it, and is skipped when there is no reference. ``start`` skips
    front matter. Cues deeper in the story ("said on Monday") date events,
    not the article, and are not read.
    """
    for offset, line in _edge_lines(text, start):
        if dateline := _DATELINE.match(line):
            if dateline.group("date"):
                at = offset + dateline.start("date")
                found = _resolve(dateline.group("date"), reference)
                if found:
                    return _found(
                        found, at, at + len(dateline.group("date")), "dateline", reference
                    )
            continue
        if len(line) <= 80 and (stamp := _STAMP_LINE.fullmatch(line)):
            found = _resolve(stamp.group("date"), reference)
            if found:
                return _found(found, offset, offset + len(line), "date line", reference)
    return None


def _found(
    value: tuple[date, bool], start: int, end: int, rule: str, reference: datetime | None
) -> Found:
    day, relative = value
    if relative and reference is not None:
        rule = f"{rule}, relative to {reference.date().isoformat()}"
    return Found(day.isoformat(), start, end, rule)


def _resolve(expression: str, reference: datetime | None) -> tuple[date, bool] | None:
    """The day a date expression names, and whether the reference date was needed."""
    match = next((m for form in _DATE_FORMS if (m := form.fullmatch(expression))), None)
    if match is None:
        return None
    parts = {k: v.lower() for k, v in match.groupdict().items() if v}
    try:
        if "iso" in parts:
            return date.fromisoformat(parts["iso"]), False
        if "month" in parts and "year" in parts:
            return date(int(parts["year"]), _MONTHS[parts["month"]], int(parts["day"])), False
    except ValueError:
        return None
    if reference is None:
        return None
    today = reference.date()
    if "month" in parts:
        try:
            day = date(today.year, _MONTHS[parts["month"]], int(parts["day"]))
            if day > today + timedelta(days=1):
                day = date(today.year - 1, day.month, day.day)
        except ValueError:
            return None
        return day, True
    if "relative" in parts:
        back = 0 if parts["relative"] == "today" else int(parts.get("ago") or 1)
        return today - timedelta(days=back), True
    weekday = _WEEKDAYS[parts["weekday"]]
    return today - timedelta(days=(today.weekday() - weekday) % 7), True


_OUTLET = (
    r"(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w&'’.-]*(?:\s+(?:of|de|du|di|der|&|and\s+)?\s*[A-Z][\w&'’.-]*){0,5}"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|news|co\.uk|org\.uk|eu|de|fr|it|es|ca|au|in))"
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_JOB_WORDS = frozenset(
    "correspondent reporter writer editor staff contributor columnist bureau chief "
    "journalist photographer producer analyst intern desk".split()
)
_OUTLET_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("copyright line", re.compile(
        r"(?:©|\([cC]\)|[Cc]opyright)(?:\s*(?:©|\([cC]\)))?\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*"
        rf"(?:19|20)\d\d)?)?\s*,?\s*{_OUTLET}\s*(?:[.,;|]|\s+[Aa]ll\s+[Rr]ights|$)")),
    ("byline", re.compile(
        rf"[Bb]y\s+{_NAME}(?:\s*(?:,|and|&)\s+{_NAME})*\s*(?:,|\||–|—|-|\bfor\b)\s*{_OUTLET}\s*$")),
    ("staff report", re.compile(
        rf"(?:[Bb]y\s+)?{_OUTLET}\s+(?:[Ss]taff|[Nn]ewsroom)(?:\s+(?:[Rr]eports?|[Ww]riters?"
        r"|and\s+wire\s+reports?))?\.?$")),
    ("dateline", _DATELINE),
    ("first published by", re.compile(
        r"(?:first|originally)\s+(?:appeared|published|ran|posted)\s+(?:in|on|at|by)\s+"
        rf"{_OUTLET}", re.IGNORECASE)),
)  # fmt: skip


def outlet_from_text(text: str, table: OutletTable, *, start: int = 0) -> Found | None:
    """The outlet a textual cue at the top or bottom of ``text`` names, canonicalised.

    Cues, strongest first: a copyright line ("© 2024 The Harbour Gazette"),
    a byline naming the outlet ("By Jane Doe, Financial Times"), a staff
    credit ("Harbour Gazette staff report"), the agency of a dateline
    ("VESSMARK (Reuters) —"), a syndication note ("This article first
    appeared in X", "Originally published by X").
    """
    lines = _edge_lines(text, start)
    lines += [line for line in _edge_lines(text, start, bottom=True) if line not in lines]
    for rule, pattern in _OUTLET_CUES:
        for offset, line in lines:
            match = pattern.match(line) if rule != "first published by" else pattern.search(line)
            group = "agency" if rule == "dateline" else "outlet"
            name = (match.group(group) or "").rstrip(" .,") if match else None
            if not name or (rule in _NAMING_RULES and not _outlet_like(name, table)):
                continue
            if outlet := _outlet_name(name, table):
                start = offset + match.start(group)  # type: ignore[union-attr]
                return Found(outlet, start, start + len(name), rule)
    return None


_NAMING_RULES = frozenset({"copyright line", "byline", "staff report"})
_OUTLET_WORDS = frozenset(
    "times news post gazette herald journal press tribune telegraph guardian chronicle daily "
    "weekly wire agency media radio tv television network review courier observer standard "
    "express mail mirror star sun record report magazine insider today monitor register "
    "bulletin dispatch inquirer examiner reporter independent echo argus sentinel globe "
    "nation world online digital broadcasting service newswire".split()
)


def _outlet_like(name: str, table: OutletTable) -> bool:
    """A name after "By Jane Doe," or "©" may be a place or a person: accept it as an
    outlet only if the alias table knows it, it is a domain, or it has a news word."""
    words = name.lower().replace("’", "'").split()
    return (
        table.knows(name)
        or ("." in name and " " not in name)
        or not _OUTLET_WORDS.isdisjoint(w.strip(".,").removesuffix("'s") for w in words)
    )


_NOT_OUTLETS = frozenset("images image photo photos pictures picture".split())


def _outlet_name(name: str, table: OutletTable) -> str | None:
    """The canonical outlet of a cue's name; ``None`` for a job title or a photo agency."""
    words = name.lower().split()
    if len(name) < 2 or not _JOB_WORDS.isdisjoint(words) or not _NOT_OUTLETS.isdisjoint(words):
        return None
    if " " not in name and "." in name and name.islower():
        return table.from_url(f"https://{name}")
    return table.canonical(name)
