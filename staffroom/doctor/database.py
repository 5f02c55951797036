"""Is the database there, and at the schema this code needs? Every other command refuses to start
otherwise, so this is usually the first thing to fix."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.kernel.settings import Settings, SettingsError
from staffroom.doctor.findings import Finding, fail, ok, one_line, skip

if TYPE_CHECKING:
    from sqlalchemy import Engine

REACH = "database"
SCHEMA = "database schema"
UNREACHABLE_FIX = (
    "start the database server, or correct DATABASE_URL (host, port, user, password, database name)"
)


def check_database(settings: Settings) -> tuple[list[Finding], Engine | None]:
    """The findings, and the engine when the schema is the one the code needs (later checks read it)."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import make_engine, redacted
    from storage.migrate import current_revision, head_revision, known_revision

    where = redacted(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
    except SettingsError as exc:
        return [
            fail(REACH, str(exc), "correct DATABASE_URL (see .env.example)"),
            _no_schema(),
        ], None
    missing = _missing_sqlite_file(engine)
    if missing is not None:
        # Connecting would create an empty file, and the doctor should change nothing.
        engine.dispose()
        return [
            fail(
                REACH,
                f"no SQLite file at {missing}",
                "run `staffroom db upgrade` (it creates the file)",
            ),
            _no_schema(),
        ], None
    try:
        current = current_revision(engine)
    except SettingsError as exc:  # `reaching` turns "not there" into one line naming the setting
        engine.dispose()
        return [fail(REACH, str(exc).removeprefix("Setting "), UNREACHABLE_FIX), _no_schema()], None
    except SQLAlchemyError as exc:
        engine.dispose()
        return [fail(REACH, f"{where}: {one_line(exc)}", UNREACHABLE_FIX), _no_schema()], None
    reached = ok(REACH, f"reachable at {where}")
    head = head_revision()
    if current == head:
        return [reached, ok(SCHEMA, f"at revision {head}, the one this code needs")], engine
    engine.dispose()
    if current is None:
        schema = fail(
            SCHEMA,
            f"no Staffroom tables yet (this code needs {head})",
            "run `staffroom db upgrade`",
        )
    elif known_revision(current):
        schema = fail(
            SCHEMA,
            f"at revision {current}, behind the {head} this code needs",
            "run `staffroom db upgrade`",
        )
    else:
        schema = fail(
            SCHEMA,
            f"at revision {current}, which this code does not know (newer code migrated it; this code needs {head})",
            "run the Staffroom version that migrated this database, or point DATABASE_URL at another",
        )
    return [reached, schema], None


def _no_schema() -> Finding:
    return skip(SCHEMA, "not checked: the database cannot be reached")


def _missing_sqlite_file(engine: Engine) -> Path | None:
    if engine.url.get_backend_name() != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name)
    return None if path.exists() else path
