"""Attribution: who said what in an article, and which other outlets it cites.

Rule-based (no parser yet); every offset indexes ``Article.text``.

* Direct quotes: the text inside straight, curly or doubled-apostrophe ('') double marks;
  single marks double as apostrophes and are ignored. An unclosed quote ends at its
  paragraph's end if it opens the paragraph (the multi-paragraph convention), else at its
  sentence's end; none crosses a paragraph or exceeds ``MAX_QUOTE_CHARS``. “A,” she said,
  “B.” gives two Quote records sharing one speaker mention. Unattributed quotes of 1-3 words
  (scare quotes) are dropped; longer ones are kept with ``speaker=None``, kind ``unknown``.
* Speaker: a cue verb next to the quote (“…,” X said / said X / X said: “…” / X told CNN
  the … “…” / “…” according to X / “…?” X asked), else the subject before a colon, else the
  speaker of the previous quote in the paragraph (or of the previous paragraph's last quote,
  when this one opens its paragraph).
* Indirect speech (``direct=False``), conservative: "X said (that) …", "X told reporters …",
  "…, X said.", "according to X, …", in sentences without quote marks.
* Resolution: he/she -> the latest named speaker not known (Mr./Ms., earlier pronoun) as the
  other; they -> the latest anonymous or organisation speaker; it -> the latest organisation;
  "the official" -> the latest speaker whose phrase has that noun, else (generic nouns) the
  latest generic anonymous one; a lone surname -> the fullest name in the article ending
  (or, as "Xi", starting) with it. ``speaker`` is the resolved form,
  ``speaker_start``/``speaker_end`` the mention as written.
* Citations: "CNN reported", "according to the FT", "told Reuters", "a fresh FT report".

``settings`` is taken for the uniform stage signature; nothing in it is read yet.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import cast

from .config import Settings
from .model import Article, Citation, Quote, Sentence, SpeakerKind

__all__ = ["MAX_QUOTE_CHARS", "extract_attribution"]

MAX_QUOTE_CHARS = 2000
SCARE_QUOTE_MAX_WORDS = 3
_WINDOW = 300  # characters of context searched on each side of a quote


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Head nouns are listed singular; ``_head`` also accepts a plural in -s.
_GENERIC = _set("official source person people manager executive aide diplomat insider staffer")
_ANON_HEADS = _GENERIC | _set(
    "spokesman spokeswoman spokesperson spokespeople analyst expert adviser advisor observer "
    "negotiator lawmaker witness witnesses resident member employee worker those someone officer "
    "investigator researcher economist head leader representative envoy minister president "
    "secretary director chairman ambassador critic supporter opponent protester activist "
    "scientist doctor prosecutor lawyer senator governor mayor judge chancellor commissioner"
)
_ORG_HEADS = _set(
    "ministry department embassy authority authorities company agency government office police "
    "administration commission council committee military army navy court bank union firm group "
    "parliament congress senate cabinet kremlin pentagon corporation organisation organization "
    "institute foundation party board consulate regulator university college school hospital "
    "museum association federation league club society centre center trust"
)
_HONORIFICS = MappingProxyType(dict(mr="he", sir="he", mrs="she", ms="she", miss="she"))
_KNOWN_ORGS = _set("white_house kremlin pentagon downing_street congress")
_TITLES = _set(
    "mr mrs ms dr prof sir president vice prime minister secretary general adviser advisor "
    "director spokesman spokeswoman spokesperson chief executive senator sen rep representative "
    "gov governor mayor ambassador envoy chairman chairwoman chair head leader commander officer "
    "deputy national security foreign affairs state defense defence intelligence central press "
    "commission council committee department ministry house white senior judge justice king queen "
    "prince premier chancellor lt col capt gen sgt maj adm analyst economist professor official "
    "correspondent top former acting assistant special councillor councilor mp inspector"
)
_CONNECTORS = _set("of for de da del di du van von der den la le al bin ibn the and")
_FILLERS = _set(
    "however but and then so also now meanwhile still yet later separately earlier instead "
    "indeed asked when while"
)
_DETERMINERS = _set("a an another the this that one two three four several some many")
_NOT_NAMES = _set(
    "it this that there these who what which we i you one everyone everybody nobody nothing "
    "many some others both all most few each either neither none"
)
_AUX = _set(
    "is are was were be been being had has have will would could should may might can did does "
    "do must shall"
)
_BAD_START = _AUX | _set(
    "to by of for with in on at as and or but so about from into that not no adding nothing "
    "said says told"
)
_OK_PLURALS = _set("various numerous previous serious us u.s its his")
_POSTMOD = _set(
    "familiar close with who briefed involved speaking in at from to for on of based "
    "knowledgeable aware under inside representing"
)
_INDIRECT_CUES = _set(
    "said says say told tells tell added adds warned warns noted notes insisted insists stated "
    "states explained explains argued argues claimed claims confirmed stressed acknowledged "
    "admitted wrote writes declared"
)
_OBJECT_CUES = _set("told tells tell warned warns")
_SUBORDINATORS = _set("while although though as because if when since")
_OUTLET_WORDS = _set(
    "News Times Post Press Agency Journal Herald Courier TV Radio Network Gazette Daily Tribune "
    "Channel Telegraph Guardian Observer Wire Broadcasting Magazine Chronicle Economist"
)
_KNOWN_OUTLETS = _set(
    "CNN BBC Reuters AP AFP Bloomberg FT Financial_Times New_York_Times NYT Washington_Post "
    "Wall_Street_Journal WSJ Al_Jazeera Xinhua TASS NBC CBS ABC Fox_News NPR Politico Axios "
    "Associated_Press Kyodo Yonhap Nikkei Interfax Guardian South_China_Morning_Post SCMP "
    "Global_Times Der_Spiegel Le_Monde Sky_News"
)
_OUTLET_ALIASES = MappingProxyType(
    dict(
        FT="Financial Times",
        NYT="New York Times",
        WSJ="Wall Street Journal",
        WaPo="Washington Post",
    )
)
_NOT_OUTLET = _set(
    "US USA UN UK EU NATO PRC CIA FBI NSA WHO IMF DC GOP officials official cable report data "
    "department ministry embassy government administration house office police president "
    "minister spokesman sources source intelligence study survey poll document documents memo he "
    "she they it this that there who we"
)

_MARK = re.compile(r"''|[\"“”]")  # '' is the double mark of some wire and archive copy
_CUE_WORDS = _INDIRECT_CUES | _set(
    "replied replies asked asks cautioned emphasised emphasized recalled remarked commented"
)
_CUE = re.compile(rf"\b(?:{'|'.join(sorted(_CUE_WORDS))}|[Aa]ccording to)\b")
_TOKEN = re.compile(r"[^\s,;:()\[\]“”\"]+")
_LEFT_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"—–]|\s-\s|\b(?:[Aa]nd|[Bb]ut|that|[Ww]hile|as|[Bb]ecause|which|[Ww]hen|"
    r"[Aa]fter|[Bb]efore|[Aa]lthough|[Tt]hough|[Ss]ince|where|whereas|[Ii]f|[Ss]o)\b"
)
_RIGHT_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"—–!?]|(?<![A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)\.(?=\s|$)|\s-\s|"
    r"\b(?:and|but|that|while|as|because|which|when|after|before|adding|who)\b"
)
_DAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight"
_ADJUNCT = re.compile(
    rf"(?:\s*,)?\s+(?:(?:on|last|this|late|early|earlier|later)\s+)?(?:{_DAYS}|week|weekend|"
    r"month|year|morning|evening|night)\b|(?:\s*,)?\s+(?:in|at|during)\s+an?\s+(?:statement|"
    r"interview|briefing|news conference|press conference|post|email)\b|\s+(?:separately|"
    r"privately|publicly|later|earlier|also|recently|repeatedly|then|on condition of anonymity)\b"
)
_OBJECT = re.compile(
    r"\s+(?:reporters|journalists|lawmakers|colleagues|allies|him|her|them|us|me|"
    r"(?:the\s+)?[A-Z][\w.’'&-]*(?:[ \t]+[A-Z][\w.’'&-]*){0,3}|(?:the|his|her|their)\s+\w+)"
)
_SPACE = re.compile(r"\s*")
_PARENTHESIS = re.compile(r"\s*\([^()]{0,40}\)\s*")
_THAT = re.compile(r"\s*,?\s*that\b")
_SPEAKER_LAST_TAIL = re.compile(r"\s*(?:,\s*adding\b.*)?[.!?]?\s*", re.S)
_TAIL_ATTRIBUTION = re.compile(
    r",\s+(?:adding\b|[^,]{0,80}?\b(?:reported|reports|said|says|according to)\b)"
)
_ACCORDING_FIRST = re.compile(r"\s*According to\s+")
_ACCORDING_LAST = re.compile(r",\s+according to\s+")
_LEAD_APPOSITIVE = re.compile(r"\s*(?:the |a )?[a-z][^,;]{0,80},")
_APPOSITIVE = re.compile(
    r"((?:[A-Z][\w’'.\-]*[ \t]+){0,5}[A-Z][\w’'.\-]*)\s*,\s*((?:the |a |an |(?:deputy |chief |"
    r"senior |former )?(?:head|spokesman|spokeswoman|director|leader|chief|president|chairman|"
    r"minister|secretary|adviser|analyst|economist)\b)[^,;:“”\"]{0,80}?)\s*,\s*$"
)
_NAME_RUN = re.compile(r"[A-Z][\w’'\-]+(?:[ \t]+[A-Z][\w’'.\-]*)+")
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{2,6}")
_ALNUM = re.compile(r"\w")
_CAPRUN = r"[A-Z][\w&’'.\-]*(?:[ \t]+(?:(?:of|de|&|and)[ \t]+)?[A-Z][\w&’'.\-]*){0,5}"
_O = rf"(?P<outlet>{_CAPRUN})"
# fmt: off
_CITE_PATTERNS = tuple(  # (pattern, must look like an outlet, outlet comes before the cue)
    (re.compile(pattern), strict, before) for pattern, strict, before in (
        (rf"{_O}(?:[ \t]+(?:news agency|newspaper|broadcaster))?[ \t]+(?:has |had |first |also "
         r"|earlier )?(?:reported|reports|said in a report)\b", False, True),
        (rf"{_O}[ \t]+(?:wrote|writes|noted|notes|revealed|said|says)\b", True, True),
        (r"\b[Aa]ccording to (?:the |a )?(?:(?:new |recent )?(?:report|article|story) (?:by|from"
         rf"|in) (?:the )?)?{_O}", True, False),
        (r"\b(?:told|tells|tell|said to|speaking to|spoke to|interview with|citing)\s+"
         rf"(?:the\s+)?{_O}", True, False),
        (rf"\b(?:first )?(?:reported|published|revealed)\s+by\s+(?:the\s+)?{_O}", False, False),
        (rf"{_O}(?:’s|'s)?\s+(?:report|reporting|piece|article|story|investigation|interview|"
         r"analysis|exclusive|scoop)\b", True, True),
    )
)
# fmt: on


@dataclass(frozen=True, slots=True)
class _Mention:
    """A speaker phrase as written; ``kind`` may also be ``pronoun``."""

    start: int
    end: int
    phrase: str
    kind: str
    name: str
    definite: bool = False
    head: str = ""


@dataclass(frozen=True, slots=True)
class _Raw:
    """A quote found, its speaker mention not yet resolved."""

    start: int
    end: int
    direct: bool
    cue: str | None
    mention: _Mention | None


@dataclass(frozen=True, slots=True)
class _Span:
    """A direct quote: where its opening mark starts and its closing mark ends
    (``close`` None when unclosed), and its inner text."""

    open: int
    close: int | None
    start: int
    end: int
    paragraph: int
    opens_paragraph: bool


_Names = dict[str, list[tuple[int, str, bool]]]


class _Sentences:
    """Position lookups over an article's sentences."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.items = sorted(sentences, key=lambda s: s.start)
        self.starts = [s.start for s in self.items]

    def at(self, pos: int) -> Sentence:
        return self.items[max(0, bisect_right(self.starts, pos) - 1)]

    def paragraphs(self) -> list[tuple[int, int, int]]:
        spans: dict[int, tuple[int, int]] = {}
        for s in self.items:
            lo, hi = spans.get(s.paragraph, (s.start, s.end))
            spans[s.paragraph] = (min(lo, s.start), max(hi, s.end))
        return [(index, lo, hi) for index, (lo, hi) in sorted(spans.items())]


