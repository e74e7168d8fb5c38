"""Benchmark reuse candidate generation against plain datasketch MinHash-LSH.

    python benchmarks/bench_reuse.py 10000 [--verify] [--seed 0] [--sample N] [--topical 0.5]
        [--rewrites [--verify-rewrites N]] [--no-baseline]

Both methods run in the same process tree on the same synthetic corpus
(``benchmarks/synthetic.py``), each in a forked child so that its peak memory
(``ru_maxrss`` above the child's starting RSS) is its own:

* **newstrace**: vectorised sampled word-4-gram hashes + containment
  postings (``newstrace._signatures``);
* **datasketch**: ``MinHash(num_perm=128).update_batch`` of the word 4-grams of
  each article + ``MinHashLSH(threshold=0.5)``, the setup of issue 5.

Printed per method: total time, articles/s, candidate pairs and candidate
pairs/s, peak memory, and recall of the planted copy relations (verbatim,
abridged, spun, rome-like shared upstream; rewritten separately, since
rewrites are found by the embedding stage, not by shingles). With
``--verify`` every candidate pair is aligned with ``newstrace.reuse.compare``
and links a common source explains are pruned, giving recall and precision
after verification, then a diagnosis of the false links (by kind, same story
or not, the two articles' roles, score) with a few examples. ``--topical``
gives each story its own vocabulary (see ``synthetic.generate``).
``--rewrites`` also times the rewrite candidates (``reuse.rewrite_rows``),
for comparison the rare-words-only generator they replaced, and the
translation candidates with half the articles labelled German; with
``--verify-rewrites N`` a sample of N pairs of each group of them (planted
or not, made by both generators or the new one only) is aligned with MiniLM.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

from newstrace._align import fact_agreement  # noqa: E402
from newstrace._signatures import ShingleHasher, candidate_pairs  # noqa: E402
from newstrace._text import content_words, shingles, words  # noqa: E402
from newstrace.config import Settings  # noqa: E402
from newstrace.model import Article, Reuse  # noqa: E402
from newstrace.reuse import (  # noqa: E402
    REWRITE_MIN_SHARED,
    compare,
    compare_rewrite,
    posting_limit,
    prune_redundant,
    rewrite_rows,
    translation_rows,
)
from newstrace.segment import segment  # noqa: E402

SURFACE_KINDS = ("verbatim", "abridged", "spun", "shared_upstream")


def ours(texts: list[str], sample: int, settings: Settings) -> set[tuple[int, int]]:
    hasher = ShingleHasher(size=settings.shingle_size, sample=sample, seed=settings.seed)
    rows = candidate_pairs(
        (hasher.text_shingles(text) for text in texts),
        min_shared=settings.min_shared_sentences,
        min_containment=settings.min_containment,
        max_posting=posting_limit(settings, len(texts)),
    )
    return {(int(i), int(j)) for i, j, _ in rows.tolist()}


def ours_rewrites(texts: list[str], sample: int, settings: Settings) -> set[tuple[int, int]]:
    """Candidates for the paraphrase stage: rare content words and rare pairs of
    them (``reuse.rewrite_candidates``)."""
    rows = rewrite_rows(texts, settings=settings)
    return {(int(i), int(j)) for i, j in rows.tolist()}


def translation_candidates(
    texts: list[str], sample: int, settings: Settings
) -> set[tuple[int, int]]:
    """The translation candidates (``reuse.translation_rows``), with every other article
    labelled German: the cost of blocking a two-language corpus on names and numbers
    (only pairs across the two labels are kept, so recall counts those alone)."""
    languages = ["en" if i % 2 else "de" for i in range(len(texts))]
    rows = translation_rows(texts, languages, settings=settings)
    return {(int(i), int(j)) for i, j in rows.tolist()}


def rare_words_rewrites(texts: list[str], sample: int, settings: Settings) -> set[tuple[int, int]]:
    """The rewrite candidates before pairs of words: rare content words alone, for comparison."""
    hasher = ShingleHasher(size=1, sample=1, seed=settings.seed)
    signatures = [hasher.shingles(content_words(text)) for text in texts]
    rows = candidate_pairs(
        signatures,
        min_shared=REWRITE_MIN_SHARED,
        min_containment=settings.paraphrase_candidate_containment,
        max_posting=settings.max_posting,
        rare_only=True,
    )
    return {(int(i), int(j)) for i, j, _ in rows.tolist()}


def datasketch_lsh(texts: list[str], sample: int, settings: Settings) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    signatures = []
    for index, text in enumerate(texts):
        signature = MinHash(num_perm=128, seed=settings.seed)
        signature.update_batch(s.encode("utf-8") for s in shingles(words(text), 4))
        lsh.insert(index, signature)
        signatures.append(signature)
    pairs = set()
    for index, signature in enumerate(signatures):
        for other in lsh.query(signature):
            if other != index:
                pairs.add((min(index, other), max(index, other)))
    return pairs


def _child(method, texts, sample, settings, queue) -> None:
    start_rss = _current_rss_kb()
    started = time.perf_counter()
    pairs = method(texts, sample, settings)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((pairs, elapsed, max(peak - start_rss, 0), peak))


def _current_rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() // 1024


def measure(method, texts, sample, settings):
    context = mp.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(method, texts, sample, settings, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def recall(pairs: set[tuple[int, int]], planted: dict[tuple[int, int], str]) -> dict[str, float]:
    by_kind: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for pair, kind in planted.items():
        by_kind[kind] += 1
        found[kind] += pair in pairs
    out = {kind: found[kind] / by_kind[kind] for kind in sorted(by_kind)}
    surface = [pair for pair, kind in planted.items() if kind in SURFACE_KINDS]
    out["copies (surface kinds)"] = sum(p in pairs for p in surface) / max(len(surface), 1)
    return out


def families(corpus: synthetic.Corpus) -> dict[str, int]:
    """The planted copy family of each article (an id per family; independents alone).

    A family is a connected component of the planted relations (a rome-like
    pair is a family of its own: its upstream is another outlet's report).
    """
    parent = {a.id: a.id for a in corpus.articles}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    for source, target, _ in corpus.relations:
        join(source, target)
    roots = sorted({root(a.id) for a in corpus.articles})
    number = {r: n for n, r in enumerate(roots)}
    return {a.id: number[root(a.id)] for a in corpus.articles}


def verify(pairs, articles, planted, family_of, settings) -> tuple[dict[str, float], list[Reuse]]:
    """Recall of planted surface relations and precision of links after alignment.

    ``precision`` counts a link right only when it is a planted relation;
    ``family precision`` also counts a link between two members of one
    planted family (two copies of one source share its text: related, if not
    a planted edge) and is the figure the target is set on. Also returns the
    false links: neither a planted relation nor within one planted family.
    """
    sentences = {a.id: segment(a) for a in articles}
    started = time.perf_counter()
    links = []
    for i, j in sorted(pairs):
        first, second = articles[i], articles[j]
        link = compare(first, second, sentences[first.id], sentences[second.id], settings=settings)
        if link is not None:
            links.append(link)
    links = prune_redundant(links)
    index = {a.id: n for n, a in enumerate(articles)}
    found = {tuple(sorted((index[r.source_id], index[r.target_id]))) for r in links}
    surface = {pair for pair, kind in planted.items() if kind in SURFACE_KINDS}
    same_family = {
        pair for pair in found if family_of[articles[pair[0]].id] == family_of[articles[pair[1]].id]
    }
    scores = {
        "links": len(found),
        "recall of copies": len(found & surface) / max(len(surface), 1),
        "precision": len(found & set(planted)) / max(len(found), 1),
        "family precision": len(same_family) / max(len(found), 1),
        "seconds": time.perf_counter() - started,
    }
    right = set(planted) | same_family
    false = [link for link in links if _pair(link, index) not in right]
    return scores, false


def _pair(link: Reuse, index: dict[str, int]) -> tuple[int, int]:
    first, second = index[link.source_id], index[link.target_id]
    return (first, second) if first < second else (second, first)


def diagnose(false: list[Reuse], corpus: synthetic.Corpus, examples: int = 5) -> None:
    """Print the false links by kind, by same story or not, by roles and by score,
    then ``examples`` of them (a seeded sample) in short form."""
    by_id = {a.id: a for a in corpus.articles}
    same = Counter(
        "same story" if by_id[r.source_id].story == by_id[r.target_id].story else "other stories"
        for r in false
    )
    roles = Counter(
        "–".join(sorted((by_id[r.source_id].role, by_id[r.target_id].role))) for r in false
    )
    bins = Counter(min(int(r.score * 10), 9) for r in false)
    print(f"false links: {len(false)}")
    print("  by kind: " + _counts(Counter(r.kind for r in false)))
    print("  by story: " + _counts(same))
    print("  by roles: " + _counts(roles))
    print("  by score: " + "  ".join(f"<{(b + 1) / 10:.1f} {bins[b]}" for b in range(10)))
    for link in random.Random(0).sample(false, min(examples, len(false))):
        source, target = by_id[link.source_id], by_id[link.target_id]
        kept, compared = fact_agreement(link.aligned)
        print(
            f"  - {link.kind} score {link.score:.3f} coverage {link.source_coverage:.2f}/"
            f"{link.target_coverage:.2f} aligned {len(link.aligned)} facts kept {kept}/{compared} "
            f"{source.id} -> {target.id} ({link.direction_evidence[:60]})"
        )
        for pair in link.aligned[:2]:
            print(f"      [{pair.kind} {pair.similarity:.2f}] {pair.source.text[:120]}")
            print(f"                  {pair.target.text[:120]}")


def verify_rewrites(
    results: dict, corpus: synthetic.Corpus, planted: dict, settings: Settings, sample: int
) -> None:
    """Align a seeded sample of each group of rewrite candidates with MiniLM
    (``compare_rewrite``) and print how many become ``rewritten`` links.

    Groups: planted rewrites, planted copies (``add_rewrites`` skips these
    once ``compare`` links them) and other pairs, in one planted family or in
    other families (an independent report of a story is a family of its
    own), each split by the generators that make them: both, or only the new
    (or the old) one. The whole set is out of reach on two cores (MiniLM
    embeds ~100 sentences/s), hence the sample; links are counted before
    pruning, so a false link here may still be pruned.
    """
    from newstrace.embed import MiniLMEmbedder

    new = results["newstrace-rewrite-candidates"][0]
    old = results["rare-words-only (before)"][0]
    family_of = families(corpus)
    ids = [a.id for a in corpus.articles]
    by_id = {a.id: as_article(a) for a in corpus.articles}
    groups: dict[str, list[tuple[int, int]]] = {}
    for pair in sorted(new | old):
        where = "both" if pair in new and pair in old else "new only" if pair in new else "old only"
        if planted.get(pair) == "rewritten":
            kind = "planted rewritten"
        elif planted.get(pair):
            kind = "planted copy"
        elif family_of[ids[pair[0]]] == family_of[ids[pair[1]]]:
            kind = "same family"
        else:
            kind = "other families"
        groups.setdefault(f"{kind}, {where}", []).append(pair)
    embedder, sentences = MiniLMEmbedder(), {}
    print(f"rewrite verification: a sample of up to {sample} pairs of each group")
    for name, pairs in sorted(groups.items()):
        chosen = random.Random(0).sample(pairs, min(sample, len(pairs)))
        started, linked = time.perf_counter(), 0
        for i, j in chosen:
            for k in (i, j):
                if ids[k] not in sentences:
                    sentences[ids[k]] = segment(by_id[ids[k]])
            link = compare_rewrite(
                by_id[ids[i]],
                by_id[ids[j]],
                sentences[ids[i]],
                sentences[ids[j]],
                settings=settings,
                embedder=embedder,
            )
            linked += link is not None
        print(
            f"  {name:>32}: {len(pairs):7d} pairs, sampled {len(chosen):4d}, "
            f"rewritten {linked / max(len(chosen), 1):.3f} ({time.perf_counter() - started:.0f}s)"
        )


def as_article(item: synthetic.SyntheticArticle) -> Article:
    text, published = item.text, item.published
    return Article(id=item.id, source_path=item.id, raw_text=text, text=text, published=published)


def _counts(counter: Counter[str]) -> str:
    return "  ".join(f"{key} {count}" for key, count in counter.most_common())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--sample",
        type=int,
        default=Settings().shingle_sample,
        help="keep hashes 0 mod SAMPLE (default: what newstrace ships, Settings.shingle_sample)",
    )
    parser.add_argument("--verify", action="store_true")
    parser.add_argument(
        "--topical", type=float, default=0.0, help="share of each story's words renamed"
    )
    parser.add_argument("--rewrites", action="store_true", help="also time rewrite candidates")
    parser.add_argument(
        "--verify-rewrites",
        type=int,
        default=0,
        metavar="N",
        help="with --rewrites, align N sampled rewrite candidates per group with MiniLM",
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip datasketch (no speed-up ratio)"
    )
    args = parser.parse_args()
    settings = Settings(seed=1)
    started = time.perf_counter()
    corpus = synthetic.generate(args.n, seed=args.seed, topical=args.topical)
    texts = [a.text for a in corpus.articles]
    index = {a.id: n for n, a in enumerate(corpus.articles)}
    planted = {tuple(sorted((index[s], index[t]))): kind for s, t, kind in corpus.relations}
    words_per = sum(len(t.split()) for t in texts) / len(texts)
    print(
        f"corpus: {len(texts)} articles, {words_per:.0f} words each, "
        f"{len(planted)} planted relations {dict(Counter(planted.values()))}, "
        f"generated in {time.perf_counter() - started:.1f}s"
    )
    results = {}
    methods = [("newstrace", ours)]
    if not args.no_baseline:
        methods.append(("datasketch", datasketch_lsh))
    if args.rewrites:
        methods.append(("newstrace-rewrite-candidates", ours_rewrites))
        methods.append(("rare-words-only (before)", rare_words_rewrites))
        methods.append(("translation-candidates (half labelled de)", translation_candidates))
    for name, method in methods:
        pairs, elapsed, peak_delta, peak = measure(method, texts, args.sample, settings)
        results[name] = (pairs, elapsed, peak_delta)
        rates = recall(pairs, planted)
        print(
            f"{name:>10}: {elapsed:7.1f}s  {len(texts) / elapsed:8.0f} articles/s  "
            f"{len(pairs):8d} candidate pairs ({len(pairs) / elapsed:8.0f}/s, "
            f"{len(pairs) / len(texts):.2f}/article)  "
            f"peak +{peak_delta / 1024:.0f} MB (RSS {peak / 1024:.0f} MB)"
        )
        print("            recall " + "  ".join(f"{k} {v:.3f}" for k, v in rates.items()))
    if "datasketch" in results:
        ours_time, theirs_time = results["newstrace"][1], results["datasketch"][1]
        print(
            f"speed-up {theirs_time / ours_time:.1f}x articles/s; memory "
            f"{results['newstrace'][2] / max(results['datasketch'][2], 1):.2f}x of datasketch's"
        )
    if args.rewrites and args.verify_rewrites:
        verify_rewrites(results, corpus, planted, settings, args.verify_rewrites)
    if args.verify:
        articles = [as_article(a) for a in corpus.articles]
        family_of = families(corpus)
        for name in [n for n in ("newstrace", "datasketch") if n in results]:
            scores, false = verify(results[name][0], articles, planted, family_of, settings)
            shown = (
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in scores.items()
            )
            print(f"{name:>10} after verification: " + "  ".join(shown))
            diagnose(false, corpus)


if __name__ == "__main__":
    main()
