"""Speakers from spaCy's dependency parse, for quotes the cue-verb rules cannot place.

Only the sentences around such quotes are parsed (one ``nlp.pipe`` batch per article).
For a quote, the verb that governs it is the first head outside the quote of any of its
tokens ("Vitter demanded", "the letter reads", "Trump tweeted that …"), or, when the
quote holds the sentence's root, a verb outside the quote attached to it ("“…,” he
said" parsed as parataxis). Its subject (``nsubj``/``nsubjpass``), climbing through
``xcomp``/``advcl``/``conj`` heads when the verb has none ("Clinton had mocked it,
saying …"), is read as a speaker phrase with the rule-based classifier.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._attribution_citations import outlet_name
from ._attribution_lexicon import ANON_HEADS
from ._attribution_speakers import SpeakerMention, classify, head_noun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ._nlp import NLP

PARSE_WINDOW = 1200  # characters parsed around one quote at most
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_CLIMB = frozenset({"xcomp", "advcl", "conj", "ccomp", "pcomp", "acl"})
_MODIFIERS = frozenset({"det", "amod", "compound", "nummod", "poss", "case", "nmod", "quantmod"})
_NOT_SPEAKERS = frozenset({"who", "that", "which", "what", "this", "there", "i", "we", "you"})
_SPEECH = frozenset(
    "say tell add ask write tweet post demand boast declare claim insist argue explain note "
    "warn reply respond recall read sing chant shout yell scream state announce comment "
    "continue conclude describe quip joke muse observe remark admit acknowledge suggest predict "
    "promise vow urge plead complain mock quote cite testify report answer exclaim lament praise "
    "mutter whisper repeat emphasize emphasise stress concede deny question wonder caution "
    "confirm counter retort reiterate proclaim pledge thunder scoff snap charge allege accuse "
    "call label dub brand proclaim assert contend maintain begin open text email put".split()
)
_WORD = re.compile(r"[a-z]+")
_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "sang": "sing", "began": "begin"}
CLIMB_LEVELS = 3  # clause levels searched above a quote for its verb of speech
MIXED_MIN_WORDS = 2  # words of its own a reported clause needs to stand for a partial quote
LONG_QUOTE_WORDS = 7  # a clause this long is a statement even after a verb not of speech

_CONTENT_DEPS = frozenset({"ccomp", "dobj", "xcomp", "advcl", "prep", "oprd", "attr", "acomp"})


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the parse says of one quote: its speaker and cue verb, and for a partial
    quote inside a reported clause ("X said Y was “Z”") that clause's span."""

    mention: SpeakerMention
    cue: str
    content: tuple[int, int] | None = None


