from collections import Counter
from dataclasses import replace

import pytest

from newstrace.config import Settings
from newstrace.reuse import align_sentences, candidate_pairs, classify, compare, find_reuse
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


# --- rewrites, direction evidence, shared upstream ---------------------------------------

REWRITE = """Dock crane came down after rust warnings, union says
A crane at the northern dock fell on Monday and four people working there were hurt,
the Harbour Wire reported.
Officials told the Harbour Wire that nobody had checked the crane for over twelve months.
The city council is due to hold talks with the port's managers on Thursday about a review of safety.
A team of national safety board engineers got to the dock on Monday night.
"""

SAME_STORY = """Families wait for news at the hospital
Relatives of the injured gathered at the city hospital on Monday night as doctors worked.
“We warned them about the rust on the boom many times,” said union leader Mara Quist.
A nurse said two of the patients were expected to go home within a few days.
The hospital asked the public to donate blood at its clinic on Tuesday morning.
"""


class BagOfWords:
    """A tiny deterministic stand-in for MiniLM: hashed content words, L2-normalised."""

    dimension = 64

    def embed(self, texts):
        import numpy as np

        from newstrace._text import content_words

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in content_words(text):
                out[row, sum(map(ord, word)) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def run_with(items, embedder, **settings):
    sentences = {a.id: segment(a) for a in items}
    return find_reuse(items, sentences, settings=Settings(**settings), embedder=embedder)


def test_a_rewrite_naming_its_source_is_rewritten_with_paraphrase_evidence():
    from newstrace.embed import MiniLMEmbedder

    wire = make_article(WIRE, article_id="wire", outlet="Harbour Wire")
    rewrite = make_article(REWRITE, article_id="rewrite", outlet="Dock Daily")
    (link,) = run_with([rewrite, wire], MiniLMEmbedder())
    assert (link.source_id, link.target_id, link.kind) == ("wire", "rewrite", "rewritten")
    assert "cites its outlet (Harbour Wire)" in link.direction_evidence
    assert link.paraphrase_model == "all-MiniLM-L6-v2 (int8)"
    assert len(link.paraphrases) >= 2
    texts = {"wire": WIRE, "rewrite": REWRITE}
    for pair in link.paraphrases:
        for span in (pair.source, pair.target):
            assert texts[span.article_id][span.start : span.end] == span.text


def test_a_same_story_report_sharing_only_a_quote_is_not_linked():
    from newstrace.embed import MiniLMEmbedder

    items = [make_article(WIRE, article_id="wire"), make_article(SAME_STORY, article_id="local")]
    assert run_with(items, MiniLMEmbedder()) == ()


def test_the_embedder_is_not_built_when_no_pair_needs_it(monkeypatch):
    import newstrace.reuse as reuse

    def refuse():
        raise AssertionError("MiniLM should not be loaded")

    monkeypatch.setattr(reuse, "MiniLMEmbedder", refuse)
    assert run(articles(wire=WIRE, other=OTHER)) == ()


def test_a_credit_line_decides_direction():
    credited = WIRE.replace(
        "The dock will stay",
        "This story was first published by the Harbour Wire. The dock will stay",
    )
    items = [
        make_article(credited, article_id="copy", outlet="Dock Daily"),
        make_article(WIRE, article_id="wire", outlet="Harbour Wire"),
    ]
    (link,) = run_with(items, BagOfWords())
    assert (link.source_id, link.target_id) == ("wire", "copy")
    assert link.direction_confidence >= 0.95
    assert link.direction_evidence.startswith("credit")


def test_without_evidence_the_direction_is_undecided_and_says_so():
    (link,) = run(articles(first=WIRE, second=WIRE + "\n"))
    assert link.direction_confidence <= 0.5
    assert link.direction_evidence.startswith("undecided")


def test_a_damaged_copy_derives_from_the_clean_one_without_dates():
    clean = WIRE + "The officials said the review would take a month, two officials said.\n"
    damaged = clean.replace("two officials said on Monday", "two managers said on Monday")
    (link,) = run(articles(damaged=damaged, clean=clean))
    assert (link.source_id, link.target_id) == ("clean", "damaged")
    assert link.direction_evidence.startswith("degradation")
    assert "managers" in link.direction_evidence


def test_a_copy_that_adds_its_own_paragraphs_is_still_a_copy_of_what_it_took():
    # Its own paragraphs dilute the word 5-grams of its whole text below the copy
    # threshold; the sentences it took are word for word the source's.
    own = (
        "Residents of the harbour district said the noise of the cranes had kept them awake "
        "for weeks before the accident and that nobody had answered their letters.\n"
        "A local shopkeeper who has sold coffee to dockers for twenty years said the mood "
        "on the quay was angry and frightened after the fall of the northern crane.\n"
    )
    taken = "\n".join(WIRE.splitlines()[:4]) + "\n"
    source = make_article(WIRE, article_id="wire", published="2024-03-04T08:00:00Z")
    copy = make_article(taken + own, article_id="copy", published="2024-03-04T11:00:00Z")
    (link,) = run([source, copy])
    assert (link.source_id, link.target_id) == ("wire", "copy")
    assert link.kind in ("abridged", "partial")


def test_a_word_the_source_uses_as_its_own_is_not_damage():
    # The source says "optimal" three times and "best" twice; the copy keeps one
    # "optimal" sentence, with "best" in it. The source is not the damaged one.
    source_text = (
        "Engineers chose the optimal route for the new harbour railway after a long study.\n"
        "The optimal route crosses the river twice and avoids the old fish market entirely.\n"
        "Planners said the best outcome would be a line that opens before the summer season.\n"
        "The optimal timetable puts a train every ten minutes at the busiest morning hours.\n"
        "Residents said the best thing about the plan was the new station near the quay.\n"
        "The council will vote on the railway budget at its meeting on Thursday evening.\n"
    )
    copy_text = (
        "Engineers chose the best route for the new harbour railway after a long study.\n"
        "Planners said the best outcome would be a line that opens before the summer season.\n"
        "Residents said the best thing about the plan was the new station near the quay.\n"
    )
    (link,) = run(articles(source=source_text, copy=copy_text))
    assert link.kind != "shared_upstream"
    assert not link.direction_evidence.startswith(("degradation", "shared upstream"))
    assert (link.source_id, link.target_id) == ("source", "copy")


def test_an_inflected_word_or_a_capital_at_a_sentence_start_is_not_damage():
    from newstrace._paraphrase import degradation
    from newstrace.model import AlignedPair, Span

    first = make_article("Officials gave terms. The terms stand. Terms.", article_id="a")
    second = make_article("Officers gave term. The terms stand, officials say.", article_id="b")
    pair = AlignedPair(
        source=Span(article_id="a", start=0, end=21, text="Officials gave terms."),
        target=Span(article_id="b", start=0, end=19, text="Officers gave term."),
        similarity=0.9,
        kind="substituted",
        substitutions=(("Officials", "Officers"), ("terms", "term")),
    )
    assert degradation([pair], first, second) == (0, 0, [])


def test_loosely_alike_sentences_that_share_a_storys_names_are_not_reuse():
    first = (
        "Inspector Lena Fazormi warned the city council that the damage in Nera was serious.\n"
        "Union leader Edda Ostol said repair costs for the Nera Port Authority could be large.\n"
        "Fishermen on the quay said the water smelled of oil for most of the afternoon.\n"
    )
    second = (
        "Inspector Lena Fazormi said the leak at the Nera refinery began early on Saturday.\n"
        "Mayor Edda Ostol said the Nera Port Authority would publish its plans for the refinery.\n"
        "Schools near the refinery stayed open, and the ferry to the islands ran as usual.\n"
    )
    one, other = articles(first=first, second=second)
    assert compare(one, other, segment(one), segment(other)) is None
    copied = make_article(first.replace("could be large", "could be very large"), article_id="c")
    assert compare(one, copied, segment(one), segment(copied)).kind == "verbatim"


def test_damaged_copy_with_material_the_clean_one_lacks_is_a_shared_upstream():
    extra = "\n".join(
        f"Paragraph {i} adds what the union said about ladders number {i} at the dock."
        for i in range(6)
    )
    clean = WIRE + "The officials said the review would take a month, two officials said.\n"
    damaged = clean.replace("two officials said on Monday", "two managers said on Monday")
    damaged = damaged.replace("The dock will stay closed", "Dock stays shut") + extra
    abridged = "\n".join(clean.splitlines()[:4] + clean.splitlines()[-1:]) + "\n"
    (link,) = run(articles(damaged=damaged, abridged=abridged))
    assert link.kind == "shared_upstream"
    assert link.direction_confidence == 0.0
    assert link.direction_evidence.startswith("shared upstream")


def test_a_shared_upstream_is_one_record_in_the_brief_and_one_graph_node():
    import json
    from pathlib import Path

    import jsonschema

    from newstrace.corroborate import provenance_graph
    from newstrace.model import Brief
    from newstrace.reuse import infer_upstreams

    extra = "\n".join(
        f"Paragraph {i} adds what the union said about ladders number {i} at the dock."
        for i in range(6)
    )
    clean = WIRE + "The officials said the review would take a month, two officials said.\n"
    damaged = clean.replace("two officials said on Monday", "two managers said on Monday")
    damaged = damaged.replace("The dock will stay closed", "Dock stays shut") + extra
    abridged = "\n".join(clean.splitlines()[:4] + clean.splitlines()[-1:]) + "\n"
    items = articles(damaged=damaged, abridged=abridged, other=OTHER)
    links = run(items)
    (upstream,) = infer_upstreams(links)
    assert upstream.members == ("abridged", "damaged")
    assert upstream.shared
    assert {p.source.article_id for p in upstream.shared} <= set(upstream.members)
    nodes, edges = provenance_graph(items, links, upstreams=(upstream,))
    assert [n.id for n in nodes if n.kind == "upstream"] == [upstream.id]
    assert {e.target for e in edges if e.source == upstream.id} == {
        "article:abridged",
        "article:damaged",
    }
    brief = Brief(articles=tuple(items), reuse=links, upstreams=(upstream,))
    data = brief.to_dict()
    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "src/newstrace/brief.schema.json").read_text()
    )
    jsonschema.validate(data, schema)
    (record,) = data["upstreams"]
    assert record["members"] == ["abridged", "damaged"]
    assert record["shared"][0]["source"]["text"] in (damaged + abridged)


