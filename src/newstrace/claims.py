"""Group the sentences of a story into claims: one assertion, many mentions.

This first version treats every sentence of at least ``MIN_CLAIM_WORDS``
words that is not a question as a candidate claim. Two sentences of
different articles are the same claim when the reuse stage aligned them
(the same sentence by construction), or when their content words overlap
enough (a Dice coefficient of at least ``settings.claim_similarity`` with at
least ``MIN_SHARED_WORDS`` shared content words, numbers agreeing). Denials
never join assertions: they form claims of their own, which the corroborate
stage links as conflicts. Claims mentioned by a single article are kept only
when they deny something. Each mention carries its stance, found from cue
words; the claim's statement is its most typical mention.

With an embedder, paraphrases whose sentence embeddings are close join too.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from ._graph import UnionFind
from ._text import content_words, fold
from .config import Settings
from .embed import Embedder
from .model import Claim, Mention, Reuse, Sentence, Stance, Story

MIN_CLAIM_WORDS = 6
MIN_SHARED_WORDS = 4
PARAPHRASE_SIMILARITY = 0.8
MAX_POSTING = 200

_DENIED = re.compile(
    r"\b(den(y|ies|ied|ying)|rejects?|rejected|dismiss(es|ed)?|refuted?|"
    r"(was|were|is|are|had) not aware|(have|has|had) not heard|no knowledge of|"
    r"(is|was) (false|untrue|baseless)|fake news|disinformation|no truth)\b"
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
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


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
) -> tuple[Claim, ...]:
    """Group candidate sentences of every story into claims (story by story).

    With an ``embedder``, sentences whose embeddings have a cosine of at
    least ``PARAPHRASE_SIMILARITY`` (and agreeing numbers) join too: the
    same assertion in other words. Without one, only reuse alignment and
    word overlap group sentences.
    """
    settings = settings or Settings()
    if not stories:
        stories = (Story(id="", title="", article_ids=tuple(sentences)),)
    claims: list[Claim] = []
    for story in stories:
        story_sentences = [
            s for a in story.article_ids for s in sentences.get(a, ()) if is_candidate(s)
        ]
        claims.extend(_story_claims(story, story_sentences, reuse, settings, embedder))
    return tuple(claims)


def is_candidate(sentence: Sentence) -> bool:
    """Whether a sentence can carry a check-worthy claim."""
    text = sentence.text.strip()
    return len(text.split()) >= MIN_CLAIM_WORDS and not text.endswith("?")


def _story_claims(
    story: Story,
    candidates: list[Sentence],
    reuse: Sequence[Reuse],
    settings: Settings,
    embedder: Embedder | None,
) -> list[Claim]:
    keys = {_key(s): s for s in candidates}
    stances = {key: stance_of(s.text) for key, s in keys.items()}
    groups = UnionFind(keys)
    for first, second in _aligned_pairs(reuse, keys):
        if (stances[first] == "denied") == (stances[second] == "denied"):
            groups.union(first, second)
    similar = _similar_pairs(list(keys.values()), settings)
    if embedder is not None:
        similar += _paraphrase_pairs(list(keys.values()), embedder)
    for first, second in similar:
        if (stances[_key(first)] == "denied") == (stances[_key(second)] == "denied"):
            groups.union(_key(first), _key(second))
    claims = []
    for members in groups.components():
        mentions = [keys[k] for k in members]
        articles = {m.article_id for m in mentions}
        denied = any(stances[k] == "denied" for k in members)
        if len(articles) >= 2 or denied:
            claims.append(_claim(story, mentions, stances))
    return sorted(claims, key=lambda c: (-len({m.article_id for m in c.mentions}), c.id))


def _claim(story: Story, mentions: list[Sentence], stances: dict[tuple[str, int], Stance]) -> Claim:
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
        statement=_statement(mentions),
        mentions=records,
        story_id=story.id or None,
    )


def _statement(mentions: list[Sentence]) -> str:
    """The mention closest to all others: the claim's most typical wording."""
    if len(mentions) <= 2:
        return min(mentions, key=lambda s: (len(s.text), s.article_id)).text
    bags = [set(content_words(s.text)) for s in mentions]
    best = max(
        range(len(mentions)),
        key=lambda i: (sum(_dice(bags[i], bags[j]) for j in range(len(bags)) if j != i), -i),
    )
    return mentions[best].text


def _aligned_pairs(
    reuse: Sequence[Reuse], keys: Mapping[tuple[str, int], Sentence]
) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    pairs = []
    for link in reuse:
        for pair in link.aligned:
            first = (pair.source.article_id, pair.source.start)
            second = (pair.target.article_id, pair.target.start)
            if first in keys and second in keys:
                pairs.append((first, second))
    return pairs


def _similar_pairs(
    candidates: list[Sentence], settings: Settings
) -> list[tuple[Sentence, Sentence]]:
    bags = [frozenset(content_words(s.text)) for s in candidates]
    numbers = [set(_NUMBER.findall(s.text)) for s in candidates]
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
        (candidates[i], candidates[j])
        for (i, j), count in shared.items()
        if count >= MIN_SHARED_WORDS
        and _dice(bags[i], bags[j]) >= settings.claim_similarity
        and _numbers_agree(numbers[i], numbers[j])
    ]


def _paraphrase_pairs(
    candidates: list[Sentence], embedder: Embedder, *, block: int = 512
) -> list[tuple[Sentence, Sentence]]:
    """Pairs of sentences of different articles whose embeddings are close."""
    if len(candidates) < 2:
        return []
    vectors = embedder.embed([s.text for s in candidates])
    numbers = [set(_NUMBER.findall(s.text)) for s in candidates]
    pairs = []
    for offset in range(0, len(candidates), block):
        similarity = vectors[offset : offset + block] @ vectors.T
        for row, column in np.argwhere(similarity >= PARAPHRASE_SIMILARITY):
            i = offset + int(row)
            j = int(column)
            first, second = candidates[i], candidates[j]
            if (
                i < j
                and first.article_id != second.article_id
                and _numbers_agree(numbers[i], numbers[j])
            ):
                pairs.append((first, second))
    return pairs


def _numbers_agree(first: set[str], second: set[str]) -> bool:
    return not first or not second or bool(first & second)


def _dice(first: frozenset[str] | set[str], second: frozenset[str] | set[str]) -> float:
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def _key(sentence: Sentence) -> tuple[str, int]:
    return (sentence.article_id, sentence.start)
