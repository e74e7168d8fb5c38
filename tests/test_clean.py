"""Tests for the clean stage: each rule, its false positives, the offset invariants."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace._templates import TemplateCounts
from newstrace._text import normalise
from newstrace.clean import (
    RULES,
    classify_lines,
    clean_article,
    clean_corpus,
    learn_templates,
)
from newstrace.config import Settings
from newstrace.model import Article

ROME = Path(__file__).parents[1].parent / "shared" / "corpus" / "rome-2022"

LEAD = "Negotiators met for seven hours in Geneva on Tuesday, officials said."
TAIL = "Both delegations agreed to meet again next month, a spokesperson added."


def make(text: str) -> Article:
    return Article(id="a", source_path="a.txt", raw_text=text, text=text)


def removed(article: Article) -> list[tuple[str, str]]:
    return [(span.reason, span.text.strip()) for span in article.removed]


def story_with(*lines: str) -> str:
    return "\n\n".join((LEAD, *lines, TAIL)) + "\n"


# --- each rule ------------------------------------------------------------------------

BOILERPLATE = [
    ("share bar", "Share this:"),
    ("share bar", "Share on Facebook"),
    ("share bar", "FacebookTwitterLinkedinEmail"),
    ("share bar", "Facebook | Twitter | WhatsApp | Print"),
    ("comment form", "Leave a Reply"),
    ("comment form", "Leave a comment"),
    ("comment form", "Your email address will not be published."),
    ("comment form", "Required fields are marked *"),
    (
        "comment form",
        "Save my name, email, and website in this browser for the next time I comment.",
    ),
    ("comment form", "Post Comment"),
    ("comment form", "Cancel reply"),
    ("comment form", "Comments are closed."),
    ("see-also insert", "See also: Harbour strike enters its third week"),
    ("see-also insert", "Read also\u00a0 Ten things to know about the summit"),
    ("see-also insert", "Related: Mayor unveils tram plan"),
    ("see-also insert", "READ MORE: Why the ferry fares went up"),
    ("see-also insert", "Also read | Markets rally after rate cut"),
    ("caption", "Photo: AP"),
    ("caption", "Image: Reuters"),
    ("caption", "(Photo by Ana Lima/Getty Images)"),
    ("caption", "Getty Images"),
    ("caption", "File photo"),
    ("caption", "Delegates arrive at the conference centre on Monday. Photo: AFP"),
    ("url line", "https://example.org/news/2026/talks?utm_source=feed"),
    ("url line", "www.example.com/a https://example.net/b"),
    ("timestamp", "Updated 14:02 GMT"),
    ("timestamp", "Last updated: 3 March 2026"),
    ("timestamp", "Published on March 14, 2026 at 10:30 am"),
    ("timestamp", "This story has been updated with new figures."),
    ("promo", "Subscribe to our newsletter"),
    ("promo", "Advertisement"),
    ("promo", "Sign up for our morning briefing"),
    ("promo", "Click here to get alerts on your phone"),
    ("promo", "We use cookies to improve your experience."),
    ("copyright", "© 2026 Example Media Group"),
    ("copyright", "Copyright 2026 The Daily Example. All rights reserved."),
    ("syndication note", "This article originally appeared in The Harbour Gazette."),
    ("separator", "* * *"),
    ("share bar", "Click to share on X (Opens in new window)"),
    ("promo", "Advertisement - Continue Reading Below"),
    ("promo", "Most read"),
    ("promo", "Follow Harbour Times on Mastodon for the latest news."),
    ("comment form", "Sign in to comment"),
    ("comment form", "Comments (0)"),
    ("see-also insert", "You may also like"),
    ("see-also insert", "Related Articles"),
    ("tags", "Tags: ferry, Tessa Point, coastguard"),
    ("tags", "Posted in Local News | Tagged ferry, harbour"),
    ("byline", "Posted by Kim Lee on March 14, 2026"),
    ("byline", "Reporting by Ilse Marten; Editing by Tomas Brandt"),
    ("separator", "***"),
    ("separator", "• • •"),
    ("byline", "By Kim Lee"),
    ("byline", "By Kim Lee and Ola Berg, Reuters"),
    ("timestamp", "Update (19:20 ET)"),
    (
        "syndication note",
        "This story has been published from a wire agency feed without modifications to the text.",
    ),
]


@pytest.mark.parametrize(("reason", "line"), BOILERPLATE)
def test_rule_removes_line_with_reason(reason: str, line: str) -> None:
    article = clean_article(make(story_with(line)))
    assert removed(article) == [(reason, line)]
    assert article.text == f"{LEAD}\n\n{TAIL}"


NEWS = [
    "Facebook said on Tuesday it had removed the network of fake accounts.",
    "Photo evidence shows the convoy crossed the border before dawn.",
    "Share prices fell sharply in Shanghai after the announcement.",
    "Related charges were filed against two former ministers.",
    "Copyright lawsuits against the platform rose last year.",
    "Published reports said the talks had lasted seven hours.",
    "Updated figures show inflation at 3 percent in March.",
    "He declined to comment on the leaked cable.",
    "Subscribers to the service received the warning on Monday.",
    "The photo: a burning tank on the outskirts of the city, shot at dawn by a local resident",
    "A spokesperson for Getty Images said the agency would review the picture.",
    "Twitter",
    "Comment",
    "Email",
    "Website",
    "By Friday the convoy had reached the border",
    "By then the talks had collapsed.",
    "Follow the money, the prosecutor told the jury on Monday, and you will find the motive.",
    "Most read newspapers lost subscribers last year, the survey found.",
    "Tags on the crates showed they had been loaded in Kelby.",
    "Posted in Kelby, the letter reached the ministry two weeks later.",
    "See also: “We will not be ordered around by anyone,” the minister said in parliament",
    "See also the court's earlier ruling, which the minister cited twice in a speech that lasted "
    "more than an hour and drew loud protest from the opposition benches in parliament.",
]


@pytest.mark.parametrize("line", NEWS)
def test_news_line_survives(line: str) -> None:
    article = clean_article(make(story_with(line)))
    assert article.removed == ()
    assert line in article.text


def test_share_bar_block_of_single_names() -> None:
    article = clean_article(make(story_with("Share this:", "Facebook", "Twitter", "Email")))
    assert {reason for reason, _ in removed(article)} == {"share bar"}
    assert len(article.removed) == 4


def test_share_bar_names_without_header() -> None:
    text = f"{LEAD}\n\nFacebook\nTwitter\nLinkedIn\n"
    article = clean_article(make(text))
    assert removed(article) == [("share bar", "Facebook\nTwitter\nLinkedIn")]
    assert article.text == LEAD


def test_comment_form_block() -> None:
    form = [
        "Leave a Reply",
        "Cancel reply",
        "Your email address will not be published. Required fields are marked *",
        "Comment",
        "Name *",
        "Email *",
        "Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Post Comment",
    ]
    text = LEAD + "\n\n" + "\n".join(form) + "\n"
    article = clean_article(make(text))
    assert [span.reason for span in article.removed] == ["comment form"]
    assert article.removed[0].text == "\n".join(form) + "\n"
    assert article.text == LEAD


def test_weak_line_joins_neighbouring_form_across_blank_lines() -> None:
    article = clean_article(make(story_with("Comment", "Leave a comment")))
    assert removed(article) == [("comment form", "Comment"), ("comment form", "Leave a comment")]


def test_email_after_share_bar_is_share_bar() -> None:
    article = clean_article(make(story_with("FacebookTwitter", "Email")))
    assert [reason for reason, _ in removed(article)] == ["share bar", "share bar"]


def test_front_matter() -> None:
    text = f"---\noutlet: Harbour Gazette\nurl: https://example.org/a\n---\n{LEAD}\n"
    article = clean_article(make(text))
    assert removed(article) == [("front matter", text[: text.index(LEAD)].strip())]
    assert article.text == LEAD
    assert article.raw_offset(0) == text.index(LEAD)


def test_leading_rule_is_not_front_matter() -> None:
    text = f"---\n{LEAD}\n---\n{TAIL}\n"
    article = clean_article(make(text))
    assert article.removed == ()
    assert article.text == text.strip()


def test_long_line_is_never_boilerplate() -> None:
    line = "Subscribe " + "word " * 40
    assert classify_lines([line.strip()]) == [None]
    url_line = "https://example.org/" + "x" * 300
    assert classify_lines([url_line]) == ["url line"]


def test_blank_lines_are_collapsed_and_trimmed() -> None:
    article = clean_article(make(f"\n\n{LEAD}\n\nAdvertisement\n\n{TAIL}\n\n\n"))
    assert article.text == f"{LEAD}\n\n{TAIL}"


def test_one_paragraph_per_line_layout() -> None:
    article = clean_article(make(f"{LEAD}\nSee also: Storm closes ports\n{TAIL}"))
    assert article.text == f"{LEAD}\n{TAIL}"
    assert article.kept == ((0, 0, len(LEAD) + 1), (len(LEAD) + 1, len(LEAD) + 30, len(TAIL)))


def test_ignores_incoming_text_and_does_not_mutate() -> None:
    raw = story_with("Photo: AP")
    original = Article(id="a", source_path="a.txt", raw_text=raw, text="stale")
    article = clean_article(original)
    assert original.text == "stale" and original.removed == ()
    assert article.raw_text == raw and "Photo: AP" not in article.text


def test_everything_removed() -> None:
    article = clean_article(make("Share this:\nFacebook\n"))
    assert article.text == ""
    assert article.raw_offset(0) == 0


def test_rules_table_has_known_reasons() -> None:
    reasons = {rule.reason for rule in RULES}
    assert reasons == {
        "share bar",
        "comment form",
        "see-also insert",
        "caption",
        "url line",
        "timestamp",
        "promo",
        "copyright",
        "syndication note",
        "separator",
        "byline",
        "tags",
    }


# --- invariants -----------------------------------------------------------------------

LINES = st.one_of(
    st.sampled_from([line for _, line in BOILERPLATE] + NEWS + ["", " ", "---", "outlet: X"]),
    st.text(max_size=40),
)
TEXTS = st.one_of(
    st.text(),
    st.lists(LINES, max_size=12).flatmap(
        lambda lines: st.sampled_from(["\n", "\n\n", "\r\n"]).map(lambda sep: sep.join(lines))
    ),
)


ODD = ["\u00a0", "\u200b", "\u00ad", "\ufeff", "\u2009", "\u3000", "\u2028", "\ufb01",
       "\uff21", "\u0301", "e\u0301", "\u200e", "\ufe8d", "\u00e9", "\u201c", "\u2026"]  # fmt: skip
ODD_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(ODD + ["Share this:", "Photo: AP", "\n", "\n\n", " ", "word"]), LINES
    ),
    max_size=16,
).map("".join)


def assert_accounts_for_raw(article: Article) -> None:
    """Kept runs, normalised changes and removed spans tile the raw text (bar whitespace)."""
    raw, text = article.raw_text, article.text
    owner = [0] * len(raw)
    for clean_start, raw_start, length in article.kept:
        assert text[clean_start : clean_start + length] == raw[raw_start : raw_start + length]
        for i in range(raw_start, raw_start + length):
            owner[i] += 1
    for clean_start, clean_end, raw_start, raw_end in article.normalised:
        assert (
            text[clean_start:clean_end]
            == normalise(raw[raw_start:raw_end])[0][: clean_end - clean_start]
        )
        for i in range(raw_start, raw_end):
            owner[i] += 1
    for span in article.removed:
        assert span.text == raw[span.start : span.end] and span.text.strip()
        for i in range(span.start, span.end):
            owner[i] += 1
    for i, char in enumerate(raw):
        assert owner[i] <= 1
        assert owner[i] == 1 or char.isspace()
    covered = sum(n for _, _, n in article.kept) + sum(e - s for s, e, _, _ in article.normalised)
    assert covered == len(text)


def assert_offsets_round_trip(article: Article) -> None:
    """Raw -> cleaned -> raw gives the same offset; every cleaned span maps to its raw span."""
    raw, text = article.raw_text, article.text
    for clean_start, raw_start, length in article.kept:
        for k in range(length):
            assert article.raw_offset(clean_start + k) == raw_start + k
            assert raw[raw_start + k] == text[clean_start + k]
    for clean_start, clean_end, raw_start, raw_end in article.normalised:
        if clean_end > clean_start:
            assert article.raw_span(clean_start, clean_end) == (raw_start, raw_end)
    for start in range(0, len(text), 7):
        end = min(len(text), start + 5)
        raw_start, raw_end = article.raw_span(start, end)
        assert 0 <= raw_start <= raw_end <= len(raw)
        for k in range(start, end):
            char_start, char_end = article.raw_span(k, k + 1)
            assert raw_start <= char_start < char_end <= raw_end
    assert article.raw_offset(len(text)) <= len(raw)


@given(TEXTS)
def test_kept_and_removed_tile_the_raw_text(raw: str) -> None:
    article = clean_article(make(raw))
    assert_accounts_for_raw(article)
    assert_offsets_round_trip(article)


@given(ODD_TEXTS)
def test_normalised_text_accounts_for_every_raw_character(raw: str) -> None:
    article = clean_article(make(raw))
    assert_accounts_for_raw(article)
    assert_offsets_round_trip(article)
    assert not set(article.text) & {"\u00a0", "\u200b", "\u00ad", "\ufeff", "\ufb01"}


@given(ODD_TEXTS)
def test_keep_boilerplate_still_normalises_and_maps_back(raw: str) -> None:
    article = clean_article(make(raw), settings=Settings(keep_boilerplate=True))
    assert article.removed == ()
    assert_accounts_for_raw(article)
    assert_offsets_round_trip(article)


@given(st.text())
def test_normalise_round_trips_offsets(raw: str) -> None:
    text, changes = normalise(raw)
    position = clean = 0
    pieces = []
    for clean_start, clean_end, raw_start, raw_end in changes:
        assert text[clean:clean_start] == raw[position:raw_start]
        pieces += [raw[position:raw_start], raw[raw_start:raw_end]]
        position, clean = raw_end, clean_end
    assert text[clean:] == raw[position:]
    assert "".join(pieces) + raw[position:] == raw


def test_normalisation_of_odd_characters() -> None:
    raw = f"{LEAD}\n\nThe\u00a0port re\u00adopened its of\ufb01ces\u200b in Ca\u0301diz.\n"
    article = clean_article(make(raw))
    assert article.text == f"{LEAD}\n\nThe port reopened its offices in Cádiz."
    start = article.text.index("offices")
    raw_start, raw_end = article.raw_span(start, start + len("offices"))
    assert raw[raw_start:raw_end] == "of\ufb01ces"
    start = article.text.index("Cádiz")
    assert raw[slice(*article.raw_span(start, start + 5))] == "Ca\u0301diz"


def test_rules_see_normalised_lines() -> None:
    article = clean_article(make(story_with("Share\u00a0this:", "Photo:\u200b AP")))
    assert [reason for reason, _ in removed(article)] == ["share bar", "caption"]


def test_normalisation_can_be_turned_off() -> None:
    raw = f"{LEAD}\n\nThe\u00a0port reopened.\n"
    article = clean_article(make(raw), settings=Settings(normalise_unicode=False))
    assert "\u00a0" in article.text and article.normalised == ()


# --- the Rome corpus ------------------------------------------------------------------


def rome(prefix: str) -> Article:
    if not ROME.is_dir():
        pytest.skip("the rome-2022 corpus is not available")
    [path] = ROME.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    return clean_article(Article(id=prefix, source_path=path.name, raw_text=text, text=text))


def reason_counts(article: Article) -> Counter[str]:
    return Counter(span.reason for span in article.removed)


def test_rome_comment_form_and_see_also_inserts_removed() -> None:
    article = rome("002")
    assert reason_counts(article) == {"see-also insert": 3, "comment form": 2, "timestamp": 1}
    assert article.removed[-1].reason == "comment form"
    assert len([line for line in article.text.splitlines() if line.strip()]) >= 35


def test_rome_aggregator_junk_removed() -> None:
    article = rome("004")
    counts = reason_counts(article)
    assert counts == {
        "caption": 1,
        "url line": 2,
        "see-also insert": 1,
        "share bar": 1,
        "separator": 1,
        "timestamp": 2,
    }
    assert article.updates == ("Update(1920ET)", "Update(1340ET)")
    assert "Going into his Monday meeting" in article.text
    assert article.removed[-1].reason == "share bar"
    assert "http" not in article.text
    assert len([line for line in article.text.splitlines() if line.strip()]) >= 15


def test_rome_comments_closed_removed() -> None:
    article = rome("000")
    assert reason_counts(article) == {"comment form": 1}
    assert len([line for line in article.text.splitlines() if line.strip()]) >= 15


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_rome_clean_copies_untouched(prefix: str) -> None:
    article = rome(prefix)
    assert article.removed == ()
    assert article.text == article.raw_text.strip()


# --- sub-line cuts, metadata, templates -----------------------------------------------


def test_update_stamp_starting_a_sentence_is_cut_and_kept_as_metadata() -> None:
    line = (
        "Update (19:20 ET): Going into the meeting, Sullivan told CNN there would be consequences."
    )
    article = clean_article(make(story_with(line)))
    assert removed(article) == [("timestamp", "Update (19:20 ET):")]
    assert "\nGoing into the meeting, Sullivan told CNN" in article.text
    assert article.updates == ("Update (19:20 ET)",)


def test_tracking_parameters_are_cut_from_urls_in_kept_lines() -> None:
    line = "The full report is at https://port.example/r?id=7&utm_source=x&fbclid=y online."
    article = clean_article(make(story_with(line)))
    assert "https://port.example/r?id=7 online." in article.text
    assert {reason for reason, _ in removed(article)} == {"tracking parameters"}
    only = clean_article(make(story_with("Read https://port.example/r?utm_source=x today")))
    assert "https://port.example/r today" in only.text


def test_byline_fills_author_and_dateline_stays_in_text() -> None:
    text = "By Kim Lee\n\nVESSMARK (NPA) — A crane collapsed on Friday, officials said.\n"
    article = clean_article(make(text))
    assert removed(article) == [("byline", "By Kim Lee")]
    assert article.author == "Kim Lee"
    assert article.dateline == "VESSMARK (NPA)"
    assert article.text.startswith("VESSMARK (NPA) — A crane collapsed")
    wire = clean_article(make("WASHINGTON, March 14 (Reuters) - Talks ended, aides said."))
    assert wire.dateline == "WASHINGTON, March 14 (Reuters)"


def test_lines_carrying_a_quote_are_never_removed() -> None:
    line = "Photo: “We warned them in writing in February,” the union leader said"
    assert classify_lines([line]) == [None]


def test_keep_boilerplate_removes_nothing() -> None:
    raw = story_with("Share this:", "Photo: AP")
    article = clean_article(make(raw), settings=Settings(keep_boilerplate=True))
    assert article.removed == () and article.text == raw


def outlet_article(index: int, *lines: str) -> Article:
    text = "\n\n".join((f"Story number {index} about the harbour.", *lines)) + "\n"
    return Article(
        id=f"a{index}", source_path=f"{index}.txt", raw_text=text, text=text, outlet="Harbour Times"
    )


def test_lines_recurring_across_an_outlet_are_template() -> None:
    promo = "Harbour Times: your port, your paper"
    quote = "“The crew did exactly what they were trained to do,” Vold said."
    articles = [outlet_article(i, promo, quote, f"Fact {i}.") for i in range(4)]
    articles.append(replace(outlet_article(9, promo), outlet="Other Paper"))
    templates = learn_templates(articles)
    assert templates.by_outlet == {"harbour times": frozenset({promo.casefold()})}
    cleaned = clean_corpus(articles)
    assert removed(cleaned[0]) == [("outlet template", promo)]
    assert quote in cleaned[0].text
    assert cleaned[-1].removed == ()


def test_two_articles_sharing_lines_are_not_template() -> None:
    articles = [outlet_article(i, "Background: the crane was built in 1998") for i in range(2)]
    assert learn_templates(articles).by_outlet == {}


def test_template_counts_kept_between_runs_learn_what_one_run_learns() -> None:
    promo = "Harbour Times: your port, your paper"
    first = [outlet_article(i, promo, f"Fact {i}.") for i in range(2)]
    later = [outlet_article(i, promo, "Weather line", f"Fact {i}.") for i in range(2, 4)]
    later.append(outlet_article(4, promo, "Fact 4."))
    later.append(replace(later[0], id="same-text"))  # a text counted once, whatever its id
    counts = TemplateCounts()
    counts.add(first)
    assert counts.templates(Settings()).by_outlet == {}  # two articles are not enough
    kept = TemplateCounts.from_data(json.loads(json.dumps(counts.to_data())))
    kept.add([*first, *later])  # the articles counted before are not counted again
    assert kept.templates(Settings()) == learn_templates([*first, *later])
    assert kept.templates(Settings()).by_outlet == {"harbour times": frozenset({promo.casefold()})}


def test_eval_clean_smoke() -> None:
    import importlib.util

    path = Path(__file__).parents[1] / "benchmarks" / "eval_clean.py"
    spec = importlib.util.spec_from_file_location("eval_clean", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_clean"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    score = module.evaluate(module.LABELS / "examples.json")
    assert score is not None and score.stale == 0
    assert score.precision >= 0.95 and score.recall >= 0.95 and score.quotes_removed == 0


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("Updated 10.15am The minister resigned.", "Updated 10.15am"),
        ("UPDATE 14:02 GMT - Talks resumed.", "UPDATE 14:02 GMT -"),
        ("Update 2024 shows a rise in prices.", None),
    ],
)
def test_update_stamp_cut_never_takes_a_word_of_the_sentence(line: str, cut: str | None) -> None:
    article = clean_article(make(story_with(line)))
    assert removed(article) == ([("timestamp", cut)] if cut else [])


def test_link_list_under_a_header_is_removed_up_to_the_blank_line() -> None:
    text = story_with("You may also like\nHarbour fees to rise in April\nNew pier opens at Kelby")
    article = clean_article(make(text))
    assert [reason for reason, _ in removed(article)] == ["see-also insert"]
    assert "Kelby" not in article.text
    kept = clean_article(make("Related\nThe ferry was refloated at high tide on Wednesday.\n"))
    assert "refloated" in kept.text


def test_every_unanchored_rule_pattern_has_a_hint_word() -> None:
    """The cheap prefilter (a hint word must be in the line) never hides a rule match."""
    from newstrace.clean import FLOATING_HINTS, FLOATING_PARTS

    def hinted(word: str) -> bool:
        return any(hint in word for hint in FLOATING_HINTS)

    for part in FLOATING_PARTS:
        words = re.findall(r"[a-z]+", re.sub(r"\\[a-zA-Z]", " ", part).lower())
        assert any(hinted(word) for word in words), part
        for choice in re.findall(r"\(\?:([a-z|]+)\)", part):  # each of (?:photo|image|…)
            if any(hinted(word) for word in choice.split("|")):
                assert all(hinted(word) for word in choice.split("|")), part
