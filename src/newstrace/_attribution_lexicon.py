"""Word lists and regular expressions shared by the attribution modules.

Every pattern here is linear-time on hostile text: no nested unbounded
repetition, every lookaround bounded.
"""

from __future__ import annotations

import re
from types import MappingProxyType

MAX_QUOTE_CHARS = 2000
SCARE_QUOTE_MAX_WORDS = 3
WINDOW = 300  # characters of context searched on each side of a quote


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Head nouns are listed singular; ``head_noun`` also accepts a plural in -s.
GENERIC = _set("official source person people manager executive aide diplomat insider staffer")
ANON_HEADS = GENERIC | _set(
    "spokesman spokeswoman spokesperson spokespeople analyst expert adviser advisor observer "
    "negotiator lawmaker witness witnesses resident member employee worker those someone officer "
    "investigator researcher economist head leader representative envoy minister president "
    "secretary director chairman ambassador critic supporter opponent protester activist "
    "scientist doctor prosecutor lawyer senator governor mayor judge chancellor commissioner"
)
ORG_HEADS = _set(
    "ministry department embassy authority authorities company agency government office police "
    "administration commission council committee military army navy court bank union firm group "
    "parliament congress senate cabinet kremlin pentagon corporation organisation organization "
    "institute foundation party board consulate regulator university college school hospital "
    "museum association federation league club society centre center trust"
)
HONORIFICS = MappingProxyType(dict(mr="he", sir="he", mrs="she", ms="she", miss="she"))
KNOWN_ORGS = _set("white_house kremlin pentagon downing_street congress")
TITLES = _set(
    "mr mrs ms dr prof sir president vice prime minister secretary general adviser advisor "
    "director spokesman spokeswoman spokesperson chief executive senator sen rep representative "
    "gov governor mayor ambassador envoy chairman chairwoman chair head leader commander officer "
    "deputy national security foreign affairs state defense defence intelligence central press "
    "commission council committee department ministry house white senior judge justice king queen "
    "prince premier chancellor lt col capt gen sgt maj adm analyst economist professor official "
    "correspondent top former acting assistant special councillor councilor mp inspector"
)
CONNECTORS = _set("of for de da del di du van von der den la le al bin ibn the and")
FILLERS = _set(
    "however but and then so also now meanwhile still yet later separately earlier instead "
    "indeed asked when while"
)
DETERMINERS = _set("a an another the this that one two three four several some many")
NOT_NAMES = _set(
    "it this that there these who what which we i you one everyone everybody nobody nothing "
    "many some others both all most few each either neither none"
)
AUX = _set(
    "is are was were be been being had has have will would could should may might can did does "
    "do must shall"
)
BAD_START = AUX | _set(
    "to by of for with in on at as and or but so about from into that not no adding nothing "
    "said says told"
)
OK_PLURALS = _set("various numerous previous serious us u.s its his")
POSTMOD = _set(
    "familiar close with who briefed involved speaking in at from to for on of based "
    "knowledgeable aware under inside representing"
)
INDIRECT_CUES = _set(
    "said says say told tells tell added adds warned warns noted notes insisted insists stated "
    "states explained explains argued argues claimed claims confirmed stressed acknowledged "
    "admitted wrote writes declared"
)
OBJECT_CUES = _set("told tells tell warned warns")
SUBORDINATORS = _set("while although though as because if when since")
OUTLET_WORDS = _set(
    "News Times Post Press Agency Journal Herald Courier TV Radio Network Gazette Daily Tribune "
    "Channel Telegraph Guardian Observer Wire Broadcasting Magazine Chronicle Economist"
)
KNOWN_OUTLETS = _set(
    "CNN BBC Reuters AP AFP Bloomberg FT Financial_Times New_York_Times NYT Washington_Post "
    "Wall_Street_Journal WSJ Al_Jazeera Xinhua TASS NBC CBS ABC Fox_News NPR Politico Axios "
    "Associated_Press Kyodo Yonhap Nikkei Interfax Guardian South_China_Morning_Post SCMP "
    "Global_Times Der_Spiegel Le_Monde Sky_News"
)
OUTLET_ALIASES = MappingProxyType(
    dict(
        FT="Financial Times",
        NYT="New York Times",
        WSJ="Wall Street Journal",
        WaPo="Washington Post",
    )
)
NOT_OUTLET = _set(
    "US USA UN UK EU NATO PRC CIA FBI NSA WHO IMF DC GOP officials official cable report data "
    "department ministry embassy government administration house office police president "
    "minister spokesman sources source intelligence study survey poll document documents memo he "
    "she they it this that there who we these those such some many several other earlier recent "
    "previous"
)

