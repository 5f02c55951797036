"""``bot.digest.ports.ReadsAlongside`` on a thread pool: each read gets a session of its own on a
read-only connection (``storage.db.read_only_engine``), bound to one workspace, and is rolled back
when done (it never writes)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.digest.ports import DigestQueries
from storage.db import read_only_engine
from storage.repositories.digest import SqlDigestQueries

T = TypeVar("T")

THREADS = 4
"""Reads in flight at once, across every request the server is answering."""


class SqlReadsAlongside:
    def __init__(self, engine: Engine, threads: int = THREADS) -> None:
        self._sessions = sessionmaker(bind=read_only_engine(engine), expire_on_commit=False)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="digest-reads")

    def submit(self, workspace_id: int, read: Callable[[DigestQueries], T]) -> Future[T]:
        return self._pool.submit(self._read, workspace_id, read)

    def _read(self, workspace_id: int, read: Callable[[DigestQueries], T]) -> T:
        session: Session = self._sessions()
        try:
            return read(SqlDigestQueries(session, workspace_id))
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def reads_alongside(engine: Engine) -> SqlReadsAlongside | None:
    """Reads alongside for ``engine``, or None where a second connection would not see the same
    database: an in-memory SQLite database belongs to the connection that made it."""
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return None
    return SqlReadsAlongside(engine)
