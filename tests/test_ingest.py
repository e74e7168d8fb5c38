import io
import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newstrace.clean import clean_article
from newstrace.config import Settings
from newstrace.errors import ConfigError
from newstrace.ingest import content_id, headline, ingest, parse_text, split_front_matter

FRONT = """---
outlet: Harbour Times
url: https://harbour.example/a
published: 2026-03-14T09:00:00Z
author: Kim Lee
---
Ferry runs aground off Tessa Point | Local
A passenger ferry ran aground on Tuesday, the coastguard said.
"""


def test_front_matter_gives_metadata_and_headline_gives_title():
    article = parse_text(FRONT, source_path="x.txt")
    assert article.outlet == "Harbour Times"
    assert article.url == "https://harbour.example/a"
    assert article.published == "2026-03-14T09:00:00Z"
    assert article.author == "Kim Lee"
    assert article.title == "Ferry runs aground off Tessa Point"
    assert article.raw_text == FRONT


def test_text_without_front_matter_keeps_body():
    metadata, body = split_front_matter("Just a headline\nAnd a line.")
    assert metadata == {}
    assert body.startswith("Just a headline")


def test_long_first_sentence_is_not_a_headline():
    first = "A passenger ferry ran aground on Tuesday near the harbour entrance, " * 3 + "."
    assert headline(first + "\nMore.") == ""


def test_content_id_is_stable_and_ignores_whitespace_layout():
    assert content_id("a  b\nc") == content_id("a b c")
    assert content_id("a b c") != content_id("a b d")


