"""Small SQL helpers that differ by dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflict(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless a unique constraint already holds one like it; True if inserted.

    This is how a retry becomes harmless: the second insert of the same key simply does nothing,
    with no exception to catch and no transaction to repair.
    """
    dialect = session.get_bind().dialect.name
    stmt: Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"unsupported database: {dialect}")
    # RETURNING, not rowcount: with implicit RETURNING, psycopg reports rowcount -1 either way.
    returned = session.execute(stmt.returning(*table.primary_key.columns)).first()
    return returned is not None