def test_sentences_from_one_template_with_other_names_or_numbers_are_not_aligned():
    def sentence(text):
        return segment(make_article(text))[0]

    settings = Settings()
    one = sentence("At least 12 were hurt at the Vessmark dock, inspector Ana Kalo said.")
    numbers = sentence("At least 47 were hurt at the Vessmark dock, inspector Ana Kalo said.")
    names = sentence("At least 12 were hurt at the Vessmark dock, inspector Boris Dun said.")
    mangled = sentence("At least 12 were hurt at the Vesmark dock, inspector Ana Kalo said.")
    assert align_sentences(one, numbers, settings=settings) is None
    assert align_sentences(one, names, settings=settings) is None
    assert align_sentences(one, mangled, settings=settings) is not None


TEMPLATE = """{event} at {place} dock
Inspector {who} said the {event} at the {place} dock began early on {day}.
At least {n} people were injured when the {event} damaged the dock, inspector {who} said.
The {place} Port Authority said an investigation would report within {m} days.
Residents near the dock were warned to stay away while officials inspected the area.
The {place} Port Authority had inspected the dock in {month}, {who} said, and found no damage.
"""


def test_articles_from_one_template_with_other_names_and_numbers_are_not_linked():
    first = dict(event="Fire", place="Vessmark", who="Ana Kalo", day="Monday", n=12, m=30)
    other = dict(event="Fire", place="Dunmore", who="Boris Lind", day="Monday", n=47, m=14)
    one = TEMPLATE.format(month="May", **first)
    two = TEMPLATE.format(month="June", **other)
    assert not run(articles(one=one, two=two))
    spun = one.replace("said", "stated").replace("injured", "hurt").replace("dock", "quay")
    (link,) = run(articles(one=one, spun=spun))
    assert link.kind == "spun"