def test_folder_is_walked_recursively_in_sorted_order(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Second\nBody two.", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("Third\nBody three.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First\nBody one.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    result = ingest([tmp_path])
    assert [a.title for a in result.articles] == ["First", "Second", "Third"]
    assert result.skipped == ()


def test_bad_files_are_skipped_by_name_and_the_rest_is_read(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("Headline\nA real sentence of news.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02garbage")
    unsupported = tmp_path / "scan.pdf"
    unsupported.write_bytes(b"%PDF-1.4")
    result = ingest([good, empty, binary, unsupported, tmp_path / "missing.txt"])
    assert [a.source_path for a in result.articles] == [str(good)]
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "unsupported format" in reasons["scan.pdf"]
    assert reasons["missing.txt"] == "no such file"


def test_non_utf8_text_is_decoded(tmp_path: Path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café owner says “no”\nThe café closed.".encode("cp1252"))
    (article,) = ingest([path]).articles
    assert "Café" in article.text and "“no”" in article.text


def test_identical_files_get_distinct_ids(tmp_path: Path):
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text("Same headline\nSame body text here.", encoding="utf-8")
    first, second = ingest([tmp_path]).articles
    assert first.id != second.id
    assert second.id.startswith(first.id)


# --- formats ------------------------------------------------------------------------

DATA = Path(__file__).parent / "data" / "ingest"


def by_source(result) -> dict[str, object]:
    return {Path(a.source_path).name: a for a in result.articles}


def test_html_page_gives_main_text_and_metadata():
    (article,) = ingest([DATA / "harbour_page.html"]).articles
    assert article.title == "Ferry runs aground off Tessa Point"
    assert article.outlet == "Harbour Times"
    assert article.author == "Kim Lee"
    assert article.published == "2026-03-14"
    assert article.url == "https://harbour.example/2026/03/14/ferry-aground"
    assert article.language == "en"
    assert "212 people on board" in article.text
    assert '"The crew did exactly what they were trained to do,"' in article.text
    removed = {span.text.strip(): span.reason for span in article.removed}
    assert article.page_chrome == article.removed
    for chrome in ("Weather", "Related stories", "Glad everyone", "Post Comment", "Privacy"):
        assert chrome not in article.text  # left out of the text, but recorded with a reason
        assert any(
            chrome in text and reason.startswith("page ") for text, reason in removed.items()
        )
    assert "page menu" in removed.values() and "page comments" in removed.values()
    for run_clean, run_raw, length in article.kept:
        assert (
            article.text[run_clean : run_clean + length]
            == article.raw_text[run_raw : run_raw + length]
        )


def test_html_chrome_stays_removed_through_cleaning_and_keep_boilerplate():
    (article,) = ingest([DATA / "harbour_page.html"]).articles
    for settings in (Settings(), Settings(keep_boilerplate=True)):
        cleaned = clean_article(article, settings=settings)
        assert "Weather" not in cleaned.text and "212 people on board" in cleaned.text
        reasons = {span.reason for span in cleaned.removed}
        assert {"page menu", "page comments"} <= reasons
        covered = sorted((s.start, s.end) for s in cleaned.removed)
        covered += [(r, r + n) for _, r, n in cleaned.kept]
        owner = [0] * len(article.raw_text)
        for start, end in covered:
            for i in range(start, end):
                owner[i] += 1
        assert all(n == 1 or article.raw_text[i].isspace() for i, n in enumerate(owner))


def test_html_without_main_text_is_skipped(tmp_path: Path):
    page = tmp_path / "menu.html"
    page.write_text("<html><head><title>T</title></head><body><script>x=1</script></body></html>")
    truncated = tmp_path / "cut.htm"
    truncated.write_text("<html><body><p>A ferry ran aground off Tessa Point on Tues")
    result = ingest([page, truncated])
    assert [s.source for s in result.skipped] == [str(page)]
    assert "no main text" in result.skipped[0].reason
    assert [a.raw_text for a in result.articles] == ["A ferry ran aground off Tessa Point on Tues"]


def test_feed_gives_one_article_per_entry():
    result = ingest([DATA / "harbour_feed.xml", DATA / "empty_feed.rss"])
    first, second = result.articles
    assert first.source_path.endswith("harbour_feed.xml#1")
    assert first.title == "Ferry runs aground off Tessa Point"
    assert first.outlet == "Harbour Times" and first.author == "Kim Lee"
    assert first.published == "2026-03-14T09:00:00+00:00"
    assert first.url == "https://harbour.example/2026/03/14/ferry-aground"
    assert "<p>" not in first.raw_text and "\n\n" in first.raw_text
    assert second.raw_text.startswith("Mooring fees")
    [skip] = result.skipped
    assert skip.source.endswith("empty_feed.rss") and skip.reason == "feed has no entries"


def test_jsonl_maps_common_fields_and_skips_bad_lines_by_number():
    result = ingest([DATA / "crawl.jsonl"])
    articles = {a.source_path.rsplit(":", 1)[1]: a for a in result.articles}
    assert sorted(articles) == ["1", "2", "7"]
    assert articles["1"].title == "Ferry runs aground off Tessa Point"
    assert articles["1"].url == "https://harbour.example/a"
    assert articles["1"].published == "2026-03-14T09:00:00"
    assert articles["1"].outlet == "harbour.example"
    assert articles["2"].outlet == "Financial Times"
    assert articles["2"].language == "de"
    assert articles["7"].raw_text.startswith("Mooring fees") and "<p>" not in articles["7"].raw_text
    skipped = {s.source.rsplit(":", 1)[1]: s.reason for s in result.skipped}
    assert sorted(skipped) == ["3", "4", "5"]
    assert skipped["3"].startswith("invalid JSON")
    assert "not an object" in skipped["4"]
    assert skipped["5"].startswith("no text")


def test_an_oversized_record_is_skipped_by_line_not_cut(tmp_path: Path):
    dump = tmp_path / "dump.jsonl"
    lines = [
        {"title": "Short", "text": "The ferry ran aground at dawn, the coastguard said."},
        {"title": "Long", "text": "The harbour was closed. " * 200},
    ]
    dump.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = ingest([dump], settings=Settings(max_article_chars=1_000))
    assert [a.title for a in result.articles] == ["Short"]
    (skip,) = result.skipped
    assert skip.source.endswith("dump.jsonl:2")
    assert skip.reason == "text too long (4,800 characters; max_article_chars is 1,000)"


def test_json_array_with_chosen_fields(tmp_path: Path):
    dump = tmp_path / "dump.json"
    records = [
        {"body_html": "Ferry aground, coastguard says.", "hl": "Ferry", "when": "2026-03-14"}
    ]
    dump.write_text(json.dumps({"items": records}), encoding="utf-8")
    settings = Settings(text_field="body_html", title_field="hl", date_field="when")
    (article,) = ingest([dump], settings=settings).articles
    assert (article.title, article.published) == ("Ferry", "2026-03-14")
    assert article.source_path == f"{dump}#1"


def test_stdin_is_sniffed(tmp_path: Path):
    data = (DATA / "harbour_feed.xml").read_bytes()
    result = ingest(["-"], stdin=io.BytesIO(data))
    assert [a.source_path for a in result.articles] == ["<stdin>#1", "<stdin>#2"]
    text = ingest(["-"], stdin=io.BytesIO(b"Headline\nA sentence of news.")).articles
    assert text[0].title == "Headline"


def test_globs_expand_sorted_and_report_no_match(tmp_path: Path):
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text(f"{name}\nBody of {name}.", encoding="utf-8")
    result = ingest([str(tmp_path / "*.txt"), str(tmp_path / "*.html")])
    assert [Path(a.source_path).name for a in result.articles] == ["a.txt", "b.txt"]
    assert [s.reason for s in result.skipped] == ["no file matches"]


def test_section_suffix_goes_to_metadata():
    article = parse_text("Talks end without a deal | China\nBody.", source_path="x.txt")
    assert (article.title, article.section) == ("Talks end without a deal", "China")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Кран рухнул в порту в пятницу, заявили чиновники порта.", "cp1251"),
        ("Le café était fermé à cause de la grève générale, a déclaré le maire.", "latin-1"),
        ("Der Kran ist am Freitag eingestürzt, sagten Beamte über die Größe.", "cp1252"),
        ("A ferry ran aground, the coastguard said.", "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, text: str, encoding: str):
    path = tmp_path / "story.txt"
    path.write_bytes(f"Headline\n{text}".encode(encoding))
    (article,) = ingest([path]).articles
    assert text in article.raw_text


def test_non_english_is_carried_with_its_language(tmp_path: Path):
    path = tmp_path / "fr.txt"
    path.write_text("Grève au port\nLes dockers ont voté la grève vendredi soir.", encoding="utf-8")
    (article,) = ingest([path]).articles
    assert article.language == "fr"


def test_outlet_aliases_from_a_user_file(tmp_path: Path):
    aliases = tmp_path / "outlets.toml"
    aliases.write_text('[outlets]\n"Harbour Times" = ["HT", "harbour.example"]\n')
    story = tmp_path / "s.txt"
    story.write_text("---\nurl: https://www.harbour.example/x?fbclid=1&id=2\n---\nH\nBody.\n")
    aliased = tmp_path / "t.txt"
    aliased.write_text("---\noutlet: HT\n---\nH\nOther body.\n")
    settings = Settings(outlet_aliases=str(aliases))
    first, second = ingest([story, aliased], settings=settings).articles
    assert first.outlet == second.outlet == "Harbour Times"
    assert first.url == "https://www.harbour.example/x?id=2"


def test_bad_alias_file_is_a_config_error(tmp_path: Path):
    aliases = tmp_path / "outlets.toml"
    aliases.write_text("[outlets]\nFT = 'not a list'\n")
    with pytest.raises(ConfigError):
        ingest([], settings=Settings(outlet_aliases=str(aliases)))


def test_size_limits_are_configurable(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("Headline\n" + "word " * 400, encoding="utf-8")
    result = ingest([big], settings=Settings(max_file_bytes=1_000))
    assert result.skipped[0].reason.startswith("file too large")
    records = tmp_path / "many.jsonl"
    records.write_text("".join(json.dumps({"text": f"Story {i}."}) + "\n" for i in range(5)))
    result = ingest([records], settings=Settings(max_records_per_file=3))
    assert len(result.articles) == 3 and "more than 3 records" in result.skipped[0].reason


def test_published_dates_are_normalised():
    from newstrace._meta import Enricher

    published = Enricher(Settings()).published
    assert published("2026-03-14T09:12:00Z") == "2026-03-14T09:12:00Z"
    assert published("Sat, 14 Mar 2026 09:00:00 GMT") == "2026-03-14T09:00:00+00:00"
    assert published("March 14, 2026") == "2026-03-14T00:00:00"
    assert published("not a date") == "not a date"


def ingest_and_clean_only(paths, *, settings, progress=None):
    """The pipeline cut to the stages this module owns, to keep CLI tests fast."""
    from newstrace.clean import clean_corpus
    from newstrace.model import Brief

    result = ingest(paths, settings=settings)
    articles = clean_corpus(result.articles, settings=settings)
    return Brief(articles=tuple(articles), skipped=result.skipped)


def test_cli_reads_stdin_jsonl_with_field_options_and_keeps_boilerplate(monkeypatch):
    from typer.testing import CliRunner

    from newstrace import cli

    monkeypatch.setattr(cli, "run_analysis", ingest_and_clean_only)
    app = cli.app

    lines = [
        {"body": "Ferry aground off Tessa Point.\n\nShare this:\n", "hl": "Ferry aground"},
        {"body": "Mooring fees rise in April, the council said.", "hl": "Fees rise"},
        "not json",
    ]
    stdin = "\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n"
    arguments = ["analyze", "-", "--text-field", "body", "--title-field", "hl", "-f", "json", "-q"]
    result = CliRunner().invoke(app, [*arguments, "--keep-boilerplate"], input=stdin)
    assert result.exit_code == 1, result.output
    brief = json.loads(result.stdout)
    assert [a["title"] for a in brief["articles"]] == ["Ferry aground", "Fees rise"]
    assert "Share this:" in brief["articles"][0]["text"]
    assert brief["skipped"][0]["source"] == "<stdin>:3"
    assert "<stdin>:3: invalid JSON" in result.stderr


settings_for_hypothesis = hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings_for_hypothesis
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from([b"<rss><channel><item>", b'{"text": ', b"[{}]", b"<html><p>x"]),
    ),
    name=st.sampled_from(["a.txt", "a.html", "a.xml", "a.json", "a.jsonl", "a"]),
)
def test_any_bytes_are_read_or_skipped_never_raise(tmp_path_factory, data: bytes, name: str):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    result = ingest([path])
    assert len(result.articles) + len(result.skipped) >= 1
    for article in result.articles:
        assert article.raw_text.strip()


# --- metadata from the text -----------------------------------------------------------

BODY = "Dockers walked out at the harbour, the union said.\nTalks resume next week.\n"


def set_mtime(path: Path, when: str) -> None:
    stamp = datetime.fromisoformat(when).timestamp()
    os.utime(path, (stamp, stamp))


def evidence_of(article, field: str):
    [found] = [e for e in article.metadata_evidence if e.field == field]
    assert article.raw_text[found.start : found.end] == found.text
    return found


@pytest.mark.parametrize(
    ("first_lines", "published", "cue"),
    [
        ("LONDON, Monday (Reuters) — Dockers walked out.", "2022-03-14", "Monday"),
        ("WASHINGTON, March 14 (AP) - Dockers walked out.", "2022-03-14", "March 14"),
        ("Harbour strike\nPosted yesterday at 14:02", "2022-03-15", "Posted yesterday at 14:02"),
        ("Harbour strike\nUpdated 3 days ago", "2022-03-13", "Updated 3 days ago"),
        ("Harbour strike\non March 11", None, None),  # not a date line
        ("Harbour strike\nDecember 30", "2021-12-30", "December 30"),  # not in the future
    ],
)
def test_relative_dates_resolve_against_the_file_date(tmp_path: Path, first_lines, published, cue):
    path = tmp_path / "a.txt"
    path.write_text(f"{first_lines}\n{BODY}", encoding="utf-8")
    set_mtime(path, "2022-03-16T08:00:00+00:00")  # a Wednesday
    [article] = ingest([path]).articles
    assert article.published == published
    if cue:
        found = evidence_of(article, "published")
        assert found.text == cue and "relative to 2022-03-16" in found.rule


def test_absolute_date_in_text_needs_no_reference():
    text = f"Harbour strike\nPublished 14 March 2022\n{BODY}"
    article = parse_text(text, source_path="<stdin>")
    assert article.published == "2022-03-14"
    assert evidence_of(article, "published").rule == "date line"


def test_relative_date_without_a_reference_is_left_unknown():
    article = parse_text(f"LONDON, Monday (Reuters) — {BODY}", source_path="<stdin>")
    assert article.published is None


def test_metadata_date_wins_over_text_and_feed_date_is_the_reference(tmp_path: Path):
    article = parse_text(
        f"---\npublished: 2026-01-02\n---\nLONDON, Monday — {BODY}", source_path="x"
    )
    assert article.published == "2026-01-02" and article.metadata_evidence == ()
    feed = tmp_path / "feed.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour Wire</title>"
        "<lastBuildDate>Wed, 16 Mar 2022 10:00:00 GMT</lastBuildDate><item><title>Strike</title>"
        "<description>LONDON, Monday — Dockers walked out at the harbour, the union said."
        "</description></item></channel></rss>",
        encoding="utf-8",
    )
    [entry] = ingest([feed]).articles
    assert entry.published == "2022-03-14"
    assert "relative to 2022-03-16" in evidence_of(entry, "published").rule


def test_crawl_date_of_a_json_record_is_the_reference(tmp_path: Path):
    dump = tmp_path / "dump.jsonl"
    record = {"text": f"Harbour strike\nyesterday\n{BODY}", "date_download": "2022-03-16 09:00:00"}
    dump.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [article] = ingest([dump]).articles
    assert article.published == "2022-03-15"


@pytest.mark.parametrize(
    ("text", "outlet", "cue", "rule"),
    [
        (f"VESSMARK (Reuters) — {BODY}", "Reuters", "Reuters", "dateline"),
        (f"Strike\nBy Jane Doe, Financial Times\n{BODY}", "Financial Times", "Financial Times",
         "byline"),
        (f"Strike\nBy Jane Doe | FT\n{BODY}", "Financial Times", "FT", "byline"),
        (f"{BODY}\n© 2024 The Harbour Gazette. All rights reserved.\n", "The Harbour Gazette",
         "The Harbour Gazette", "copyright line"),
        (f"{BODY}\nThis article first appeared in The Tideline.\n", "The Tideline",
         "The Tideline", "first published by"),
        (f"{BODY}\nOriginally published by harbour-news.example.com\n",
         "harbour-news.example.com", "harbour-news.example.com", "first published by"),
        (f"Strike\nHarbour Gazette staff report\n{BODY}", "Harbour Gazette", "Harbour Gazette",
         "staff report"),
        (f"VESSMARK (AP) — {BODY}", "Associated Press", "AP", "dateline"),
        (f"Strike\nBy Jane Doe, Washington Post\n{BODY}", "The Washington Post", "Washington Post",
         "byline"),
    ],
)  # fmt: skip
def test_outlet_from_textual_cues(text: str, outlet: str, cue: str, rule: str):
    article = parse_text(text, source_path="<stdin>")
    assert article.outlet == outlet
    found = evidence_of(article, "outlet")
    assert (found.text, found.rule) == (cue, rule)


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe, Staff Writer",
        "By Jane Doe",
        "Photo: © 2024 Getty Images",
        "(c) Kim Lee photos",
        "By Jane Doe, Washington",
        "© 2024 Jane Doe",
    ],
)
def test_lines_that_name_no_outlet(line: str):
    article = parse_text(f"Strike\n{line}\n{BODY}", source_path="<stdin>")
    assert article.outlet is None and article.metadata_evidence == ()


