"""Per-partition work of the heavy stages, for Dask workers and for this process alike.

Each function takes one partition (a list) and returns one result per item,
in order; ``run_partitions`` runs it here, or as a Dask bag of partitions on a
``dask.distributed`` client. The stage functions of ``reuse``/``_signatures``,
``embed``/``stories`` and ``attribution`` are called unchanged; what is shared
per partition is only what costs to set up (a shingle hasher's word cache, the
MiniLM and spaCy models, loaded once per worker process).

Distributed with these: shingle signatures (candidate search input), the
alignment of candidate pairs (``reuse.compare``), the MiniLM embeddings of
article leads and their spaCy entities (story grouping input), attribution
(quotes and citations, spaCy parser). The candidate index itself,
paraphrase comparisons, story grouping, claims and the rest run on the
client: their inputs are global.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from .._signatures import ShingleHasher
from ..attribution import extract_attribution
from ..config import Settings
from ..embed import BATCH_SIZE
from ..model import Article, Sentence
from ..reuse import compare
from ..stories import default_embedder, default_entities
from ._codec import encode

T = TypeVar("T")
R = TypeVar("R")
PARTITIONS_PER_WORKER = 4
MAX_PARTITION = 1_000  # items: bounds what a worker holds at once
PARTITIONS_PER_JOB = 2  # a worker, in one bag job
JOBS_AT_ONCE = 2  # bag jobs submitted before the oldest one's results are taken


def shingle_signatures(settings: Settings, articles: Sequence[Article]) -> list[bytes]:
    """The sampled shingle hashes of each article (as ``reuse.candidate_pairs`` makes
    them), as raw uint64 bytes."""
    hasher = ShingleHasher(
        size=settings.shingle_size, sample=settings.shingle_sample, seed=settings.seed
    )
    return [hasher.text_shingles(a.text).astype(np.uint64).tobytes() for a in articles]


def signature_array(data: bytes) -> np.ndarray:
    """The hashes ``shingle_signatures`` wrote."""
    return np.frombuffer(data, dtype=np.uint64)


def lead_vectors(texts: Sequence[str]) -> list[bytes]:
    """MiniLM vectors (float32 bytes) of ``texts``, with this process's shared model."""
    vectors = default_embedder().embed(list(texts))
    return [v.astype(np.float32).tobytes() for v in vectors]


def lead_entities(texts: Sequence[str]) -> list[list[str]]:
    """spaCy entities of ``texts``, with this process's shared model."""
    return [list(found) for found in default_entities().extract(list(texts))]


def compare_pairs(
    settings: Settings,
    items: Sequence[tuple[Article, Article, Sequence[Sentence], Sequence[Sentence]]],
) -> list[bytes]:
    """``reuse.compare`` of each candidate pair, encoded as the store caches it."""
    return [
        encode(compare(first, second, mine, theirs, settings=settings))
        for first, second, mine, theirs in items
    ]


def attribution(
    settings: Settings, items: Sequence[tuple[Article, Sequence[Sentence]]]
) -> list[tuple[bool, Any]]:
    """``(True, {"ok": quotes and citations})`` or ``(False, reason)`` per article."""
    results: list[tuple[bool, Any]] = []
    for article, sentences in items:
        try:
            found = extract_attribution(article, sentences, settings=settings)
            results.append((True, {"ok": encode(found)}))
        except Exception as exc:  # one bad article must not stop the batch
            results.append((False, f"{type(exc).__name__}: {exc}"))
    return results


def run_partitions(
    client: Any,
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    *,
    multiple: int = 1,
) -> list[R]:
    """``function`` over ``items`` in partitions, results in order: on ``client``
    (a ``dask.distributed`` client) as Dask bag jobs, or here in one partition
    when ``client`` is None. Partition sizes are multiples of ``multiple`` (but
    the last).

    There are ``PARTITIONS_PER_WORKER`` partitions a worker, of at most
    ``MAX_PARTITION`` items, computed as bag jobs of ``PARTITIONS_PER_JOB``
    a worker, ``JOBS_AT_ONCE`` jobs submitted at a time (the next one is
    sent while the workers compute the last): the scheduler (in the client's
    process with a ``LocalCluster``) and the workers hold those partitions,
    not a copy of the whole input."""
    items = list(items)
    if client is None or not items:
        return list(function(items)) if items else []
    import dask.bag

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    wanted = max(1, min(len(items), PARTITIONS_PER_WORKER * workers))
    size = min(-(-len(items) // wanted), MAX_PARTITION)
    size = -(-size // multiple) * multiple
    starts = range(0, len(items), size)
    per_job = PARTITIONS_PER_JOB * workers
    results: list[R] = []
    running: deque[Any] = deque()  # jobs submitted, oldest first
    for first in range(0, len(starts), per_job):
        chunks = [items[start : start + size] for start in starts[first : first + per_job]]
        bag = dask.bag.from_sequence(chunks, npartitions=len(chunks))
        running.append(client.compute(bag.map(function)))
        if len(running) == JOBS_AT_ONCE:
            results.extend(item for chunk in running.popleft().result() for item in chunk)
    while running:
        results.extend(item for chunk in running.popleft().result() for item in chunk)
    return results


def embedding_order(texts: Sequence[str]) -> list[str]:
    """Distinct ``texts`` in the order ``MiniLMEmbedder`` batches them, so that
    partitions cut at multiples of its batch size embed exactly as one call would."""
    from ..embed import text_key

    return sorted(dict.fromkeys(texts), key=lambda t: (len(t), text_key(t)))


EMBED_BATCH = BATCH_SIZE
