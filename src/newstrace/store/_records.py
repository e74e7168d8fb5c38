"""Convert between record types (``model.py``) and rows of the store tables.

Rows are plain dicts keyed by column name, so the same helpers serve the
database and the JSONL export. Each analysis row holds the whole record as
JSON in ``data`` (``_codec``) plus a few columns to query by; claims and
stories are split into child rows (mentions, origins, chains; members).
A reuse row names its JSON by ``data_key`` instead, a digest of the JSON
text, and the JSON itself is a ``reuse_data`` row (see ``_tables.ReuseData``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any

from ..model import Article, Brief, Claim, Sentence, Story
from ._codec import JSONText, decode, encode, json_text, type_hints

Row = dict[str, Any]
ARTICLE_COLUMNS = ("id", "source_path", "raw_text", "text", "title", "outlet", "url")
ARTICLE_COLUMNS += ("published", "author", "removed", "kept")
# Brief field -> (table, columns copied from the record next to its JSON).
SIMPLE = {
    "reuse": ("reuse", ("source_id", "target_id", "kind", "score")),
    "quotes": ("quote", ("id", "article_id", "start", "end", "speaker", "speaker_kind")),
    "citations": ("citation", ("article_id", "start", "end", "outlet")),
    "flags": ("flag", ("article_id", "kind", "start", "end")),
    "skipped": ("skipped", ("source", "stage")),
}
CLAIM_PARTS = {
    "mentions": ("mention", ("article_id", "start", "end", "stance")),
    "origins": ("origin", ("kind", "name")),
    "chains": ("chain", ("article_id", "origin")),
}
SPECIAL = {"articles", "sentences", "stories", "claims"}


def _columns(record: object, names: Iterable[str]) -> Row:
    return {name: getattr(record, name) for name in names}


def article_row(article: Article, *, clean_key: str | None = None) -> Row:
    """The ``article`` row of an article (``seq`` is given by the store)."""
    data = encode(article)
    row = {name: data.pop(name) for name in ARTICLE_COLUMNS}
    row["extra"] = {k: v for k, v in data.items() if v not in (None, [], "")}
    row["clean_key"] = clean_key
    return row


def article_from_row(row: Mapping[str, Any]) -> Article:
    """The article an ``article`` row holds."""
    data = {name: row[name] for name in ARTICLE_COLUMNS} | dict(row.get("extra") or {})
    article: Article = decode(Article, data)
    return article


def sentences_data(sentences: Sequence[Sentence]) -> list[Any]:
    """Sentences of one article as JSON (the ``segment`` cache)."""
    data: list[Any] = encode(tuple(sentences))
    return data


def sentences_from_data(data: Sequence[Any]) -> tuple[Sentence, ...]:
    """The sentences ``sentences_data`` wrote."""
    sentences: tuple[Sentence, ...] = decode(tuple[Sentence, ...], data)
    return sentences


def record_row(record: object, columns: Iterable[str], data: Any = None) -> Row:
    """A row with some columns of ``record`` and the whole record in ``data``
    (encoded here unless given)."""
    return {**_columns(record, columns), "data": encode(record) if data is None else data}


def brief_rows(brief: Brief, encoded: Sequence[tuple[object, Any]] = ()) -> dict[str, list[Row]]:
    """Every row of the brief tables, by table name, ``pos`` numbered.

    ``encoded`` pairs records with data ``encode`` made of them before (the
    stored pair comparisons): those of them in the brief are not encoded again."""
    known = {id(record): data for record, data in encoded}  # ``encoded`` keeps them alive
    rows: dict[str, list[Row]] = defaultdict(list)
    rows["brief_article"] = _numbered({"article_id": a.id} for a in brief.articles)
    for field, (table, columns) in SIMPLE.items():
        rows[table] = _numbered(
            record_row(r, columns, known.get(id(r))) for r in getattr(brief, field)
        )
    for pos, story in enumerate(brief.stories):
        data = encode(story)
        del data["article_ids"]
        rows["story"].append({"pos": pos, "id": story.id, "title": story.title, "data": data})
        rows["story_article"] += _numbered(
            {"story_pos": pos, "article_id": a} for a in story.article_ids
        )
    for pos, claim in enumerate(brief.claims):
        _claim_rows(rows, pos, claim)
    rows["reuse_data"] = content_addressed(rows["reuse"])
    for field in fields(Brief):
        if field.name not in SPECIAL and field.name not in SIMPLE:
            rows["brief_part"].append(
                {"field": field.name, "data": encode(getattr(brief, field.name))}
            )
    return rows


def data_key(text: str) -> str:
    """The key a record's JSON text is stored under (a digest of the text)."""
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def content_addressed(rows: list[Row]) -> list[Row]:
    """Replace the ``data`` of each row by a ``data_key``; return the distinct
    ``{"key", "data"}`` rows (``data`` as JSON text) the keys name."""
    found: dict[str, JSONText] = {}
    for row in rows:
        text = json_text(row.pop("data"))
        row["data_key"] = key = data_key(text)
        found.setdefault(key, text)
    return [{"key": key, "data": text} for key, text in found.items()]