def extract_attribution(
    article: Article, sentences: Sequence[Sentence], *, settings: Settings | None = None
) -> tuple[tuple[Quote, ...], tuple[Citation, ...]]:
    """Find the quotes (direct and indirect, with speakers) and the outlet
    citations of ``article``, whose ``sentences`` come from ``segment``."""
    text = article.text
    if not text or not sentences:
        return (), ()
    index = _Sentences(sentences)
    raws = _direct_quotes(text, index)
    indirect, extra = _indirect_quotes(text, index.items)
    raws.extend(indirect)
    mentions = [r.mention for r in raws if r.mention] + extra
    resolved = _resolve(mentions, _name_index(text))
    quotes = (_to_quote(article.id, text, r, resolved) for r in raws)
    ordered = sorted(quotes, key=lambda q: (q.start, q.end, q.direct))
    return tuple(ordered), _citations(article.id, text, index.items)


# --- direct quotes ---------------------------------------------------------------------------


def _direct_quotes(text: str, index: _Sentences) -> list[_Raw]:
    found = [(m.start(), m.end()) for m in _MARK.finditer(text)]
    marks = ([start for start, _ in found], [end for _, end in found])
    spans = [
        span
        for number, lo, hi in index.paragraphs()
        for span in _spans(text, number, lo, hi, index)
    ]
    raws: list[_Raw] = []
    previous: tuple[_Span, _Mention | None] | None = None
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        mention, cue = _direct_speaker(text, span, index, marks)
        long = _word_count(text[span.start : span.end]) > SCARE_QUOTE_MAX_WORDS
        if mention is None and long and previous and _continues(span, previous[0]):
            mention = previous[1]
        if mention is None and not long:
            continue
        raws.append(_Raw(span.start, span.end, True, cue, mention))
        previous = (span, mention)
    return raws


