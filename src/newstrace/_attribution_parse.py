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
    text: str, requests: Sequence[tuple[int, int, int, int]], nlp: NLP
) -> dict[tuple[int, int], Parsed]:
    """Map ``(quote start, quote end)`` to what the parse finds for each request
    ``(quote start, quote end, window start, window end)`` it can attribute."""
    windows = _merged(sorted({(ws, we) for _, _, ws, we in requests if we > ws}))
    if not windows:
        return {}
    docs = list(nlp.pipe(text[ws:we] for ws, we in windows))
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
    clause = any(t.pos_ in ("VERB", "AUX") for t in quote)
    long = clause and sum(t.is_alpha for t in quote) >= LONG_QUOTE_WORDS
    for governor in _governors(doc, quote):
        for verb in _up(governor, quote):
            plain = verb is governor and long and verb.pos_ != "AUX"
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
        if child.i not in inside and child.pos_ in ("VERB", "AUX")
    ]
    ordered = list(dict.fromkeys(heads + attached))
    return [v for v in ordered if v.pos_ in ("VERB", "AUX", "NOUN")][:3]


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


def _mention(text: str, head: Token, offset: int) -> SpeakerMention | None:
    """The subject phrase as a speaker mention (rules' classifier first)."""
    if head.lower_ in _NOT_SPEAKERS or outlet_name(head.text.split()):
        return None
    named = [t for t in head.rights if t.dep_ == "appos" and t.pos_ == "PROPN"]
    if named and head.pos_ != "PROPN":
        head = named[0]  # "The union leader, Dana Okafor, said"
    left = [t for t in head.lefts if t.dep_ in _MODIFIERS or t.dep_ == "prep"]
    first = min((t.left_edge.i for t in left), default=head.i)
    tokens = head.doc[first : head.i + 1]
    postmod = [t for t in head.rights if t.dep_ in ("prep", "amod", "acl")][:1]
    start = offset + tokens.start_char
    end = offset + (postmod[0].right_edge.idx + len(postmod[0].right_edge) if postmod else 0)
    end = max(end, offset + tokens.end_char)
    mention = classify(text, start, end) or classify(text, start, offset + tokens.end_char)
    if mention is not None:
        return mention
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    phrase = " ".join(text[start : offset + tokens.end_char].split())
    if tokens[0].lower_ in ("the", "a", "an", "this", "that"):
        phrase = phrase[0].lower() + phrase[1:]
    if outlet_name(phrase.split()):
        return None  # outlets are cited, not quoted speakers
    kind = "named" if head.pos_ == "PROPN" else "organisation"
    if head_noun(head.lower_) in ANON_HEADS:
        kind = "anonymous"  # "one source", "a friend of hers"
    return SpeakerMention(start, offset + tokens.end_char, phrase, kind, phrase)


def has_speech(text: str) -> bool:
    """Whether ``text`` has a verb of speech (checked once per distinct word)."""
    return any(_speech(word) for word in set(_WORD.findall(text.lower())))


def _speech(word: str) -> bool:
    """Whether ``word`` is an inflection of a verb of speech (no lemmatizer needed)."""
    forms = {word, word[:-1], word[:-2], word[:-3], word[:-2] + "e", word[:-3] + "e"}
    forms |= {word[:-3] + "y", word[:-2] + "y", _IRREGULAR.get(word, "")}
    return not forms.isdisjoint(_SPEECH)
