from newstrace.model import Quote, RemovedSpan
from newstrace.quality import find_flags
from newstrace.reuse import find_reuse
from newstrace.segment import segment

from .conftest import make_article

SOURCE = """Dock workers walk out
Union leader Dana Okafor said the strike would start at dawn on Friday morning.
“We have waited long enough for a safe workplace,” the official told the crowd at noon.
"""
SPUN = """Dock workers walk out
Union leader Dana Okra said the strike would start at dawn on Friday morning.
“We have waited long sufficient for a safe workplace,” the manager told the crowd at noon.
"""


def test_swaps_in_a_copy_are_flagged_by_kind():
    source = make_article(SOURCE, article_id="src", published="2026-03-14")
    spun = make_article(SPUN, article_id="spun", published="2026-03-15")
    quote_start = spun.text.index("We have")
    quote_end = spun.text.index(",” the manager")
    quote = Quote(
        id="q",
        article_id="spun",
        start=quote_start,
        end=quote_end,
        text=spun.text[quote_start:quote_end],
        speaker="the manager",
        speaker_kind="anonymous",
    )
    reuse = find_reuse([source, spun], {a.id: segment(a) for a in (source, spun)})
    flags = find_flags([source, spun], reuse, [quote])
    by_text = {f.text: f for f in flags}
    assert by_text["Okra"].kind == "mangled_name"
    assert by_text["sufficient"].kind == "altered_quote"
    assert by_text["manager"].kind == "substitution"
    for flag in flags:
        assert spun.text[flag.start : flag.end] == flag.text
        assert "src" in flag.evidence


def test_removed_spam_lines_are_flagged_where_they_were_cut():
    raw = "First line.\nSee also: ten best cranes\nLast line."
    kept_text = "First line.\nLast line."
    article = make_article(raw, article_id="a")
    from dataclasses import replace

    article = replace(
        article,
        text=kept_text,
        kept=((0, 0, 12), (12, 38, 10)),
        removed=(
            RemovedSpan(
                start=12, end=38, text="See also: ten best cranes\n", reason="see-also insert"
            ),
        ),
    )
    (flag,) = find_flags([article])
    assert flag.kind == "spam_insert"
    assert flag.start == flag.end == 12
    assert flag.text == "See also: ten best cranes"


def _quote(article, fragment: str, speaker: str, kind: str = "anonymous", mention: str = ""):
    start = article.text.index(fragment)
    at = article.text.index(mention or speaker)
    return Quote(
        id=f"q-{article.id}-{start}",
        article_id=article.id,
        start=start,
        end=start + len(fragment),
        text=fragment,
        speaker=speaker,
        speaker_kind=kind,
        speaker_start=at,
        speaker_end=at + len(mention or speaker),
    )


def test_altered_quote_and_changed_speaker_across_articles_without_reuse():
    versions = [
        ("“We have waited long enough for a safe workplace,” the official said.", "the official"),
        ("“We have waited long enough for a safe workplace,” the official said.", "the official"),
        ("“We have waited long sufficient for a safe workplace,” the manager said.", "the manager"),
    ]
    articles, quotes = [], []
    for i, (text, speaker) in enumerate(versions):
        article = make_article(text, article_id=f"a{i}", published=f"2026-03-1{i}")
        fragment = text[1 : text.index(",”")]
        articles.append(article)
        quotes.append(_quote(article, fragment, speaker))
    flags = [f for f in find_flags(articles, (), quotes) if f.article_id == "a2"]
    kinds = {f.kind: f for f in flags}
    altered = kinds["altered_quote"]
    assert "long sufficient" in altered.evidence and "long enough" in altered.evidence
    assert "a0" in altered.evidence and "a1" in altered.evidence
    assert kinds["altered_speaker"].text == "the manager"
    assert "the official" in kinds["altered_speaker"].evidence
    assert not [f for f in find_flags(articles, (), quotes) if f.article_id != "a2"]


def test_mangled_speaker_name_is_linked_to_the_consensus_form():
    texts = [
        "“The cranes are unsafe,” union leader Dana Okafor said.",
        "“The cranes are unsafe,” said Dana Okafor.",
        "“The cranes are unsafe,” union leader Dana Okra said.",
    ]
    articles = [make_article(t, article_id=f"m{i}") for i, t in enumerate(texts)]
    quotes = [
        _quote(a, "The cranes are unsafe", name, "named")
        for a, name in zip(articles, ("Dana Okafor", "Dana Okafor", "Dana Okra"), strict=True)
    ]
    (flag,) = [f for f in find_flags(articles, (), quotes) if f.kind == "mangled_name"]
    assert (flag.article_id, flag.text) == ("m2", "Okra")
    assert articles[2].text[flag.start : flag.end] == "Okra"
    assert "Dana Okafor" in flag.evidence and "m0" in flag.evidence