def _continues(span: _Span, before: _Span) -> bool:
    """Whether an unattributed quote carries on from the quote ``before`` it."""
    next_paragraph = span.paragraph == before.paragraph + 1 and span.opens_paragraph
    return span.paragraph == before.paragraph or next_paragraph


def _spans(text: str, paragraph: int, lo: int, hi: int, index: _Sentences) -> list[_Span]:
    """Pair the quote marks of one paragraph; unpaired opening marks run to the
    paragraph's end (when they open it) or to their sentence's end."""
    stack: list[re.Match[str]] = []
    pairs: list[tuple[re.Match[str], re.Match[str] | None]] = []
    for match in _MARK.finditer(text, lo, hi):
        role = _mark_role(text, match, lo, hi)
        if role == "open" or (role == "either" and not stack):
            stack.append(match)
        elif stack:
            pairs.append((stack.pop(), match))
    pairs.extend((match, None) for match in stack)
    spans: list[_Span] = []
    covered = -1
    for opening, closing in sorted(pairs, key=lambda p: p[0].start()):
        open_ = opening.start()
        opens_paragraph = not text[lo:open_].strip()
        if closing and closing.start() - open_ > MAX_QUOTE_CHARS:
            closing = None
        if closing is None and open_ < covered:
            continue
        end = closing.start() if closing else hi if opens_paragraph else index.at(open_).end
        if closing is None:
            end = covered = min(end, open_ + MAX_QUOTE_CHARS)
        if inner := _trim_inner(text, opening.end(), end, closing is not None):
            close = closing.end() if closing else None
            spans.append(_Span(open_, close, *inner, paragraph, opens_paragraph))
    return spans


