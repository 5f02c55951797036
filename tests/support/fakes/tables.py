"""The in-memory database under the fakes: committed tables, and transactions that copy on write.

A transaction reads the committed rows until it first writes a table; then it works on its own copy
of that table, and ``commit`` applies only the rows it touched. So a rollback (or leaving a unit of
work without committing) really discards what was written, as it does in SQL, and two units of work
open at once (the dispatcher records a refused request's delivery id in a second one) do not undo
each other's rows.

Rows are stored as private copies and handed out as copies: a handler that changes a ``Member`` it
read and never calls ``save`` has changed nothing, exactly as with the SQL repositories.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Hashable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")


class IntegrityError(Exception):
    """A unique constraint refused a row: the fakes' stand-in for the database's IntegrityError."""


def utc(value: datetime | None) -> datetime | None:
    """What ``storage.types.UTCDateTime`` does: refuse naive times, give back aware UTC ones."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing to store a naive datetime: {value!r}")
    return value.astimezone(UTC)


def stored(item: T) -> T:
    """A private copy of a dataclass with every datetime in UTC, as a round trip through SQL gives."""
    item = copy.deepcopy(item)
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        return item
    times = {
        f.name: utc(getattr(item, f.name))
        for f in dataclasses.fields(item)
        if isinstance(getattr(item, f.name), datetime)
    }
    return dataclasses.replace(item, **times) if times else item


class InMemoryDatabase:
    """What every fake unit of work of one test shares: the committed rows and the id sequences.

    Ids come from sequences that a rollback does not rewind, as PostgreSQL's do.
    """

    def __init__(self) -> None:
        self.tables: dict[str, dict[Hashable, Any]] = {}
        self._sequences: dict[str, Iterator[int]] = {}

    def next_id(self, table: str) -> int:
        return next(self._sequences.setdefault(table, itertools.count(1)))

    def committed(self, table: str) -> list[Any]:
        """The committed rows of a table in key order, as copies: what a test may assert is stored."""
        rows = self.tables.get(table, {})
        return [copy.deepcopy(rows[key]) for key in sorted(rows, key=_sort_key)]

    def begin(self) -> Transaction:
        return Transaction(self)


def _sort_key(key: Hashable) -> tuple[str, Any]:
    return (type(key).__name__, key)


class Transaction:
    def __init__(self, db: InMemoryDatabase) -> None:
        self._db = db
        self._working: dict[str, dict[Hashable, Any]] = {}
        self._touched: dict[str, set[Hashable]] = {}

    def next_id(self, table: str) -> int:
        return self._db.next_id(table)

    def rows(self, table: str) -> dict[Hashable, Any]:
        """The table as this transaction sees it. Read only: write with ``put`` and ``delete``."""
        if table in self._working:
            return self._working[table]
        return self._db.tables.setdefault(table, {})

    def scan(self, table: str) -> list[Any]:
        """Every row, in key order (ids are keys, so this is insertion order for id-keyed tables)."""
        rows = self.rows(table)
        return [rows[key] for key in sorted(rows, key=_sort_key)]

    def get(self, table: str, key: Hashable) -> Any:
        return self.rows(table).get(key)

    def put(self, table: str, key: Hashable, row: Any) -> None:
        self._writable(table)[key] = row
        self._touched[table].add(key)

    def delete(self, table: str, key: Hashable) -> None:
        self._writable(table).pop(key, None)
        self._touched[table].add(key)

    def _writable(self, table: str) -> dict[Hashable, Any]:
        if table not in self._working:
            self._working[table] = dict(self._db.tables.setdefault(table, {}))
            self._touched[table] = set()
        return self._working[table]

    def commit(self) -> None:
        for table, keys in self._touched.items():
            committed = self._db.tables.setdefault(table, {})
            working = self._working[table]
            for key in keys:
                if key in working:
                    committed[key] = working[key]
                else:
                    committed.pop(key, None)
        self.rollback()

    def rollback(self) -> None:
        self._working = {}
        self._touched = {}
