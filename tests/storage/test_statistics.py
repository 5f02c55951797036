"""The planner's statistics are kept current by Staffroom itself where autovacuum does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from staffroom.bootstrap import Staffroom
from staffroom.runtime import make_scheduler
from storage.models.kernel import WorkspaceRow
from storage.models.members import MemberRow
from storage.statistics import refresh_statistics
from tests.conftest import START

pytestmark = pytest.mark.postgres  # the repositories' SQL, held to one contract on both databases


def analysed(app: Staffroom, table: str) -> bool:
    with app.engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT coalesce(last_analyze, last_autoanalyze) IS NOT NULL "
                    "FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = :t"
                ),
                {"t": table},
            ).scalar()
        )


def add_members(app: Staffroom, count: int) -> None:
    with app.engine.begin() as conn:
        ws = conn.execute(
            insert(WorkspaceRow).values(
                platform="console", external_id="stats", name="Stats", created_at=START
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(MemberRow),
            [
                {
                    "workspace_id": ws,
                    "platform_user_id": f"u{i}",
                    "display_name": f"Teacher {i}",
                    "timezone": "Europe/London",
                    "created_at": START,
                    "updated_at": START,
                }
                for i in range(count)
            ],
        )


def test_a_table_changed_past_the_threshold_is_analysed_once(app: Staffroom) -> None:
    if app.engine.dialect.name != "postgresql":
        assert refresh_statistics(app.engine) == []  # SQLite plans on its heuristics
        return
    add_members(app, 500)
    with app.engine.connect() as conn:  # the statistics collector sees a write after it is flushed
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
    assert "members" in refresh_statistics(app.engine)
    assert analysed(app, "members")
    assert "members" not in refresh_statistics(app.engine)  # nothing changed since


def test_the_upkeep_runs_with_the_scheduler(app: Staffroom) -> None:
    name = "storage.statistics"
    scheduler = make_scheduler(app)
    assert scheduler.jobs[name].every == timedelta(minutes=15)
    scheduler.run_job(name)
    assert scheduler.runs[name] == 1 and scheduler.failures[name] == 0
