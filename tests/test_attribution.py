"""Tests for the attribution stage: quotes, speakers, resolution and citations.

Every fixture sentence is invented for these tests (people, places, outlets).
The Rome corpus, when present next to the repository, is only read, never copied.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.attribution import MAX_QUOTE_CHARS, extract_attribution
from newstrace.config import Settings
from newstrace.model import Article, Citation, Quote
from newstrace.segment import segment

ROME = Path(__file__).parents[1].parent / "shared" / "corpus" / "rome-2022"


def run(text: str) -> tuple[tuple[Quote, ...], tuple[Citation, ...]]:
    article = Article(id="a", source_path="a.txt", raw_text=text, text=text)
    return extract_attribution(article, segment(article))


def quotes(text: str, *, direct: bool | None = True) -> list[Quote]:
    return [q for q in run(text)[0] if direct is None or q.direct == direct]


def only(text: str, *, direct: bool = True) -> Quote:
    found = quotes(text, direct=direct)
    assert len(found) == 1, found
    return found[0]


def mention(text: str, quote: Quote) -> str:
    assert quote.speaker_start is not None and quote.speaker_end is not None
    return text[quote.speaker_start : quote.speaker_end]


# --- direct quotes and the order of quote and cue -------------------------------------------


def test_quote_then_speaker_then_cue() -> None:
    text = "“We will reopen the bridge by June,” Mayor Elena Varga said."
    quote = only(text)
    assert quote.text == "We will reopen the bridge by June"
    assert (quote.speaker, quote.speaker_kind, quote.cue) == ("Elena Varga", "named", "said")
    assert mention(text, quote) == "Mayor Elena Varga"
    assert text[quote.start : quote.end] == quote.text


def test_quote_then_cue_then_speaker() -> None:
    text = "“The budget is gone,” said Tomas Lindqvist, the city treasurer."
    quote = only(text)
    assert (quote.speaker, quote.speaker_kind) == ("Tomas Lindqvist", "named")
    assert mention(text, quote) == "Tomas Lindqvist"


def test_speaker_and_cue_then_colon_quote() -> None:
    text = "Councillor Ruth Abara said: “Nobody asked the residents of Low Harbour.”"
    quote = only(text)
    assert quote.text == "Nobody asked the residents of Low Harbour."
    assert quote.speaker == "Ruth Abara"


def test_replied_with_colon_and_anonymous_speaker() -> None:
    text = "Asked about the delay, a council manager replied: “We are working on it every day.”"
    quote = only(text)
    assert (quote.speaker, quote.speaker_kind, quote.cue) == (
        "a council manager",
        "anonymous",
        "replied",
    )


def test_partial_quote_inside_a_sentence_with_a_cue_verb_is_kept() -> None:
    text = "Harbour master Marta Kowalczyk told the Valley Courier the cranes were “past saving.”"
    quote = only(text)
    assert quote.text == "past saving."
    assert quote.speaker == "Marta Kowalczyk"


def test_according_to_after_a_quote() -> None:
    text = (
        "The crews asked for “dry socks and hot soup,” "
        "according to two sources familiar with the matter."
    )
    quote = only(text)
    assert quote.speaker == "two sources familiar with the matter"
    assert quote.speaker_kind == "anonymous"
    assert quote.cue == "according to"


def test_interrupted_quote_gives_two_records_with_one_speaker() -> None:
    text = "“It was intense,” a Ruritanian envoy said, “and it was very long.”"
    first, second = quotes(text)
    assert (first.text, second.text) == ("It was intense", "and it was very long.")
    assert first.speaker == second.speaker == "a Ruritanian envoy"
    assert (first.speaker_start, first.speaker_end) == (second.speaker_start, second.speaker_end)
    assert first.id != second.id


def test_interrupted_quote_with_cue_first() -> None:
    text = "“The pumps are fine,” said Ilse Brandt, “but the pipes are not.”"
    assert [q.speaker for q in quotes(text)] == ["Ilse Brandt", "Ilse Brandt"]


def test_multi_sentence_quote_is_one_record() -> None:
    text = "“The pumps failed at dawn. Nobody was hurt,” a spokeswoman for the port authority said."
    quote = only(text)
    assert quote.text == "The pumps failed at dawn. Nobody was hurt"
    assert quote.speaker == "a spokeswoman for the port authority"
    assert quote.speaker_kind == "anonymous"


def test_straight_and_curly_marks() -> None:
    straight = only('"We saw smoke over the ridge," said a witness.')
    curly = only("“We saw smoke over the ridge,” said a witness.")
    assert straight.text == curly.text == "We saw smoke over the ridge"
    assert straight.speaker == curly.speaker == "a witness"


def test_question_then_capitalised_speaker_in_what_segment_calls_a_new_sentence() -> None:
    quote = only("“How long must the harbour wait?” Ilse Brandt asked.")
    assert quote.speaker == "Ilse Brandt"


def test_a_parenthesis_between_speaker_and_cue() -> None:
    quote = only("“The vote was rigged,” Councillor Jonas Eberle (Harbour Party) said on Friday.")
    assert quote.speaker == "Jonas Eberle"


def test_a_quote_period_then_a_new_sentence_is_not_attributed_across() -> None:
    text = (
        "Residents raised “the cost of the harbour wall and its upkeep.” "
        "Ilse Brandt said the wall was new."
    )
    assert only(text).speaker is None


def test_quote_following_an_attributed_quote_takes_its_speaker() -> None:
    text = "“The vote was fair,” Jonas Eberle said. “We will not hold it again next spring.”"
    first, second = quotes(text)
    assert second.speaker == "Jonas Eberle" and second.cue is None
    assert second.speaker_start == first.speaker_start


def test_doubled_apostrophes_are_a_double_mark() -> None:
    quote = only("''The quay is closed until Friday,'' said Ilse Brandt.")
    assert (quote.text, quote.speaker) == ("The quay is closed until Friday", "Ilse Brandt")


# --- unclosed and unbalanced marks -----------------------------------------------------------


def test_unclosed_quote_at_paragraph_start_ends_at_paragraph_end() -> None:
    text = (
        "“This statement never closes. It runs on to the end of the paragraph.\n\n"
        "The council met again on Thursday to discuss the harbour wall."
    )
    quote = only(text)
    assert quote.text == "This statement never closes. It runs on to the end of the paragraph."
    assert "council" not in quote.text


def test_multi_paragraph_quote_keeps_the_speaker_of_its_first_paragraph() -> None:
    text = (
        "Dana Okafor, head of the Dockworkers' Union, said: “We have waited three years.\n\n"
        "“Nobody on the quay will accept less than the old contract.”"
    )
    first, second = quotes(text)
    assert first.text == "We have waited three years."
    assert first.speaker == second.speaker == "Dana Okafor"
    assert mention(text, first) == "Dana Okafor, head of the Dockworkers' Union"
    assert second.text == "Nobody on the quay will accept less than the old contract."


def test_unclosed_quote_mid_paragraph_ends_at_its_sentence() -> None:
    text = "Ilse Brandt said “the pumps are fine and the pipes are new. The council disagreed."
    quote = only(text)
    assert quote.text == "the pumps are fine and the pipes are new."


def test_unattributed_scare_quotes_are_dropped() -> None:
    assert quotes("The two sides held an “intense” meeting on the ferry.") == []
    assert quotes('The so-called "grand plan" was shelved.') == []


def test_unattributed_long_quote_is_kept_without_speaker() -> None:
    quote = only("A banner with “no more closures on our coast” hung along the pier.")
    assert quote.speaker is None and quote.speaker_kind == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "“",
        "”",
        '"',
        '"' * 10_000,
        "“" * 10_000,
        "”" * 10_000,
        "“ ” “ ” said he",
        "He said “" + "word " * 3_000,
        '"a" ' * 3_000,
        "\n\n\n“\n\n”\n\n",
    ],
)
def test_hostile_marks_do_not_crash_and_stay_bounded(text: str) -> None:
    started = time.perf_counter()
    found, citations = run(text)
    assert time.perf_counter() - started < 5
    for quote in found:
        assert text[quote.start : quote.end] == quote.text
        assert quote.end - quote.start <= MAX_QUOTE_CHARS
    assert all(text[c.start : c.end] == c.text for c in citations)


WORDS = st.sampled_from(
    [
        "said",
        "told",
        "he",
        "the official",
        "Anna Berg",
        "according to",
        "CNN",
        "reported",
        '"',
        "“",
        "”",
        ",",
        ".",
        ":",
        "\n",
        "\n\n",
        "word",
        "a source",
        "that",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS | st.text(max_size=4), max_size=60).map(" ".join))
def test_offsets_always_index_the_text(text: str) -> None:
    found, citations = run(text)
    for quote in found:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)  # type: ignore[operator]
    for citation in citations:
        assert text[citation.start : citation.end] == citation.text


def test_quote_ids_are_stable_and_depend_on_the_article() -> None:
    text = "“We will reopen the bridge by June,” Mayor Elena Varga said."
    first, second = only(text), only(text)
    assert first.id == second.id and re.fullmatch(r"q-[0-9a-f]{12}", first.id)
    other = Article(id="b", source_path="b.txt", raw_text=text, text=text)
    assert extract_attribution(other, segment(other))[0][0].id != first.id


# --- speaker kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker_text", "speaker", "kind"),
    [
        ("Fisheries Minister Olga Petrenko", "Olga Petrenko", "named"),
        ("Ruritanian National Security Adviser Karel Dvorak", "Karel Dvorak", "named"),
        ("a senior Ruritanian official", "a senior Ruritanian official", "anonymous"),
        (
            "another official familiar with the discussions",
            "another official familiar with the discussions",
            "anonymous",
        ),
        ("two people briefed on the talks", "two people briefed on the talks", "anonymous"),
        ("officials", "officials", "anonymous"),
        ("the Ministry of Fisheries", "the Ministry of Fisheries", "organisation"),
        ("the Ruritanian embassy", "the Ruritanian embassy", "organisation"),
        ("the port authority", "the port authority", "organisation"),
        ("the White House", "the White House", "organisation"),
    ],
)
def test_speaker_kinds(speaker_text: str, speaker: str, kind: str) -> None:
    text = f"“The harbour will stay open through the winter,” {speaker_text} said."
    quote = only(text)
    assert (quote.speaker, quote.speaker_kind) == (speaker, kind)
    assert mention(text, quote) == speaker_text


@pytest.mark.parametrize(
    ("speaker_text", "speaker", "kind"),
    [
        ("Minister of Fisheries Olga Petrenko", "Olga Petrenko", "named"),
        ("critics of Mayor Varga", "critics of Mayor Varga", "anonymous"),
        ("a spokesperson for Petrenko", "a spokesperson for Petrenko", "anonymous"),
        ("the Bank of Ruritania", "the Bank of Ruritania", "organisation"),
        ("Ann Lee of the Harbour Trust", "Ann Lee", "named"),
        ("Dana O. Okafor", "Dana O. Okafor", "named"),
    ],
)
def test_of_phrases(speaker_text: str, speaker: str, kind: str) -> None:
    quote = only(f"“The quotas will be cut in half next year,” {speaker_text} said.")
    assert (quote.speaker, quote.speaker_kind) == (speaker, kind)


def test_description_then_name_in_commas() -> None:
    quote = only("The union leader, Dana Okafor, said the quay was “closed for good.”")
    assert quote.speaker == "Dana Okafor"


def test_an_enumeration_is_not_a_speaker() -> None:
    text = "The council, its allies in Ruritania and Elbonia, said the quay had been sold."
    assert quotes(text, direct=False) == []


def test_outlets_are_not_speakers() -> None:
    quote = only("“The harbour will stay open through the winter,” Bloomberg said.")
    assert quote.speaker is None


# --- resolution ------------------------------------------------------------------------------


def test_surname_and_pronoun_resolve_to_the_full_name() -> None:
    text = (
        "Harbour master Marta Kowalczyk toured the quay on Monday.\n\n"
        "“The cranes are older than I am,” Kowalczyk said. "
        "The union disagreed.\n\n"
        "“We need new ones before the autumn storms,” she added."
    )
    first, second = quotes(text)
    assert first.speaker == second.speaker == "Marta Kowalczyk"
    assert mention(text, first) == "Kowalczyk"
    assert mention(text, second) == "she"


def test_the_official_resolves_to_the_latest_anonymous_official() -> None:
    text = (
        "“The meeting lasted six hours,” a senior Ruritanian official said.\n\n"
        "The delegations left by car.\n\n"
        "“Both sides spoke frankly about the dam,” the official said."
    )
    first, second = quotes(text)
    assert second.speaker == first.speaker == "a senior Ruritanian official"
    assert second.speaker_kind == "anonymous"
    assert mention(text, second) == "the official"


def test_a_generic_definite_description_resolves_to_the_latest_generic_speaker() -> None:
    text = (
        "“The meeting lasted six hours,” a senior aide said.\n\n"
        "“We hope to meet again before the summer,” the official replied."
    )
    assert quotes(text)[1].speaker == "a senior aide"


def test_a_renamed_speaker_is_not_taken_for_the_official() -> None:
    # a copy that turns "the official" into "the manager" must stay visible as such
    text = (
        "“The meeting lasted six hours,” a senior official said.\n\n"
        "“We hope to meet again before the summer,” the manager replied."
    )
    assert quotes(text)[1].speaker == "the manager"


def test_the_spokesman_resolves_to_a_named_spokesman() -> None:
    text = (
        "“We have no comment,” Ministry spokesman Pavel Horak said.\n\n"
        "“The report is false,” the spokesman added."
    )
    assert quotes(text)[1].speaker == "Pavel Horak"


def test_she_skips_a_speaker_known_as_he() -> None:
    text = (
        "“The nets are empty,” Ms. Brandt said.\n\n"
        "“The quotas are fair,” Mr. Horak said.\n\n"
        "“Then why are the nets empty?” she asked."
    )
    assert quotes(text)[2].speaker == "Brandt"


def test_it_resolves_to_the_latest_organisation() -> None:
    text = (
        "“We have summoned the envoy,” the Ruritanian ministry said. "
        "“It is unacceptable,” it added."
    )
    assert [q.speaker for q in quotes(text)] == ["the Ruritanian ministry"] * 2


def test_unresolved_pronoun_is_unknown() -> None:
    quote = only("“We will appeal the ruling next week,” he said.")
    assert (quote.speaker, quote.speaker_kind) == ("he", "unknown")


def test_they_resolves_to_the_latest_group() -> None:
    text = (
        "“The strike is over,” two union officials said.\n\n"
        "“Work resumes on Monday morning,” they said."
    )
    assert quotes(text)[1].speaker == "two union officials"


# --- indirect speech -------------------------------------------------------------------------


def test_indirect_said_that() -> None:
    text = "A senior Ruritanian official said that the talks would resume in May."
    quote = only(text, direct=False)
    assert quote.text == "the talks would resume in May"
    assert (quote.speaker, quote.speaker_kind, quote.cue) == (
        "a senior Ruritanian official",
        "anonymous",
        "said",
    )


def test_indirect_said_without_that_and_told_reporters() -> None:
    quote = only("Olga Petrenko told reporters the quotas had been cut by half.", direct=False)
    assert quote.text == "the quotas had been cut by half"
    assert quote.speaker == "Olga Petrenko"
    quote = only("Two officials said the ferry would stop running in winter.", direct=False)
    assert quote.text == "the ferry would stop running in winter"


def test_indirect_according_to_first_and_last() -> None:
    first = only(
        "According to two sources familiar with the matter, the deal was signed on Friday.",
        direct=False,
    )
    assert first.text == "the deal was signed on Friday"
    assert first.speaker == "two sources familiar with the matter"
    last = only(
        "The deal was signed on Friday, according to a person close to the board.", direct=False
    )
    assert last.text == "The deal was signed on Friday"
    assert last.speaker == "a person close to the board"


def test_indirect_speaker_after_the_clause() -> None:
    quote = only("The ferry will stop running in January, port officials said.", direct=False)
    assert quote.text == "The ferry will stop running in January"
    assert quote.speaker == "port officials"


@pytest.mark.parametrize(
    "text",
    [
        "The weather said goodbye to summer early this year.",
        "Reports say the plan is flawed.",
        "The mayor said nothing.",
        "Officials say have hindered the work for years.",
        "The report, which officials said was late, is now public.",
    ],
)
def test_indirect_speech_is_conservative(text: str) -> None:
    assert quotes(text, direct=False) == []


# --- citations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cited", "outlet"),
    [
        (
            "The Daily Lantern reported that the mine would close.",
            "The Daily Lantern reported",
            "Daily Lantern",
        ),
        (
            "The Northsea Press Agency reported the fire first.",
            "The Northsea Press Agency reported",
            "Northsea Press Agency",
        ),
        ("NPA reported that two ships collided.", "NPA reported", "NPA"),
        ("Glorbnet reported that the mine would close.", "Glorbnet reported", "Glorbnet"),
        (
            "The mine will close, according to the Northsea Herald.",
            "according to the Northsea Herald",
            "Northsea Herald",
        ),
        ("The mine will close, according to KTV.", "according to KTV", "KTV"),
        ("Olga Petrenko told Reuters the quotas were cut.", "told Reuters", "Reuters"),
        (
            "The ships collided, Bloomberg reported, citing people familiar with the matter.",
            "Bloomberg reported",
            "Bloomberg",
        ),
        ("The claim gained detail in a fresh FT report on Monday.", "FT report", "Financial Times"),
        (
            "The collision was first reported by the Valley Courier.",
            "first reported by the Valley Courier",
            "Valley Courier",
        ),
        ("Local 4 News reported that the ferry sank.", "Local 4 News reported", "Local 4 News"),
        (
            "The strike was cited in multiple reports.",
            "cited in multiple reports",
            "unnamed reports",
        ),
        (
            "The ferry sank.\n\nSee also South China Morning Post\n",
            "See also South China Morning Post",
            "South China Morning Post",
        ),  # fmt: skip
    ],
)
def test_citations(text: str, cited: str, outlet: str) -> None:
    citations = run(text)[1]
    assert [(c.text, c.outlet) for c in citations] == [(cited, outlet)]


@pytest.mark.parametrize(
    "text",
    [
        "The mine will close, according to the UN.",
        "The mine will close, according to Olga Petrenko.",
        "U.S. officials reported progress.",
        "Photo: AP",
        "See also  Ferry timetable changes for the winter season",
    ],
)
def test_not_citations(text: str) -> None:
    assert run(text)[1] == ()


# --- the Rome corpus (read only; skipped when absent) ---------------------------------------


def rome() -> list[tuple[str, tuple[tuple[Quote, ...], tuple[Citation, ...]]]]:
    if not ROME.is_dir():
        pytest.skip("the Rome corpus is not next to the repository")
    return [
        (path.name, run(path.read_text(encoding="utf-8"))) for path in sorted(ROME.glob("*.txt"))
    ]


def test_rome_corpus_direct_quotes_and_speakers() -> None:
    results = rome()
    direct = [q for _, (found, _) in results for q in found if q.direct]
    assert len(direct) >= 10
    assert sum(q.speaker_kind == "anonymous" for q in direct) >= 10
    assert {"Jake Sullivan"} <= {q.speaker for q in direct if q.speaker_kind == "named"}
    # a bare surname in the text resolves to the full name given earlier
    resolved = [
        q
        for q in direct
        if q.speaker == "Jake Sullivan" and q.speaker_end - q.speaker_start < 10  # type: ignore[operator]
    ]
    assert resolved


def test_rome_corpus_citations() -> None:
    outlets = {c.outlet for _, (_, citations) in rome() for c in citations}
    assert {"CNN", "Bloomberg", "Financial Times"} <= outlets


def test_rome_corpus_offsets() -> None:
    for path in sorted(ROME.glob("*.txt")) if ROME.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        found, citations = run(text)
        assert all(text[q.start : q.end] == q.text for q in found)
        assert all(text[c.start : c.end] == c.text for c in citations)


def test_determiners_before_reported_are_not_outlets():
    text = "These reports said the crane fell. Such reports spread. CNN reported a fire."
    article = Article(id="a", source_path="a.txt", raw_text=text, text=text)
    _, citations = extract_attribution(article, segment(article))
    assert [c.outlet for c in citations] == ["CNN"]


def test_reported_speech_found_by_the_parse() -> None:
    text = "Harbour officials on Tuesday said the ferry would not sail again before spring."
    quote = only(text, direct=False)
    assert quote.text == "the ferry would not sail again before spring"
    assert quote.speaker == "Harbour officials"
    assert quote.speaker_kind == "anonymous"


def test_reported_speech_around_a_quoted_fragment_is_a_clause() -> None:
    text = "Mayor Ilse Brandt said the pier had been left to rot for “at least ten years.”"
    clause = only(text, direct=False)
    assert clause.text.startswith("the pier had been left to rot")
    assert clause.speaker == "Ilse Brandt"


def test_reported_speech_can_be_switched_off() -> None:
    text = "Harbour officials on Tuesday said the ferry would not sail again before spring."
    article = Article(id="a", source_path="a.txt", raw_text=text, text=text)
    settings = Settings(parse_reported_speech=False)
    found = extract_attribution(article, segment(article), settings=settings)[0]
    assert [q for q in found if "spring" in q.text and q.cue != "said"] == []


def test_a_misspelt_surname_resolves_to_the_full_name() -> None:
    text = (
        "Harbour director Avril Hines told reporters the quay was unsafe.\n\n"
        "“We closed it on Monday,” Haynes said."
    )
    assert only(text).speaker == "Avril Hines"


def test_an_anonymous_source_described_without_a_quote_is_an_antecedent() -> None:
    text = (
        "A senior port official was cited in several reports as blaming the storm.\n\n"
        "“The cranes were never meant for that wind,” the official said."
    )
    assert only(text).speaker == "a senior port official"


def test_rome_labels_match_the_corpus() -> None:
    if not ROME.is_dir():
        pytest.skip("the Rome corpus is not next to the repository")
    benchmarks = Path(__file__).parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    from attribution_eval import span_digest

    labels = benchmarks / "data" / "attribution" / "rome-2022.json"
    for label in json.loads(labels.read_text(encoding="utf-8"))["labels"]:
        span = (ROME / label["article"]).read_text(encoding="utf-8")[label["start"] : label["end"]]
        assert span_digest(span) == label["sha1"], label
        names = [label.get("speaker"), label.get("outlet"), *label.get("speaker_also", [])]
        for name in [n for n in names if isinstance(n, dict)]:  # stored as spans, not text
            text = (ROME / name.get("article", label["article"])).read_text(encoding="utf-8")
            assert span_digest(text[name["start"] : name["end"]]) == name["sha1"], label


def test_an_apposition_after_the_name_gives_title_and_the_full_affiliation() -> None:
    text = (
        "The Kessel Water Board closed the reservoir on Friday.\n\n"
        "“The dam is safe,” said Mira Sand, the board’s technical director. "
        "Anton Reel, a spokesman for the board, said repairs would take a week."
    )
    found = {q.speaker: q for q in quotes(text, direct=None)}
    assert found["Mira Sand"].speaker_title == "technical director"
    assert found["Mira Sand"].speaker_affiliation == "Kessel Water Board"
    assert found["Anton Reel"].speaker_title == "spokesman"
    assert found["Anton Reel"].speaker_affiliation == "Kessel Water Board"


def test_a_named_organisation_is_not_taken_for_an_earlier_anonymous_speaker() -> None:
    text = (
        "A senior water board official said the dam had held.\n\n"
        "The Kessel Water Board has denied that any check was skipped, saying the dam "
        "was inspected in May."
    )
    speakers = {q.speaker for q in quotes(text, direct=None)}
    assert "the Kessel Water Board" in speakers
