"""Connections the server dropped (a restart, a failover) while they sat in the pool are replaced
before use; a connection in constant use is not pinged on every checkout."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

import storage.db
from storage.db import make_engine


def _drop_its_connections(engine: Engine, admin_url: str) -> None:
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = make_engine(admin_url)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()


@pytest.fixture
def server_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to drop a connection")
    return database_url


@pytest.mark.postgres
def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_S", 0.0)  # every pooled connection is idle
    engine = make_engine(server_url)
    try:
        _drop_its_connections(engine, server_url)
        with engine.connect() as conn:  # a command after a failover: it just works
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_connection_just_used_is_given_without_a_ping(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the ping saves: without it, the first statement on a dropped connection fails (the
    callers that send try again), and the pool then holds only fresh connections."""
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_S", 3600.0)
    engine = make_engine(server_url)
    try:
        _drop_its_connections(engine, server_url)
        with pytest.raises(OperationalError), engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
