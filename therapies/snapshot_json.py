"""Frozen snapshot dataclasses to and from plain JSON, so a release can keep them.

A published release stores the whole catalog, one snapshot per language, as
JSON; the patient pages read it back into the same frozen dataclasses the
working copy is built into (snapshot.py). The conversion follows each
dataclass's type hints, so a field added to a snapshot class needs no code
here: a release published before the field existed reads back with the
field's default. A type of its own (the catalog's `Text`) converts itself
with `to_json()` and `from_json()`.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import types
import typing

# Set when a release is read back, never stored in it.
NOT_STORED = frozenset({"version", "release", "released_at"})


class SnapshotFormatError(ValueError):
    """A stored snapshot that cannot be read back into the snapshot classes."""


def to_json(value):
    """`value` (a snapshot dataclass, or anything inside one) as JSON data."""
    if hasattr(value, "to_json"):
        return value.to_json()
    if dataclasses.is_dataclass(value):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in NOT_STORED
        }
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        # Pairs, not an object: PostgreSQL's jsonb does not keep the order of
        # an object's keys, and the catalog's dicts are in display order.
        return [[key, to_json(item)] for key, item in value.items()]
    return value


def catalog_from_json(cls, data: dict, **not_stored):
    """The snapshot of class `cls` stored as `data`; `not_stored` sets the
    fields a release does not keep (version, release, released_at)."""
    return dataclasses.replace(_from_json(cls, data), **not_stored)


@functools.cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _from_json(hint, value):
    if value is None or hint is None:
        return value
    if hasattr(hint, "from_json"):
        return hint.from_json(value)
    if hint is datetime.date:
        return datetime.date.fromisoformat(value)
    if hint is str and isinstance(value, list):
        # Releases published before 2026-12-05 keep a price's product name as
        # a translated text's [text, english_only] pair; it is a plain name.
        return value[0]
    if dataclasses.is_dataclass(hint):
        return _dataclass(hint, value)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        return tuple(_from_json(args[0], item) for item in value)
    if hint is dict or origin is dict:
        item_hint = args[1] if args else None
        return {key: _from_json(item_hint, item) for key, item in value}
    if origin in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in args if arg is not type(None))
        return _from_json(inner, value)
    return value


def _dataclass(cls, value: dict):
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in value:
            values[f.name] = _from_json(hints[f.name], value[f.name])
        elif f.name in NOT_STORED:
            values[f.name] = None
        elif (
            f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ):
            raise SnapshotFormatError(f"{cls.__name__}: {f.name} is missing")
    return cls(**values)