SIBLING = (
    "{title} report\n\nVideo shared online by mayor {mayor} showed the {site} in Palsa after "
    "the {event}. Our reporter in Palsa saw smoke above the {site} late in the evening after "
    "the {event}. About {cars} cars queued outside the Palsa station for three hours on the "
    "main road. Inspector {inspector} of the Palsa Water Board told us the site would stay "
    "closed until the end of next week. Officials said {hurt} workers were treated at the "
    "Palsa clinic for minor injuries."
)


def test_template_sentences_dropped_for_their_other_facts_still_count_against_a_link():
    """Names of one made-up style (Torsator, Tormipal) pass as a misspelling in
    the sentences that align; the numbers of the sentences that do not align show
    two events in one town, not a copy."""
    one = SIBLING.format(
        title="Tunnel",
        mayor="Boris Torsator",
        site="tunnel",
        event="fire",
        cars=30,
        inspector="Milo Safami",
        hurt=12,
    )
    two = SIBLING.format(
        title="Bridge",
        mayor="Kofi Tormipal",
        site="bridge",
        event="flood",
        cars=45,
        inspector="Hana Miel",
        hurt=7,
    )
    assert not run(articles(one=one, two=two))
    spun = one.replace("showed", "displayed").replace("saw", "spotted")
    (link,) = run(articles(one=one, spun=spun))  # a copy keeps its facts: no sibling
    assert link.kind in ("spun", "verbatim")


