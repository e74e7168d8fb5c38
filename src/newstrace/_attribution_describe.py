"""Describe a speaker phrase: title and affiliation of a named speaker, and the kind,
side and count of an anonymous one.

* "US National Security Adviser Jake Sullivan" -> title "US National Security Adviser";
  "Dana Okafor, head of the Dockworkers' Union" -> title "head",
  affiliation "Dockworkers' Union".
* "two senior US defense officials familiar with the talks" -> kind "government official",
  side "US defense", count 2; "a source familiar with the matter" -> "source familiar",
  count 1; "an embassy spokesman" -> "spokesperson", side "embassy".

Two anonymous descriptions with the same kind and side are not assumed to be one person:
corroboration decides how they collapse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._attribution_lexicon import TITLES

_NUMBERS = dict(
    a=1, an=1, another=1, one=1, two=2, three=3, four=4, five=5, six=6, seven=7, eight=8,
    nine=9, ten=10, both=2, dozen=12,
)  # fmt: skip
_KINDS = (
    ("spokesperson", "spokesman spokeswoman spokesperson spokespeople"),
    ("analyst", "analyst expert economist observer researcher scientist strategist professor"),
    ("lawmaker", "lawmaker senator congressman congresswoman legislator mp"),
    ("diplomat", "diplomat envoy ambassador negotiator"),
    ("witness", "witness resident bystander"),
    ("employee", "employee worker staff manager executive insider"),
    ("government official", "official officer aide adviser advisor staffer minister"),
    ("source familiar", "source person people"),
)
_KIND_OF = {word: kind for kind, words in _KINDS for word in words.split()}
_GOVERNMENT = re.compile(
    r"\b(?:administration|admin|government|white house|state department|pentagon|ministry|"
    r"department|defen[cs]e|intelligence|security|military|federal|embassy|kremlin|us|u\.s\.|"
    r"american|chinese|russian|british|european|state|police|authority)\b",
    re.IGNORECASE,
)
_LEADING = frozenset(
    "a an another the one two three four five six seven eight nine ten several some many "
    "multiple both senior top high-ranking unnamed anonymous former current other two-dozen "
    "dozen of".split()
)
_POSTMOD = re.compile(
    r"\s+(?:familiar|close|with knowledge|who|speaking|briefed|involved|knowledgeable|aware|"
    r"in the know|on condition)\b.*$|\s+(?:at|from|of|in|with|to)\s+(?:the\s+)?(?P<org>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_AFFILIATION = re.compile(r"\s+(?:of|at|for|with)\s+(?:the\s+)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Description:
    """What a speaker phrase says about the speaker; every field may be ``None``."""

    title: str | None = None
    affiliation: str | None = None
    anonymous_kind: str | None = None
    side: str | None = None
    count: int | None = None


def describe(phrase: str, name: str, kind: str) -> Description:
    """Describe the speaker of ``phrase`` (as written) whose resolved ``name`` and
    ``kind`` (named, anonymous, organisation) the attribution stage found."""
    if kind == "named":
        return _named(phrase, name)
    if kind == "anonymous":
        return _anonymous(phrase)
    return Description()


def _named(phrase: str, name: str) -> Description:
    head, _, apposition = phrase.partition(",")
    title = head[: head.find(name)].strip() if name in head else ""
    title = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.IGNORECASE)
    affiliation = None
    if apposition.strip():
        parts = _AFFILIATION.split(apposition.strip(" ,"), maxsplit=1)
        title = title or re.sub(r"^(?:the|a|an)\s+", "", parts[0], flags=re.IGNORECASE)
        affiliation = parts[1].strip(" ,.") if len(parts) > 1 else None
    if title and title.split()[-1].lower().rstrip(".") not in TITLES and len(title) > 60:
        title = ""
    return Description(title=title or None, affiliation=affiliation)


def _anonymous(phrase: str) -> Description:
    text = " ".join(phrase.split())
    organisation = None
    if post := _POSTMOD.search(text):
        organisation = post.group("org")
        familiar = re.match(r"\s+(?:familiar|close|with knowledge|knowledgeable|aware)", post[0])
        text = text[: post.start()]
    else:
        familiar = None
    words = text.split()
    if not words:
        return Description()
    lead = [w for w in words[:-1] if w.lower() in _LEADING]
    count = next((_NUMBERS[w.lower()] for w in lead if w.lower() in _NUMBERS), None)
    head = words[-1].lower()
    singular = head[:-1] if head.endswith("s") and head[:-1] in _KIND_OF else head
    kind = _KIND_OF.get(singular, "other")
    if kind == "source familiar" and not familiar and singular != "source":
        kind = "other"
    if familiar and kind in ("government official", "other"):
        kind = "government official" if kind == "government official" else "source familiar"
    middle = [w for w in words[:-1] if w.lower() not in _LEADING]
    side = " ".join(middle) or organisation
    if kind == "employee" and side and _GOVERNMENT.search(side):
        kind = "government official"
    return Description(anonymous_kind=kind, side=_tidy(side), count=count)


def _tidy(side: str | None) -> str | None:
    """Trim punctuation, keeping the period of an abbreviation ("U.S.")."""
    if not side:
        return None
    side = side.strip(" ,;")
    return side[:-1] if side.endswith(".") and side.count(".") == 1 else side


def title_in(text: str, name: str) -> str | None:
    """The title written before ``name``'s first full mention in ``text``
    ("State Department spokesman Ned Price" -> "State Department spokesman")."""
    if " " not in name:
        return None
    for match in re.finditer(re.escape(name), text):
        words = text[max(0, match.start() - 80) : match.start()].split()
        title: list[str] = []
        for word in reversed(words):
            bare = word.rstrip(",.").lower()
            if word.endswith((",", ".", ":", ";")) and title:
                break
            if not (word[:1].isupper() or bare in TITLES) or bare in ("the", "a", "an", "said"):
                break
            title.insert(0, word)
        if title and title[-1].lower().rstrip(".") in TITLES:
            return " ".join(title[-6:])
    return None


_APPOSITION = re.compile(r",\s+(?P<phrase>[^,.;:\"“”]{3,80})")
_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<org>.+?)['’]s\s+(?P<title>.+)$", re.IGNORECASE)


def apposition_in(text: str, name: str) -> Description:
    """Title and affiliation from an apposition after ``name`` in ``text``:
    "Petra Holm, a spokeswoman for the authority" -> "spokeswoman", "authority";
    "Petra Holm, the authority's official spokesperson" -> "official spokesperson",
    "the authority". An empty description when no apposition ends in a title."""
    if " " not in name:
        return Description()
    for match in re.finditer(re.escape(name), text):
        after = _APPOSITION.match(text, match.end())
        if not after:
            continue
        phrase = re.sub(r"^(?:the|a|an)\s+", "", after["phrase"].strip(), flags=re.IGNORECASE)
        if possessive := _POSSESSIVE.match(phrase):
            title, affiliation = possessive["title"], possessive["org"]
        else:
            title, affiliation = (*_AFFILIATION.split(phrase, maxsplit=1), "")[:2]
        if title and title.split()[-1].lower() in TITLES:
            return Description(title=title, affiliation=affiliation.strip() or None)
    return Description()


def expand_reference(text: str, affiliation: str | None) -> str | None:
    """A lower-case reference ("authority", "the ministry") expanded to the one proper
    name in ``text`` that ends with it ("Vessmark Port Authority"); else as given."""
    if not affiliation or not affiliation.islower() or len(affiliation.split()) > 2:
        return affiliation
    noun = re.sub(r"^(?:the|a|an)\s+", "", affiliation)
    proper = r"((?:[A-Z][\w’'.-]* +){1,5}" + re.escape(noun.title()) + r")\b"
    names = {re.sub(r"^The\s+", "", m) for m in re.findall(proper, text)}
    return names.pop() if len(names) == 1 else affiliation