ANON_DESCRIPTOR = (
    re.compile(  # "a senior Biden admin official", "two sources familiar with the matter"
        r"\b(?:[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Aa]nother)\s+(?:[\w.’'\-]+\s+){0,4}?"
        r"(?:officials?|sources?|aides?|diplomats?|insiders?)\b(?:\s+familiar with the \w+)?"
    )
)
MARK = re.compile(r"''|[\"“”]")  # '' is the double mark of some wire and archive copy
_CUE_WORDS = INDIRECT_CUES | _set(
    "replied replies asked asks cautioned emphasised emphasized recalled remarked commented"
)
CUE = re.compile(rf"\b(?:{'|'.join(sorted(_CUE_WORDS))}|[Aa]ccording to)\b")
TOKEN = re.compile(r"[^\s,;:()\[\]“”\"]+")
LEFT_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"—–]|\s-\s|\b(?:[Aa]nd|[Bb]ut|that|[Ww]hile|as|[Bb]ecause|which|[Ww]hen|"
    r"[Aa]fter|[Bb]efore|[Aa]lthough|[Tt]hough|[Ss]ince|where|whereas|[Ii]f|[Ss]o)\b"
)
RIGHT_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"—–!?]|(?<![A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)\.(?=\s|$)|\s-\s|"
    r"\b(?:and|but|that|while|as|because|which|when|after|before|adding|who)\b"
)
_DAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight"
ADJUNCT = re.compile(
    rf"(?:\s*,)?\s+(?:(?:on|last|this|late|early|earlier|later)\s+)?(?:{_DAYS}|week|weekend|"
    r"month|year|morning|evening|night)\b|(?:\s*,)?\s+(?:in|at|during)\s+an?\s+(?:statement|"
    r"interview|briefing|news conference|press conference|post|email)\b|\s+(?:separately|"
    r"privately|publicly|later|earlier|also|recently|repeatedly|then|on condition of anonymity)\b"
)
OBJECT = re.compile(
    r"\s+(?:reporters|journalists|lawmakers|colleagues|allies|him|her|them|us|me|"
    r"(?:the\s+)?[A-Z][\w.’'&-]*(?:[ \t]+[A-Z][\w.’'&-]*){0,3}|(?:the|his|her|their)\s+\w+)"
)
DASH_CREDIT = re.compile(r"[ \t\xa0]*[―—–][ \t\xa0]*(?=[A-Z])")
SPACE = re.compile(r"\s*")
PARENTHESIS = re.compile(r"\s*\([^()]{0,40}\)\s*")
THAT = re.compile(r"\s*,?\s*that\b")
SPEAKER_LAST_TAIL = re.compile(r"\s*(?:,\s*adding\b.*)?[.!?]?\s*", re.S)
TAIL_ATTRIBUTION = re.compile(
    r",\s+(?:adding\b|[^,]{0,80}?\b(?:reported|reports|said|says|according to)\b)"
)
ACCORDING_FIRST = re.compile(r"\s*According to\s+")
ACCORDING_LAST = re.compile(r",\s+according to\s+")
LEAD_APPOSITIVE = re.compile(r"\s*(?:the |a )?[a-z][^,;]{0,80},")
APPOSITIVE = re.compile(
    r"((?:[A-Z][\w’'.\-]*[ \t]+){0,5}[A-Z][\w’'.\-]*)\s*,\s*((?:the |a |an |(?:deputy |chief |"
    r"senior |former )?(?:head|spokesman|spokeswoman|director|leader|chief|president|chairman|"
    r"minister|secretary|adviser|analyst|economist)\b)[^,;:“”\"]{0,80}?)\s*,\s*$"
)
NAME_RUN = re.compile(r"[A-Z][\w’'\-]+(?:[ \t]+[A-Z][\w’'.\-]*)+")
ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{2,6}")
ALNUM = re.compile(r"\w")
_CAPRUN = r"[A-Z][\w&’'.\-]*(?:[ \t]+(?:(?:of|de|&|and)[ \t]+)?(?:[A-Z][\w&’'.\-]*|\d{1,3}\b)){0,5}"
_O = rf"(?P<outlet>{_CAPRUN})"
# fmt: off
CITE_PATTERNS = tuple(  # (pattern, must look like an outlet, outlet comes before the cue)
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
        (rf"(?m)^[ \t]*See also:?[ \t]+(?:the[ \t]+)?{_O}[ \t]*$", True, False),
    )
)
# fmt: on
UNNAMED_OUTLET = "unnamed reports"  # the outlet of "cited in multiple reports"
UNNAMED_REPORTS = re.compile(
    r"\b(?:(?:cited|quoted|mentioned) in|[Aa]ccording to|[Cc]iting)\s+(?:multiple|several|numerous|"
    r"various|many|some|other|media|news|press|local|published)(?:\s+(?:media|news|press))?\s+"
    r"reports\b|\b(?:(?:[Mm]edia|[Nn]ews|[Pp]ress) reports|Reports)\s+"
    r"(?:said|say|suggested|suggest|claimed|claim)\b"
)
