"""Group the clauses of a story into claims: one assertion, many mentions.

Claim units are clauses, not whole sentences (``_clauses.split_units``): the
reporting frame ("…, US officials said") is set aside and coordinated
assertions ("… and that …", "…, saying …") are cut apart, so an assertion
made inside reported speech or a longer sentence is a mention of its own,
with its offsets. Two units of different articles are the same claim when
any rule below holds (and their numbers agree, and both deny or neither
does):

- the reuse stage aligned their sentences (the same sentence by
  construction) and the units are the closest pair of the two sentences;
- their content words overlap (Dice of at least ``settings.claim_similarity``
  with at least ``MIN_SHARED_WORDS`` shared words);
- with an embedder, their embeddings are close (``PARAPHRASE_SIMILARITY``);
  or fairly close (``RELATED_SIMILARITY``) while naming a common entity or
  number; or loosely close (``EVENT_SIMILARITY``) while reporting the same
  kind of event (a request, a supply, a decision, a cancellation, casualties,
  …) about
  compatible entities, or the same count.

Units whose main event words differ, or of which one is negated and the
other not ("had not been inspected" / "had been inspected"), never join by
similarity ("Russia asked
China for drones" is not "China decided to give economic support"). A
denial and the counter-assertion it introduces ("denied X, saying Y") are one
claim; otherwise denials never join assertions and the corroborate stage
links them as conflicts. Claims mentioned by a single article are kept only
when they deny something. Each mention carries its stance, found from cue
words in the unit and its reporting frame; the claim's statement is its
most typical mention with its reporting frame ("… (a senior official said)").
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ._clauses import split_units
from ._graph import UnionFind
from ._text import STOPWORDS, content_words, fold, words
from .config import Settings
from .embed import Embedder, trained_on
from .model import Claim, Mention, Reuse, Sentence, Span, Stance, Story

MIN_CLAIM_WORDS = 6
MIN_UNIT_WORDS = 3
MIN_SHARED_WORDS = 4
PARAPHRASE_SIMILARITY = 0.8
RELATED_SIMILARITY = 0.6
EVENT_SIMILARITY = 0.55
COUNT_SIMILARITY = 0.4
TOPIC_SHARE = 0.5
MIN_SHARED_SOURCE_WORDS = 2
SOURCE_SIMILARITY = 0.5
LEXICAL_OVERLAP = 0.3
ALIGNED_CLOSENESS = 0.4
MAX_POSTING = 200
COUNTER_JOINERS = frozenset({"saying", "adding", "insisting", "arguing", "stressing", "noting"})

Key = tuple[str, int, int]
_PUNCTUATION = " \t\n,.;:!?\"'“”‘’()–—-"

SIDES = {
    "us": "us",
    "u.s": "us",
    "american": "us",
    "america": "us",
    "americans": "us",
    "washington": "us",
    "chinese": "china",
    "china": "china",
    "beijing": "china",
    "russian": "russia",
    "russia": "russia",
    "moscow": "russia",
    "kremlin": "russia",
    "ukrainian": "ukraine",
    "ukraine": "ukraine",
    "kyiv": "ukraine",
    "british": "uk",
    "britain": "uk",
    "london": "uk",
    "european": "eu",
    "europe": "eu",
    "french": "france",
    "france": "france",
    "paris": "france",
    "german": "germany",
    "germany": "germany",
    "berlin": "germany",
    "israeli": "israel",
    "israel": "israel",
    "iranian": "iran",
    "iran": "iran",
    "tehran": "iran",
    "indian": "india",
    "india": "india",
    "japanese": "japan",
    "japan": "japan",
    "tokyo": "japan",
    "taiwanese": "taiwan",
    "taiwan": "taiwan",
    "taipei": "taiwan",
}
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if w != "_"
}
_EVENT = re.compile(
    r"\b(?:(?P<request>ask(?:s|ed|ing)?|request(?:s|ed|ing)?|seek(?:s|ing)?|sought|"
    r"appeal(?:s|ed|ing)? for|purchas\w*|buy(?:s|ing)?|bought|shopping list|wish list)|"
    r"(?P<supply>provid(?:e|es|ed|ing)|send(?:s|ing)?|sent|supplying|supplied|"
    r"deliver(?:s|ed|ing)?|give|gives|gave|given|giving|transfer(?:s|red|ring)?|donat\w+)|"
    r"(?P<decision>decid\w+|decision)|"
    r"(?P<cancellation>postpon\w+|put off|delay(?:s|ed|ing)?|cancel\w*|called off|scrap\w*|"
    r"dropped|skipp\w*|never (?:happened|took place))|"
    r"(?P<casualty>injur\w+|hurt|harm(?:ed|ing)|wound\w+|kill\w+|died|dead|deaths?)|"
    r"(?P<arrest>arrest\w*|detain\w*|charged)|"
    r"(?P<resignation>resign\w*|quit|stepp(?:ed|ing) down)|"
    r"(?P<approval>approv\w+|passed|voted?\b|votes))\b"
)
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)
_NUMBER_TOKEN = r"(?:\d+(?:[.,]\d+)*|" + "|".join(NUMBER_WORDS) + r")"
_COUNT = re.compile(
    r"(?<![\w:.-])(" + _NUMBER_TOKEN + r")\s+(?:[a-z-]+\s+)?"
    r"(?!(?:years|months|weeks|days|hours|minutes|seconds|times|per)\b)"
    r"(?:[a-z]+s|people|men|women|children|staff|personnel)\b"
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'.-]*[a-z][\w’'-]*")
_NEGATED = re.compile(
    r"(?:\b(?:not|never|no|without)|n't)\s+(?:(?:been|be|being|have|has|had|yet|ever|a|an|the|"
    r"any)\s+)*([a-z]{3,})"
)
_REPORTING_WORDS = re.compile(
    r"\b(?:said|says|say|stated|told|reported|reports|added|warned|confirmed|noted|fears?|"
    r"feared|believes?|wrote|citing|according|cited|claimed|on|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
STEM = 5
_YEAR = re.compile(r"(?:1[89]|20)\d\d")

_DENIED = re.compile(
    r"\b(den(y|ies|ied|ying)|rejects?|rejected|dismiss(es|ed)?|refuted?|"
    r"(was|were|is|are|had) not aware|(have|has|had) not heard|no knowledge of|"
    r"(is|was|are|were) (false|untrue|baseless|incorrect|inaccurate|wrong)|fake news|"
    r"disinformation|no truth)\b"
)
_UNCERTAIN = re.compile(
    r"\b(not (yet )?clear|unclear|remains to be seen|unknown whether|could not (be )?confirm|"
    r"(has|have|had) not (been )?(independently )?(verified|confirmed))\b"
)
_HEDGED = re.compile(
    r"\b(may|might|could|possibly|reportedly|allegedly|apparently|appears?|likely|"
    r"fears?|feared|suspects?|suspected|believes?|believed|contemplat\w+|considering|"
    r"expected to|said to be|is thought)\b"
)
_ATTRIBUTED = re.compile(
    r"\b(said|says|told|according to|stated|reported|reports|claimed|claims|added|warned)\b"
)
_COUNTER_CLAIM = re.compile(r",\s*(?:saying|adding|insisting|arguing|stressing)\b|;|\bbut\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def stance_of(text: str) -> Stance:
    """The stance a sentence takes towards what it reports."""
    folded = fold(text)
    if _DENIED.search(folded):
        return "denied"
    if _UNCERTAIN.search(folded):
        return "uncertain"
    if _HEDGED.search(folded):
        return "hedged"
    if _ATTRIBUTED.search(folded):
        return "attributed"
    return "asserted"


def denied_part(text: str) -> str | None:
    """What a denial denies: the text after its denial cue, or ``None`` if it has none."""
    folded = fold(text)
    match = _DENIED.search(folded)
    if not match:
        return None
    return _COUNTER_CLAIM.split(folded[match.end() :], maxsplit=1)[0]


def group_claims(
    sentences: Mapping[str, Sequence[Sentence]],
    reuse: Sequence[Reuse] = (),
    stories: Sequence[Story] = (),
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    languages: Mapping[str, str | None] | None = None,
) -> tuple[Claim, ...]:
    """Group the claim units of every story into claims (story by story).

    Without an ``embedder`` only reuse alignment and word overlap group units;
    so are those of an article in a language (``languages``: article id →
    ISO 639-1 code) the embedder was not trained on, where its cosines would
    join different claims about one subject, while the story's other articles
    keep the embedder. A translation's sentences join their source's through
    the paraphrases of its ``rewritten`` link.
    """
    settings = settings or Settings()
    languages = languages or {}
    if not stories:
        stories = (Story(id="", title="", article_ids=tuple(sentences)),)
    claims: list[Claim] = []
    for story in stories:
        units = [u for a in story.article_ids for u in claim_units(sentences.get(a, ()))]
        readable = {a for a in story.article_ids if trained_on(embedder, languages.get(a))}
        claims.extend(_story_claims(story, units, reuse, settings, embedder, readable))
    return tuple(claims)


def is_candidate(sentence: Sentence) -> bool:
    """Whether a sentence can carry a check-worthy claim."""
    text = sentence.text.strip()
    return len(text.split()) >= MIN_CLAIM_WORDS and not text.endswith("?")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimUnit(Sentence):
    """A clause of a sentence: the sentence's index, the clause's offsets and text.

    ``frame`` is the reporting frame set aside ("a senior official said"),
    ``joiner`` the words that introduced the clause ("saying"), and
    ``compare_text`` the text it is compared by when clauses nested in it are
    units of their own ("…, injuring seven workers, …" cut out).
    """

    frame: str = ""
    joiner: str = ""
    compare_text: str = ""


def claim_units(sentences: Sequence[Sentence]) -> list[ClaimUnit]:
    """The claim units of an article's candidate sentences, in order."""
    units = []
    for sentence in sentences:
        if not is_candidate(sentence):
            continue
        records = []
        for unit in split_units(sentence.text):
            text = sentence.text[unit.start : unit.end]
            if len(text.split()) < MIN_UNIT_WORDS:
                continue
            record = ClaimUnit(
                article_id=sentence.article_id,
                index=sentence.index,
                paragraph=sentence.paragraph,
                start=sentence.start + unit.start,
                end=sentence.start + unit.end,
                text=text,
                frame=unit.frame,
                joiner=unit.joiner,
            )
            records.append(record)
        if len(records) == 1:
            whole = sentence.text.strip().strip(_PUNCTUATION)
            if whole == records[0].text.strip(_PUNCTUATION):
                # the whole sentence: compare it as the earlier stages embedded it
                records = [replace(records[0], compare_text=sentence.text)]
        units.extend(_cut_nested(records))
    return units


