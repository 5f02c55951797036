"""The migrations are the schema: they must agree with the models, and start-up must notice when behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from bot.kernel.settings import Settings
from staffroom.bootstrap import build
from storage.db import make_engine
from storage.migrate import DatabaseBehind, current_revision, ensure_current, head_revision
from storage.models.base import Base
from storage.repositories.resources_search import (
    FTS_TABLE,
    PG_VECTOR_COLUMN,
    PG_VECTOR_INDEX,
)
from storage.repositories.resources_search import include_name as search_include_name

pytestmark = pytest.mark.postgres  # the repositories' SQL, held to one contract on both databases

NOT_OURS = frozenset({"apscheduler_jobs"})
"""Tables other libraries create for themselves (APScheduler's job store), not in our migrations."""


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    if type_ == "table" and name in NOT_OURS:
        return False
    return search_include_name(name, type_, _parents)  # resources: search index


def test_migrations_produce_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_migrations_build_the_search_index_the_models_leave_out(engine: Engine) -> None:
    """The one-dialect objects are hidden from the comparison above, so check them by name."""
    schema = inspect(engine)
    if engine.dialect.name == "sqlite":
        assert FTS_TABLE in schema.get_table_names()
        with engine.connect() as connection:
            triggers = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'resource_search'"
            ).scalars()
            assert sorted(triggers) == [
                "resource_search_fts_delete",
                "resource_search_fts_insert",
                "resource_search_fts_update",
            ]
    else:
        columns = {c["name"]: c for c in schema.get_columns("resource_search")}
        assert "tsvector" in str(columns[PG_VECTOR_COLUMN]["type"]).lower()
        assert PG_VECTOR_INDEX in {i["name"] for i in schema.get_indexes("resource_search")}
    assert "apscheduler_jobs" not in schema.get_table_names()


def test_start_up_refuses_a_database_that_is_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(DatabaseBehind, match="Run: staffroom db upgrade"):
        ensure_current(make_engine(url))
    with pytest.raises(DatabaseBehind):
        build(Settings(database_url=url))
