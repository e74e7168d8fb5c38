"""Speaker phrases: read the words next to a cue verb as a named, anonymous,
organisation or pronoun mention, and resolve mentions to the speaker they denote
(pronouns, "the official", lone surnames)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from ._attribution_citations import outlet_name
from ._attribution_lexicon import (
    ACRONYM,
    ADJUNCT,
    ANON_HEADS,
    APPOSITIVE,
    BAD_START,
    CONNECTORS,
    CUE,
    DETERMINERS,
    FILLERS,
    GENERIC,
    HONORIFICS,
    KNOWN_ORGS,
    LEFT_BOUNDARY,
    NAME_RUN,
    NOT_NAMES,
    OBJECT_CUES,
    OK_PLURALS,
    ORG_HEADS,
    PARENTHESIS,
    POSTMOD,
    RIGHT_BOUNDARY,
    TITLES,
    TOKEN,
    WINDOW,
)
from .model import SpeakerKind


@dataclass(frozen=True, slots=True)
class SpeakerMention:
    """A speaker phrase as written; ``kind`` may also be ``pronoun``."""

    start: int
    end: int
    phrase: str
    kind: str
    name: str
    definite: bool = False
    head: str = ""


_Names = dict[str, list[tuple[int, str, bool]]]


def speaker_at(text: str, cue: re.Match[str], lo: int, hi: int) -> SpeakerMention | None:
    """The speaker of a cue verb: the phrase before it, else the phrase after it."""
    word = cue.group().lower()
    if word != "according to":
        start, end, _ = left_candidate(text, lo, cue.start())
        mention = appositive(text, lo, cue.start()) or classify(text, start, end)
        if mention or text[start:end].strip():
            return mention
    if word in OBJECT_CUES:
        return None
    return classify(text, *right_candidate(text, cue.end(), hi))


def left_candidate(text: str, lo: int, end: int) -> tuple[int, int, str]:
    """The words before ``end`` back to the last clause boundary, and that boundary."""
    lo = max(lo, end - WINDOW)
    if end > lo and text[end - 1] in " )" and (aside := PARENTHESIS.search(text, lo, end)):
        end = aside.start() if aside.end() == end else end  # "Rep. Gwen Moore (D-Wis.) said"
    if (comma := text.rfind(",", lo, end)) >= 0 and not text[comma + 1 : end].strip():
        inner = left_candidate(text, lo, comma)  # "The union leader, Dana Okafor, said"
        return inner if inner[2] == "," else (end, end, ",")
    boundary = max(LEFT_BOUNDARY.finditer(text, lo, end), key=lambda m: m.start(), default=None)
    return (boundary.end(), end, boundary.group().lower()) if boundary else (lo, end, "")


def right_candidate(text: str, start: int, hi: int) -> tuple[int, int]:
    hi = min(hi, start + WINDOW)
    boundary = RIGHT_BOUNDARY.search(text, start, hi)
    return start, boundary.start() if boundary else hi


def appositive(text: str, lo: int, end: int) -> SpeakerMention | None:
    """``Dana Okafor, head of the union,`` right before a cue: a named speaker."""
    match = APPOSITIVE.search(text, max(lo, end - 160), end)
    if not match or match.end() != end:
        return None
    mention = classify(text, match.start(1), match.end(1))
    if mention is None or mention.kind != "named":
        return None
    phrase = " ".join(text[mention.start : match.end(2)].split())
    return SpeakerMention(mention.start, match.end(2), phrase, "named", mention.name)


def classify(text: str, start: int, end: int) -> SpeakerMention | None:
    """Read ``text[start:end]`` as a speaker phrase, or return None."""
    if adjunct := ADJUNCT.search(text, start, end):
        end = adjunct.start()
    tokens = list(TOKEN.finditer(text, start, end))
    while len(tokens) > 1 and tokens[0].group().lower() in FILLERS:
        tokens.pop(0)
    if not tokens or len(tokens) > 14:
        return None
    words = [t.group() for t in tokens]
    low = [w.lower().rstrip(".") for w in words]
    span = (tokens[0].start(), tokens[-1].end())
    phrase = " ".join(text[span[0] : span[1]].split())
    if len(low) == 1 and low[0] in ("he", "she", "they", "it"):
        return SpeakerMention(*span, phrase, "pronoun", low[0])
    if len(low) == 4 and low[1] == "of" and low[2] in ("the", "those", "these"):
        noun = head_noun(low[3])  # "one of the officials": a member of a group named before
        if noun in ANON_HEADS and low[3] != noun:
            return SpeakerMention(*span, phrase, "anonymous", phrase, True, noun)
    if outlet_name(words) or low[0] in NOT_NAMES:
        return None
    if _named_shape(words, low) and (name := _person_name(words)):
        plural = words[0].endswith("s")  # "Reports said", not "Jones said"
        if len(words) == 1 and plural and _sentence_initial_only(text, words[0], span[0]):
            return None
        return SpeakerMention(*span, phrase, "named", name)
    split = next((i for i in range(1, len(low)) if _postmodifies(low, i)), len(low))
    kind = _core_kind(words[:split], low[:split])
    if kind is None or len(tokens) - split > 10:
        return None
    if low[0] in DETERMINERS or head_noun(low[0]) in ANON_HEADS or low[0] in TITLES:
        phrase = phrase[0].lower() + phrase[1:]
    definite = low[0] in ("the", "this", "that") and split == len(tokens)
    if kind == "organisation" and any(w[:1].isupper() for w in words[1:split]):
        definite = False  # "the Vessmark Port Authority" names itself; "the authority" refers
    return SpeakerMention(*span, phrase, kind, phrase, definite, head_noun(low[split - 1]))


def head_noun(word: str) -> str:
    """A head noun in its listed (singular) form."""
    if word in ANON_HEADS or word in ORG_HEADS or not word.endswith("s"):
        return word
    return word[:-1]


def _named_shape(words: list[str], low: list[str]) -> bool:
    """Capitalised words, connectors and title-like words ("harbour master") only, and
    no common noun with a post-modifier ("critics of Mayor Varga"; "Director of X" is fine)."""
    pairs = zip(words, low, strict=True)
    if len(low) > 8 or not all(w[:1].isupper() or _title_like(lw) for w, lw in pairs):
        return False
    heads = (i for i in range(1, len(low)) if _postmodifies(low, i))
    return not any(words[i - 1].islower() or low[i - 1] not in TITLES for i in heads)


def _title_like(word: str) -> bool:
    if word in TITLES or word in CONNECTORS:
        return True
    return word.isalpha() and word not in BAD_START and not word.endswith("ed")


def _sentence_initial_only(text: str, word: str, pos: int) -> bool:
    """Whether ``word`` at ``pos`` opens its sentence and is capitalised nowhere else
    (so its capital letter says nothing about it being a name)."""
    if not re.search(r"(?:^|[.!?\n])[”\"’]?\s*$", text[max(0, pos - 40) : pos]):
        return False
    elsewhere = re.compile(rf"[^\s.!?“”\"]\s+{re.escape(word)}\b")
    return not elsewhere.search(text, max(0, pos - 20_000), pos + 20_000)


def _postmodifies(low: list[str], i: int) -> bool:
    """Whether ``low[i]`` starts a post-modifier ("familiar with …") of a head noun."""
    head = head_noun(low[i - 1])
    return low[i] in POSTMOD and (head in ANON_HEADS or head in ORG_HEADS)


def _core_kind(words: list[str], low: list[str]) -> SpeakerKind | None:
    """``anonymous`` or ``organisation`` for a noun phrase without a personal name."""
    if "_".join(low[1:] if low[0] == "the" and len(low) > 1 else low) in KNOWN_ORGS:
        return "organisation"
    head = head_noun(low[-1])
    if not (head in ANON_HEADS or head in ORG_HEADS or ACRONYM.fullmatch(words[-1])):
        return None
    if len(low) > 7 or not all(_modifier_ok(w) for w in low[1:-1]):
        return None
    return "anonymous" if head in ANON_HEADS else "organisation"


def _modifier_ok(word: str) -> bool:
    """Reject verbs, function words and stray plural nouns before a head noun."""
    if word in BAD_START or CUE.fullmatch(word):
        return False
    plural = word.endswith("s") and not word.endswith(("’s", "'s", "ss")) and len(word) > 3
    return not plural or head_noun(word) in ANON_HEADS or word in OK_PLURALS


def _person_name(words: Sequence[str]) -> str | None:
    """The personal name ending a capitalised phrase, titles dropped (at most 4 words).

    Before "of"/"for" stands a title ("Minister of Fisheries Olga Petrenko": the name is
    the part after the field), an organisation ("Ministry of Fisheries": no name) or a
    person ("Ann Lee of the Harbour Trust": the name is before "of")."""
    name: list[str] = []
    rest = [_strip_period(w.rstrip(",")) for w in words]
    while rest:
        bare = rest.pop()
        lower = bare.lower()
        if lower in ("of", "for") or (lower == "the" and rest[-1:] in (["of"], ["for"])):
            rest = rest[:-1] if lower == "the" else rest
            before = rest[-1].lower() if rest else ""
            if before in TITLES:
                return " ".join(reversed(name[:-1])) or None
            return None if head_noun(before) in ORG_HEADS else _person_name(rest)
        if not bare[:1].isupper() or len(name) == 4 or lower.endswith(("’s", "'s")):
            break
        if head_noun(lower) in ORG_HEADS and not name and {"of", "for"} & set(rest):
            cut = max(i for i, w in enumerate(rest) if w in ("of", "for"))
            person = rest[:cut]  # "Ann Lee of the Harbour Trust"
            plain = person and person[-1].lower() not in TITLES | ORG_HEADS
            return _person_name(person) if plain else None
        if lower in TITLES | CONNECTORS or head_noun(lower) in ANON_HEADS | ORG_HEADS:
            break
        if ACRONYM.fullmatch(bare):
            break
        name.append(bare)
    return " ".join(reversed(name)) or None


def _strip_period(word: str) -> str:
    """ "Rep." -> "Rep", but an initial keeps its period ("Dana O. Okafor")."""
    return word if re.fullmatch(r"[A-Z]\.", word) else word.rstrip(".")


# --- resolution ------------------------------------------------------------------------------


def resolve(mentions: list[SpeakerMention], names: _Names) -> dict[tuple[int, int], SpeakerMention]:
    """Map each mention, in text order, to the speaker it denotes: an earlier mention
    (pronouns, definite descriptions) or itself, with a surname completed. He/she skip
    speakers known (from "Mr."/"Ms." or an earlier pronoun) as the other."""
    history: list[SpeakerMention] = []
    genders: dict[str, str] = {}
    resolved: dict[tuple[int, int], SpeakerMention] = {}
    for m in sorted(set(mentions), key=lambda m: (m.start, m.end)):
        speaker = resolved[(m.start, m.end)] = _resolve_one(m, history, names, genders)
        if speaker.kind != "unknown":
            history.append(speaker)
        honorific = m.phrase.split()[0].lower().rstrip(".")
        gender = m.name if m.kind == "pronoun" else HONORIFICS.get(honorific)
        if speaker.kind == "named" and gender:
            genders.setdefault(speaker.name, gender)
    return resolved


def _resolve_one(
    m: SpeakerMention, history: list[SpeakerMention], names: _Names, genders: dict[str, str]
) -> SpeakerMention:
    found = None
    if m.kind == "pronoun" and m.name in ("he", "she"):
        named = [h for h in history if h.kind == "named" and genders.get(h.name, m.name) == m.name]
        found = _latest(named, ("named",)) or replace(m, kind="unknown")
    elif m.kind == "pronoun":
        kinds = ("organisation",) if m.name == "it" else ("anonymous", "organisation")
        found = _latest(history, kinds) or replace(m, kind="unknown")
    elif m.definite:
        kinds = ("named", "anonymous", "organisation")
        same = [h for h in history if _plural(h) == _plural(m)]  # "the official" is not "officials"
        found = _latest(same, kinds, noun=m.head) or _latest(history, kinds, noun=m.head)
        if not found and m.head in FALLBACK_NOUNS:
            found = _latest(history, (m.kind,), generic=True)
    elif m.kind == "named" and " " not in m.name:
        found = replace(m, name=_full_name(m.name, m.start, names))
    return found or m


# "the official" with no earlier official is the latest generic anonymous speaker ("a senior
# aide"); "the manager" or "the executive" is not taken for one (a copy that renames the
# speaker must stay visible as such).
FALLBACK_NOUNS = frozenset({"official", "source"})


def _plural(m: SpeakerMention) -> bool:
    """Whether a speaker phrase names several people ("two officials")."""
    written = m.phrase.lower().split() if m.kind == "anonymous" else []
    return f"{m.head}s" in written or "people" in written


def _latest(
    history: list[SpeakerMention], kinds: tuple[str, ...], noun: str = "", generic: bool = False
) -> SpeakerMention | None:
    for h in reversed(history):
        if h.kind in kinds and noun in h.phrase.lower() and (not generic or h.head in GENERIC):
            return h
    return None


def name_index(text: str) -> _Names:
    """Personal names of two or three words, keyed by their last and first word."""
    index: _Names = {}
    for match in NAME_RUN.finditer(text):
        name = _person_name(match.group().split())
        if name and 2 <= len(parts := name.split()) <= 3:
            index.setdefault(parts[-1], []).append((match.start(), name, True))
            index.setdefault(parts[0], []).append((match.start(), name, False))
    return index


def _full_name(word: str, pos: int, names: _Names) -> str:
    """The fullest name ending with ``word`` (one before ``pos`` first), else starting with it;
    else the one full name whose surname ``word`` misspells ("Haynes" for "Avril Hines")."""
    candidates = names.get(word) or _misspelt(word, names)
    if not candidates:
        return word
    return max(candidates, key=lambda c: (c[2], c[0] < pos, len(c[1].split()), c[0]))[1]


SURNAME_SIMILARITY = 70  # rapidfuzz ratio for a surname spelt two ways in one article


def _misspelt(word: str, names: _Names) -> list[tuple[int, str, bool]]:
    """The full names (by surname) ``word`` is a misspelling of, if exactly one surname fits:
    same initial, length within two letters, similar spelling."""
    close = [
        key
        for key, found in names.items()
        if key[:1] == word[:1]
        and key != word
        and abs(len(key) - len(word)) <= 2
        and any(is_surname for _, _, is_surname in found)
        and fuzz.ratio(key, word) >= SURNAME_SIMILARITY
    ]
    return [c for c in names[close[0]] if c[2]] if len(close) == 1 else []