def _cut_nested(units: list[ClaimUnit]) -> list[ClaimUnit]:
    """Compare a unit by its text without the units nested in it ("…, injuring seven, …")."""
    cut = []
    for outer in units:
        text = outer.compare_text or outer.text
        inner = [u for u in units if u is not outer and outer.start <= u.start < u.end <= outer.end]
        for unit in sorted(inner, key=lambda u: -u.start):
            text = text[: unit.start - outer.start] + text[unit.end - outer.start :]
        cut.append(replace(outer, compare_text=re.sub(r"\s*,(\s*,)+", ",", text)))
    return cut


def _story_claims(
    story: Story,
    candidates: list[ClaimUnit],
    reuse: Sequence[Reuse],
    settings: Settings,
    embedder: Embedder | None,
    readable: set[str],
) -> list[Claim]:
    keys = {_key(s): s for s in candidates}
    stances = {key: unit_stance(s) for key, s in keys.items()}
    groups = UnionFind(keys)
    units = list(keys.values())
    read = [i for i, u in enumerate(units) if u.article_id in readable] if embedder else []
    embedded = (
        embedder.embed([units[i].compare_text or units[i].text for i in read]) if read else None
    )
    vectors = dict(zip(read, embedded, strict=True)) if embedded is not None else None
    pairs = _aligned_pairs(reuse, units, vectors) + _translated_pairs(reuse, units, readable)
    if embedded is None:
        pairs += _similar_pairs(units, settings)
    else:
        pairs += _paraphrase_pairs([units[i] for i in read], embedded)
        if len(read) < len(units):
            unread = {u.article_id for u in units} - readable
            pairs += [p for p in _similar_pairs(units, settings) if {p[0][0], p[1][0]} & unread]
    for first, second in pairs:
        if (stances[first] == "denied") == (stances[second] == "denied"):
            groups.union(first, second)
    for first, second in _counter_claims(units, stances):
        groups.union(first, second)
    claims = []
    for members in groups.components():
        mentions = [keys[k] for k in members]
        articles = {m.article_id for m in mentions}
        denied = any(stances[k] == "denied" for k in members)
        if len(articles) >= 2 or denied:
            worded = [m for m in mentions if m.article_id in readable] or mentions
            claims.append(_claim(story, mentions, stances, worded))
    return sorted(claims, key=lambda c: (-len({m.article_id for m in c.mentions}), c.id))