def _mark_role(text: str, mark: re.Match[str], lo: int, hi: int) -> str:
    """``open``, ``close`` or ``either``, from the characters around the mark."""
    before = text[mark.start() - 1] if mark.start() > lo else " "
    after = text[mark.end()] if mark.end() < hi else " "
    spaced_before = before.isspace() or before in "([{—–-"
    spaced_after = after.isspace() or after in ".,;:!?)]"
    if mark.group() == "“":
        return "close" if spaced_after and not spaced_before else "open"
    if mark.group() == "”":
        return "open" if spaced_before and after.isalnum() else "close"
    if spaced_before != spaced_after:
        return "open" if spaced_before else "close"
    return "either"


def _trim_inner(text: str, start: int, end: int, closed: bool) -> tuple[int, int] | None:
    strip = " \t\r\n" if closed else ' \t\r\n,“”"'
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if closed and end > start and text[end - 1] == ",":
        end -= 1
    return (start, end) if _ALNUM.search(text, start, end) else None


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _direct_speaker(
    text: str, span: _Span, index: _Sentences, marks: tuple[list[int], list[int]]
) -> tuple[_Mention | None, str | None]:
    """The speaker of a direct quote: a cue right after it, else the nearest cue
    before it in its sentence, else a later cue, else a subject before a colon."""
    starts, ends = marks
    before = bisect_left(starts, span.open)
    lo = max(index.at(span.open).start, ends[before - 1] if before else 0, span.open - _WINDOW)
    close = hi = near = span.close if span.close is not None else span.open
    if span.close is not None:
        after = bisect_left(starts, close)
        next_mark = starts[after] if after < len(starts) else len(text)
        hi = min(index.at(close - 1).end, next_mark, close + _WINDOW)
        # “…?” she asked: the segmenter cuts before a capitalised speaker
        follow = _SPACE.match(text, close).end()
        asked = text[span.end - 1] in "?!" and "\n" not in text[close:follow]
        near = min(index.at(follow).end, next_mark, close + _WINDOW) if asked else hi
    post = list(_CUE.finditer(text, close, near))
    mention = _speaker_at(text, post[0], close, near) if post else None
    if mention and not text[close : mention.start].strip(" ,\n"):
        return mention, post[0].group()
    for cue in reversed(list(_CUE.finditer(text, lo, span.open))):
        if mention := _speaker_at(text, cue, lo, span.open):
            return mention, cue.group()
    for cue in (cue for cue in post if cue.end() <= hi):
        if mention := _speaker_at(text, cue, close, hi):
            return mention, cue.group()
    return _colon_speaker(text, lo, span.open), None


