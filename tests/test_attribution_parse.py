"""Tests for the parser-backed speakers, partial quotes in reported speech, and the
description of speakers (titles, affiliations, anonymous kind/side/count).

Every sentence here is invented for these tests.
"""

from __future__ import annotations

import pytest

from newstrace._attribution_describe import describe, title_in
from newstrace._nlp import NLP
from newstrace.attribution import extract_attribution
from newstrace.errors import ModelUnavailableError
from newstrace.model import Article, Quote
from newstrace.segment import segment


@pytest.fixture(scope="module")
def nlp() -> NLP:
    model = NLP()
    try:
        model.load()
    except ModelUnavailableError:
        pytest.skip("no spaCy English model installed")
    return model


def run(text: str, nlp: NLP) -> list[Quote]:
    article = Article(id="a", source_path="a.txt", raw_text=text, text=text)
    return list(extract_attribution(article, segment(article), nlp=nlp)[0])


def test_subject_of_a_verb_of_speech_the_rules_do_not_list(nlp: NLP) -> None:
    text = (
        "The hearing ran late.\n\n"
        "“Why is this bank still allowed to grow?” Senator Mara Quist demanded of the panel."
    )
    (quote,) = [q for q in run(text, nlp) if q.direct]
    assert quote.speaker == "Mara Quist"
    assert quote.speaker_title == "Senator"


def test_a_verb_with_a_quote_far_from_its_subject(nlp: NLP) -> None:
    text = "When the mayor spoke, Ilse Brandt boasted, “That makes the harbour the best.”"
    (quote,) = [q for q in run(text, nlp) if q.direct]
    assert quote.speaker == "Ilse Brandt"


def test_partial_quote_inside_reported_speech_gives_the_clause(nlp: NLP) -> None:
    text = "The harbour master said that the repairs would take “many more weeks” to finish."
    found = run(text, nlp)
    clause = [q for q in found if not q.direct]
    assert clause and "“many more weeks”" in clause[0].text
    assert clause[0].speaker == "the harbour master"  # the rules read no speaker here
    assert all(text[q.start : q.end] == q.text for q in found)


def test_rules_only_when_nlp_is_false() -> None:
    text = "“Why is this bank still allowed to grow?” Senator Mara Quist demanded of the panel."
    article = Article(id="a", source_path="a.txt", raw_text=text, text=text)
    quotes, _ = extract_attribution(article, segment(article), nlp=False)
    assert all(q.speaker != "Mara Quist" for q in quotes)


def test_dash_credit_and_colon_in_the_previous_paragraph(nlp: NLP) -> None:
    text = (
        "Readers wrote in.\n\n“The port needs new cranes, not new excuses.” ― Lotte Hamsun\n\n"
        "Councillor Ruth Abara continued:\n\n“Nobody asked the residents of Low Harbour.”"
    )
    speakers = [q.speaker for q in run(text, nlp) if q.direct]
    assert speakers == ["Lotte Hamsun", "Ruth Abara"]


def test_one_of_a_group_resolves_to_the_group(nlp: NLP) -> None:
    text = (
        "Two officials familiar with the inquiry said the inspection was dropped.\n"
        "“It simply never happened,” one of the officials said."
    )
    (quote,) = [q for q in run(text, nlp) if q.direct]
    assert quote.speaker == "two officials familiar with the inquiry"
    assert (quote.anonymous_kind, quote.count) == ("government official", 2)


@pytest.mark.parametrize(
    ("phrase", "kind", "side", "count"),
    [
        ("a senior administration official", "government official", "administration", 1),
        ("two sources familiar with the matter", "source familiar", None, 2),
        ("US officials familiar with the intelligence", "government official", "US", None),
        ("a US defense official", "government official", "US defense", 1),
        ("an embassy spokesman", "spokesperson", "embassy", 1),
        ("an analyst", "analyst", None, 1),
        ("officials at the port authority", "government official", "port authority", None),
    ],
)
def test_anonymous_descriptions(phrase: str, kind: str, side: str | None, count: int) -> None:
    found = describe(phrase, phrase, "anonymous")
    assert (found.anonymous_kind, found.side, found.count) == (kind, side, count)


def test_named_titles_and_affiliations() -> None:
    found = describe("Dana Okafor, head of the Dockworkers' Union", "Dana Okafor", "named")
    assert (found.title, found.affiliation) == ("head", "Dockworkers' Union")
    text = "Earlier, State Department spokesman Ned Price spoke. Price said more."
    assert title_in(text, "Ned Price") == "State Department spokesman"


def test_quote_fields_serialise() -> None:
    from newstrace.model import Brief

    text = "“We will reopen the bridge,” a senior port official said."
    article = Article(id="a", source_path="a.txt", raw_text=text, text=text)
    quotes, _ = extract_attribution(article, segment(article), nlp=False)
    doc = Brief(articles=(article,), quotes=quotes).to_dict()
    assert doc["quotes"][0]["anonymous_kind"] == "government official"
    assert doc["quotes"][0]["count"] == 1
