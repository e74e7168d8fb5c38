"""Attribution: who said what in an article, and which other outlets it cites.

Rules first, spaCy's dependency parse where they fail; every offset indexes
``Article.text``. Modules: ``_attribution_lexicon`` (word lists, regexes),
``_attribution_speakers`` (speaker phrases, resolution), ``_attribution_parse``
(parser-backed speakers), ``_attribution_describe`` (titles, anonymous kind/side/count),
``_attribution_citations`` (outlet citations), ``_nlp`` (the lazily loaded pipeline).

* Direct quotes: the text inside straight, curly or doubled-apostrophe ('') double marks;
  single marks double as apostrophes and are ignored. An unclosed quote ends at its
  paragraph's end if it opens the paragraph (the multi-paragraph convention), else at its
  sentence's end; none crosses a paragraph or exceeds ``MAX_QUOTE_CHARS``. “A,” she said,
  “B.” gives two Quote records sharing one speaker mention. Unattributed quotes of 1-3 words
  (scare quotes) are dropped; longer ones are kept with ``speaker=None``, kind ``unknown``.
* Speaker: a cue verb next to the quote (“…,” X said / said X / X said: “…” / X told CNN
  the … “…” / “…” according to X / “…?” X asked) or a dash credit (“…” ― X) is sure;
  otherwise, when the quote's sentence has a verb of speech, the parse decides (the
  subject of the verb of speech governing the quote; ``_attribution_parse``), else the
  nearest cue in the sentence, else the subject before a colon (in this paragraph or
  ending the previous one), else the speaker of the previous quote in the paragraph (or of
  the previous paragraph's last quote, when this one opens its paragraph).
* Partial quotes inside reported speech ("X said the repairs would take “many more
  weeks”"): the reported clause is also recorded, as an indirect quote holding the marks;
  a scare-quoted fragment of 1-3 words is then recorded only through its clause.
* Indirect speech (``direct=False``), conservative: "X said (that) …", "X told reporters …",
  "…, X said.", "according to X, …", in sentences without quote marks.
* Resolution: he/she -> the latest named speaker not known (Mr./Ms., earlier pronoun) as the
  other; they -> the latest anonymous or organisation speaker; it -> the latest organisation;
  "the official" -> the latest speaker whose phrase has that noun, else (generic nouns) the
  latest generic anonymous one; a lone surname -> the fullest name in the article ending
  (or, as "Xi", starting) with it. ``speaker`` is the resolved form,
  ``speaker_start``/``speaker_end`` the mention as written.
* Citations: "CNN reported", "according to the FT", "told Reuters", "a fresh FT report".

``settings.parse_reported_speech`` (default on) lets the parser find reported speech in
the sentences with a verb of reporting the rules left without one; off, only the
quotes' sentences are parsed (faster, fewer indirect attributions).
``nlp`` (keyword) is the parser to use: default the process-wide parser-only pipeline of
``_nlp.shared()``, loaded on first use; ``False`` for rules only. At most
``MAX_PARSED_QUOTES`` quotes per article are parsed, so hostile input stays bounded.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, cast

from ._attribution_citations import citations
from ._attribution_describe import apposition_in, describe, expand_reference, title_in
from ._attribution_lexicon import (
    ACCORDING_FIRST,
    ACCORDING_LAST,
    ADJUNCT,
    ALNUM,
    ANON_DESCRIPTOR,
    ANON_HEADS,
    AUX,
    BAD_START,
    CUE,
    DASH_CREDIT,
    INDIRECT_CUES,
    LEAD_APPOSITIVE,
    MARK,
    MAX_QUOTE_CHARS,
    OBJECT,
    OBJECT_CUES,
    SCARE_QUOTE_MAX_WORDS,
    SPACE,
    SPEAKER_LAST_TAIL,
    SUBORDINATORS,
    TAIL_ATTRIBUTION,
    THAT,
    TOKEN,
    WINDOW,
)
from ._attribution_parse import (
    MIXED_MIN_WORDS,
    PARSE_WINDOW,
    REPORTING_WORD,
    Parsed,
    has_speech,
    parse_reported,
    parse_speakers,
)
from ._attribution_speakers import (
    SpeakerMention,
    appositive,
    classify,
    head_noun,
    left_candidate,
    name_index,
    resolve,
    right_candidate,
    speaker_at,
)
from ._nlp import NLP, shared
from .config import Settings
from .model import Article, Citation, Quote, Sentence, SpeakerKind

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["MAX_QUOTE_CHARS", "extract_attribution"]

MAX_PARSED_QUOTES = 150  # quotes per article sent to the parser (bounds hostile input)
MAX_PARSED_SENTENCES = 300  # sentences per article parsed for reported speech
MIN_REPORTING_WORDS = 6  # words outside quotes a sentence needs to be parsed for reported speech


@dataclass(frozen=True, slots=True)
class _Raw:
    """A quote found, its speaker mention not yet resolved."""

    start: int
    end: int
    direct: bool
    cue: str | None
    mention: SpeakerMention | None


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


_Ruled = tuple[SpeakerMention | None, str | None, bool]


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
    article: Article,
    sentences: Sequence[Sentence],
    *,
    settings: Settings | None = None,
    nlp: NLP | Literal[False] | None = None,
) -> tuple[tuple[Quote, ...], tuple[Citation, ...]]:
    """Find the quotes (direct and indirect, with speakers) and the outlet
    citations of ``article``, whose ``sentences`` come from ``segment``.

    ``nlp`` parses the sentences where the rules found no speaker next to a quote
    (default: the shared parser-only pipeline; ``False``: rules only)."""
    text = article.text
    if not text or not sentences:
        return (), ()
    index = _Sentences(sentences)
    parser = None if nlp is False else nlp or shared()
    parsed: list[tuple[int, Doc]] = []
    raws = _direct_quotes(text, index, parser, parsed)
    indirect, extra = _indirect_quotes(text, index.items)
    raws.extend(indirect)
    if parser is not None and (settings is None or settings.parse_reported_speech):
        raws.extend(_parsed_reported(text, index.items, raws, parser, parsed))
    mentions = [r.mention for r in raws if r.mention] + extra + _descriptors(text)
    resolved = resolve(mentions, name_index(text))
    quotes = _with_titles(text, [_to_quote(article.id, text, r, resolved) for r in raws])
    ordered = sorted(quotes, key=lambda q: (q.start, q.end, q.direct))
    return tuple(ordered), citations(article.id, text, index.items)


# --- direct quotes ---------------------------------------------------------------------------


def _direct_quotes(
    text: str, index: _Sentences, nlp: NLP | None, parsed: list[tuple[int, Doc]]
) -> list[_Raw]:
    found = [(m.start(), m.end()) for m in MARK.finditer(text)]
    marks = ([start for start, _ in found], [end for _, end in found])
    spans = [
        span
        for number, lo, hi in index.paragraphs()
        for span in _spans(text, number, lo, hi, index)
    ]
    spans.sort(key=lambda s: (s.start, s.end))
    ruled = [_direct_speaker(text, span, index, marks) for span in spans]
    found = _parse(text, spans, ruled, index, nlp, parsed) if nlp is not None else {}
    raws: list[_Raw] = []
    clauses: set[tuple[int, int]] = set()
    previous: tuple[_Span, SpeakerMention | None] | None = None
    for span, (mention, cue, strong) in zip(spans, ruled, strict=True):
        if hit := found.get((span.start, span.end)):
            mention, cue = (mention, cue) if strong else (hit.mention, hit.cue)
            if hit.content and hit.content not in clauses:
                clauses.add(hit.content)  # "X said Y was “Z”": the clause is reported speech
                raws.append(_Raw(*hit.content, False, cue, mention))
        long = _word_count(text[span.start : span.end]) > SCARE_QUOTE_MAX_WORDS
        if hit and hit.content and not long:
            continue  # a scare-quoted word inside reported speech: the clause stands for it
        if mention is None and long and previous and _continues(span, previous[0]):
            mention = previous[1]
        if mention is None and not long:
            continue
        raws.append(_Raw(span.start, span.end, True, cue, mention))
        previous = (span, mention)
    return raws


def _parse(
    text: str,
    spans: list[_Span],
    ruled: list[_Ruled],
    index: _Sentences,
    nlp: NLP,
    parsed: list[tuple[int, Doc]],
) -> dict[tuple[int, int], Parsed]:
    """Parse the sentences of quotes without a sure speaker (a cue verb next to the
    quote; only those can hold a partial quote inside reported speech, too) that
    have a verb of speech somewhere in them."""
    speech: dict[tuple[int, int], bool] = {}
    requests = []
    for span, (_, _, strong) in zip(spans, ruled, strict=True):
        if strong:
            continue
        window = _window(span, index)
        if window not in speech:
            speech[window] = has_speech(text[window[0] : window[1]])
        if speech[window] and len(requests) < MAX_PARSED_QUOTES:
            requests.append((span.start, span.end, *window))
    return parse_speakers(text, requests, nlp, parsed)


def _window(span: _Span, index: _Sentences) -> tuple[int, int]:
    """The text parsed for a quote: its sentence, through the sentence after its close."""
    start = index.at(span.open).start
    last = index.at(span.close if span.close is not None else span.end)
    end = last.end
    if span.close is not None and not text_after(last, span.close):
        following = index.at(last.end + 1)
        end = following.end if following.paragraph == last.paragraph else end
    return start, min(end, start + PARSE_WINDOW)


def text_after(sentence: Sentence, pos: int) -> bool:
    """Whether ``sentence`` has words after ``pos``."""
    return any(c.isalnum() for c in sentence.text[pos - sentence.start :])


def _continues(span: _Span, before: _Span) -> bool:
    """Whether an unattributed quote carries on from the quote ``before`` it."""
    next_paragraph = span.paragraph == before.paragraph + 1 and span.opens_paragraph
    return span.paragraph == before.paragraph or next_paragraph


def _spans(text: str, paragraph: int, lo: int, hi: int, index: _Sentences) -> list[_Span]:
    """Pair the quote marks of one paragraph; unpaired opening marks run to the
    paragraph's end (when they open it) or to their sentence's end."""
    stack: list[re.Match[str]] = []
    pairs: list[tuple[re.Match[str], re.Match[str] | None]] = []
    for match in MARK.finditer(text, lo, hi):
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
    return (start, end) if ALNUM.search(text, start, end) else None


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _direct_speaker(
    text: str, span: _Span, index: _Sentences, marks: tuple[list[int], list[int]]
) -> _Ruled:
    """The speaker of a direct quote: a cue right after it, else the nearest cue
    before it in its sentence, else a later cue, else a subject before a colon; and
    whether the cue is next to the quote (a sure attribution the parser need not check)."""
    starts, ends = marks
    before = bisect_left(starts, span.open)
    lo = max(index.at(span.open).start, ends[before - 1] if before else 0, span.open - WINDOW)
    close = hi = near = span.close if span.close is not None else span.open
    if span.close is not None:
        after = bisect_left(starts, close)
        next_mark = starts[after] if after < len(starts) else len(text)
        hi = min(index.at(close - 1).end, next_mark, close + WINDOW)
        # “…?” she asked: the segmenter cuts before a capitalised speaker
        follow = SPACE.match(text, close).end()
        asked = text[span.end - 1] in "?!" and "\n" not in text[close:follow]
        near = min(index.at(follow).end, next_mark, close + WINDOW) if asked else hi
    post = list(CUE.finditer(text, close, near))
    mention = speaker_at(text, post[0], close, near) if post else None
    if mention and not text[close : mention.start].strip(" ,\n"):
        return mention, post[0].group(), True
    for cue in reversed(list(CUE.finditer(text, lo, span.open))):
        if mention := speaker_at(text, cue, lo, span.open):
            return mention, cue.group(), not text[cue.end() : span.open].strip(" ,:\n")
    for cue in (cue for cue in post if cue.end() <= hi):
        if mention := speaker_at(text, cue, close, hi):
            return mention, cue.group(), False
    if span.close is not None and (credit := _credit_speaker(text, span.close)):
        return credit, None, True
    if colon := _colon_speaker(text, lo, span.open) or _previous_colon(text, span, index):
        return colon, None, colon.kind == "named"
    return None, None, False


def _colon_speaker(text: str, lo: int, open_: int) -> SpeakerMention | None:
    """``Jane Roe had a different view: “…”``: the subject that opens the clause."""
    colon = text.rfind(":", lo, open_)
    if colon < 0 or _word_count(text[colon:open_]) > 3:
        return None
    end = lo
    for token in list(TOKEN.finditer(text, lo, colon))[:9]:
        word = token.group()
        if word.islower() and (word in AUX or word in ("also", "then") or word.endswith("ed")):
            break
        noun = head_noun(word) in ANON_HEADS  # "A D.C.-based analyst": the phrase goes on
        named = classify(text, lo, end) if word.islower() and end > lo and not noun else None
        if named and named.kind in ("named", "pronoun"):
            return named  # "Sanders made the following comment:"
        end = token.end()
    return classify(text, lo, end) if end > lo else None


def _credit_speaker(text: str, close: int) -> SpeakerMention | None:
    """``“…” ― Martha Aguilar``: a name after a dash that ends the line."""
    if not (dash := DASH_CREDIT.match(text, close)):
        return None
    line_end = text.find("\n", dash.end())
    line_end = len(text) if line_end < 0 else line_end
    if line_end - dash.end() > 60:
        return None
    mention = classify(text, dash.end(), line_end)
    return mention if mention and mention.kind == "named" else None


def _previous_colon(text: str, span: _Span, index: _Sentences) -> SpeakerMention | None:
    """A quote opening its paragraph after one that ends with a colon
    ("Caddell continued:"): the subject of that colon's sentence."""
    before = text[: span.open].rstrip()
    if not span.opens_paragraph or not before.endswith(":"):
        return None
    return _colon_speaker(text, index.at(len(before) - 1).start, span.open)


