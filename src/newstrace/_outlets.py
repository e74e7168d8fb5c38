"""Outlet names: from metadata or a URL's domain, through an alias table.

``OutletTable`` maps names, abbreviations and domains to one canonical outlet
name ("FT", "ft.com" and "Financial Times" are all "Financial Times"). The
built-in table covers common international outlets; users extend it with a
TOML file (``Settings.outlet_aliases``)::

    [outlets]
    "Financial Times" = ["FT", "ft.com"]
    "Northsea Press Agency" = ["NPA", "northsea-press.example"]

An outlet that is in no table keeps the name it was given; a URL with an
unknown domain gives the domain itself ("example.org"), without ``www.``.
Tracking parameters (``utm_*``, ``fbclid`` …) are stripped from URLs.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import ConfigError

BUILTIN_OUTLETS: Mapping[str, tuple[str, ...]] = {
    "Financial Times": ("FT", "ft.com"),
    "CNN": ("cnn.com", "edition.cnn.com", "Cable News Network"),
    "BBC News": ("BBC", "bbc.co.uk", "bbc.com"),
    "Reuters": ("reuters.com", "Thomson Reuters"),
    "Associated Press": ("AP", "apnews.com", "The Associated Press"),
    "Agence France-Presse": ("AFP", "afp.com"),
    "Bloomberg": ("bloomberg.com", "Bloomberg News"),
    "The New York Times": ("NYT", "New York Times", "nytimes.com"),
    "The Washington Post": ("Washington Post", "washingtonpost.com", "WaPo"),
    "The Wall Street Journal": ("WSJ", "Wall Street Journal", "wsj.com"),
    "The Guardian": ("Guardian", "theguardian.com"),
    "South China Morning Post": ("SCMP", "scmp.com"),
    "Al Jazeera": ("aljazeera.com",),
    "Politico": ("politico.com", "politico.eu"),
    "Axios": ("axios.com",),
    "NPR": ("npr.org",),
    "Fox News": ("foxnews.com",),
    "NBC News": ("nbcnews.com",),
    "CBS News": ("cbsnews.com",),
    "ABC News": ("abcnews.go.com",),
    "Deutsche Welle": ("DW", "dw.com"),
    "Le Monde": ("lemonde.fr",),
    "Der Spiegel": ("Spiegel", "spiegel.de"),
    "Xinhua": ("xinhuanet.com", "news.cn"),
    "Global Times": ("globaltimes.cn",),
    "ZeroHedge": ("zerohedge.com", "Zero Hedge"),
}

TRACKING_PARAMS = frozenset(
    "fbclid gclid dclid msclkid mc_cid mc_eid igshid yclid _ga _gl ref_src cmpid ocid "
    "tpcc cmcampaignid".split()
)
TRACKING_PREFIXES = ("utm_",)


class OutletTable:
    """Canonical outlet names by alias (case-insensitive) and by domain."""

    def __init__(self, outlets: Mapping[str, Iterable[str]] = BUILTIN_OUTLETS) -> None:
        self._names: dict[str, str] = {}
        self.add(outlets)

    def add(self, outlets: Mapping[str, Iterable[str]]) -> None:
        """Add (or override) canonical names and their aliases."""
        for name, aliases in outlets.items():
            for alias in (name, *aliases):
                self._names[_key(alias)] = name

    @classmethod
    def with_file(cls, path: str | Path | None) -> OutletTable:
        """The built-in table extended by the ``[outlets]`` table of a TOML file."""
        table = cls()
        if path:
            table.add(_read_aliases(Path(path)))
        return table

    def canonical(self, name: str | None) -> str | None:
        """The canonical name of ``name`` (itself, trimmed, when unknown)."""
        if not name or not name.strip():
            return None
        name = " ".join(name.split())
        return self._names.get(_key(name), name)

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a canonical outlet or an alias in the table."""
        return _key(name) in self._names

    def from_url(self, url: str | None) -> str | None:
        """The outlet a URL belongs to: a known domain's name, else the domain."""
        host = domain(url)
        if not host:
            return None
        parts = host.split(".")
        for start in range(len(parts) - 1):
            if found := self._names.get(".".join(parts[start:])):
                return found
        return host


def domain(url: str | None) -> str | None:
    """The host of ``url`` in lower case, without ``www.`` (``None`` if there is none)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def strip_tracking(url: str) -> str:
    """``url`` without tracking query parameters (``utm_*``, ``fbclid`` …)."""
    if "?" not in url:
        return url.strip()
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if not parts.query:
        return url.strip()
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _key(alias: str) -> str:
    return " ".join(alias.casefold().split()).removeprefix("www.")


def _read_aliases(path: Path) -> dict[str, list[str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read outlet aliases: {exc}") from exc
    table = data.get("outlets", data)
    if not isinstance(table, dict) or not all(
        isinstance(v, list) and all(isinstance(a, str) for a in v) for v in table.values()
    ):
        raise ConfigError(f"{path}: [outlets] must map names to lists of aliases")
    return table