def test_a_copy_that_drops_a_name_keeps_its_facts_and_a_sibling_swaps_them():
    from newstrace._align import _fact_states

    source = "The term was first used in the 1940s by Richard Bellman to describe planning."
    dropped = "The term was first used in the 1940s to describe planning."
    swapped = "The term was first used in the 1960s by Karl Weber to describe planning."
    misspelt = "The term was first used in the 1940s by Richard Belman to describe planning."
    assert _fact_states(source, dropped) == [("1940s", "kept"), ("richard bellman", "dropped")]
    assert _fact_states(source, swapped) == [("1940s", "swapped"), ("richard bellman", "swapped")]
    assert _fact_states(source, misspelt) == [("1940s", "kept"), ("richard bellman", "kept")]


def test_rome_republications_share_an_upstream_and_nothing_else_links(rome_brief):
    from pathlib import Path

    names = {a.id: Path(a.source_path).name[:3] for a in rome_brief.articles}
    links = [(names[r.source_id], names[r.target_id], r) for r in rome_brief.reuse]
    assert [{a, b} for a, b, _ in links] == [{"000", "001"}]
    link = links[0][2]
    assert link.kind == "shared_upstream"
    assert link.direction_confidence == 0.0
    assert "manager" in link.direction_evidence
    (upstream,) = rome_brief.upstreams
    assert set(upstream.members) == {link.source_id, link.target_id}
    assert len(upstream.shared) == len(link.aligned) + len(link.paraphrases)
    assert upstream.id in {n.id for n in rome_brief.graph_nodes}


# --- candidates at scale ---------------------------------------------------------------


def test_shingle_hashes_are_deterministic_and_sampled_consistently():
    from newstrace._signatures import ShingleHasher

    first = ShingleHasher(size=4, sample=1, seed=3).text_shingles(WIRE)
    again = ShingleHasher(size=4, sample=1, seed=3).text_shingles(WIRE)
    other_seed = ShingleHasher(size=4, sample=1, seed=4).text_shingles(WIRE)
    sampled = ShingleHasher(size=4, sample=4, seed=3).text_shingles(WIRE)
    assert (first == again).all() and not set(first) & set(other_seed)
    assert set(sampled) <= set(first) and 0 < len(sampled) < len(first)
    from newstrace._text import shingles, words

    assert len(first) == len(shingles(words(WIRE), 4))


