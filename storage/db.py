"""Engines and sessions, tuned per database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.kernel.settings import SettingsError, without_password

POOL_BESIDE_DELIVERY = 5
"""Connections a server's pool keeps beside one per delivery thread: the web requests, the
scheduler's jobs and a health check."""


def make_engine(url: str, *, delivery_threads: int = 0, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL and foreign keys so it behaves like a real server.

    On PostgreSQL the pool keeps a connection for each of ``delivery_threads`` as well as
    ``POOL_BESIDE_DELIVERY``: past the pool's size a connection is opened for one checkout and
    closed after it, and a fan-out whose threads each check out a connection several times a
    message would otherwise open (and the server fork) a connection per message.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise SettingsError("DATABASE_URL", f"is malformed ({redacted(url)})") from None
    if parsed.get_backend_name() != "sqlite" and delivery_threads:
        kwargs.setdefault("pool_size", delivery_threads + POOL_BESIDE_DELIVERY)
    try:
        return _engine(parsed, kwargs)
    except NoSuchModuleError:
        raise SettingsError(
            "DATABASE_URL",
            f"names a database Staffroom cannot use ({redacted(url)}); "
            "use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB",
        ) from None


def redacted(url: str) -> str:
    """The URL without its password, fit for a log line or an error message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return without_password(url)


@contextmanager
def reaching(engine: Engine) -> Iterator[None]:
    """Turns "the database is not there" into one line naming the setting, instead of a traceback."""
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        url = engine.url.render_as_string(hide_password=True)
        raise SettingsError("DATABASE_URL", f"cannot be reached ({url}): {reason}") from None


def _engine(parsed: Any, kwargs: dict[str, Any]) -> Engine:
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(parsed, **kwargs)
        _tune_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_S = 1.0
"""A pooled connection back in use after this long is tried with a round trip before it is given."""


def _ping_when_idle(engine: Engine) -> None:
    """Try a pooled connection before use only when it has sat idle: as ``pool_pre_ping``, for the
    connections a restart or a failover may have dropped, without its round trip on every checkout.

    A delivery thread checks out a connection several times a message, and pinging each one was a
    fifth of a fan-out's time. A connection used within the last second is given as it is: if the
    server dropped it meanwhile, the first statement on it fails, SQLAlchemy then drops every
    connection the pool held from before (a disconnect invalidates the pool), and the callers that
    send (claims, records, rate budgets) try again on a fresh one.
    """
    from time import monotonic

    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info["staffroom_idle_since"] = monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["staffroom_idle_since"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _given(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("staffroom_idle_since", 0.0)
        if monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as exc:  # any failure: the pool opens a new connection instead
            raise DisconnectionError() from exc


READ_ONLY = "staffroom_read_only"
"""An execution option: the connection's transactions only read (``read_only_engine``)."""


def read_only_engine(engine: Engine) -> Engine:
    """``engine`` for transactions that only read: on SQLite they begin without taking the write
    lock, so they run beside a writer's transaction instead of queueing behind it."""
    return engine.execution_options(**{READ_ONLY: True})


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy own transactions, so BEGIN IMMEDIATE below is ours and not pysqlite's guess.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's own lower() folds ASCII only, so "École" would not find "école" as it does on
        # PostgreSQL: every case-insensitive lookup (members, programs) uses Python's instead.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            # A reader needs a snapshot, not the lock: it reads beside a writer (WAL).
            conn.exec_driver_sql("BEGIN DEFERRED")
            return
        # Take the write lock up front: two writers then queue instead of failing on lock upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from storage.repositories.checkin_wakeups import wake_on_schedule_changes

    sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
    wake_on_schedule_changes(sessions)
    return sessions