# --- indirect speech -------------------------------------------------------------------------


def _indirect_quotes(
    text: str, sentences: Sequence[Sentence]
) -> tuple[list[_Raw], list[SpeakerMention]]:
    """Reported speech in sentences without quote marks, plus the speaker
    mentions ("according to X") found where no clause could be taken."""
    raws: list[_Raw] = []
    extra: list[SpeakerMention] = []
    for sentence in sentences:
        if MARK.search(sentence.text):
            continue
        raw, mention = _according_to(text, sentence)
        if raw := raw or _reported(text, sentence):
            raws.append(raw)
        elif mention:
            extra.append(mention)
    return raws, extra


def _parsed_reported(
    text: str,
    sentences: Sequence[Sentence],
    raws: list[_Raw],
    nlp: NLP,
    parsed: list[tuple[int, Doc]],
) -> list[_Raw]:
    """Reported clauses the parse finds in sentences with a verb of reporting that
    the rules left without one; a clause that is only a direct quote is skipped."""
    taken = [(r.start, r.end) for r in raws if not r.direct]
    quoted = [(r.start, r.end) for r in raws if r.direct]
    windows = [
        (s.start, s.end)
        for s in sentences
        if s.end - s.start <= PARSE_WINDOW
        and REPORTING_WORD.search(s.text)
        and not any(s.start <= a < s.end for a, _ in taken)
        and _unquoted_words(text, s.start, s.end, quoted) >= MIN_REPORTING_WORDS
    ][:MAX_PARSED_SENTENCES]
    found = []
    for hit in parse_reported(text, windows, nlp, parsed) if windows else []:
        if any(hit.start < b and a < hit.end for a, b in taken):
            continue
        if _unquoted_words(text, hit.start, hit.end, quoted) < MIXED_MIN_WORDS:
            continue
        taken.append((hit.start, hit.end))
        found.append(_Raw(hit.start, hit.end, False, hit.cue, hit.mention))
    return found


