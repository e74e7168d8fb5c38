"""Article metadata that ingest infers: language, outlet, publication time.

``Enricher`` is built once per ingest run from ``Settings`` and holds what is
costly to build: the language detector (lingua, restricted to
``Settings.languages``, low-accuracy mode, built on first use) and the outlet
alias table. Dates are read as ISO 8601 first; other forms go to dateparser,
restricted to the same languages.
No module-level caches.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._outlets import OutletTable, strip_tracking
from .config import Settings
from .errors import ConfigError

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