def _colon_speaker(text: str, lo: int, open_: int) -> _Mention | None:
    """``Jane Roe had a different view: “…”``: the subject that opens the clause."""
    colon = text.rfind(":", lo, open_)
    if colon < 0 or _word_count(text[colon:open_]) > 3:
        return None
    end = lo
    for token in list(_TOKEN.finditer(text, lo, colon))[:9]:
        word = token.group()
        if word.islower() and (word in _AUX or word in ("also", "then") or word.endswith("ed")):
            break
        end = token.end()
    return _classify(text, lo, end) if end > lo else None


# --- speaker phrases -------------------------------------------------------------------------


def _speaker_at(text: str, cue: re.Match[str], lo: int, hi: int) -> _Mention | None:
    """The speaker of a cue verb: the phrase before it, else the phrase after it."""
    word = cue.group().lower()
    if word != "according to":
        start, end, _ = _left_candidate(text, lo, cue.start())
        mention = _appositive(text, lo, cue.start()) or _classify(text, start, end)
        if mention or text[start:end].strip():
            return mention
    if word in _OBJECT_CUES:
        return None
    return _classify(text, *_right_candidate(text, cue.end(), hi))


def _left_candidate(text: str, lo: int, end: int) -> tuple[int, int, str]:
    """The words before ``end`` back to the last clause boundary, and that boundary."""
    lo = max(lo, end - _WINDOW)
    if end > lo and text[end - 1] in " )" and (aside := _PARENTHESIS.search(text, lo, end)):
        end = aside.start() if aside.end() == end else end  # "Rep. Gwen Moore (D-Wis.) said"
    if (comma := text.rfind(",", lo, end)) >= 0 and not text[comma + 1 : end].strip():
        inner = _left_candidate(text, lo, comma)  # "The union leader, Dana Okafor, said"
        return inner if inner[2] == "," else (end, end, ",")
    boundary = max(_LEFT_BOUNDARY.finditer(text, lo, end), key=lambda m: m.start(), default=None)
    return (boundary.end(), end, boundary.group().lower()) if boundary else (lo, end, "")


def _right_candidate(text: str, start: int, hi: int) -> tuple[int, int]:
    hi = min(hi, start + _WINDOW)
    boundary = _RIGHT_BOUNDARY.search(text, start, hi)
    return start, boundary.start() if boundary else hi


def _appositive(text: str, lo: int, end: int) -> _Mention | None:
    """``Dana Okafor, head of the union,`` right before a cue: a named speaker."""
    match = _APPOSITIVE.search(text, max(lo, end - 160), end)
    if not match or match.end() != end:
        return None
    mention = _classify(text, match.start(1), match.end(1))
    if mention is None or mention.kind != "named":
        return None
    phrase = " ".join(text[mention.start : match.end(2)].split())
    return _Mention(mention.start, match.end(2), phrase, "named", mention.name)


def _classify(text: str, start: int, end: int) -> _Mention | None:
    """Read ``text[start:end]`` as a speaker phrase, or return None."""
    if adjunct := _ADJUNCT.search(text, start, end):
        end = adjunct.start()
    tokens = list(_TOKEN.finditer(text, start, end))
    while len(tokens) > 1 and tokens[0].group().lower() in _FILLERS:
        tokens.pop(0)
    if not tokens or len(tokens) > 14:
        return None
    words = [t.group() for t in tokens]
    low = [w.lower().rstrip(".") for w in words]
    span = (tokens[0].start(), tokens[-1].end())
    phrase = " ".join(text[span[0] : span[1]].split())
    if len(low) == 1 and low[0] in ("he", "she", "they", "it"):
        return _Mention(*span, phrase, "pronoun", low[0])
    if _outlet_name(words) or low[0] in _NOT_NAMES:
        return None
    if _named_shape(words, low) and (name := _person_name(words)):
        plural = words[0].endswith("s")  # "Reports said", not "Jones said"
        if len(words) == 1 and plural and _sentence_initial_only(text, words[0], span[0]):
            return None
        return _Mention(*span, phrase, "named", name)
    split = next((i for i in range(1, len(low)) if _postmodifies(low, i)), len(low))
    kind = _core_kind(words[:split], low[:split])
    if kind is None or len(tokens) - split > 10:
        return None
    if low[0] in _DETERMINERS or _head(low[0]) in _ANON_HEADS or low[0] in _TITLES:
        phrase = phrase[0].lower() + phrase[1:]
    definite = low[0] in ("the", "this", "that") and split == len(tokens)
    return _Mention(*span, phrase, kind, phrase, definite, _head(low[split - 1]))