def _numbered(rows: Iterable[Row]) -> list[Row]:
    return [{"pos": pos, **row} for pos, row in enumerate(rows)]


def _claim_rows(rows: dict[str, list[Row]], pos: int, claim: Claim) -> None:
    data = encode(claim)
    for field in CLAIM_PARTS:
        del data[field]
    columns = _columns(claim, ("id", "story_id", "statement", "independent_count"))
    rows["claim"].append({"pos": pos, **columns, "data": data})
    for field, (table, names) in CLAIM_PARTS.items():
        rows[table] += _numbered(
            {"claim_pos": pos, **record_row(part, names)} for part in getattr(claim, field)
        )


def brief_from_rows(
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    articles: Mapping[str, Article],
    sentences: Mapping[str, Sequence[Sentence]],
) -> Brief:
    """Rebuild a brief from its rows (each table's rows in ``pos`` order)."""
    hints = {f.name: f.type for f in fields(Brief)}
    ids = [r["article_id"] for r in rows["brief_article"]]
    values: dict[str, Any] = {
        "articles": tuple(articles[i] for i in ids),
        "sentences": tuple(s for i in ids for s in sentences.get(i, ())),
        "stories": tuple(stories_from_rows(rows)),
        "claims": tuple(_claims(rows)),
    }
    for field, (table, _columns) in SIMPLE.items():
        values[field] = _decoded(Brief, field, [r["data"] for r in rows[table]])
    for row in rows["brief_part"]:
        if row["field"] in hints:
            values[row["field"]] = _decoded(Brief, row["field"], row["data"])
    return Brief(**values)


def _decoded(cls: type, field: str, data: Any) -> Any:
    """``data`` decoded as the value of ``cls.field``."""
    return decode(type_hints(cls)[field], data)


def _children(rows: Iterable[Mapping[str, Any]], key: str) -> dict[int, list[Mapping[str, Any]]]:
    children: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        children[row[key]].append(row)
    return children


def stories_from_rows(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Iterator[Story]:
    """The stories of ``story`` and ``story_article`` rows (in story order)."""
    members = _children(rows["story_article"], "story_pos")
    for row in rows["story"]:
        data = dict(row["data"]) | {"article_ids": [m["article_id"] for m in members[row["pos"]]]}
        story: Story = decode(Story, data)
        yield story


def _claims(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Iterator[Claim]:
    parts = {
        field: _children(rows[table], "claim_pos") for field, (table, _) in CLAIM_PARTS.items()
    }
    for row in rows["claim"]:
        data = dict(row["data"])
        for field in CLAIM_PARTS:
            data[field] = [part["data"] for part in parts[field][row["pos"]]]
        claim: Claim = decode(Claim, data)
        yield claim
