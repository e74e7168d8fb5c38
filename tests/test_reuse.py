from newstrace.config import Settings
from newstrace.reuse import align_sentences, candidate_pairs, classify, find_reuse
from newstrace.segment import segment

from .conftest import make_article

WIRE = """Crane falls at northern dock
A container crane collapsed at the northern dock on Monday morning, injuring four workers.
The crane had not been inspected for more than a year, two officials said on Monday.
“We warned them about the rust on the boom many times,” said union leader Mara Quist.
Port managers will meet the city council on Thursday to discuss the safety review.
Engineers from the national safety board arrived at the dock late on Monday evening.
The dock will stay closed until the inspectors finish their work, the harbour master said.
"""

ABRIDGED = """Crane falls at northern dock
A container crane collapsed at the northern dock on Monday morning, injuring four workers.
The crane had not been inspected for more than a year, two officials said on Monday.
“We warned them about the rust on the boom many times,” said union leader Mara Quist.
Our newspaper has covered the dock's safety record since the first incident in 2019.
"""

SPUN = """Crane drops at northern quay
A container crane fell at the northern quay on Monday morning, hurting four workers.
The crane had not been checked for more than a year, two managers stated on Monday.
“We warned them about the corrosion on the boom many times,” stated union boss Mara Quist.
Port bosses will meet the city council on Thursday to talk about the safety review.
Engineers from the national safety board reached the quay late on Monday evening.
The quay will stay shut until the inspectors finish their work, the harbour master stated.
"""

OTHER = """Council approves budget
The city council approved a new budget for schools and parks on Tuesday night.
The mayor said the plan would add two hundred teachers over the next three years.
"""


def articles(**texts):
    return [make_article(text, article_id=name) for name, text in texts.items()]


def run(items, **settings):
    sentences = {a.id: segment(a) for a in items}
    return find_reuse(items, sentences, settings=Settings(**settings))


def test_verbatim_copy_is_found_and_unrelated_text_is_not():
    items = articles(wire=WIRE, copy=WIRE + "\n", other=OTHER)
    (link,) = run(items)
    assert {link.source_id, link.target_id} == {"wire", "copy"}
    assert link.kind == "verbatim"
    assert link.score > 0.95
    assert all(p.kind == "verbatim" for p in link.aligned)


def test_abridged_copy_points_from_the_longer_source():
    (link,) = run(articles(short=ABRIDGED, wire=WIRE))
    assert (link.source_id, link.target_id, link.kind) == ("wire", "short", "abridged")
    assert link.target_coverage > link.source_coverage


def test_publication_times_decide_direction():
    items = [
        make_article(WIRE, article_id="late", published="2026-03-15T10:00:00Z"),
        make_article(WIRE, article_id="early", published="2026-03-14T10:00:00Z"),
    ]
    (link,) = run(items)
    assert (link.source_id, link.target_id) == ("early", "late")
    assert link.direction_confidence >= 0.9


def test_spun_copy_is_aligned_with_its_word_swaps():
    (link,) = run(articles(wire=WIRE, spun=SPUN))
    assert link.kind == "spun"
    swaps = {swap for pair in link.aligned for swap in pair.substitutions}
    assert ("collapsed", "fell") in swaps
    assert ("officials said", "managers stated") in swaps or ("officials", "managers") in swaps


def test_sentence_alignment_rejects_different_sentences():
    first, second = segment(make_article(WIRE))[1], segment(make_article(OTHER))[1]
    assert align_sentences(first, second, settings=Settings()) is None


def test_partial_reuse_of_two_paragraphs_in_a_long_article_is_a_candidate():
    filler = "\n".join(
        f"Paragraph {i} talks about fishing quotas and weather number {i} in the north sea."
        for i in range(40)
    )
    reused = "\n".join(WIRE.splitlines()[1:3])
    long_article = make_article(filler + "\n" + reused, article_id="long")
    wire = make_article(WIRE, article_id="wire")
    sentences = {a.id: segment(a) for a in (wire, long_article)}
    assert ("wire", "long") in candidate_pairs([wire, long_article], sentences, settings=Settings())
    (link,) = find_reuse([wire, long_article], sentences)
    assert link.kind == "partial"
    assert len(link.aligned) == 2


def test_classify_shared_upstream_when_each_side_has_material_the_other_lacks():
    (link,) = run(articles(wire=WIRE, short=ABRIDGED))
    assert classify(link.aligned, 0.5, 0.5) == "shared_upstream"


def test_reuse_is_symmetric_in_what_it_finds():
    forward = run(articles(wire=WIRE, spun=SPUN))
    backward = run(articles(spun=SPUN, wire=WIRE))
    assert len(forward) == len(backward) == 1
    assert forward[0].score == backward[0].score