def _descriptors(text: str) -> list[SpeakerMention]:
    """Anonymous sources described anywhere ("a senior official was cited in reports
    as …"): antecedents for a later "the official" even when they are not quoted."""
    found = []
    for match in ANON_DESCRIPTOR.finditer(text):
        mention = classify(text, *match.span())
        if mention and mention.kind == "anonymous" and not mention.definite:
            found.append(mention)
    return found


def _unquoted_words(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> int:
    """Words of ``text[start:end]`` outside the direct quotes."""
    inside = [(max(a, start), min(b, end)) for a, b in quoted if a < end and start < b]
    return sum(
        not any(a <= start + w.start() < b for a, b in inside)
        for w in re.finditer(r"\w+", text[start:end])
    )


def _according_to(text: str, s: Sentence) -> tuple[_Raw | None, SpeakerMention | None]:
    """ "According to X, …" and "…, according to X."."""
    if first := ACCORDING_FIRST.match(text, s.start, s.end):
        who = right_candidate(text, first.end(), s.end)
        mention = classify(text, *who)
        if mention is None or text[who[1] : who[1] + 1] != ",":
            return None, mention
        clause = who[1] + 1
        if appositive := LEAD_APPOSITIVE.match(text, clause, s.end):
            clause = appositive.end()
        return _clause(text, clause, s.end, "according to", mention, needs_verb=False), mention
    if last := ACCORDING_LAST.search(text, s.start, s.end):
        who = right_candidate(text, last.end(), s.end)
        mention = classify(text, *who)
        if mention and not text[who[1] : s.end].strip(" .!?\n"):
            return _clause(text, s.start, last.start(), "according to", mention, False), mention
    return None, None


def _reported(text: str, s: Sentence) -> _Raw | None:
    """ "X said (that) …", "X told reporters …" or "…, X said." in one sentence."""
    for cue in list(CUE.finditer(text, s.start, s.end))[:5]:
        word = cue.group().lower()
        if word not in INDIRECT_CUES:
            continue
        start, end, boundary = left_candidate(text, s.start, cue.start())
        mention = appositive(text, s.start, cue.start()) or classify(text, start, end)
        if mention is None:
            continue
        pos = _skip_adjuncts(text, cue.end(), s.end)
        after_comma = text[s.start : mention.start].rstrip().endswith(",")
        if (
            after_comma
            and word not in OBJECT_CUES
            and SPEAKER_LAST_TAIL.fullmatch(text, pos, s.end)
        ):
            cut = text.rfind(",", s.start, mention.start)
            return _clause(text, s.start, cut, word, mention, needs_verb=True)
        return _speaker_first(text, s, cue, mention, boundary)
    return None


def _speaker_first(
    text: str, s: Sentence, cue: re.Match[str], mention: SpeakerMention, boundary: str
) -> _Raw | None:
    """The clause reported after "X said" / "X told Y" (up to a comma when the
    speaker's clause was subordinate: "While officials say …, …")."""
    word = cue.group().lower()
    pos = cue.end()
    if word in OBJECT_CUES:
        obj = OBJECT.match(text, pos, s.end)
        if obj and (word.startswith("t") or THAT.match(text, obj.end(), s.end)):
            pos = obj.end()
        elif word.startswith("t"):
            return None
    pos = _skip_adjuncts(text, pos, s.end)
    that = THAT.match(text, pos, s.end)
    comma = text.find(",", pos, s.end) if boundary in SUBORDINATORS else -1
    end = comma if comma > 0 else s.end
    return _clause(text, that.end() if that else pos, end, word, mention, needs_verb=not that)


def _skip_adjuncts(text: str, pos: int, end: int) -> int:
    while adjunct := ADJUNCT.match(text, pos, end):
        pos = adjunct.end()
    return pos


def _clause(
    text: str, start: int, end: int, cue: str, mention: SpeakerMention, needs_verb: bool
) -> _Raw | None:
    """An indirect quote over ``text[start:end]`` if that reads as a clause."""
    if tail := TAIL_ATTRIBUTION.search(text, start, end):
        end = tail.start()
    while start < end and text[start] in " \t\n,":
        start += 1
    while end > start and text[end - 1] in " \t\n.!?,":
        end -= 1
    words = [w.lower().strip(".,’'") for w in text[start:end].split()]
    if len(words) < 3 or words[0] in BAD_START or not text[start].isalnum():
        return None
    if needs_verb and not any(w in AUX or w.endswith("ed") for w in words[:12]):
        return None
    return _Raw(start, end, False, cue, mention)


def _to_quote(
    article_id: str, text: str, raw: _Raw, resolved: dict[tuple[int, int], SpeakerMention]
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
        **_described(speaker),
    )


def _with_titles(text: str, quotes: list[Quote]) -> list[Quote]:
    """Give named speakers the title (and affiliation) their fullest mention carries in
    the article: a title before the name, else an apposition after it."""
    titles: dict[str, tuple[str | None, str | None]] = {}
    for q in quotes:
        if q.speaker and q.speaker_kind == "named" and q.speaker_title:
            titles.setdefault(q.speaker, (q.speaker_title, q.speaker_affiliation))
    out = []
    for q in quotes:
        if q.speaker and q.speaker_kind == "named" and not q.speaker_affiliation:
            if q.speaker not in titles:
                before = title_in(text, q.speaker)
                after = apposition_in(text, q.speaker)
                affiliation = expand_reference(text, after.affiliation)
                titles[q.speaker] = (before or after.title, affiliation)
            title, affiliation = titles[q.speaker]
            q = replace(q, speaker_title=q.speaker_title or title, speaker_affiliation=affiliation)
        elif q.speaker_affiliation:
            q = replace(q, speaker_affiliation=expand_reference(text, q.speaker_affiliation))
        out.append(q)
    return out


def _described(speaker: SpeakerMention | None) -> dict[str, str | int | None]:
    if speaker is None:
        return {}
    d = describe(speaker.phrase, speaker.name, speaker.kind)
    return dict(
        speaker_title=d.title,
        speaker_affiliation=d.affiliation,
        anonymous_kind=d.anonymous_kind,
        side=d.side,
        count=d.count,
    )
