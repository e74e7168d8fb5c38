from newstrace.claims import group_claims
from newstrace.config import Settings
from newstrace.corroborate import anonymous_key, corroborate, outlet_matches, provenance_graph
from newstrace.model import Citation, Quote, Reuse
from newstrace.segment import segment

from .conftest import make_article

CLAIM = "The crane had not been inspected for fourteen months, two officials said."


def quote_over(article, phrase, speaker, kind="anonymous", **fields):
    start = article.text.index(phrase)
    return Quote(
        id=f"q-{article.id}",
        article_id=article.id,
        start=start,
        end=start + len(phrase),
        text=phrase,
        speaker=speaker,
        speaker_kind=kind,
        direct=False,
        **fields,
    )


def setup(texts, **outlets):
    articles = [
        make_article(text, article_id=name, outlet=outlets.get(name))
        for name, text in texts.items()
    ]
    sentences = {a.id: segment(a) for a in articles}
    return articles, group_claims(sentences)


def test_copies_add_no_independence():
    articles, claims = setup({"wire": CLAIM, "copy": CLAIM, "spun": CLAIM})
    reuse = [
        Reuse(source_id="wire", target_id="copy", kind="verbatim", score=1, direction_confidence=1),
        Reuse(source_id="wire", target_id="spun", kind="spun", score=1, direction_confidence=1),
    ]
    (claim,) = corroborate(claims, articles, reuse)
    assert claim.independent_count == 1
    chain = next(c for c in claim.chains if c.article_id == "spun")
    assert "spun copy of wire.txt" in chain.steps


def test_a_copy_whose_direction_is_undecided_names_both_articles_as_the_origin():
    articles, claims = setup({"one": CLAIM, "two": CLAIM})
    link = Reuse(
        source_id="one",
        target_id="two",
        kind="spun",
        score=1,
        direction_confidence=0.5,
        direction_evidence="undecided: no evidence orders them",
    )
    (claim,) = corroborate(claims, articles, [link])
    assert claim.independent_count == 1
    (origin,) = claim.origins
    assert origin.name == "own reporting of one.txt or two.txt"
    chain = next(c for c in claim.chains if c.article_id == "two")
    assert "spun either way with one.txt" in chain.steps


def test_same_anonymous_group_counts_once_and_independent_reporting_counts_again():
    texts = {
        "wire": CLAIM,
        "paper": "The crane had not been inspected for fourteen months, a senior official said.",
        "local": "The crane had not been inspected for fourteen months, records seen by us show.",
    }
    articles, claims = setup(texts)
    quotes = [
        quote_over(articles[0], "two officials", "two officials"),
        quote_over(articles[1], "a senior official", "a senior official"),
    ]
    (claim,) = corroborate(claims, articles, (), quotes)
    assert claim.independent_count == 2
    assert sorted(o.kind for o in claim.origins) == ["own_reporting", "speaker"]


def test_citing_an_outlet_follows_the_chain_to_that_outlets_origin():
    texts = {
        "wire": CLAIM,
        "rewrite": "The crane had not been inspected for fourteen months, the NPA reported.",
    }
    articles, claims = setup(texts, wire="Northsea Press Agency")
    quotes = [quote_over(articles[0], "two officials", "two officials")]
    cue = "the NPA reported"
    start = articles[1].text.index(cue)
    citations = [
        Citation(article_id="rewrite", start=start, end=start + len(cue), text=cue, outlet="NPA")
    ]
    (claim,) = corroborate(claims, articles, (), quotes, citations)
    assert claim.independent_count == 1
    chain = next(c for c in claim.chains if c.article_id == "rewrite")
    assert chain.steps[1] == "cites NPA"
    assert chain.origin == claim.origins[0].name


def test_denial_conflicts_with_the_claim_it_denies():
    texts = {
        "wire": CLAIM,
        "copy": CLAIM,
        "authority": "The port authority denied that the crane had not been inspected for months.",
    }
    articles, claims = setup(texts)
    claims = corroborate(claims, articles)
    denial = next(c for c in claims if c.mentions[0].stance == "denied")
    claim = next(c for c in claims if c is not denial)
    assert claim.conflicts_with == (denial.id,)
    assert denial.conflicts_with == (claim.id,)


