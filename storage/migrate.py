"""Alembic, driven from code: ``staffroom db upgrade`` and the start-up check that refuses an old schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Engine

from storage.db import reaching

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseBehind(Exception):
    """The database's schema is older than the code; the message says what to run."""


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with reaching(engine):
        command.upgrade(alembic_config(engine), revision)


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    """Whether this code's migrations include ``revision``: a database that newer code migrated is
    not "behind", and ``db upgrade`` cannot help it."""
    try:
        return _scripts().get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def current_revision(engine: Engine) -> str | None:
    with reaching(engine), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_current(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision()
    if current != head:
        where = "has no Staffroom tables yet" if current is None else f"is at revision {current}"
        raise DatabaseBehind(
            f"The database {where}; this version needs {head}. Run: staffroom db upgrade"
        )
