"""Group articles into stories: sets of articles about one event.

This first version is a batch single-link grouping: two articles fall in the
same story when they are linked by reuse, or when the cosine similarity of
their TF-IDF vectors (content words of the title and cleaned text) is at
least ``settings.story_similarity``. Pairs are found through an inverted index
of each article's top terms, not by comparing all pairs. The story's title is
the headline of its most central article. Results depend only on the set of
articles, not on their order.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

from ._graph import UnionFind
from ._text import content_words
from .config import Settings
from .model import Article, Reuse, Story

TOP_TERMS = 40
MIN_SHARED_TOP_TERMS = 3


def group_stories(
    articles: Sequence[Article],
    reuse: Sequence[Reuse] = (),
    *,
    settings: Settings | None = None,
) -> tuple[Story, ...]:
    """Return the stories of ``articles``, largest first, each article in exactly one."""
    settings = settings or Settings()
    vectors = tfidf_vectors(articles)
    groups = UnionFind(a.id for a in articles)
    for link in reuse:
        groups.union(link.source_id, link.target_id)
    for first, second in _candidate_pairs(vectors):
        if cosine(vectors[first], vectors[second]) >= settings.story_similarity:
            groups.union(first, second)
    order = {a.id: i for i, a in enumerate(articles)}
    by_id = {a.id: a for a in articles}
    stories = []
    for members in groups.components():
        member_ids = tuple(sorted(members, key=order.__getitem__))
        central = _most_central(member_ids, vectors)
        stories.append(
            Story(
                id=story_id(member_ids),
                title=by_id[central].title or _first_words(by_id[central].text),
                article_ids=member_ids,
            )
        )
    return tuple(sorted(stories, key=lambda s: (-len(s.article_ids), order[s.article_ids[0]])))


def story_id(article_ids: Sequence[str]) -> str:
    """A stable id for a set of articles."""
    digest = hashlib.sha1("\n".join(sorted(article_ids)).encode()).hexdigest()
    return "s" + digest[:11]


def tfidf_vectors(articles: Sequence[Article]) -> dict[str, dict[str, float]]:
    """L2-normalised TF-IDF vectors of content words."""
    counts = {}
    for article in articles:
        tokens = content_words(f"{article.title}\n{article.text}")
        counts[article.id] = Counter(tokens)
    document_frequency = Counter(term for c in counts.values() for term in c)
    total = len(articles)
    vectors = {}
    for article_id, term_counts in counts.items():
        weights = {
            term: (1 + math.log(count)) * math.log((1 + total) / (1 + document_frequency[term]) + 1)
            for term, count in term_counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[article_id] = {term: w / norm for term, w in weights.items()}
    return vectors


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    """Cosine similarity of two normalised sparse vectors."""
    if len(first) > len(second):
        first, second = second, first
    return sum(weight * second.get(term, 0.0) for term, weight in first.items())


def _candidate_pairs(vectors: dict[str, dict[str, float]]) -> set[tuple[str, str]]:
    postings: dict[str, list[str]] = defaultdict(list)
    for article_id, vector in vectors.items():
        for term in sorted(vector, key=lambda t: (-vector[t], t))[:TOP_TERMS]:
            postings[term].append(article_id)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in postings.values():
        shared.update(combinations(sorted(ids), 2))
    return {pair for pair, count in shared.items() if count >= MIN_SHARED_TOP_TERMS}


def _most_central(member_ids: Sequence[str], vectors: dict[str, dict[str, float]]) -> str:
    if len(member_ids) <= 2:
        return member_ids[0]
    return max(
        member_ids,
        key=lambda a: sum(cosine(vectors[a], vectors[b]) for b in member_ids if b != a),
    )


def _first_words(text: str, count: int = 12) -> str:
    return " ".join(text.split()[:count])