def _head(word: str) -> str:
    """A head noun in its listed (singular) form."""
    if word in _ANON_HEADS or word in _ORG_HEADS or not word.endswith("s"):
        return word
    return word[:-1]


def _named_shape(words: list[str], low: list[str]) -> bool:
    """Capitalised words, connectors and title-like words ("harbour master") only, and
    no common noun with a post-modifier ("critics of Mayor Varga"; "Director of X" is fine)."""
    pairs = zip(words, low, strict=True)
    if len(low) > 8 or not all(w[:1].isupper() or _title_like(lw) for w, lw in pairs):
        return False
    heads = (i for i in range(1, len(low)) if _postmodifies(low, i))
    return not any(words[i - 1].islower() or low[i - 1] not in _TITLES for i in heads)


def _title_like(word: str) -> bool:
    if word in _TITLES or word in _CONNECTORS:
        return True
    return word.isalpha() and word not in _BAD_START and not word.endswith("ed")


def _sentence_initial_only(text: str, word: str, pos: int) -> bool:
    """Whether ``word`` at ``pos`` opens its sentence and is capitalised nowhere else
    (so its capital letter says nothing about it being a name)."""
    if not re.search(r"(?:^|[.!?\n])[”\"’]?\s*$", text[max(0, pos - 40) : pos]):
        return False
    elsewhere = re.compile(rf"[^\s.!?“”\"]\s+{re.escape(word)}\b")
    return not elsewhere.search(text, max(0, pos - 20_000), pos + 20_000)


def _postmodifies(low: list[str], i: int) -> bool:
    """Whether ``low[i]`` starts a post-modifier ("familiar with …") of a head noun."""
    head = _head(low[i - 1])
    return low[i] in _POSTMOD and (head in _ANON_HEADS or head in _ORG_HEADS)


def _core_kind(words: list[str], low: list[str]) -> SpeakerKind | None:
    """``anonymous`` or ``organisation`` for a noun phrase without a personal name."""
    if "_".join(low[1:] if low[0] == "the" and len(low) > 1 else low) in _KNOWN_ORGS:
        return "organisation"
    head = _head(low[-1])
    if not (head in _ANON_HEADS or head in _ORG_HEADS or _ACRONYM.fullmatch(words[-1])):
        return None
    if len(low) > 7 or not all(_modifier_ok(w) for w in low[1:-1]):
        return None
    return "anonymous" if head in _ANON_HEADS else "organisation"


def _modifier_ok(word: str) -> bool:
    """Reject verbs, function words and stray plural nouns before a head noun."""
    if word in _BAD_START or _CUE.fullmatch(word):
        return False
    plural = word.endswith("s") and not word.endswith(("’s", "'s", "ss")) and len(word) > 3
    return not plural or _head(word) in _ANON_HEADS or word in _OK_PLURALS


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
            if before in _TITLES:
                return " ".join(reversed(name[:-1])) or None
            return None if _head(before) in _ORG_HEADS else _person_name(rest)
        if not bare[:1].isupper() or len(name) == 4 or lower.endswith(("’s", "'s")):
            break
        if _head(lower) in _ORG_HEADS and not name and {"of", "for"} & set(rest):
            cut = max(i for i, w in enumerate(rest) if w in ("of", "for"))
            person = rest[:cut]  # "Ann Lee of the Harbour Trust"
            plain = person and person[-1].lower() not in _TITLES | _ORG_HEADS
            return _person_name(person) if plain else None
        if lower in _TITLES | _CONNECTORS or _head(lower) in _ANON_HEADS | _ORG_HEADS:
            break
        if _ACRONYM.fullmatch(bare):
            break
        name.append(bare)
    return " ".join(reversed(name)) or None


def _strip_period(word: str) -> str:
    """ "Rep." -> "Rep", but an initial keeps its period ("Dana O. Okafor")."""
    return word if re.fullmatch(r"[A-Z]\.", word) else word.rstrip(".")


# --- indirect speech -------------------------------------------------------------------------


def _indirect_quotes(text: str, sentences: Sequence[Sentence]) -> tuple[list[_Raw], list[_Mention]]:
    """Reported speech in sentences without quote marks, plus the speaker
    mentions ("according to X") found where no clause could be taken."""
    raws: list[_Raw] = []
    extra: list[_Mention] = []
    for sentence in sentences:
        if _MARK.search(sentence.text):
            continue
        raw, mention = _according_to(text, sentence)
        if raw := raw or _reported(text, sentence):
            raws.append(raw)
        elif mention:
            extra.append(mention)
    return raws, extra