def parse_speakers(
    text: str,
    requests: Sequence[tuple[int, int, int, int]],
    nlp: NLP,
    parsed: list[tuple[int, Doc]] | None = None,
) -> dict[tuple[int, int], Parsed]:
    """Map ``(quote start, quote end)`` to what the parse finds for each request
    ``(quote start, quote end, window start, window end)`` it can attribute; the
    parsed windows are appended to ``parsed`` as ``(offset, doc)`` for reuse."""
    windows = _merged(sorted({(ws, we) for _, _, ws, we in requests if we > ws}))
    if not windows:
        return {}
    docs = list(nlp.pipe(text[ws:we] for ws, we in windows))
    if parsed is not None:
        parsed.extend((ws, doc) for (ws, _), doc in zip(windows, docs, strict=True))
    found: dict[tuple[int, int], Parsed] = {}
    for start, end, _, _ in requests:
        at = bisect_right(windows, (start, len(text))) - 1
        if at < 0 or not windows[at][0] <= start < end <= windows[at][1]:
            continue
        doc, ws = docs[at], windows[at][0]
        quote = doc.char_span(start - ws, end - ws, alignment_mode="expand")
        hit = _speaker(text, doc, quote, ws) if quote is not None and len(quote) else None
        if hit is not None:
            found[(start, end)] = hit
    return found


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping windows joined, so no text is parsed twice."""
    merged: list[tuple[int, int]] = []
    for start, end in windows:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _speaker(text: str, doc: Doc, quote: Span, offset: int) -> Parsed | None:
    clause = any(pos(t) in ("VERB", "AUX") for t in quote)
    long = clause and sum(t.is_alpha for t in quote) >= LONG_QUOTE_WORDS
    for governor in _governors(doc, quote):
        for verb in _up(governor, quote):
            plain = verb is governor and long and pos(verb) != "AUX"
            if not (plain or _speech(verb.lower_)):
                continue
            subject = _subject(verb, quote)
            if subject is not None and (mention := _mention(text, subject, offset)):
                return Parsed(mention, verb.text, _content(verb, quote, offset))
            break
    return _after(text, doc, quote, offset)


def _after(text: str, doc: Doc, quote: Span, offset: int) -> Parsed | None:
    """“…?” Senator X demanded: a verb of speech heading the next parsed sentence,
    its subject (or itself, inverted) right after the quote."""
    rest = [t for t in doc[quote.end :] if not t.is_punct and not t.is_space][:1]
    marks = [t.text for t in quote if t.is_punct and t.text in "?!"]
    if not rest or not marks:
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in rest[0].sent.root.children):
        return None  # the verb reports something of its own
    verb = rest[0].sent.root
    subject = _subject(verb, quote)
    if not _speech(verb.lower_) or subject is None or rest[0].sent.start == quote.sent.start:
        return None
    if subject.left_edge.i != rest[0].i and verb.i != rest[0].i:
        return None
    mention = _mention(text, subject, offset)
    return Parsed(mention, verb.text) if mention else None


def _up(token: Token, quote: Span) -> list[Token]:
    """``token`` and the heads above it (a few clause levels, outside the quote):
    "said that it would take “more hours”" reaches "said" from "take"."""
    chain = [token]
    while len(chain) <= CLIMB_LEVELS and token.head.i != token.i:
        token = token.head
        if quote.start <= token.i < quote.end:
            break
        chain.append(token)
    return chain


def _content(verb: Token, quote: Span, offset: int) -> tuple[int, int] | None:
    """The reported clause of ``verb`` around a partial quote, if it has words of
    its own outside the quote marks."""
    token = quote[0]
    for _ in range(len(quote.doc)):
        if token.head.i == verb.i or token.head.i == token.i:
            break
        token = token.head
    if token.head.i != verb.i or token.dep_ not in _CONTENT_DEPS:
        return None
    first, last = token.left_edge, token.right_edge
    if first.i < verb.i < last.i:
        return None
    outside = sum(t.is_alpha for t in quote.doc[first.i : last.i + 1]) - sum(
        t.is_alpha for t in quote
    )
    if outside < MIXED_MIN_WORDS or first.i > quote.start or last.i < quote.end - 1:
        return None
    return offset + first.idx, offset + last.idx + len(last)


def _governors(doc: Doc, quote: Span) -> list[Token]:
    """Verbs outside the quote that take it as an argument, nearest first."""
    inside = range(quote.start, quote.end)
    heads = [t.head for t in quote if t.head.i not in inside and t.head.i != t.i]
    attached = [
        child
        for t in quote
        for child in t.children
        if child.i not in inside and pos(child) in ("VERB", "AUX")
    ]
    ordered = list(dict.fromkeys(heads + attached))
    return [v for v in ordered if pos(v) in ("VERB", "AUX", "NOUN")][:3]


def _subject(verb: Token, quote: Span) -> Token | None:
    """The subject of ``verb`` (outside the quote), climbing a few clause links."""
    for _ in range(3):
        for child in verb.children:
            if child.dep_ in _SUBJECTS and not quote.start <= child.i < quote.end:
                return child
        if verb.dep_ not in _CLIMB or verb.head.i == verb.i:
            return None
        verb = verb.head
        if quote.start <= verb.i < quote.end:
            return None
    return None


def _mention(text: str, head: Token, offset: int, strict: bool = False) -> SpeakerMention | None:
    """The subject phrase as a speaker mention (rules' classifier first; ``strict``:
    "reports say" is a citation of unnamed reports, not a speaker)."""
    if head.lower_ in _NOT_SPEAKERS or outlet_name(head.text.split()):
        return None
    named = [t for t in head.rights if t.dep_ == "appos" and pos(t) == "PROPN"]
    if named and pos(head) != "PROPN":
        head = named[0]  # "The union leader, Dana Okafor, said"
    left = [t for t in head.lefts if t.dep_ in _MODIFIERS or t.dep_ == "prep"]
    first = min((t.left_edge.i for t in left), default=head.i)
    tokens = head.doc[first : head.i + 1]
    postmod = [t for t in head.rights if t.dep_ in ("prep", "amod", "acl")][:1]
    start = offset + tokens.start_char
    end = offset + (postmod[0].right_edge.idx + len(postmod[0].right_edge) if postmod else 0)
    end = max(end, offset + tokens.end_char)
    mention = classify(text, start, end) or classify(text, start, offset + tokens.end_char)
    if mention is not None or (strict and head.lower_ in _CITED_NOT_SPEAKING):
        return mention
    if pos(head) not in ("NOUN", "PROPN"):
        return None
    phrase = " ".join(text[start : offset + tokens.end_char].split())
    if tokens[0].lower_ in ("the", "a", "an", "this", "that"):
        phrase = phrase[0].lower() + phrase[1:]
    if outlet_name(phrase.split()):
        return None  # outlets are cited, not quoted speakers
    kind = "named" if pos(head) == "PROPN" else "organisation"
    if head_noun(head.lower_) in ANON_HEADS:
        kind = "anonymous"  # "one source", "a friend of hers"
    return SpeakerMention(start, offset + tokens.end_char, phrase, kind, phrase)


_AUXILIARIES = frozenset(
    "be am is are was were been being 's 're 'm have has had having do does did".split()
)
_COARSE = {"NNP": "PROPN", "NNPS": "PROPN", "NN": "NOUN", "NNS": "NOUN", "MD": "AUX"}


def pos(token: Token) -> str:
    """The coarse part of speech from the fine tag (no attribute ruler in the pipeline)."""
    tag = token.tag_
    if tag.startswith("VB"):
        return "AUX" if token.lower_ in _AUXILIARIES else "VERB"
    return _COARSE.get(tag, "X")


def has_speech(text: str) -> bool:
    """Whether ``text`` has a verb of speech (checked once per distinct word)."""
    return any(_speech(word) for word in set(_WORD.findall(text.lower())))


def _speech(word: str) -> bool:
    """Whether ``word`` is an inflection of a verb of speech (no lemmatizer needed)."""
    forms = {word, word[:-1], word[:-2], word[:-3], word[:-2] + "e", word[:-3] + "e"}
    forms |= {word[:-3] + "y", word[:-2] + "y", _IRREGULAR.get(word, "")}
    return not forms.isdisjoint(_SPEECH)


# --- reported speech ------------------------------------------------------------------------

_REPORTING = frozenset(
    "say tell add note warn claim argue explain insist state acknowledge admit write announce "
    "report suggest confirm deny stress emphasize emphasise predict contend assert testify agree "
    "believe think show find reveal allege charge concede estimate indicate promise pledge vow "
    "complain recall reply respond tweet declare caution conclude maintain".split()
)
REPORTING_WORD = re.compile(
    r"\b(?:says?|said|saying|tell|tells|told|telling|add(?:s|ed|ing)?|not(?:e|es|ed|ing)|warn"
    r"(?:s|ed|ing)?|claim(?:s|ed|ing)?|argu(?:e|es|ed|ing)|explain(?:s|ed|ing)?|insist(?:s|ed|ing)?|"
    r"stated|acknowledg(?:e|es|ed|ing)|admit(?:s|ted|ting)?|wr(?:ite|ites|ote|iting)|"
    r"announc(?:e|es|ed|ing)|report(?:s|ed|ing)?|suggest(?:s|ed|ing)?|confirm(?:s|ed|ing)?|"
    r"den(?:y|ies|ied|ying)|stress(?:es|ed|ing)?|emphasi[sz](?:e|es|ed|ing)|predict(?:s|ed|ing)?|"
    r"contend(?:s|ed|ing)?|assert(?:s|ed|ing)?|testif(?:y|ies|ied|ying)|agree(?:s|d|ing)?|"
    r"believ(?:e|es|ed|ing)|think(?:s|ing)?|thought|show(?:s|ed|n|ing)?|f(?:ind|inds|ound|inding)|"
    r"reveal(?:s|ed|ing)?|alleg(?:e|es|ed|ing)|charg(?:e|es|ed|ing)|conced(?:e|es|ed|ing)|"
    r"estimat(?:e|es|ed|ing)|indicat(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|"
    r"vow(?:s|ed|ing)?|complain(?:s|ed|ing)?|recall(?:s|ed|ing)?|repl(?:y|ies|ied|ying)|"
    r"respond(?:s|ed|ing)?|tweet(?:s|ed|ing)?|declar(?:e|es|ed|ing)|caution(?:s|ed|ing)?|"
    r"conclud(?:e|es|ed|ing)|maintain(?:s|ed|ing)?)\b"
)
MIN_CLAUSE_WORDS = 3


@dataclass(frozen=True, slots=True)
class Reported:
    """A reported clause found by the parse: its span, cue verb and speaker."""

    start: int
    end: int
    cue: str
    mention: SpeakerMention


def parse_reported(
    text: str,
    windows: Sequence[tuple[int, int]],
    nlp: NLP,
    parsed: Sequence[tuple[int, Doc]] = (),
) -> list[Reported]:
    """Reported speech in ``windows`` (sentences with a verb of reporting): each
    verb of reporting with a subject that can speak and a clausal complement
    ("Officials said the talks had stalled", "The plan failed, she said"). A window
    inside one of the ``parsed`` docs is read from it, not parsed again."""
    jobs: list[tuple[int, Doc, int, int]] = []
    fresh = []
    for ws, we in windows:
        host = next((h for h in parsed if h[0] <= ws and we <= h[0] + len(h[1].text)), None)
        if host is None:
            fresh.append((ws, we))
        else:
            jobs.append((*host, ws, we))
    for (ws, we), doc in zip(fresh, nlp.pipe(text[a:b] for a, b in fresh), strict=True):
        jobs.append((ws, doc, ws, we))
    found = []
    for offset, doc, ws, we in jobs:
        for verb in doc:
            if not ws <= offset + verb.idx < we:
                continue
            if pos(verb) not in ("VERB", "AUX") or not _reporting(verb.lower_):
                continue
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            subject = _subject(verb, doc[0:0])
            if clause is None or subject is None or _enumeration(subject):
                continue
            if not _has_own_subject(clause):
                continue  # "officials say have hindered", "which officials said was late"
            tokens = [
                t
                for t in doc[clause.left_edge.i : clause.right_edge.i + 1]
                if not (t.is_punct and t.text not in "\"“”'’")
            ]
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            while tokens and (tokens[0].is_punct or tokens[0].is_space):
                tokens.pop(0)
            if sum(t.is_alpha for t in tokens) < MIN_CLAUSE_WORDS:
                continue
            if (mention := _mention(text, subject, offset, strict=True)) is None:
                continue
            start = offset + tokens[0].idx
            end = offset + tokens[-1].idx + len(tokens[-1])
            found.append(Reported(start, end, verb.text, mention))
    return found


def _has_own_subject(clause: Token) -> bool:
    """Whether a reported clause has a subject of its own that is not a relative pronoun."""
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
    return bool(subjects) and all(c.lower_ not in _RELATIVES for c in subjects)


_CITED_NOT_SPEAKING = frozenset({"report", "reports"})
_RELATIVES = frozenset({"which", "that", "who", "whom", "what"})


def _enumeration(subject: Token) -> bool:
    """Several parties as one subject ("The council, its allies in X and Y, said"):
    no single speaker to name."""
    return any(
        c.dep_ == "conj" or (c.dep_ == "appos" and pos(c) != "PROPN") for c in subject.children
    )


def _reporting(word: str) -> bool:
    forms = {word, word[:-1], word[:-2], word[:-3], word[:-2] + "e", word[:-3] + "e"}
    forms |= {word[:-3] + "y", word[:-2] + "y", word[:-1] + "e", word[:-4]}
    forms |= {
        _IRREGULAR.get(word, ""),
        {"thought": "think", "found": "find", "shown": "show"}.get(word, ""),
    }
    return not forms.isdisjoint(_REPORTING)
