"""Connections for work that is one statement, kept apart from ``storage.db`` (which builds
engines) so the repositories the adapters are given can use them."""

from __future__ import annotations

from sqlalchemy import Engine


def single_statements(engine: Engine) -> Engine:
    """``engine`` for work that is one statement (a delivery's record, a look at a rate budget):
    on PostgreSQL each statement commits on its own (autocommit), which is just as atomic and saves
    the BEGIN and COMMIT round trips, two of the four such a statement made after every send. On
    SQLite, where a transaction costs no round trip, ``engine`` itself."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")