def test_candidate_pairs_use_containment_and_ignore_common_phrases():
    import numpy as np

    from newstrace._signatures import candidate_pairs

    common = np.arange(1, 4, dtype=np.uint64)
    signatures = [
        np.arange(100, 200, dtype=np.uint64),  # long article
        np.arange(100, 110, dtype=np.uint64),  # reuses a tenth of it: all of itself
        np.arange(500, 600, dtype=np.uint64),  # unrelated
        *[np.concatenate([common, np.arange(1000 + 10 * i, 1005 + 10 * i)]) for i in range(4)],
    ]
    rows = candidate_pairs(signatures, min_shared=2, min_containment=0.5, max_posting=3)
    assert rows[:, :2].tolist() == [[0, 1]]
    assert rows[0, 2] == 10


def test_candidate_pairs_of_some_articles_are_those_of_all_pairs_with_them():
    import numpy as np

    from newstrace._signatures import candidate_pairs

    rng = np.random.default_rng(3)
    pool = rng.integers(1, 2**63, size=400, dtype=np.uint64)
    signatures = [np.unique(rng.choice(pool, size=60)) for _ in range(40)]
    every = candidate_pairs(signatures, min_shared=2, min_containment=0.1, max_posting=8)
    touching = np.zeros(40, dtype=bool)
    touching[[3, 17, 39]] = True
    rows = candidate_pairs(
        signatures, min_shared=2, min_containment=0.1, max_posting=8, touching=touching
    )
    wanted = every[touching[every[:, 0]] | touching[every[:, 1]]]
    assert len(wanted) > 0 and rows.tolist() == wanted.tolist()


def test_synthetic_corpus_smoke_candidates_find_the_planted_copies():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import synthetic

    corpus = synthetic.generate(200, seed=0)
    again = synthetic.generate(200, seed=0)
    assert [a.text for a in corpus.articles] == [a.text for a in again.articles]
    items = [make_article(a.text, article_id=a.id) for a in corpus.articles]
    found = candidate_pairs(items, settings=Settings())
    surface = [frozenset((s, t)) for s, t, kind in corpus.relations if kind != "rewritten"]
    found_sets = {frozenset(pair) for pair in found}
    assert sum(pair in found_sets for pair in surface) / len(surface) >= 0.98


def test_an_outlet_named_before_it_published_is_an_actor_not_a_cited_source():
    from newstrace.reuse import story_actors

    earlier = make_article(
        "The Harbour Board runs the dock where the crane fell on Monday morning.",
        article_id="earlier",
        published="2026-03-13T09:00:00Z",
    )
    statement = make_article(
        "The board denies that inspections were skipped at the dock this year.",
        article_id="statement",
        outlet="Harbour Board",
        published="2026-03-13T15:00:00Z",
    )
    wire = make_article(
        "A crane fell at the dock, and the Harbour Board later denied skipping checks.",
        article_id="wire",
        outlet="Northsea Press Agency",
        published="2026-03-13T08:00:00Z",
    )
    assert story_actors([earlier, statement, wire]) == {"statement"}


REPORT = (
    "Fire at the {town} depot. Inspector {p} said the fire began early on the night shift. "
    "Engineer {q} warned that repairs in {town} would take several weeks."
)
RETOLD = (
    "According to inspector {p}, a blaze hit the depot in {town} during the night shift. "
    "Repairs will be slow, engineer {q} cautioned."
)
TOWNS = "Vellmar Ostrana Kadrel Pomvik Saltere Brennic Holtav Marisk Tolven Durrage".split()
FIRST = "Quist Abeley Rontan Melsk Varga Ibbot Cestin Harrow Lundqvel Okoro".split()
SECOND = "Pelham Drost Ysolde Kettner Amarov Bliss Orrin Tavish Zeller Fenwick".split()


def name_heavy_corpus():
    """40 reports, each naming a town and two people; each name is in 4 reports,
    but no two reports share two names. Then a rewrite of report a00 (its three
    names, other words), and 60 reports of a budget vote that name none of them."""
    items = [make_article(OTHER, article_id=f"vote{i:02d}") for i in range(60)]
    for a in range(4):
        for b in range(10):
            names = {"town": TOWNS[b], "p": FIRST[(a + b) % 10], "q": SECOND[(2 * a + b) % 10]}
            text = (REPORT if a % 2 == 0 else RETOLD).format(**names)
            items.append(make_article(text, article_id=f"a{10 * a + b:02d}"))
    rewrite = RETOLD.format(town=TOWNS[0], p=FIRST[0], q=SECOND[0])
    return [*items, make_article(rewrite, article_id="rewrite")]