def unit_stance(unit: ClaimUnit) -> Stance:
    """A unit's stance: its own cue words, then those of its reporting frame."""
    own = stance_of(unit.text)
    if own != "asserted" or not unit.frame:
        return own
    framed = stance_of(unit.frame)
    return "attributed" if framed in ("asserted", "denied") else framed


def _counter_claims(units: list[ClaimUnit], stances: Mapping[Key, Stance]) -> list[tuple[Key, Key]]:
    """A denial and the assertion it introduces ("denied X, saying Y") in one sentence."""
    pairs = []
    for first, second in zip(units, units[1:], strict=False):
        if (
            first.article_id == second.article_id
            and first.index == second.index
            and stances[_key(first)] == "denied"
            and second.joiner in COUNTER_JOINERS
        ):
            pairs.append((_key(first), _key(second)))
    return pairs


def _claim(
    story: Story, mentions: list[ClaimUnit], stances: dict[Key, Stance], worded: list[ClaimUnit]
) -> Claim:
    """A claim of ``mentions``, its statement worded as one of ``worded`` (those in a
    language the claims embedder reads, when there are any)."""
    records = tuple(
        Mention(
            article_id=s.article_id,
            start=s.start,
            end=s.end,
            text=s.text,
            stance=stances[_key(s)],
        )
        for s in sorted(mentions, key=lambda s: (s.article_id, s.start))
    )
    digest = hashlib.sha1(
        "\n".join(f"{m.article_id}:{m.start}:{m.end}" for m in records).encode()
    ).hexdigest()
    return Claim(
        id="c" + digest[:11],
        statement=_statement(worded),
        mentions=records,
        story_id=story.id or None,
    )