def test_outlet_cue_goes_through_user_aliases(tmp_path: Path):
    aliases = tmp_path / "outlets.toml"
    aliases.write_text('[outlets]\n"Harbour Gazette" = ["The Harbour Gazette", "HG"]\n')
    settings = Settings(outlet_aliases=str(aliases))
    article = parse_text(
        f"{BODY}\n© 2024 The Harbour Gazette\n", source_path="x", settings=settings
    )
    assert article.outlet == "Harbour Gazette"


def test_url_outlet_wins_over_text_cues():
    text = f"---\nurl: https://www.reuters.com/x\n---\nBy Jane Doe, Financial Times\n{BODY}"
    article = parse_text(text, source_path="x")
    assert article.outlet == "Reuters" and article.metadata_evidence == ()


def test_cues_are_read_after_the_front_matter():
    front = (
        "---\nauthor: Kim Lee\ntitle: Strike\nsection: Local\ntags: a\nlang: en\nid: 7\nx: y\n---\n"
    )
    article = parse_text(f"{front}Strike\nBy Jane Doe, Financial Times\n{BODY}", source_path="x")
    found = evidence_of(article, "outlet")
    assert article.outlet == "Financial Times" and found.start > len(front)


WORDS = st.sampled_from("the port union said crane ferry talks budget council week".split())
SENTENCES = st.lists(WORDS, min_size=8, max_size=20).map(lambda w: " ".join(w).capitalize() + ".")
CHROME = st.sampled_from(
    [
        "<nav><ul><li><a href='/a'>Home</a></li><li><a href='/b'>Local news</a></li></ul></nav>",
        "<aside class='related'><h3>Related</h3><ul><li><a href='/r'>Older story</a></li></ul>"
        "</aside>",
        "<section id='comments'><p>First!</p><p>So sad.</p></section>",
        "<footer><p>&copy; 2026 Harbour Times</p></footer>",
        "<div class='newsletter'><p>Sign up for our briefing</p></div>",
    ]
)