def test_rewrite_candidates_pair_up_names_too_common_to_block_on_alone():
    from newstrace._text import content_words
    from newstrace.reuse import rewrite_candidates

    items = name_heavy_corpus()
    settings = Settings(max_posting=3)
    in_articles = Counter(w for a in items for w in set(content_words(a.text)))
    assert min(in_articles[w.lower()] for w in (*TOWNS, *FIRST, *SECOND)) > settings.max_posting
    # a report and its rewrite share three names, each in 4-5 of 101 reports; two
    # other reports share at most one name: only the rewrite pair is a candidate
    assert rewrite_candidates(items, settings=settings) == [("a00", "rewrite")]
    flipped = rewrite_candidates(items[::-1], settings=settings)
    assert {frozenset(p) for p in flipped} == {frozenset(("a00", "rewrite"))}


def test_a_rewrite_sharing_a_third_of_its_words_is_a_candidate_on_a_ninth_of_its_pairs():
    from newstrace.reuse import rewrite_candidates

    common = "The council met on the matter and the mayor spoke about it."
    shared = [f"kel{i}" for i in range(4)]  # in the report, its rewrite and one more article
    report_own = [f"dor{i}" for i in range(8)]  # in the report and two more articles
    rewrite_own = [f"vik{i}" for i in range(8)]  # in the rewrite and two more articles
    items = [
        make_article(f"{common} {' '.join(shared + report_own)}", article_id="report"),
        make_article(f"{common} {' '.join(shared + rewrite_own)}", article_id="rewrite"),
    ]
    others = shared + 2 * report_own + 2 * rewrite_own
    items += [make_article(f"{common} {w}", article_id=f"one{i:02d}") for i, w in enumerate(others)]
    items += [make_article(common, article_id=f"plain{i:02d}") for i in range(40)]
    # every word is in 3 articles, too many for max_posting 2: only pairs of words block.
    # Each side's 12 words make 66 pairs; they share the 6 pairs of the 4 shared words:
    # 0.09 of them, above 0.2² though below 0.2 (a third of the words, a ninth of the pairs)
    assert rewrite_candidates(items, settings=Settings(max_posting=2)) == [("report", "rewrite")]


def test_rewrite_alignment_embeds_every_compared_sentence_in_one_prepared_pass():
    class Recording(BagOfWords):
        def __init__(self):
            self.prepared, self.embedded = [], []

        def prepare(self, texts):
            assert not self.embedded, "prepare comes before any pair is embedded"
            self.prepared.append(list(texts))

        def embed(self, texts):
            self.embedded.extend(texts)
            return super().embed(texts)

    embedder = Recording()
    wire = make_article(WIRE, article_id="wire", outlet="Harbour Wire")
    rewrite = make_article(REWRITE, article_id="rewrite", outlet="Dock Daily")
    (link,) = run_with([rewrite, wire], embedder)
    assert link.kind == "rewritten"
    (prepared,) = embedder.prepared
    assert embedder.embedded and set(embedder.embedded) <= set(prepared)


