"""Alembic environment: the engine is handed in by ``storage.migrate``, never read from a file."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Engine

from storage.models.base import Base
from storage.repositories.resources_search import include_name as search_include_name

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - alembic's own CLI is not the entry point
    from bot.kernel.settings import load_settings
    from storage.db import make_engine

    engine = make_engine(load_settings().database_url)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write our UTC-enforcing column type as the plain SQL type it stores as."""
    if type_ == "type" and obj.__class__.__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


# APScheduler creates and owns its job table itself.
NOT_OURS = frozenset({"apscheduler_jobs"})


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Leave tables other libraries own (APScheduler's job store) out of autogenerate."""
    if type_ == "table" and name in NOT_OURS:
        return False
    # resources: the search index's one-dialect objects (FTS5 tables, the tsvector column).
    return search_include_name(name, type_, _parents)


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
