"""Signatures (``_signatures``): candidate pairs as counted pair by pair; rare pairs of words."""

from __future__ import annotations

import numpy as np

from newstrace._signatures import ShingleHasher, candidate_pairs, rare_pair_terms


def hashed(*articles: str) -> list[np.ndarray]:
    hasher = ShingleHasher(size=1, sample=1, seed=1)
    return [hasher.shingles(text.split()) for text in articles]


def test_two_articles_sharing_two_words_share_one_pair_term_whatever_the_word_order():
    signatures = hashed("ana boris cleo", "cleo dario boris", "edda femi goran")
    terms = rare_pair_terms(signatures, max_frequency=5, max_words=4)
    # ana, dario and femi... are in one article each: they pair with nothing
    assert [len(t) for t in terms] == [1, 1, 0]
    assert terms[0].tolist() == terms[1].tolist()
    assert not set(terms[0]) & set(signatures[0])  # a pair term is no word hash


def test_words_in_too_many_articles_do_not_pair_and_the_least_common_are_chosen():
    # "common" is in all six articles: above max_frequency, so it pairs with nothing
    texts = ["common x y z", "common x y", "common x z", "common y z", "common q x", "common q y"]
    signatures = hashed(*texts)
    terms = rare_pair_terms(signatures, max_frequency=4, max_words=3)
    assert [len(t) for t in terms] == [3, 1, 1, 1, 1, 1]
    # x and y are in 4 articles, z in 3, q in 2: with two words, article 0 keeps z and x or y
    two = rare_pair_terms(signatures, max_frequency=4, max_words=2)
    assert len(two[0]) == 1 and set(two[0]) <= set(terms[0])
    assert set(two[0]) in (set(two[2]), set(two[3]))  # "x z" or "y z"
    # with x and y too common only z and q are left, never two in one article
    assert [len(t) for t in rare_pair_terms(signatures, max_frequency=3, max_words=3)] == [0] * 6


def test_pair_terms_block_articles_whose_words_are_each_too_common():
    # four names, each in 3 articles: none is rare with max_posting 2, but only the
    # first two articles have the same three together
    texts = ["t0 p0 q0", "q0 p0 t0", "t0 p1 q2", "t0 p2 q1", "p0 q1 t1", "p0 q2 t2", "q0 t1 p2"]
    texts.append("q0 t2 p1")
    signatures = hashed(*texts)
    alone = candidate_pairs(signatures, min_shared=3, max_posting=2, rare_only=True)
    assert len(alone) == 0
    pairs = rare_pair_terms(signatures, max_frequency=8, max_words=4)
    terms = [np.concatenate([a, b]) for a, b in zip(signatures, pairs, strict=True)]
    rows = candidate_pairs(terms, min_shared=3, max_posting=2, rare_only=True)
    assert rows.tolist() == [[0, 1, 3]]


def test_pairs_whose_words_meet_no_more_often_than_chance_are_left_out():
    # a and b are in 2 of 8 articles, both times together: 4 times chance (2 * 2 / 8);
    # c and d are in 4 each, together in 2: chance (4 * 4 / 8); a and c: twice chance
    texts = ["a b c d", "d c b a", "c x", "c y", "d z", "d w", "e", "f"]
    signatures = hashed(*texts)
    every = rare_pair_terms(signatures, max_frequency=8, max_words=4)
    assert [len(t) for t in every] == [6, 6, 0, 0, 0, 0, 0, 0]
    over_twice = rare_pair_terms(signatures, max_frequency=8, max_words=4, min_lift=2)
    assert [len(t) for t in over_twice[:2]] == [5, 5]  # all but "c d"
    (ab,) = rare_pair_terms(signatures, max_frequency=8, max_words=4, min_lift=3)[0]
    assert ab in set(over_twice[1]) and set(over_twice[0]) < set(every[0])


def test_pair_counts_are_those_of_counting_every_pair():
    from collections import Counter

    rng = np.random.default_rng(5)
    signatures = [np.unique(rng.integers(0, 60, 12).astype(np.uint64)) for _ in range(40)]
    counted = Counter(
        (i, j)
        for i in range(len(signatures))
        for j in range(i + 1, len(signatures))
        for _ in range(len(np.intersect1d(signatures[i], signatures[j])))
    )
    for at_least in (1, 2, 3):
        rows = candidate_pairs(signatures, min_shared=at_least, min_containment=0, max_posting=40)
        expected = sorted((i, j, n) for (i, j), n in counted.items() if n >= at_least)
        assert rows.tolist() == [list(row) for row in expected]
    one = [np.array([7], dtype=np.uint64), np.array([7], dtype=np.uint64)]
    assert candidate_pairs(one, min_shared=2, max_posting=5).tolist() == []
    assert candidate_pairs(one, min_shared=1, max_posting=5).tolist() == [[0, 1, 1]]


def test_signatures_made_one_at_a_time_give_the_rows_of_a_list_whatever_the_pieces(monkeypatch):
    import newstrace._signatures as signatures_module

    rng = np.random.default_rng(7)
    signatures = [
        np.unique(rng.integers(0, 90, rng.integers(0, 15)).astype(np.uint64)) for _ in range(60)
    ]
    expected = candidate_pairs(signatures, min_containment=0.2, max_posting=30).tolist()
    assert expected
    for piece in (1, 7, 1 << 22):
        monkeypatch.setattr(signatures_module, "_PIECE", piece)
        made = (s for s in signatures)  # a generator: read once, no list kept
        assert candidate_pairs(made, min_containment=0.2, max_posting=30).tolist() == expected
    assert candidate_pairs(iter(()), max_posting=5).tolist() == []