def test_anonymous_speakers_of_one_side_group_into_one_origin():
    from newstrace.corroborate import group_anonymous

    us_side = {"anon:us official", "anon:administration official", "anon:official"}
    grouped = group_anonymous(us_side)
    assert len(set(grouped.values())) == 1
    assert len(set(group_anonymous(us_side, grouping="description").values())) == 3
    both_sides = group_anonymous(us_side | {"anon:chinese official"})
    assert both_sides["anon:chinese official"] != both_sides["anon:us official"]
    assert both_sides["anon:official"] == "anon:official"  # ambiguous: counted on its own


def test_anonymous_keys_and_outlet_names():
    assert anonymous_key("a senior US official") == "us official"
    assert anonymous_key("two officials familiar with the inquiry") == "official"
    assert anonymous_key("people briefed on the talks") == "person"
    assert outlet_matches("Northsea Press Agency", "NPA")
    assert outlet_matches("The Vessmark Courier", "the Courier")
    assert not outlet_matches("The Vessmark Courier", "CNN")


def test_provenance_graph_links_copies_citations_and_origins():
    texts = {
        "wire": CLAIM,
        "copy": CLAIM,
        "rewrite": "The crane had not been inspected for fourteen months, the NPA reported.",
    }
    articles, claims = setup(texts, wire="Northsea Press Agency")
    reuse = [
        Reuse(source_id="wire", target_id="copy", kind="verbatim", score=1, direction_confidence=1)
    ]
    quotes = [quote_over(articles[0], "two officials", "two officials")]
    cue = "the NPA reported"
    start = articles[2].text.index(cue)
    citations = [
        Citation(article_id="rewrite", start=start, end=start + len(cue), text=cue, outlet="NPA")
    ]
    claims = corroborate(claims, articles, reuse, quotes, citations)
    nodes, edges = provenance_graph(articles, reuse, citations, claims)
    kinds = {(e.source, e.target): e.kind for e in edges}
    assert kinds[("article:wire", "article:copy")] == "verbatim"
    assert kinds[("article:rewrite", "outlet:npa")] == "cites"
    assert kinds[("outlet:npa", "article:wire")] == "publishes"
    assert kinds[("origin:anonymous officials", "article:wire")] == "attributes"
    assert {n.kind for n in nodes} == {"article", "outlet", "origin"}
    node_ids = {n.id for n in nodes}
    assert all(e.source in node_ids and e.target in node_ids for e in edges)


RESIGNED = "The harbour master resigned on Tuesday night after the council vote"


def cite(article, phrase, outlet):
    start = article.text.index(phrase)
    return Citation(
        article_id=article.id, start=start, end=start + len(phrase), text=phrase, outlet=outlet
    )


def test_outlets_citing_each_other_in_a_loop_are_one_origin():
    texts = {
        "alpha": f"{RESIGNED}, the Beta Times reported.",
        "beta": f"{RESIGNED}, Gamma Radio reported.",
        "gamma": f"{RESIGNED}, Alpha News reported.",
    }
    outlets = {"alpha": "Alpha News", "beta": "Beta Times", "gamma": "Gamma Radio"}
    articles, claims = setup(texts, **outlets)
    citations = [
        cite(articles[0], "the Beta Times reported", "Beta Times"),
        cite(articles[1], "Gamma Radio reported", "Gamma Radio"),
        cite(articles[2], "Alpha News reported", "Alpha News"),
    ]
    (claim,) = corroborate(claims, articles, (), (), citations)
    assert claim.independent_count == 1
    assert claim.origins[0].name.startswith("circular reporting of")
    assert all("circular reporting" in " ".join(c.steps) for c in claim.chains)
    counted = corroborate(
        claims, articles, (), (), citations, settings=Settings(circular_reporting="count")
    )
    assert counted[0].independent_count == 3  # each cited outlet counts


def test_an_outlet_citing_another_that_relays_its_source_is_one_origin():
    texts = {
        "alpha": f"{RESIGNED}, two officials said.",
        "beta": f"{RESIGNED}, Alpha News reported, citing officials.",
    }
    articles, claims = setup(texts, alpha="Alpha News", beta="Beta Times")
    quotes = [quote_over(articles[0], "two officials", "two officials")]
    citations = [cite(articles[1], "Alpha News reported", "Alpha News")]
    (claim,) = corroborate(claims, articles, (), quotes, citations)
    assert claim.independent_count == 1
    chain = next(c for c in claim.chains if c.article_id == "beta")
    assert chain.steps[1:] == ("cites Alpha News", "Alpha News (alpha.txt)", "quotes two officials")