def _statement(mentions: list[ClaimUnit]) -> str:
    """The mention closest to all others (the claim's most typical wording), with
    the reporting frame it was said in: "Seven workers were injured (a senior
    official said)"."""
    if len(mentions) <= 2:
        best = min(mentions, key=lambda s: (len(s.text), s.article_id))
    else:
        bags = [set(content_words(s.text)) for s in mentions]
        best = mentions[
            max(
                range(len(mentions)),
                key=lambda i: (
                    sum(_dice(bags[i], bags[j]) for j in range(len(bags)) if j != i),
                    -i,
                ),
            )
        ]
    return f"{best.text} ({best.frame})" if best.frame else best.text


def _aligned_pairs(
    reuse: Sequence[Reuse], units: list[ClaimUnit], vectors: Mapping[int, np.ndarray] | None
) -> list[tuple[Key, Key]]:
    """Units of sentences the reuse stage aligned: each with its closest counterpart."""
    by_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        by_sentence[(unit.article_id, unit.index)].append(index)
    pairs = []
    for link in reuse:
        for pair in link.aligned:
            first = _sentence_of(units, pair.source)
            second = _sentence_of(units, pair.target)
            if first is None or second is None:
                continue
            for i in by_sentence[first]:
                j = max(by_sentence[second], key=lambda j: _closeness(units, vectors, i, j))
                if _closeness(units, vectors, i, j) >= ALIGNED_CLOSENESS:
                    pairs.append((_key(units[i]), _key(units[j])))
    return pairs


