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
