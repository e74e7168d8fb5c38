"""The JSON Schema of the brief (the public JSON contract) and a validator for it."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every JSON brief validates against."""
    text = files("newstrace").joinpath("brief.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``document`` breaks the contract."""
    jsonschema.Draft202012Validator(load_schema()).validate(document)
