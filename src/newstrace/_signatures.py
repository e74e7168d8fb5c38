"""Vectorised word-shingle fingerprints and candidate pairs for the reuse stage.

Every article becomes a numpy array of 64-bit hashes of its word
``size``-grams: each distinct word is hashed once (blake2b, seeded, cached
on the ``ShingleHasher``) and the hashes of ``size`` consecutive words are
combined with wrapping multiply-add in numpy, so no shingle string is ever
built. Only shingles whose hash is ``0 mod sample`` are kept (the same
shingles are kept in every article, so shared shingles stay shared: a
deterministic "0 mod p" sample, as in winnowing).

``candidate_pairs`` builds an inverted index of the sampled hashes by
sorting one array of ``(hash, article)`` postings, drops hashes found in more
than ``max_posting`` articles (common phrases), counts the hashes each pair
of articles shares and keeps a pair when it shares at least ``min_shared``
hashes and they make up at least ``min_containment`` of the smaller side.
Containment, not Jaccard, is what finds an abridged copy of a long article or
four reused paragraphs: both have a low Jaccard. The whole pass is a few
numpy sorts; nothing compares all pairs.

``rare_pair_terms`` adds terms for blocking on *pairs* of words: two words
that are each too common to block on (a town, a surname in hundreds of
articles of a big corpus) are rare together. For each article it takes its
``max_words`` least common words found in 2..``max_frequency`` articles and
hashes each pair of them, order-free, into one term (keeping only the pairs
whose words meet more often than chance would have them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

from ._text import _WORD, words

_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
     0x94D049BB133111EB, 0xBF58476D1CE4E5B9, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)  # fmt: skip


class ShingleHasher:
    """Hashes word shingles of texts; holds the per-word hash cache."""

    def __init__(self, *, size: int = 4, sample: int = 1, seed: int = 1) -> None:
        if not 1 <= size <= len(_MULTIPLIERS):
            raise ValueError(f"shingle size must be 1..{len(_MULTIPLIERS)}, got {size}")
        if sample < 1:
            raise ValueError(f"sample must be >= 1, got {sample}")
        self.size, self.sample, self.seed = size, sample, seed
        self._key = seed.to_bytes(8, "little", signed=True)
        self._words: dict[str, int] = {}

    def word_hashes(self, tokens: Sequence[str]) -> np.ndarray:
        """One 64-bit hash per token."""
        cache, key = self._words, self._key
        for token in set(tokens).difference(cache):
            digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, key=key).digest()
            cache[token] = int.from_bytes(digest, "little")
        return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))

    def shingles(self, tokens: Sequence[str]) -> np.ndarray:
        """Distinct sampled hashes of the word ``size``-grams of ``tokens`` (sorted)."""
        hashes = self.word_hashes(tokens)
        if len(hashes) == 0:
            return hashes
        width = min(self.size, len(hashes))
        count = len(hashes) - width + 1
        combined = np.zeros(count, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for offset in range(width):
                combined = combined * _MULTIPLIERS[offset] + hashes[offset : offset + count]
            combined ^= combined >> np.uint64(29)
        if self.sample > 1:
            combined = combined[combined % np.uint64(self.sample) == 0]
        combined.sort()  # distinct by sort and mask: for small arrays ~4x np.unique's speed
        if len(combined) < 2:
            return combined
        return combined[np.concatenate(([True], combined[1:] != combined[:-1]))]

    def text_shingles(self, text: str) -> np.ndarray:
        """``shingles`` of the folded words of ``text``."""
        return self.shingles(fast_words(text))


def fast_words(text: str) -> list[str]:
    """``_text.words(text)``, without the Unicode folding pass when ``text`` is ASCII."""
    if text.isascii():
        return _WORD.findall(text.lower())
    return words(text)


_TABLE_SIZE = 1 << 24  # entries of ``_maybe_in``'s table (16 MB)
_CHUNK = 8192  # articles whose word pairs ``rare_pair_terms`` makes at once
_PIECE = 1 << 22  # hashes ``_postings`` gathers before it joins them (32 MB)


def candidate_pairs(
    signatures: Iterable[np.ndarray],
    *,
    min_shared: int = 2,
    min_containment: float = 0.1,
    max_posting: int = 50,
    rare_only: bool = False,
    touching: np.ndarray | None = None,
) -> np.ndarray:
    """``(k, 3)`` int64 rows ``(i, j, shared)``, ``i < j``, of articles that may share text.

    ``signatures[i]`` is the array of distinct sampled shingle hashes of
    article ``i``; they are read once, in order, so a generator that makes
    them one by one keeps no second copy of them all. With ``rare_only``
    containment is the share of the smaller article's *rare* hashes (those
    in at most ``max_posting`` articles): blocking on rare terms (names,
    places) whose test does not weaken as the corpus grows and common words
    drop out. With ``touching`` (a boolean mask over the articles) only the
    pairs with at least one article in the mask are made, the same rows as
    without it: only the posting lists of the hashes of those articles are
    built, counted over all articles.
    """
    hashes, owners, sizes = _postings(signatures)
    count = len(sizes)
    if count < 2 or len(hashes) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    if touching is not None:
        if rare_only:
            raise ValueError("touching and rare_only cannot be combined")
        keep = _maybe_in(hashes, hashes[touching[owners]])
        hashes, owners = hashes[keep], owners[keep]
    owners, starts, lengths = _inverted_index(hashes, owners, count)
    del hashes
    if rare_only:
        rare = np.repeat(lengths <= max_posting, lengths)
        sizes = np.bincount(owners[rare], minlength=count).astype(np.int64)
        del rare
    keys = _pair_keys(owners, starts, lengths, max_posting, count)
    del owners, starts, lengths
    if len(keys) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    if touching is not None:
        keys = keys[touching[keys // count] | touching[keys % count]]
    keys, shared = _counted(keys, min_shared)
    first, second = keys // count, keys % count
    keep = shared >= min_containment * np.minimum(sizes[first], sizes[second])
    return np.stack([first[keep], second[keep], shared[keep]], axis=1)


def _counted(keys: np.ndarray, at_least: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` found ``at_least`` times, and how many times (``keys`` is sorted
    in place). Most pairs of articles share one hash; only runs of two or more are indexed."""
    keys.sort()
    if at_least <= 1:
        starts, lengths = _runs(keys)
        return keys[starts], lengths
    if len(keys) < 2:
        return keys[:0], np.zeros(0, dtype=np.int64)
    same = keys[1:] == keys[:-1]  # inside a run of one key
    starts = np.flatnonzero(same & np.r_[True, ~same[:-1]])
    ends = np.flatnonzero(same & np.r_[~same[1:], True])
    del same
    shared = ends - starts + 2
    keep = shared >= at_least
    return keys[starts[keep]], shared[keep]