@settings_for_hypothesis
@given(st.lists(SENTENCES, min_size=3, max_size=6), st.lists(CHROME, max_size=4), st.data())
def test_html_page_chrome_and_main_text_account_for_the_page(paragraphs, chrome, data):
    split = data.draw(st.integers(0, len(chrome)))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (
        "<html><head><title>Harbour</title></head><body>"
        + "".join(chrome[:split])
        + f"<article><h1>Harbour talks</h1>{body}</article>"
        + "".join(chrome[split:])
        + "</body></html>"
    )
    articles = ingest(["-"], stdin=io.BytesIO(page.encode())).articles
    if not articles:
        return  # trafilatura found no main text: skipped, never raised
    [article] = articles
    cleaned = clean_article(article)
    raw = cleaned.raw_text
    owner = [0] * len(raw)
    for start, end in [(s.start, s.end) for s in cleaned.removed] + [
        (r, r + n) for _, r, n in cleaned.kept
    ]:
        for i in range(start, end):
            owner[i] += 1
    assert all(n == 1 or raw[i].isspace() for i, n in enumerate(owner))
    for span in cleaned.page_chrome:
        assert span.reason.startswith("page ") and span.text == raw[span.start : span.end]
    assert all(paragraph in cleaned.text for paragraph in paragraphs)
    if chrome:
        assert "Home" not in cleaned.text and "First!" not in cleaned.text
        assert cleaned.page_chrome