def _sentence_of(units: list[ClaimUnit], span: Span) -> tuple[str, int] | None:
    """``(article, sentence index)`` of the first unit overlapping ``span``."""
    for unit in units:
        if unit.article_id == span.article_id and unit.start < span.end and unit.end > span.start:
            return (unit.article_id, unit.index)
    return None


def _closeness(
    units: list[ClaimUnit], vectors: Mapping[int, np.ndarray] | None, i: int, j: int
) -> float:
    """The cosine of two units' vectors when both have one, else their word overlap."""
    if vectors is not None and i in vectors and j in vectors:
        return float(vectors[i] @ vectors[j])
    return _dice(set(content_words(units[i].text)), set(content_words(units[j].text)))


def _translated_pairs(
    reuse: Sequence[Reuse], units: list[ClaimUnit], readable: set[str]
) -> list[tuple[Key, Key]]:
    """Units of the sentence pairs a ``rewritten`` link paraphrases across two languages
    (one side unreadable to the claims embedder): the k-th unit of one sentence with the
    k-th of the other, when the two split into as many units."""
    by_sentence: dict[tuple[str, int], list[ClaimUnit]] = defaultdict(list)
    for unit in units:
        by_sentence[(unit.article_id, unit.index)].append(unit)
    pairs = []
    for link in reuse:
        if {link.source_id, link.target_id} <= readable:
            continue
        for pair in link.paraphrases:
            first = _sentence_of(units, pair.source)
            second = _sentence_of(units, pair.target)
            if first is None or second is None:
                continue
            left, right = by_sentence[first], by_sentence[second]
            if len(left) == len(right):
                pairs += [(_key(a), _key(b)) for a, b in zip(left, right, strict=True)]
    return pairs


def _similar_pairs(candidates: list[ClaimUnit], settings: Settings) -> list[tuple[Key, Key]]:
    texts = [s.compare_text or s.text for s in candidates]
    bags = [frozenset(content_words(t)) for t in texts]
    numbers = [numbers_of(t) for t in texts]
    features = [unit_features(t) for t in texts]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, bag in enumerate(bags):
        for word in bag:
            postings[word].append(index)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for indexes in postings.values():
        if len(indexes) > MAX_POSTING:
            continue
        for i, first in enumerate(indexes):
            for second in indexes[i + 1 :]:
                if candidates[first].article_id != candidates[second].article_id:
                    shared[(first, second)] += 1
    return [
        (_key(candidates[i]), _key(candidates[j]))
        for (i, j), count in shared.items()
        if count >= MIN_SHARED_WORDS
        and _dice(bags[i], bags[j]) >= settings.claim_similarity
        and _numbers_agree(numbers[i], numbers[j])
        and not _negation_clash(features[i], features[j])
    ]


def _paraphrase_pairs(
    candidates: list[ClaimUnit], vectors: np.ndarray, *, block: int = 512
) -> list[tuple[Key, Key]]:
    """Pairs of units of different articles that embeddings and their features join."""
    if len(candidates) < 2:
        return []
    features = [unit_features(s.compare_text or s.text, s.frame) for s in candidates]
    features = _without_topic(candidates, features)
    pairs = []
    for offset in range(0, len(candidates), block):
        similarity = vectors[offset : offset + block] @ vectors.T
        for row, column in np.argwhere(similarity >= min(EVENT_SIMILARITY, COUNT_SIMILARITY)):
            i = offset + int(row)
            j = int(column)
            if i < j and candidates[i].article_id != candidates[j].article_id:
                score = float(similarity[row, column])
                if same_claim(score, features[i], features[j]):
                    pairs.append((_key(candidates[i]), _key(candidates[j])))
    return pairs


def _without_topic(candidates: list[ClaimUnit], features: list[Features]) -> list[Features]:
    """Drop the entities and word stems most of the story's articles use: its topic."""
    used_by: dict[str, set[str]] = defaultdict(set)
    for unit, feature in zip(candidates, features, strict=True):
        for item in feature.entities | {f"stem:{stem}" for stem in feature.stems}:
            used_by[item].add(unit.article_id)
    articles = len({u.article_id for u in candidates})
    if articles < 3:
        return features
    topic = {item for item, users in used_by.items() if len(users) > TOPIC_SHARE * articles}
    stems = {item.removeprefix("stem:") for item in topic}
    return [replace(f, entities=f.entities - topic, stems=f.stems - stems) for f in features]


