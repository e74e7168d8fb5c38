"""Time of the claims + corroborate stages per story, against embedding alone, same run.

usage: .venv/bin/python benchmarks/bench_claims.py [--stories 100] [--size 20] [--seed 0]

Articles come from ``benchmarks/synthetic.py`` (``stories * size`` of them, in
generation order); every ``size`` consecutive articles form one story, so a
story mixes two to five synthetic stories with their copies, rewrites and
independent reports. Inputs are made first and not timed: sentences
(``segment``), reuse (``find_reuse`` per story) and quotes and citations
(``extract_attribution`` with rules only). Then, with fresh embedders so no
vector is cached:

* ``newstrace``: ``group_claims`` (clause units, embeddings, grouping) and
  ``corroborate`` (origins, chains, conflicts) over all stories;
* ``baseline``: embedding the same claim units' texts, nothing else (the
  floor any embedding-based grouping pays);

and prints seconds per story for each and their ratio, plus the naive count
(articles per claim) beside newstrace's independent count, summed. It also
times newstrace with the sentences' vectors already cached, as in the
pipeline, where the reuse and story stages embed the sentences first and the
claims stage only embeds the clauses that differ from whole sentences.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from newstrace.attribution import extract_attribution
from newstrace.claims import claim_units, group_claims
from newstrace.config import Settings
from newstrace.corroborate import corroborate
from newstrace.embed import MiniLMEmbedder
from newstrace.model import Article, Story
from newstrace.reuse import find_reuse
from newstrace.segment import segment

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

TARGET_SECONDS_PER_STORY = 2.0


def inputs(stories: int, size: int, seed: int):
    corpus = synthetic.generate(stories * size, seed=seed)
    articles = [
        Article(
            id=a.id,
            source_path=f"{a.id}.txt",
            raw_text=a.text,
            text=a.text,
            published=a.published,
            outlet=f"Outlet {a.id.rsplit('-', 1)[1]}",
        )
        for a in corpus.articles
    ]
    sentences = {a.id: segment(a) for a in articles}
    groups = [
        Story(id=f"story{i}", title="", article_ids=tuple(a.id for a in articles[i : i + size]))
        for i in range(0, len(articles), size)
    ]
    settings = Settings(paraphrase=False)  # copies only: keeps the input step short
    reuse = []
    for story in groups:
        members = [a for a in articles if a.id in set(story.article_ids)]
        reuse.extend(find_reuse(members, sentences, settings=settings))
    quotes, citations = [], []
    for article in articles:
        found_quotes, found_citations = extract_attribution(
            article, sentences[article.id], nlp=False
        )
        quotes.extend(found_quotes)
        citations.extend(found_citations)
    return articles, sentences, groups, reuse, quotes, citations


def timed(sentences, reuse, stories, articles, quotes, citations, cached):
    """Seconds for claims + corroborate with a fresh embedder that already holds ``cached``."""
    embedder = MiniLMEmbedder()
    embedder.embed(list(cached) or ["warm up"])
    started = time.perf_counter()
    claims = group_claims(sentences, reuse, stories, embedder=embedder)
    grouped = time.perf_counter() - started
    claims = corroborate(claims, articles, reuse, quotes, citations)
    return time.perf_counter() - started, grouped, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--size", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    started = time.perf_counter()
    articles, sentences, stories, reuse, quotes, citations = inputs(
        args.stories, args.size, args.seed
    )
    print(
        f"inputs: {len(articles)} articles in {len(stories)} stories, {len(reuse)} reuse links, "
        f"{len(quotes)} quotes, {len(citations)} citations "
        f"({time.perf_counter() - started:.0f} s, not timed)"
    )

    texts = [u.compare_text or u.text for a in articles for u in claim_units(sentences[a.id])]
    MiniLMEmbedder().embed(texts[:8])  # load the model outside both timings
    started = time.perf_counter()
    MiniLMEmbedder().embed(texts)
    baseline = time.perf_counter() - started

    cold, grouped, claims = timed(sentences, reuse, stories, articles, quotes, citations, ())
    sentence_texts = [s.text for a in articles for s in sentences[a.id]]
    warm, _, _ = timed(sentences, reuse, stories, articles, quotes, citations, sentence_texts)
    total = cold
    per_story = total / len(stories)
    naive = sum(len({m.article_id for m in c.mentions}) for c in claims)
    independent = sum(c.independent_count for c in claims)
    print(f"claim units: {len(texts)}; claims: {len(claims)}")
    print(
        f"newstrace claims+corroborate: {per_story:.3f} s/story "
        f"(claims {grouped / len(stories):.3f}, corroborate {(total - grouped) / len(stories):.3f})"
    )
    print(f"baseline (embedding the units only): {baseline / len(stories):.3f} s/story")
    print(f"ratio newstrace / baseline: {total / baseline:.2f}")
    print(
        f"newstrace with sentence vectors already cached (as in the pipeline, where reuse "
        f"and stories embed sentences first): {warm / len(stories):.3f} s/story"
    )
    print(f"naive article count, summed over claims: {naive}; independent origins: {independent}")
    verdict = "meets" if per_story < TARGET_SECONDS_PER_STORY else "misses"
    print(f"target < {TARGET_SECONDS_PER_STORY} s/story: {verdict}")


if __name__ == "__main__":
    main()
