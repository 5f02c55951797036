"""Small SQL helpers that differ by dialect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


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
    if not rows:
        return 0
    stmt = insert_skipping_conflicts(session, table).returning(*table.primary_key.columns)
    if len(rows) == 1:
        return len(session.execute(stmt.values(**rows[0])).all())
    return len(session.execute(stmt, list(rows)).all())
