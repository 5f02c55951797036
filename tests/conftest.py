"""Shared fixtures: a real database per test (SQLite always; PostgreSQL too when configured).

Set STAFFROOM_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
database-specific tests a second time on PostgreSQL: those marked ``postgres`` (a module's
``pytestmark``), which reach SQL that differs between the two (the repository contracts, bulk writes,
search, figures, delivery's claims, the job store, text at its stored length). A story told through
the console or a platform adapter runs once, on SQLite: its SQL is the repositories', which the
contracts already hold to the same assertions on both databases.

Migrating costs seconds and emptying tables milliseconds, so
each test process (each xdist worker) migrates one SQLite file and one PostgreSQL schema of its own
once, and every test finds them as freshly migrated: their tables emptied and sequences restarted after
each test. Each database keeps one engine for the whole process, so a statement is compiled once per
process rather than once per test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform
from bot.kernel.settings import Settings

if TYPE_CHECKING:
    # Imported where used, so the unit tier (tests/unit) runs without loading SQLAlchemy at all.
    from sqlalchemy import Engine

    from adapters.console.messenger import ConsoleMessenger
    from adapters.console.session import ConsoleSession
    from staffroom.bootstrap import Staffroom
    from tests.support.postgres import PostgresSchema
    from tests.support.sqlite import SqliteDatabase

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
    from storage.db import make_engine
    from storage.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[PostgresSchema]:
    """This process's schema; named per xdist worker and per run, so parallel runs never meet."""
    from sqlalchemy import text

    from storage.db import make_engine
    from tests.support.postgres import PostgresSchema

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"t_{worker}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    schema = PostgresSchema(admin, name, PG_URL)
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


@pytest.fixture(scope="session")
def sqlite_database(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> SqliteDatabase:
    from tests.support.sqlite import SqliteDatabase

    return SqliteDatabase(sqlite_template, tmp_path_factory.mktemp("db") / "staffroom.db")


@pytest.fixture(scope="session")
def engines() -> Iterator[dict[str, Engine]]:
    """One engine per database URL for the whole process (see the module's docstring)."""
    made: dict[str, Engine] = {}
    yield made
    for engine in made.values():
        engine.dispose()


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, sqlite_database: SqliteDatabase) -> Iterator[str]:
    """This process's migrated SQLite file for one test, emptied afterwards."""
    try:
        yield sqlite_database.url
    finally:
        if not sqlite_database.reset():  # a connection left open: close them all, start afresh
            engines: dict[str, Engine] = request.getfixturevalue("engines")
            if sqlite_database.url in engines:
                engines.pop(sqlite_database.url).dispose()
            sqlite_database.replace()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that needs ``database_url`` runs on SQLite, and on PostgreSQL too if marked so."""
    if "database_url" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker("postgres") is not None
        metafunc.parametrize("database_url", DATABASES if marked else ["sqlite"], indirect=True)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """A freshly migrated database for one test: ``sqlite_url`` or ``postgres_url``."""
    return str(
        request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    )


def shared_engine(engines: dict[str, Engine], url: str) -> Engine:
    """The process's one engine for ``url`` (see the module's docstring)."""
    from storage.db import make_engine

    if url not in engines:
        engines[url] = make_engine(url)
    return engines[url]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(database_url: str, clock: ManualClock, engines: dict[str, Engine]) -> Staffroom:
    from staffroom.bootstrap import build

    engine = shared_engine(engines, database_url)
    return build(Settings(database_url=database_url), clock=clock, engine=engine)


@pytest.fixture
def engine(app: Staffroom) -> Engine:
    return app.engine


@pytest.fixture
def messenger() -> ConsoleMessenger:
    from adapters.console.messenger import ConsoleMessenger

    return ConsoleMessenger(quiet=True)


Person = Callable[..., "ConsoleSession"]


@pytest.fixture
def person(app: Staffroom, messenger: ConsoleMessenger) -> Person:
    """``person("Ana Lopez")``: a console session for someone, recording what they are shown."""
    from adapters.console.session import ConsoleSession

    worker = app.worker({Platform.CONSOLE: messenger}, worker_id="test")

    def make(
        name: str,
        *,
        workspace: str = "local",
        timezone: str | None = "Europe/London",
        language: str | None = None,
    ) -> ConsoleSession:
        shown: list[str] = []
        session = ConsoleSession(
            app.bot,
            name,
            workspace=workspace,
            timezone=timezone,
            language=language,
            worker=worker,
            write=shown.append,
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
