"""Shared fixtures: a real database per test (SQLite always; PostgreSQL too when configured).

Set STAFFROOM_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every
database test a second time on PostgreSQL. Migrating costs seconds and emptying tables milliseconds, so
each test process (each xdist worker) migrates one schema of its own once, and every test finds it as
freshly migrated: its tables emptied and sequences restarted after each test.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from graphlib import TopologicalSorter
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform
from bot.kernel.settings import Settings
from staffroom.bootstrap import Staffroom, build
from storage.db import make_engine
from storage.migrate import upgrade

PG_URL = os.environ.get("STAFFROOM_TEST_POSTGRES_URL", "").strip()
DATABASES = ["sqlite", "postgres"] if PG_URL else ["sqlite"]
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def pytest_report_header() -> str:
    return f"staffroom databases: {', '.join(DATABASES)}" + (
        "" if PG_URL else " (set STAFFROOM_TEST_POSTGRES_URL to add PostgreSQL)"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once, copy per test: every test starts from the real migrated schema, fast."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


class PostgresSchema:
    """One migrated schema for this test process, handed to test after test as if new.

    A reset deletes rows and rewinds sequences rather than TRUNCATE: truncating thirty mostly empty
    tables replaces thirty sets of files and takes over a second; deleting the few rows a test wrote
    takes milliseconds.
    """

    def __init__(self, admin: Engine, name: str) -> None:
        self.admin = admin
        self.name = name
        separator = "&" if "?" in PG_URL else "?"
        # The application name lets a reset find connections a test left behind, and only those.
        self.url = f"{PG_URL}{separator}options=-csearch_path%3D{name}&application_name={name}"
        engine = make_engine(self.url)
        upgrade(engine)
        engine.dispose()
        with admin.connect() as conn:
            self.migrated_tables = self._tables(conn)
            self.delete_order = self._children_first(conn)
            filled = self._filled(conn)
        # Emptying every table is only "as freshly migrated" while migrations insert no rows.
        assert not filled, f"migrations left rows in {filled}; a reset would lose them"

    def _tables(self, conn: Connection) -> set[str]:
        rows = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": self.name}
        )
        return {row[0] for row in rows} - {"alembic_version"}

    def _children_first(self, conn: Connection) -> list[str]:
        """Our tables in an order that deletes every referencing row before the row it references."""
        edges = conn.execute(
            text(
                "SELECT child.relname, parent.relname FROM pg_constraint fk "
                "JOIN pg_class child ON child.oid = fk.conrelid "
                "JOIN pg_class parent ON parent.oid = fk.confrelid "
                "JOIN pg_namespace ns ON ns.oid = child.relnamespace "
                "WHERE fk.contype = 'f' AND ns.nspname = :s"
            ),
            {"s": self.name},
        )
        graph: dict[str, set[str]] = {table: set() for table in self.migrated_tables}
        for child, parent in edges:
            if child != parent:
                graph[parent].add(child)  # the parent waits until its children are emptied
        return list(TopologicalSorter(graph).static_order())

    def _filled(self, conn: Connection) -> list[str]:
        checks = " UNION ALL ".join(
            f'SELECT \'{t}\' WHERE EXISTS (SELECT 1 FROM "{self.name}"."{t}")'
            for t in sorted(self.migrated_tables)
        )
        return [row[0] for row in conn.execute(text(checks))]

    def reset(self) -> None:
        """Back to the migrated state: tables others created at run time dropped, ours emptied."""
        try:
            self._reset()
        except OperationalError:  # a lock held by a connection the test left open
            self._end_stray_connections()
            self._reset()

    def _reset(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '5s'"))
            for table in sorted(self._tables(conn) - self.migrated_tables):
                conn.execute(text(f'DROP TABLE "{self.name}"."{table}" CASCADE'))
            filled = set(self._filled(conn))
            for table in (t for t in self.delete_order if t in filled):
                conn.execute(text(f'DELETE FROM "{self.name}"."{table}"'))
            conn.execute(
                text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                    "FROM pg_sequences WHERE schemaname = :s AND last_value IS NOT NULL"
                ),
                {"s": self.name},
            )

    def _end_stray_connections(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )

    def drop(self) -> None:
        self._end_stray_connections()
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[PostgresSchema]:
    """This process's schema; named per xdist worker and per run, so parallel runs never meet."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"t_{worker}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    schema = PostgresSchema(admin, name)
    try:
        yield schema
    finally:
        schema.drop()
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_schema: PostgresSchema) -> Iterator[str]:
    """A freshly migrated PostgreSQL schema for one test."""
    try:
        yield postgres_schema.url
    finally:
        postgres_schema.reset()


@pytest.fixture(params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "staffroom.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[Staffroom]:
    staffroom = build(Settings(database_url=database_url), clock=clock)
    yield staffroom
    staffroom.engine.dispose()


@pytest.fixture
def engine(app: Staffroom) -> Engine:
    return app.engine


@pytest.fixture
def messenger() -> ConsoleMessenger:
    return ConsoleMessenger(quiet=True)


Person = Callable[..., ConsoleSession]


@pytest.fixture
def person(app: Staffroom, messenger: ConsoleMessenger) -> Person:
    """``person("Ana Lopez")``: a console session for someone, recording what they are shown."""
    worker = app.worker({Platform.CONSOLE: messenger}, worker_id="test")

    def make(
        name: str, *, workspace: str = "local", timezone: str | None = "Europe/London"
    ) -> ConsoleSession:
        shown: list[str] = []
        session = ConsoleSession(
            app.bot, name, workspace=workspace, timezone=timezone, worker=worker, write=shown.append
        )
        session.shown = shown  # type: ignore[attr-defined]
        return session

    return make


PROFILE = {
    "display_name": "Ana Lopez",
    "subjects": "Maths, Physics",
    "grade_bands": ["9-10"],
    "years_experience": "3",
    "school": "Hillcrest High",
    "timezone": "Europe/London",
    "goals": "Ask more open questions",
    "strengths": "",
}


def joined(session: ConsoleSession, **overrides: object) -> ConsoleSession:
    """Join through the real form, as a teacher would."""
    session.type("join")
    form = session.pending_form
    assert form is not None, "join should open the profile form"
    values = {**PROFILE, "display_name": session.name, **overrides}
    outcome = session.submit(form, values)  # type: ignore[arg-type]
    assert outcome.ok, outcome.replies
    return session


def fetch_all(app: Staffroom, model: type, *where: object) -> list:  # type: ignore[type-arg]
    """Rows as they are stored, read outside the core, detached for the test to inspect."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    with Session(app.engine) as session:
        rows = list(session.scalars(select(model).where(*where)))  # type: ignore[arg-type]
        session.expunge_all()
        return rows


def count(app: Staffroom, model: type, *where: object) -> int:
    return len(fetch_all(app, model, *where))
