"""Hostile input through every stage: no crash, no hang, clear skip reasons."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newstrace
from newstrace.model import Article
from newstrace.schema import validate

NASTY = {
    "huge_line": "word " * 40_000,
    "control_chars": "Title\n" + "".join(chr(c) for c in range(1, 32)) * 50 + " said the official.",
    "rtl": "عنوان\nقال المسؤول ‏“هذا نص”‏ يوم الاثنين. ‮reversed‬ text said the official.",
    "zero_width": "Ti\u200btle\nThe\u200b official\u200d said “it\ufeffwas fine” on Monday.",
    "many_quotes": "Title\n" + "“" * 10_000 + " he said " + '"' * 10_000,
    "unbalanced": "Title\n“It was long, the official said. And then “more” and ” and “.\n“Open",
    "only_punctuation": "Title\n" + ".!?;:,\n" * 2_000,
    "html_like": "<html><body>" + "<div>" * 5_000 + "text said X" + "</div>" * 5_000,
    "nul_free_binary_like": "".join(chr(c) for c in range(0xE000, 0xE400)) * 10,
    "mixed_scripts": "Заголовок\n中文句子。Russian “цитата”, сказал он. English follows, she said.",
}


def _article(name: str, text: str) -> Article:
    return Article(id=name, source_path=f"{name}.txt", raw_text=text, text=text)


def _check(brief, texts: dict[str, str]) -> None:
    validate(brief.to_dict())
    handled = {a.source_path for a in brief.articles} | {s.source for s in brief.skipped}
    assert handled == {f"{name}.txt" for name in texts}
    for skipped in brief.skipped:
        assert skipped.reason and "\n" not in skipped.reason
    texts_by_id = {a.id: a.text for a in brief.articles}
    for quote in brief.quotes:
        assert texts_by_id[quote.article_id][quote.start : quote.end] == quote.text


def test_nasty_inputs_are_processed_or_skipped_in_bounded_time():
    started = time.perf_counter()
    brief = newstrace.analyze_articles([_article(n, t) for n, t in NASTY.items()])
    _check(brief, NASTY)
    assert time.perf_counter() - started < 120


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list("abc XYZ.,;:!?\"'“”‘’()\n\t—-0123\u200b\u202e€")),
            max_size=400,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_text_goes_through_every_stage(texts):
    named = {f"t{i}": text for i, text in enumerate(texts)}
    brief = newstrace.analyze_articles([_article(n, t) for n, t in named.items()])
    _check(brief, named)
