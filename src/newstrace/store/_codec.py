"""Generic JSON encoding of the record types, driven by their type hints.

``encode(record)`` turns a frozen dataclass (and the tuples, nested records
and scalars inside it) into JSON-able data; ``decode(cls, data)`` rebuilds it,
tuples included, so ``decode(type(r), encode(r)) == r``. Fields added to a
record later need no change here; fields missing from older data take the
record's defaults.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union

import msgspec
import msgspec.inspect


def encode(value: Any) -> Any:
    """JSON-able data for a record, a tuple of them or a scalar."""
    return _encoder(type(value))(value)


def decode(hint: Any, data: Any) -> Any:
    """The value of type ``hint`` that ``encode`` turned into ``data``."""
    return _fast_decoder(hint)(data)


class JSONText(str):
    """``encode``'s data as JSON text, written to a store's JSON column as it is."""


def json_text(value: Any) -> JSONText:
    """``value`` (``encode``'s data) as JSON text; JSON text stays as it is.
    (msgspec: several times faster than ``json.dumps``.)"""
    if isinstance(value, JSONText):
        return value
    return JSONText(msgspec.json.encode(value).decode())


def decode_json(hint: Any, text: str) -> Any:
    """The value of type ``hint`` in JSON ``text`` (``encode``'s data, serialised):
    parsed and built in one pass by msgspec, else as ``decode`` does."""
    return _json_decoder(hint)(text)


@functools.cache
def _json_decoder(hint: Any) -> Callable[[str], Any]:
    generic = _decoder(hint)  # msgspec refused the type or the data: no second try
    try:
        typed = msgspec.json.Decoder(hint)
    except TypeError:  # a type msgspec cannot build
        return lambda text: generic(json.loads(text))

    def decode_text(text: str) -> Any:
        try:
            return typed.decode(str(text))  # exactly a str, not a subclass
        except msgspec.DecodeError:  # data of another shape, or NaN
            return generic(json.loads(text))

    return decode_text


def _same(data: Any) -> Any:
    return data


@functools.cache
def _encoder(cls: type) -> Callable[[Any], Any]:
    """An encoder for values of class ``cls``; a record's is made from its
    fields' type hints once, so a scalar field costs no look at its value."""
    if dataclasses.is_dataclass(cls):
        hints = type_hints(cls)
        fields = tuple((f.name, _field_encoder(hints[f.name])) for f in dataclasses.fields(cls))
        return lambda value: {name: field(getattr(value, name)) for name, field in fields}
    if issubclass(cls, tuple | list):
        return lambda value: [encode(v) for v in value]
    return _same


@functools.cache
def _field_encoder(hint: Any) -> Callable[[Any], Any]:
    """An encoder for a field of type ``hint`` (``encode`` itself where the hint
    does not fix the type)."""
    if hint in (str, int, float, bool) or typing.get_origin(hint) is Literal:
        return _same
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _encoder(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _field_encoder(args[0])
            return list if item is _same else lambda value: [item(v) for v in value]
        items = tuple(_field_encoder(a) for a in args)
        if all(item is _same for item in items):
            return list
        return lambda value: [f(v) for f, v in zip(items, value, strict=True)]
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            inner = _field_encoder(options[0])
            return inner if inner is _same else lambda v: None if v is None else inner(v)
    return encode


@functools.cache
def _fast_decoder(hint: Any) -> Callable[[Any], Any]:
    """msgspec's ``convert`` (records built in C, several times faster), with
    ``_decoder`` for data it refuses: a value outside a ``Literal`` or of
    another type, as data written by an older version may hold."""
    generic = _decoder(hint)
    try:
        msgspec.inspect.type_info(hint)
    except TypeError:  # a type msgspec cannot build
        return generic

    def decode_fast(data: Any) -> Any:
        try:
            return msgspec.convert(data, hint)
        except msgspec.ValidationError:
            return generic(data)

    return decode_fast


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function decoding ``encode``'s data of type ``hint`` (made once per type:
    the type is looked at here, not for every value)."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        record: type = hint
        fields = {k: _decoder(v) for k, v in type_hints(record).items()}

        def decode_record(data: Any) -> Any:
            if data is None:
                return None
            return record(**{k: fields[k](v) for k, v in data.items() if k in fields})

        return decode_record
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if item is _same:
                return lambda data: None if data is None else tuple(data)
            return lambda data: None if data is None else tuple(map(item, data))
        items = tuple(_decoder(a) for a in args)
        return lambda data: (
            None if data is None else tuple(f(v) for f, v in zip(items, data, strict=True))
        )
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decoder(options[0]) if len(options) == 1 else _same
    return _same


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a record class's fields."""
    return typing.get_type_hints(cls)