def _according_to(text: str, s: Sentence) -> tuple[_Raw | None, _Mention | None]:
    """ "According to X, …" and "…, according to X."."""
    if first := _ACCORDING_FIRST.match(text, s.start, s.end):
        who = _right_candidate(text, first.end(), s.end)
        mention = _classify(text, *who)
        if mention is None or text[who[1] : who[1] + 1] != ",":
            return None, mention
        clause = who[1] + 1
        if appositive := _LEAD_APPOSITIVE.match(text, clause, s.end):
            clause = appositive.end()
        return _clause(text, clause, s.end, "according to", mention, needs_verb=False), mention
    if last := _ACCORDING_LAST.search(text, s.start, s.end):
        who = _right_candidate(text, last.end(), s.end)
        mention = _classify(text, *who)
        if mention and not text[who[1] : s.end].strip(" .!?\n"):
            return _clause(text, s.start, last.start(), "according to", mention, False), mention
    return None, None


def _reported(text: str, s: Sentence) -> _Raw | None:
    """ "X said (that) …", "X told reporters …" or "…, X said." in one sentence."""
    for cue in list(_CUE.finditer(text, s.start, s.end))[:5]:
        word = cue.group().lower()
        if word not in _INDIRECT_CUES:
            continue
        start, end, boundary = _left_candidate(text, s.start, cue.start())
        mention = _appositive(text, s.start, cue.start()) or _classify(text, start, end)
        if mention is None:
            continue
        pos = _skip_adjuncts(text, cue.end(), s.end)
        after_comma = text[s.start : mention.start].rstrip().endswith(",")
        if (
            after_comma
            and word not in _OBJECT_CUES
            and _SPEAKER_LAST_TAIL.fullmatch(text, pos, s.end)
        ):
            cut = text.rfind(",", s.start, mention.start)
            return _clause(text, s.start, cut, word, mention, needs_verb=True)
        return _speaker_first(text, s, cue, mention, boundary)
    return None


def _speaker_first(
    text: str, s: Sentence, cue: re.Match[str], mention: _Mention, boundary: str
) -> _Raw | None:
    """The clause reported after "X said" / "X told Y" (up to a comma when the
    speaker's clause was subordinate: "While officials say …, …")."""
    word = cue.group().lower()
    pos = cue.end()
    if word in _OBJECT_CUES:
        obj = _OBJECT.match(text, pos, s.end)
        if obj and (word.startswith("t") or _THAT.match(text, obj.end(), s.end)):
            pos = obj.end()
        elif word.startswith("t"):
            return None
    pos = _skip_adjuncts(text, pos, s.end)
    that = _THAT.match(text, pos, s.end)
    comma = text.find(",", pos, s.end) if boundary in _SUBORDINATORS else -1
    end = comma if comma > 0 else s.end
    return _clause(text, that.end() if that else pos, end, word, mention, needs_verb=not that)


def _skip_adjuncts(text: str, pos: int, end: int) -> int:
    while adjunct := _ADJUNCT.match(text, pos, end):
        pos = adjunct.end()
    return pos


def _clause(
    text: str, start: int, end: int, cue: str, mention: _Mention, needs_verb: bool
) -> _Raw | None:
    """An indirect quote over ``text[start:end]`` if that reads as a clause."""
    if tail := _TAIL_ATTRIBUTION.search(text, start, end):
        end = tail.start()
    while start < end and text[start] in " \t\n,":
        start += 1
    while end > start and text[end - 1] in " \t\n.!?,":
        end -= 1
    words = [w.lower().strip(".,’'") for w in text[start:end].split()]
    if len(words) < 3 or words[0] in _BAD_START or not text[start].isalnum():
        return None
    if needs_verb and not any(w in _AUX or w.endswith("ed") for w in words[:12]):
        return None
    return _Raw(start, end, False, cue, mention)


# --- resolution ------------------------------------------------------------------------------


def _resolve(mentions: list[_Mention], names: _Names) -> dict[tuple[int, int], _Mention]:
    """Map each mention, in text order, to the speaker it denotes: an earlier mention
    (pronouns, definite descriptions) or itself, with a surname completed. He/she skip
    speakers known (from "Mr."/"Ms." or an earlier pronoun) as the other."""
    history: list[_Mention] = []
    genders: dict[str, str] = {}
    resolved: dict[tuple[int, int], _Mention] = {}
    for m in sorted(set(mentions), key=lambda m: (m.start, m.end)):
        speaker = resolved[(m.start, m.end)] = _resolve_one(m, history, names, genders)
        if speaker.kind != "unknown":
            history.append(speaker)
        honorific = m.phrase.split()[0].lower().rstrip(".")
        gender = m.name if m.kind == "pronoun" else _HONORIFICS.get(honorific)
        if speaker.kind == "named" and gender:
            genders.setdefault(speaker.name, gender)
    return resolved


