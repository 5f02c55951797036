"""Small SQL helpers that differ by dialect."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import JSON, Insert, Row, Table, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")


def insert_skipping_conflicts(session: Session, table: Table) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING``: a row a unique constraint already holds is skipped.

    This is how a retry becomes harmless: the second insert of the same key simply does nothing,
    with no exception to catch and no transaction to repair.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"unsupported database: {dialect}")  # pragma: no cover


def insert_ignoring_conflict(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert one row unless a unique constraint already holds one like it; True if inserted."""
    return insert_many_ignoring_conflicts(session, table, [values]) == 1


def insert_many_ignoring_conflicts(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert every row a unique constraint does not already hold, in one statement; how many were new.

    RETURNING, not rowcount: with implicit RETURNING, psycopg reports rowcount -1 either way, and
    SQLAlchemy batches many rows with RETURNING into multi-row INSERTs on both databases.
    """
    return len(inserted_rows(session, table, rows, table.primary_key.columns))


UNNEST_FROM = 20
"""From this many rows PostgreSQL gets one array a column instead of one placeholder a value."""


def inserted_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], returning: Iterable[Any]
) -> list[Row[Any]]:
    """Insert every row no unique constraint already holds; the ``returning`` columns of those new.

    On PostgreSQL many rows go as ``INSERT ... SELECT FROM unnest(...)``: a handful of array
    parameters instead of one placeholder a value, because psycopg parses a statement's placeholders
    in Python each time (200 check-ins of 11 columns spent more time there than in the database).
    Not for JSON columns: psycopg quotes each element of a text array, and a message's JSON is long
    enough that quoting it costs more than the placeholders do.
    """
    if not rows:
        return []
    columns = tuple(returning)
    if (
        len(rows) >= UNNEST_FROM
        and session.get_bind().dialect.name == "postgresql"
        and not any(isinstance(table.c[name].type, JSON) for name in rows[0])
    ):
        return _unnest_insert(session, table, rows, columns)
    stmt = insert_skipping_conflicts(session, table).returning(*columns)
    if len(rows) == 1:
        return list(session.execute(stmt.values(**rows[0])).all())
    return list(session.execute(stmt, list(rows)).all())


def _unnest_insert(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], returning: tuple[Any, ...]
) -> list[Row[Any]]:
    names = list(rows[0])
    arrays = [
        bindparam(f"c{i}", [row[name] for row in rows], type_=postgresql.ARRAY(table.c[name].type))
        for i, name in enumerate(names)
    ]
    values = (
        func.unnest(*arrays).table_valued(*(f"c{i}" for i in range(len(names)))).render_derived()
    )
    stmt = (
        postgresql.insert(table)
        .from_select(
            names,
            select(*(cast(values.c[f"c{i}"], table.c[n].type) for i, n in enumerate(names))),
        )
        .on_conflict_do_nothing()
        .returning(*returning)
    )
    return list(session.execute(stmt).all())


IN_LIST = 5000
"""Values in one ``IN (...)``: SQLite takes at most 32,766 parameters a statement."""


def chunks(values: Sequence[T], size: int = IN_LIST) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
