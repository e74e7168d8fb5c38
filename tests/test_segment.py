from hypothesis import given
from hypothesis import strategies as st

from newstrace.segment import paragraphs, segment

from .conftest import make_article


def test_lines_are_paragraphs_when_there_are_no_blank_lines():
    text = "Headline here\nFirst paragraph. Second sentence.\nThird paragraph."
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "Headline here",
        "First paragraph. Second sentence.",
        "Third paragraph.",
    ]


def test_blank_lines_separate_paragraphs_of_wrapped_text():
    text = "One long paragraph that was hard-wrapped by its\nauthor over lines.\n\nSecond one."
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "One long paragraph that was hard-wrapped by its\nauthor over lines.",
        "Second one.",
    ]


def test_sentences_split_after_quotes_but_not_after_abbreviations():
    text = "“It was long,” Mr. Hale said. Dr. Ruiz of the U.S. Navy disagreed. J. K. Lund left."
    sentences = segment(make_article(text))
    assert [s.text for s in sentences] == [
        "“It was long,” Mr. Hale said.",
        "Dr. Ruiz of the U.S. Navy disagreed.",
        "J. K. Lund left.",
    ]


@given(st.text(alphabet=st.sampled_from("ab .?!\n“”\"'A1"), max_size=200))
def test_sentence_offsets_point_into_the_text(text):
    article = make_article(text)
    sentences = segment(article)
    for sentence in sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text.strip() == sentence.text and sentence.text
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
