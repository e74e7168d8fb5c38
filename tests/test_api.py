"""The public API: exported names, the JSON contract and its schema."""

import json

import jsonschema
import pytest

import newstrace
from newstrace.schema import load_schema, validate

CONTRACT = {
    "articles": {"id", "source_path", "title", "outlet", "url", "published", "removed"},
    "reuse": {"source", "target", "kind", "score", "direction_confidence"},
    "stories": {"id", "articles"},
    "quotes": {"article", "start", "end", "text", "speaker", "speaker_kind"},
    "citations": {"article", "start", "end", "text", "outlet"},
    "claims": {"id", "statement", "mentions", "origins", "independent_count", "conflicts_with"},
    "flags": {"article", "kind", "start", "end", "text", "evidence"},
}


def test_public_names_are_pinned():
    import types

    public = {
        name
        for name, value in vars(newstrace).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public | {"__version__"} == set(newstrace.__all__)
    assert all(hasattr(newstrace, name) for name in newstrace.__all__)


def test_json_has_every_key_of_the_contract(example_brief):
    document = json.loads(example_brief.to_json())
    assert document["schema_version"] == "1"
    for section, keys in CONTRACT.items():
        assert document[section], section
        for item in document[section]:
            assert keys <= set(item), (section, keys - set(item))
    for claim in document["claims"]:
        for mention in claim["mentions"]:
            assert {"article", "start", "end", "text", "stance"} <= set(mention)
        for origin in claim["origins"]:
            assert {"kind", "name", "evidence"} <= set(origin)


def test_schema_rejects_documents_that_break_the_contract(example_brief):
    document = example_brief.to_dict()
    document["reuse"][0]["kind"] = "copied-ish"
    with pytest.raises(jsonschema.ValidationError):
        validate(document)
    document = example_brief.to_dict()
    del document["claims"][0]["independent_count"]
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_schema_is_published_with_the_package():
    schema = load_schema()
    assert schema["properties"]["schema_version"]["const"] == "1"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_records_are_frozen(example_brief):
    with pytest.raises(AttributeError):
        example_brief.articles[0].text = "changed"
