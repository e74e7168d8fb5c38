from pathlib import Path

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
