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
import types
import typing
from typing import Any, Literal, Union


def encode(value: Any) -> Any:
    """JSON-able data for a record, a tuple of them or a scalar."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    return value


def decode(hint: Any, data: Any) -> Any:
    """The value of type ``hint`` that ``encode`` turned into ``data``."""
    if data is None:
        return None
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = type_hints(hint)
        known = {k: v for k, v in data.items() if k in hints}
        return hint(**{k: decode(hints[k], v) for k, v in known.items()})
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return decode(options[0], data) if len(options) == 1 else data
    if origin is Literal or hint is Any:
        return data
    return data


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a record class's fields."""
    return typing.get_type_hints(cls)