@dataclass(frozen=True, slots=True)
class Features:
    """What a unit reports: its main event kind, the entities, numbers and counts it names.

    A count is a number of people or things ("seven workers", "two of them"),
    not a measure ("60-metre", "14 months") or a name ("Crane 7").
    """

    event: str | None
    entities: frozenset[str]
    numbers: frozenset[str]
    counts: tuple[str, ...] = ()
    negated: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    source: frozenset[str] = frozenset()
    all_stems: frozenset[str] = frozenset()


def unit_features(text: str, frame: str = "") -> Features:
    """The main event kind, entities, numbers and counts of a claim unit.

    ``negated`` holds the stems of the words a negation applies to ("had not
    been *inspected*"); ``source`` the content words of the reporting frame.
    """
    folded = fold(text)
    event = None
    if match := _EVENT.search(folded):
        event = next(kind for kind, value in match.groupdict().items() if value)
    entities = {SIDES[w] for w in words(text) if w in SIDES}
    for index, word in enumerate(_CAPITALISED.findall(text)):
        if index or not text.startswith(word):
            folded_word = fold(word)
            if folded_word not in STOPWORDS and folded_word not in CALENDAR:
                entities.add(SIDES.get(folded_word, folded_word))
    counts = tuple(NUMBER_WORDS.get(m[1], m[1]) for m in _COUNT.finditer(folded))
    negated = frozenset(m[1][:STEM] for m in _NEGATED.finditer(folded))
    stems = frozenset(w[:STEM] for w in content_words(text) if w not in CALENDAR)
    source = frozenset(content_words(_REPORTING_WORDS.sub(" ", frame)))
    return Features(
        event,
        frozenset(entities),
        frozenset(numbers_of(text)),
        counts,
        negated,
        stems,
        source,
        stems,
    )


def _negation_clash(first: Features, second: Features) -> bool:
    """One unit negates a word the other states: "not inspected" / "inspected"."""
    return bool((first.negated - second.negated) & second.all_stems) or bool(
        (second.negated - first.negated) & first.all_stems
    )


def same_claim(similarity: float, first: Features, second: Features) -> bool:
    """Whether two units with this embedding similarity state the same claim.

    Entities here should be the distinctive ones: ``_paraphrase_pairs`` drops
    those most units of the story name (what the story is about).
    """
    if not _numbers_agree(first.numbers, second.numbers) or _negation_clash(first, second):
        return False
    if first.event and second.event and first.event != second.event:
        return False
    shared_entity = bool(first.entities & second.entities)
    same_count = bool(first.counts and second.counts and first.counts[0] == second.counts[0])
    if similarity >= PARAPHRASE_SIMILARITY:
        return True
    same_source = len(first.source & second.source) >= MIN_SHARED_SOURCE_WORDS
    if similarity >= SOURCE_SIMILARITY and same_source:
        return True
    shared_stems = _dice(first.stems, second.stems) >= LEXICAL_OVERLAP
    if similarity >= RELATED_SIMILARITY and (shared_entity or same_count or shared_stems):
        return True
    if similarity >= COUNT_SIMILARITY and same_count:
        return True
    compatible = shared_entity or not first.entities or not second.entities
    return (
        similarity >= EVENT_SIMILARITY
        and first.event is not None
        and first.event == second.event
        and compatible
    )


def numbers_of(text: str) -> set[str]:
    """The numbers a text states, digits or words ("seven" -> "7"); "one" is not counted."""
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {NUMBER_WORDS[w] for w in words(text) if w in NUMBER_WORDS}
    return found


def _numbers_agree(first: set[str] | frozenset[str], second: set[str] | frozenset[str]) -> bool:
    return not first or not second or bool(first & second)


def _dice(first: frozenset[str] | set[str], second: frozenset[str] | set[str]) -> float:
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def _key(sentence: Sentence) -> Key:
    return (sentence.article_id, sentence.start, sentence.end)
