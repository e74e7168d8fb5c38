import pytest

from newstrace.claims import group_claims, stance_of
from newstrace.model import Story
from newstrace.segment import segment

from .conftest import make_article


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The port authority denied that any inspection had been skipped.", "denied"),
        ("The embassy said it had not heard of any such request.", "denied"),
        ("It is not yet clear whether the crane was overloaded.", "uncertain"),
        ("Officials fear the crane may have been overloaded.", "hedged"),
        ("The crane was overloaded, two officials said.", "attributed"),
        ("The crane collapsed at 7.40 on Monday morning.", "asserted"),
    ],
)
def test_stance_cues(sentence, stance):
    assert stance_of(sentence) == stance


def sentences_of(**texts):
    return {name: segment(make_article(text, article_id=name)) for name, text in texts.items()}


def test_same_assertion_in_other_articles_joins_one_claim():
    sentences = sentences_of(
        a="Seven dock workers were injured when the crane collapsed on Monday morning.",
        b="The crane collapsed on Monday morning and seven dock workers were injured.",
        c="The city council approved the new school budget on Tuesday night after a debate.",
    )
    (claim,) = group_claims(sentences)
    assert {m.article_id for m in claim.mentions} == {"a", "b"}
    assert claim.statement in {m.text for m in claim.mentions}


def test_different_numbers_keep_claims_apart():
    sentences = sentences_of(
        a="Seven dock workers were injured when the crane collapsed on Monday morning.",
        b="Twelve dock workers were injured when the crane collapsed on Monday, 12 in total.",
    )
    sentences["a"] = segment(
        make_article(
            "7 dock workers were injured when the crane collapsed on Monday.", article_id="a"
        )
    )
    assert group_claims(sentences) == ()


def test_denials_form_their_own_claim():
    sentences = sentences_of(
        a="The crane had not been inspected for fourteen months before it collapsed.",
        b="The crane had not been inspected for fourteen months before it collapsed.",
        c="The authority denied the crane had not been inspected for fourteen months.",
    )
    claims = group_claims(sentences)
    assert len(claims) == 2
    denial = next(c for c in claims if c.mentions[0].stance == "denied")
    assert [m.article_id for m in denial.mentions] == ["c"]


def test_claims_stay_inside_their_story():
    text = "Seven dock workers were injured when the crane collapsed on Monday morning."
    sentences = sentences_of(a=text, b=text)
    stories = [
        Story(id="s1", title="", article_ids=("a",)),
        Story(id="s2", title="", article_ids=("b",)),
    ]
    assert group_claims(sentences, (), stories) == ()


class KeywordEmbedder:
    """A fake embedder: texts about a crane share one vector, every other text has its own."""

    dimension = 64

    def embed(self, texts):
        import numpy as np

        vectors = np.zeros((len(texts), self.dimension))
        for row, text in enumerate(texts):
            vectors[row, 0 if "crane" in text.lower() else 1 + row % (self.dimension - 1)] = 1.0
        return vectors


def test_an_embedder_joins_paraphrases_that_share_few_words():
    sentences = sentences_of(
        a="Seven dock workers were hurt when the crane fell over on Monday morning.",
        b="A crane toppled at the harbour, leaving several labourers in hospital overnight.",
        c="The council approved the new school budget on Tuesday night after a debate.",
    )
    assert group_claims(sentences) == ()
    (claim,) = group_claims(sentences, embedder=KeywordEmbedder())
    assert {m.article_id for m in claim.mentions} == {"a", "b"}


def test_a_story_in_a_language_the_embedder_was_not_trained_on_is_grouped_without_it():
    class EnglishKeywords(KeywordEmbedder):
        languages = frozenset({"en"})

    sentences = sentences_of(
        a="Seven dock workers were hurt when the crane fell over on Monday morning.",
        b="A crane toppled at the harbour, leaving several labourers in hospital overnight.",
    )
    english = {"a": "en", "b": "en"}
    (claim,) = group_claims(sentences, embedder=EnglishKeywords(), languages=english)
    assert len(claim.mentions) == 2
    other = {"a": "en", "b": "de"}
    assert group_claims(sentences, embedder=EnglishKeywords(), languages=other) == ()
    assert len(group_claims(sentences, embedder=KeywordEmbedder(), languages=other)) == 1