def _inverted_index(
    hashes: np.ndarray, owners: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The articles of every hash (article ``owners[k]`` has ``hashes[k]``), grouped
    by hash and ascending within a group, with each group's start and length.
    ``hashes`` is overwritten.

    Each hash, multiplied by an odd constant (a one-to-one mix that moves
    the differences of nearby values into the high bits), and its article are
    packed into one 64-bit number, the article in the low bits, and sorted in
    place: one sort and no index array. Two hashes whose mixes differ only in
    those low bits become one: among h distinct hashes about h² / 2^(65 - bits)
    such meetings (a few in 100,000 articles), each adding one to a pair's
    shared count.
    """
    bits = max(1, (count - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    with np.errstate(over="ignore"):
        hashes *= _MULTIPLIERS[0]
    hashes &= ~low
    hashes |= owners
    hashes.sort()
    repeated = hashes[1:] == hashes[:-1]  # one article's two hashes the packing made one
    if repeated.any():  # rare: copy only then
        hashes = hashes[np.r_[True, ~repeated]]
    del repeated
    if bits <= 32:
        members = hashes.astype(np.uint32)
        members &= np.uint32(low)
    else:
        members = (hashes & low).astype(np.int64)
    hashes >>= np.uint64(bits)
    return members, *_runs(hashes)


def rare_pair_terms(
    signatures: Iterable[np.ndarray], *, max_frequency: int, max_words: int, min_lift: float = 0
) -> list[np.ndarray]:
    """For each article, the hashes of the pairs of its ``max_words`` least common words.

    ``signatures[i]`` holds the distinct word hashes of article ``i``. Only
    words in 2..``max_frequency`` articles take part (a word in one article
    is shared by no pair); among an article's words the least common come
    first, ties broken by hash, so the choice depends on the corpus and the
    article only. Each pair of chosen words becomes one 64-bit term, the same
    whichever order the words come in. With ``min_lift`` a pair is kept only
    when it is in at least ``min_lift`` times as many articles as two
    independent words of its words' frequencies would be (``f1 * f2 / n``):
    a story's names meet far more often than chance, while the words of a
    stock line and a common noun meet about as often as chance has them, and
    would make one shared line count once per word. Returns one sorted array
    per article.
    """
    hashes, owners, sizes = _postings(signatures)
    count = len(sizes)
    if count == 0 or len(hashes) == 0:
        return [np.zeros(0, dtype=np.uint64) for _ in range(count)]
    order = np.argsort(hashes)
    hashes, owners = hashes[order], owners[order]
    del order  # the arrays here are as long as all the words: free each when done
    frequency = _run_lengths(hashes)
    keep = (frequency >= 2) & (frequency <= max_frequency)
    hashes, owners, frequency = hashes[keep], owners[keep], frequency[keep]
    del keep
    order = np.lexsort((hashes, frequency, owners))
    hashes, owners, frequency = hashes[order], owners[order], frequency[order]
    del order
    starts, lengths = _runs(owners)
    lengths = np.minimum(lengths, max_words)
    terms, term_owners, chance = [], [], []
    for size in range(2, max_words + 1):
        left, right = np.triu_indices(size, k=1)
        every_start = starts[lengths == size]
        for at in range(0, len(every_start), _CHUNK):  # in chunks: bounded temporaries
            group_starts = every_start[at : at + _CHUNK]
            first_at = (group_starts[:, None] + left[None, :]).ravel()
            second_at = (group_starts[:, None] + right[None, :]).ravel()
            first, second = hashes[first_at], hashes[second_at]
            low, high = np.minimum(first, second), np.maximum(first, second)
            with np.errstate(over="ignore"):
                mixed = (low * _MULTIPLIERS[0] + high) * _MULTIPLIERS[1]
                mixed ^= mixed >> np.uint64(29)
            terms.append(mixed)
            term_owners.append(owners[first_at].astype(np.int32))
            chance.append((frequency[first_at] * (frequency[second_at] / count)).astype(np.float32))
    del hashes, owners, frequency
    if not terms:
        return [np.zeros(0, dtype=np.uint64) for _ in range(count)]
    mixed, mixed_owners = np.concatenate(terms), np.concatenate(term_owners)
    del terms, term_owners
    if min_lift > 0:
        order = np.argsort(mixed)
        together = np.empty(len(mixed), dtype=np.int64)
        together[order] = _run_lengths(mixed[order])
        del order
        keep = together >= min_lift * np.concatenate(chance)
        del together, chance
        mixed, mixed_owners = mixed[keep], mixed_owners[keep]
    order = np.lexsort((mixed, mixed_owners))
    mixed, mixed_owners = mixed[order], mixed_owners[order]
    bounds = np.searchsorted(mixed_owners, np.arange(1, count))
    return np.split(mixed, bounds)


def _runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal items of a sorted array starts, and its length."""
    if len(ordered) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return starts, np.diff(np.r_[starts, len(ordered)])


def _run_lengths(ordered: np.ndarray) -> np.ndarray:
    """For each item of a sorted array, how many items equal it."""
    lengths = _runs(ordered)[1]
    return np.repeat(lengths, lengths)


def _postings(signatures: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All hashes of ``signatures`` in one array, the index of the article of each,
    and the number of hashes of each article.

    The signatures are joined in pieces of about ``_PIECE`` hashes, and each
    piece is freed once it is copied into the result, whose pages the system
    only provides when written: when the signatures come from a generator,
    the peak is one copy of the hashes and one piece, not two copies.
    """
    pieces, waiting, sizes, size = [], [], [], 0
    for signature in signatures:
        waiting.append(np.asarray(signature, dtype=np.uint64))
        sizes.append(len(signature))
        size += len(signature)
        if size >= _PIECE:
            pieces.append(np.concatenate(waiting))
            waiting, size = [], 0
    if waiting:
        pieces.append(np.concatenate(waiting))
    del waiting
    counts = np.array(sizes, dtype=np.int64)
    hashes = np.empty(int(counts.sum()), dtype=np.uint64)
    at = 0
    pieces.reverse()
    while pieces:
        piece = pieces.pop()
        hashes[at : at + len(piece)] = piece
        at += len(piece)
        del piece
    dtype = np.uint32 if len(counts) <= 2**32 else np.uint64
    return hashes, np.repeat(np.arange(len(counts), dtype=dtype), counts), counts


def _maybe_in(hashes: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """A mask of ``hashes`` that holds every one in ``wanted``, and a few others.

    A direct-mapped bit table on the low bits: one lookup per hash instead of
    a binary search. The few other hashes are harmless to ``candidate_pairs``:
    no article of the mask has them, so the pairs they make are dropped.
    """
    table = np.zeros(_TABLE_SIZE, dtype=bool)
    low = np.uint64(_TABLE_SIZE - 1)
    table[(wanted & low).astype(np.intp)] = True
    return table[(hashes & low).astype(np.intp)]


def _pair_keys(
    owners: np.ndarray, starts: np.ndarray, lengths: np.ndarray, max_posting: int, n: int
) -> np.ndarray:
    """``i * n + j`` for every pair of articles in every posting list of 2..max_posting,
    written into one array made to size (no list of pieces to join)."""
    sizes = np.arange(2, max_posting + 1)
    groups = np.bincount(lengths[lengths <= max_posting], minlength=max_posting + 1)[2:]
    keys = np.empty(int((groups * sizes * (sizes - 1) // 2).sum()), dtype=np.int64)
    at = 0
    for size, count in zip(sizes.tolist(), groups.tolist(), strict=True):
        if count == 0:
            continue
        group_starts = starts[lengths == size]
        left, right = np.triu_indices(size, k=1)
        first = owners[group_starts[:, None] + left[None, :]].ravel().astype(np.int64)
        second = owners[group_starts[:, None] + right[None, :]].ravel()
        first *= n
        first += second
        keys[at : at + len(first)] = first
        at += len(first)
    return keys