def test_officials_and_a_body_of_one_government_are_one_origin_by_setting():
    request = "Moscow asked Beijing for armed drones and ammunition in late February"
    texts = {"x": f"{request}, US officials said.", "y": f"{request}, the White House said."}
    articles, claims = setup(texts)
    quotes = [
        quote_over(articles[0], request, "US officials", "anonymous"),
        quote_over(articles[1], request, "the White House", "organisation"),
    ]
    (claim,) = corroborate(claims, articles, (), quotes)
    assert claim.independent_count == 1
    reason = next(c for c in claim.chains if c.article_id == "y").steps[-1]
    assert "one government (us)" in reason and "official_grouping" in reason
    apart = corroborate(
        claims, articles, (), quotes, settings=Settings(official_grouping="anonymous")
    )
    assert apart[0].independent_count == 2


def test_a_spokesperson_speaks_for_their_organisation_by_setting():
    texts = {
        "x": "Its spokesman said he had not heard of any Russian request for drones and shells.",
        "y": "The Chinese embassy in the US denied any Russian request for drones and shells.",
    }
    articles, claims = setup(texts)
    quotes = [
        quote_over(
            articles[0],
            "he had not heard of any Russian request for drones and shells",
            "Liu Pengyu",
            "named",
            speaker_title="spokesman",
            speaker_affiliation="Chinese Embassy in Washington",
        )
    ]
    (claim,) = corroborate(claims, articles, (), quotes)
    assert claim.mentions[0].stance == "denied"
    assert claim.independent_count == 1
    assert "speaks for chinese embassy" in " ".join(claim.chains[0].steps + claim.chains[1].steps)
    apart = corroborate(claims, articles, (), quotes, settings=Settings(spokespeople="person"))
    assert apart[0].independent_count == 2


def test_a_bare_statement_adds_no_origin_when_others_attribute_the_claim():
    texts = {"wire": CLAIM, "blog": "The crane had not been inspected for fourteen months."}
    articles, claims = setup(texts)
    quotes = [quote_over(articles[0], "two officials", "two officials")]
    (claim,) = corroborate(claims, articles, (), quotes)
    assert claim.independent_count == 1
    blog = next(c for c in claim.chains if c.article_id == "blog")
    assert "without naming a source" in blog.steps[-1]
    counted = corroborate(
        claims, articles, (), quotes, settings=Settings(unsourced_mentions="count")
    )
    assert counted[0].independent_count == 2


def test_claims_come_out_disputed_first_then_by_articles():
    texts = {
        "wire": CLAIM,
        "copy": CLAIM,
        "third": CLAIM,
        "authority": "The port authority denied that the crane had not been inspected for months.",
        "a": f"{RESIGNED}, officials said.",
        "b": f"{RESIGNED}, officials said.",
    }
    articles, claims = setup(texts)
    ordered = corroborate(claims, articles)
    disputed = [bool(c.conflicts_with) for c in ordered]
    assert disputed == sorted(disputed, reverse=True) and disputed[0]
    counts = [len({m.article_id for m in c.mentions}) for c in ordered if not c.conflicts_with]
    assert counts == sorted(counts, reverse=True)


def test_an_unknown_collapsing_rule_is_a_clear_config_error():
    import pytest

    from newstrace.errors import ConfigError

    articles, claims = setup({"wire": CLAIM, "copy": CLAIM})
    with pytest.raises(ConfigError, match="circular_reporting.*collapse, count"):
        corroborate(claims, articles, settings=Settings(circular_reporting="merge"))


def test_a_spokespersons_affiliation_stated_in_one_article_holds_in_the_others():
    said = "the ferry schedule was cut because of the storm"
    texts = {
        "x": f"Spokesperson Ines Varga said {said}.",
        "y": f"Ines Varga, a spokeswoman for the Harbour Board, said {said}.",
        "z": f"The Harbour Board said {said}.",
    }
    articles, claims = setup(texts)
    quotes = [
        quote_over(articles[0], said, "Ines Varga", "named", speaker_title="spokesperson"),
        quote_over(
            articles[1],
            said,
            "Ines Varga",
            "named",
            speaker_title="spokeswoman",
            speaker_affiliation="Harbour Board",
        ),
        quote_over(articles[2], said, "the Harbour Board", "organisation"),
    ]
    (claim,) = corroborate(claims, articles, (), quotes)
    assert claim.independent_count == 1
    x = next(c for c in claim.chains if c.article_id == "x")
    assert "spokeswoman, Harbour Board" in x.steps[1] and "speaks for harbour board" in x.steps[-1]
