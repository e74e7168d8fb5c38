"""The API reference page at ``/docs``, read from the app's own OpenAPI document.

Swagger UI and ReDoc load their code from a CDN; this page needs nothing
but the server: every operation (method, path, parameters, body, responses)
and every schema of ``app.openapi()`` as plain HTML, with the types linked
to their schemas. The machine-readable document stays at ``/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type as shown: its text and, for a named schema, the schema's anchor."""

    text: str
    schema: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    name: str
    where: str  # "path", "query", "body" or "" for a schema property
    types: list[TypeRef]
    required: bool
    description: str
    default: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    status: str
    description: str
    types: list[TypeRef]


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    fields: list[Field]
    body: str  # the body's media type, if any
    responses: list[Response]


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    name: str
    description: str
    fields: list[Field]


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    title: str
    summary: str
    version: str
    groups: list[tuple[str, list[Operation]]]
    models: list[Model]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def types_of(schema: dict[str, Any]) -> list[TypeRef]:
    """``[TypeRef("list of"), TypeRef("JobInfo", "JobInfo")]`` and the like, for one schema."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return [TypeRef(name, name)]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            out: list[TypeRef] = []
            for i, option in enumerate(schema[key]):
                if i:
                    out.append(TypeRef(" or "))
                out += types_of(option)
            return out
    kind = schema.get("type", "")
    if kind == "array":
        return [TypeRef("list of "), *types_of(schema.get("items", {}))]
    if kind == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        value = types_of(extra) if isinstance(extra, dict) else [TypeRef("any")]
        return [TypeRef("object of "), *value]
    if kind == "string" and (schema.get("format") == "binary" or "contentMediaType" in schema):
        return [TypeRef("file")]
    return [TypeRef(str(kind or "any"))]


def _field(name: str, where: str, schema: dict[str, Any], required: bool, doc: str) -> Field:
    default = schema.get("default")
    return Field(
        name=name,
        where=where,
        types=types_of(schema),
        required=required,
        description=doc or schema.get("description", ""),
        default="" if default is None else repr(default),
    )


def _operation(method: str, path: str, spec: dict[str, Any], schemas: dict[str, Any]) -> Operation:
    fields = [
        _field(
            p["name"],
            p.get("in", ""),
            p.get("schema", {}),
            bool(p.get("required")),
            p.get("description", ""),
        )
        for p in spec.get("parameters", [])
    ]
    body = ""
    for media, content in spec.get("requestBody", {}).get("content", {}).items():
        body = media
        schema = content.get("schema", {})
        target = schemas.get(_ref_name(schema.get("$ref", "")), {})
        if target and "Body_" in schema.get("$ref", ""):  # FastAPI's form bodies: list the parts
            required = set(target.get("required", []))
            for name, prop in target.get("properties", {}).items():
                fields.append(_field(name, "body", prop, name in required, ""))
        else:
            fields.append(_field("body", "body", schema, True, ""))
    responses = [
        Response(
            status=status,
            description=answer.get("description", ""),
            types=types_of(answer.get("content", {}).get("application/json", {}).get("schema", {}))
            if answer.get("content")
            else [],
        )
        for status, answer in spec.get("responses", {}).items()
    ]
    return Operation(
        method=method.upper(),
        path=path,
        anchor=spec.get("operationId", f"{method}-{path}"),
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        fields=fields,
        body=body,
        responses=responses,
    )


def api_reference(openapi: dict[str, Any]) -> Reference:
    """The page's content: operations grouped by tag (in first-seen order) and the schemas."""
    schemas = openapi.get("components", {}).get("schemas", {})
    groups: dict[str, list[Operation]] = {}
    for path, item in openapi.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                tag = (item[method].get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(_operation(method, path, item[method], schemas))
    models = [
        Model(
            name=name,
            description=schema.get("description", ""),
            fields=[
                _field(field, "", prop, field in set(schema.get("required", [])), "")
                for field, prop in schema.get("properties", {}).items()
            ],
        )
        for name, schema in sorted(schemas.items())
        if not name.startswith("Body_")
    ]
    info = openapi.get("info", {})
    return Reference(
        title=info.get("title", ""),
        summary=info.get("summary", info.get("description", "")),
        version=info.get("version", ""),
        groups=list(groups.items()),
        models=models,
    )
