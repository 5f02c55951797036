"""Row <-> domain copying for the tables whose columns carry their domain type's field names.

A field list written out twice (once to read a row, once to write it) drifts: a column added to one
side is silently dropped by the other. Reading the names from the dataclass keeps both sides whole.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")

_NAMES: dict[type[Any], tuple[str, ...]] = {}


def field_names(cls: type[Any]) -> tuple[str, ...]:
    """The constructor's field names of a domain dataclass, in declaration order (read once)."""
    if cls not in _NAMES:
        _NAMES[cls] = tuple(f.name for f in fields(cls) if f.init)
    return _NAMES[cls]


def from_row(cls: type[T], row: Any, **given: Any) -> T:
    """``cls`` made from the row's attributes of the same names; ``given`` for those that differ."""
    values = {name: getattr(row, name) for name in field_names(cls) if name not in given}
    return cls(**values, **given)


def values_of(record: Any, *, leave_out: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    """A domain record's fields as column values for an insert, without those ``leave_out`` names."""
    return {
        name: getattr(record, name) for name in field_names(type(record)) if name not in leave_out
    }