def test_a_story_keeps_the_embedder_for_its_english_articles_and_joins_a_translation():
    from newstrace._align import sentence_span
    from newstrace.model import AlignedPair, Reuse

    class EnglishKeywords(KeywordEmbedder):
        languages = frozenset({"en"})

    sentences = sentences_of(
        a="Seven dock workers were hurt when the old crane at the harbour fell over on Monday.",
        b="A crane toppled at the harbour, leaving several labourers in hospital overnight.",
        c="Sieben Hafenarbeiter verletzt, als der Kran am Montag umstürzte.",
    )
    languages = {"a": "en", "b": "en", "c": "de"}
    (claim,) = group_claims(sentences, embedder=EnglishKeywords(), languages=languages)
    assert {m.article_id for m in claim.mentions} == {"a", "b"}  # c alone kept it out before

    paraphrase = AlignedPair(
        source=sentence_span(sentences["a"][0]),
        target=sentence_span(sentences["c"][0]),
        similarity=0.8,
        kind="paraphrase",  # type: ignore[arg-type]
    )
    translation = Reuse(
        source_id="a",
        target_id="c",
        kind="rewritten",
        score=0.8,
        direction_confidence=0.5,
        paraphrases=(paraphrase,),
    )
    (claim,) = group_claims(
        sentences, [translation], embedder=EnglishKeywords(), languages=languages
    )
    assert {m.article_id for m in claim.mentions} == {"a", "b", "c"}
    del sentences["b"]
    (claim,) = group_claims(
        sentences, [translation], embedder=EnglishKeywords(), languages=languages
    )
    assert claim.statement.startswith("Seven")  # not the shorter German: the embedder's language


def units_of(text):
    from newstrace.claims import claim_units

    article = make_article(text, article_id="a")
    return article, claim_units(segment(article))


def test_clauses_inside_reported_speech_are_mentions_with_offsets():
    article, units = units_of(
        "The senior official said the authority had ordered checks on its 11 other cranes "
        "and that two of them had been taken out of service."
    )
    assert [u.text for u in units] == [
        "the authority had ordered checks on its 11 other cranes",
        "two of them had been taken out of service",
    ]
    assert all(article.text[u.start : u.end] == u.text for u in units)
    assert {u.frame for u in units} == {"The senior official said"}


def test_a_trailing_frame_is_set_aside_and_a_participle_is_its_own_unit():
    _, units = units_of(
        "A crane that collapsed on Friday, injuring seven workers, had not been inspected "
        "for 14 months, port officials said, despite rules requiring a check every six months."
    )
    texts = [u.text for u in units]
    assert "injuring seven workers" in texts
    main = next(u for u in units if u.text.endswith("for 14 months"))
    assert main.frame == "port officials said"
    assert "injuring" not in main.compare_text


def test_a_denial_keeps_what_it_denies():
    from newstrace.claims import unit_stance

    _, units = units_of("The embassy has publicly denied that the request was ever made.")
    (unit,) = units
    assert unit.text.startswith("The embassy has publicly denied")
    assert unit_stance(unit) == "denied"


@pytest.mark.parametrize(
    ("first", "second", "similarity", "same"),
    [
        ("Russia asked China for armed drones", "China decided to give Russia support", 0.9, False),
        (
            "the crane had not been inspected for months",
            "the crane was inspected in May",
            0.9,
            False,
        ),
        (
            "Twelve workers were injured on Friday",
            "Seven workers were injured on Friday",
            0.95,
            False,
        ),
        (
            "Seven workers were injured, two seriously",
            "seven people were taken to hospital",
            0.45,
            True,
        ),
        ("Moscow requested drones and shells", "Russia sought weapons from China", 0.6, True),
        ("the council met on Tuesday", "the mayor spoke at length", 0.5, False),
    ],
)
def test_same_claim_rules(first, second, similarity, same):
    from newstrace.claims import same_claim, unit_features

    assert same_claim(similarity, unit_features(first), unit_features(second)) is same