def test_rewrite_benchmark_smoke_every_run_embeds_the_same_sentences(capsys, monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_rewrites

    monkeypatch.setattr(sys, "argv", ["bench_rewrites.py", "8", "--multilingual"])
    bench_rewrites.main()
    lines = capsys.readouterr().out.splitlines()
    embedded = [line.split("s  ")[1].split(" sentences")[0] for line in (*lines[1:3], lines[4])]
    assert embedded[0] == embedded[1] == embedded[2] and int(embedded[0]) > 0
    assert lines[3].startswith("speed-up ") and lines[3].endswith("between the runs: 0")
    assert lines[5].startswith("e5 takes ") and "others" in lines[5]


class Recording(BagOfWords):
    """``BagOfWords`` trained on ``languages``, keeping every text it embeds."""

    def __init__(self, languages=None):
        self.languages = languages
        self.embedded = []

    def embed(self, texts):
        self.embedded.extend(texts)
        return super().embed(texts)


def test_rewrites_in_other_languages_are_compared_by_the_multilingual_embedder():
    def pair(language):
        items = [
            make_article(REWRITE, article_id="rewrite", outlet="Dock Daily", language=language),
            make_article(WIRE, article_id="wire", outlet="Harbour Wire", language="en"),
        ]
        return items, {a.id: segment(a) for a in items}

    for language, reader in (("en", "english"), ("de", "multilingual")):
        models = {"english": Recording(frozenset({"en"})), "multilingual": Recording()}
        (link,) = find_reuse(
            *pair(language),
            embedder=models["english"],
            multilingual=models["multilingual"],
        )
        assert link.kind == "rewritten"
        assert [name for name, model in models.items() if model.embedded] == [reader]

    english = Recording(frozenset({"en"}))
    settings = Settings(paraphrase_multilingual=False)
    assert find_reuse(*pair("de"), settings=settings, embedder=english) == ()
    assert english.embedded == []  # never asked for cosines it cannot vouch for


def test_an_embedders_calibration_puts_its_cosines_on_the_threshold_scale():
    class Crowded(BagOfWords):
        calibration = (1.0, -0.5)  # its cosines sit 0.5 above the shared scale

    wire = make_article(WIRE, article_id="wire", outlet="Harbour Wire")
    rewrite = make_article(REWRITE, article_id="rewrite", outlet="Dock Daily")
    (plain,) = run_with([rewrite, wire], BagOfWords())
    assert run_with([rewrite, wire], Crowded()) == ()
    assert min(p.similarity for p in plain.paraphrases) < 0.5 + 0.7


def test_a_german_rewrite_is_found_by_multilingual_e5_and_an_own_report_is_not():
    from pathlib import Path

    from newstrace.embed import MiniLMEmbedder

    folder = Path(__file__).parent / "data" / "reuse_de"  # a wire, its rewrite, an own report
    items = [
        make_article(
            (folder / f"{name}.txt").read_text(encoding="utf-8"),
            article_id=name,
            outlet=outlet,
            language="de",
        )
        for name, outlet in (
            ("wire", "Nordpresse"),
            ("rewrite", "Hohenfurter Anzeiger"),
            ("own_report", "Mainkurier"),
        )
    ]
    english = MiniLMEmbedder()
    (link,) = find_reuse(items, {a.id: segment(a) for a in items}, embedder=english)
    assert {link.source_id, link.target_id} == {"wire", "rewrite"}
    assert link.kind == "rewritten" and len(link.paraphrases) >= 6
    assert link.paraphrase_model == "multilingual-e5-small (4-bit)"
    assert english._cache == {}  # MiniLM, trained on English only, was never asked


def test_news_pair_evaluation_lists_links_between_pairs_rated_different_stories(
    tmp_path, capsys, monkeypatch
):
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import eval_reuse

    rows = [
        {"pair_id": "1_2", "text1": WIRE, "text2": WIRE, "Overall": 3.5},
        {"pair_id": "3_4", "text1": WIRE, "text2": OTHER, "Overall": 1.0},
    ]
    for row in rows:
        row.update(lang1="en", lang2="en")
    (tmp_path / "pairs.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    monkeypatch.setattr(sys, "argv", ["eval_reuse.py", str(tmp_path)])
    eval_reuse.main()
    out = capsys.readouterr().out
    assert "same story (Overall <= 1.5): 0/1 linked" in out
    assert "different (> 2.5): 1/1 linked (1.000) verbatim 1" in out
    assert "1_2 en-en Overall 3.50 verbatim (1.00/1.00)" in out


BOARD = """Harbour budget talks stall
The harbour board spent Tuesday arguing over next year's dredging budget.
Board members said the northern channel silts up faster every winter.
A proposal to sell the old ferry terminal was put off until the spring.
The board's chair said tenants of the fish market would see rents rise.
Fishermen complained that the new quay fees were twice last year's.
A container crane fell at the northern dock on Monday morning, hurting four workers.
The crane had not been inspected for more than a year, two officials said on Monday.
The board will publish its accounts at the end of the month.
Residents asked for more buses to the ferry terminal at weekends.
The next meeting of the board is set for the first week of March.
"""


def test_two_passages_taken_one_of_them_edited_are_partial_reuse_not_a_spun_copy():
    (link,) = run(articles(wire=WIRE, board=BOARD))
    assert link.kind == "partial"
    assert sorted(p.kind for p in link.aligned) == ["substituted", "verbatim"]
    assert max(link.source_coverage, link.target_coverage) < 0.5


def test_names_and_numbers_are_the_words_a_translation_keeps():
    from newstrace.reuse import names_and_numbers

    english = "The crane fell on Friday. The union said Crane 7 had 3 complaints, Dana Okafor said."
    german = "Der Kran stürzte am Freitag um. Kran 7 hatte 3 Beschwerden, sagte Dana Okafor."
    assert names_and_numbers(english) == ["friday", "7", "3", "dana", "okafor"]
    assert {"7", "3", "dana", "okafor"} <= set(names_and_numbers(german))


def test_translation_candidates_join_two_known_languages_only():
    from newstrace.reuse import translation_rows

    texts = [
        "Dana Okafor met Ruth Abernethy in Vessmark on 14 March 2026.",
        "Dana Okafor traf Ruth Abernethy am 14. März 2026 in Vessmark.",
        "Dana Okafor and Ruth Abernethy were in Vessmark on 14 March 2026.",
        "Dana Okafor met Ruth Abernethy in Vessmark on 14 March 2026, they said.",
    ]
    rows = translation_rows(texts, ["en", "de", None, "en"], settings=Settings())
    assert sorted(map(tuple, rows.tolist())) == [(0, 1), (1, 3)]


def test_a_translation_is_a_rewrite_across_languages_and_other_reports_are_not():
    from pathlib import Path

    from newstrace.clean import clean_article
    from newstrace.ingest import read_article

    root = Path(__file__).parents[1]
    paths = {
        "courier": root / "examples" / "corpus" / "07_courier_independent.txt",
        "wire": root / "examples" / "corpus" / "01_npa_wire.txt",
        "denial": root / "examples" / "corpus" / "08_vpa_denial.txt",
        "courier_de": root / "tests" / "data" / "translations" / "courier_de.txt",
        "wire_es": root / "tests" / "data" / "translations" / "wire_es.txt",
        "denial_fr": root / "tests" / "data" / "translations" / "denial_fr.txt",
    }
    items = [replace(clean_article(read_article(p)), id=name) for name, p in paths.items()]
    assert [a.language for a in items] == ["en", "en", "en", "de", "es", "fr"]
    links = find_reuse(items, {a.id: segment(a) for a in items})
    found = {frozenset((r.source_id, r.target_id)): r for r in links}
    assert set(found) == {
        frozenset(("courier", "courier_de")),
        frozenset(("wire", "wire_es")),
        frozenset(("denial", "denial_fr")),  # written after the threshold was chosen
    }
    for link in found.values():
        assert link.kind == "rewritten" and link.target_coverage >= 0.5
        assert link.paraphrase_model == "multilingual-e5-small (4-bit)"
    credited = found[frozenset(("courier", "courier_de"))]  # "erschien zuerst bei …"
    assert (credited.source_id, credited.target_id) == ("courier", "courier_de")
    assert credited.direction_evidence.startswith("credit")
    assert all(link.undecided for link in found.values() if link is not credited)  # no dates


@pytest.mark.parametrize(
    "credit",
    [
        "This story first appeared in The Vessmark Courier.",
        "Dieser Artikel erschien zuerst bei The Vessmark Courier.",
        "Cet article a été publié initialement dans le Vessmark Courier.",
        "Publicado originalmente en The Vessmark Courier.",
    ],
)
def test_a_credit_line_in_any_of_several_languages_names_the_source(credit):
    from newstrace._paraphrase import credit_line

    source = make_article("Crane report.", article_id="s", outlet="The Vessmark Courier")
    assert credit_line(make_article(f"Kran. {credit}", article_id="t"), source)
    assert not credit_line(
        make_article("Kran. Erschien zuerst bei Alderby.", article_id="t"), source
    )