def _resolve_one(
    m: _Mention, history: list[_Mention], names: _Names, genders: dict[str, str]
) -> _Mention:
    found = None
    if m.kind == "pronoun" and m.name in ("he", "she"):
        named = [h for h in history if h.kind == "named" and genders.get(h.name, m.name) == m.name]
        found = _latest(named, ("named",)) or replace(m, kind="unknown")
    elif m.kind == "pronoun":
        kinds = ("organisation",) if m.name == "it" else ("anonymous", "organisation")
        found = _latest(history, kinds) or replace(m, kind="unknown")
    elif m.definite:
        found = _latest(history, ("named", "anonymous", "organisation"), noun=m.head)
        if not found and m.head in _GENERIC:
            found = _latest(history, (m.kind,), generic=True)
    elif m.kind == "named" and " " not in m.name:
        found = replace(m, name=_full_name(m.name, m.start, names))
    return found or m


def _latest(
    history: list[_Mention], kinds: tuple[str, ...], noun: str = "", generic: bool = False
) -> _Mention | None:
    for h in reversed(history):
        if h.kind in kinds and noun in h.phrase.lower() and (not generic or h.head in _GENERIC):
            return h
    return None


def _name_index(text: str) -> _Names:
    """Personal names of two or three words, keyed by their last and first word."""
    index: _Names = {}
    for match in _NAME_RUN.finditer(text):
        name = _person_name(match.group().split())
        if name and 2 <= len(parts := name.split()) <= 3:
            index.setdefault(parts[-1], []).append((match.start(), name, True))
            index.setdefault(parts[0], []).append((match.start(), name, False))
    return index


def _full_name(word: str, pos: int, names: _Names) -> str:
    """The fullest name ending with ``word`` (one before ``pos`` first), else starting with it."""
    candidates = names.get(word)
    if not candidates:
        return word
    return max(candidates, key=lambda c: (c[2], c[0] < pos, len(c[1].split()), c[0]))[1]


def _to_quote(
    article_id: str, text: str, raw: _Raw, resolved: dict[tuple[int, int], _Mention]
) -> Quote:
    speaker = resolved[(raw.mention.start, raw.mention.end)] if raw.mention else None
    key = f"{article_id}\x1f{raw.start}\x1f{raw.end}"
    return Quote(
        id="q-" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12],
        article_id=article_id,
        start=raw.start,
        end=raw.end,
        text=text[raw.start : raw.end],
        speaker=speaker.name if speaker else None,
        speaker_kind=cast(SpeakerKind, speaker.kind) if speaker else "unknown",
        cue=raw.cue,
        direct=raw.direct,
        speaker_start=raw.mention.start if raw.mention else None,
        speaker_end=raw.mention.end if raw.mention else None,
    )


# --- citations -------------------------------------------------------------------------------


def _citations(article_id: str, text: str, sentences: Sequence[Sentence]) -> tuple[Citation, ...]:
    found = [
        hit
        for sentence in sentences
        for pattern, strict, before in _CITE_PATTERNS
        for match in pattern.finditer(text, sentence.start, sentence.end)
        if (hit := _citation_hit(match, strict, before))
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
        runs.append(tokens[1:] if tokens[0].group().lower() in _FILLERS else tokens)
    for run in runs:
        words = [t.group() for t in run]
        outlet = _outlet_name(words) or (None if run is not runs[-1] or strict else _plain(words))
        if outlet and before:
            return base + run[0].start(), match.end(), outlet
        if outlet:
            last, end = run[-1].group(), base + run[-1].end()
            trailing = 0 if _ACRONYM.fullmatch(last) else len(last) - len(last.rstrip(".,"))
            return match.start(), end - trailing, outlet
    return None


def _plain(words: list[str]) -> str | None:
    """A capitalised name that is not a known non-outlet ("officials", "US", "Department")."""
    words = words[1:] if words[:1] == ["The"] else words
    if not words or any(w in _NOT_OUTLET or w.lower() in _NOT_OUTLET for w in words):
        return None
    return " ".join(words)


def _outlet_name(words: Sequence[str]) -> str | None:
    """The canonical outlet name these words spell, or None if they do not look like one."""
    words = [w.rstrip(".,") for w in words]
    if words and words[0] in ("The", "the"):
        words = words[1:]
    if not words or not all(w[:1].isupper() or w in ("of", "&", "and", "de") for w in words):
        return None
    name = " ".join(words)
    if name in _NOT_OUTLET:
        return None
    known = "_".join(words) in _KNOWN_OUTLETS or any(w in _OUTLET_WORDS for w in words)
    if known or (len(words) == 1 and re.fullmatch(r"[A-Z]{2,5}", name)):
        return _OUTLET_ALIASES.get(name, name)
    return None
