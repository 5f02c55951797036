"""A PostgreSQL search changes the planner's settings for its own statements only: whatever the
transaction had set before (its own or the session's) is what it has after, search after search."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.kernel.domain import Member, Platform
from bot.resources.model import Resource, ResourceQuery
from staffroom.bootstrap import Staffroom

pytestmark = pytest.mark.postgres

SETTINGS = (
    "enable_seqscan",
    "enable_bitmapscan",
    "enable_indexscan",
    "max_parallel_workers_per_gather",
    "plan_cache_mode",
)


def test_a_search_puts_back_the_settings_it_found(app: Staffroom) -> None:
    if app.engine.dialect.name != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        repos = uow.scope(ws.id)
        ana = repos.members.add(
            Member(workspace_id=ws.id, platform_user_id="U-A", display_name="A")
        )
        assert ana.id is not None
        repos.resources.add_many(
            [
                Resource(
                    workspace_id=ws.id,
                    title=f"Questioning {i}",
                    url=f"https://example.org/{i}",
                    normalized_url=f"example.org/{i}",
                    note="Wait time and cold calling",
                    tags=["questioning"],
                )
                for i in range(3)
            ],
            ana.id,
            now,
        )
        uow.commit()
    with app.uow_factory() as uow:
        repos = uow.scope(ws.id)
        session = uow.session  # type: ignore[attr-defined]
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 3"))
        names = ", ".join(f"current_setting('{n}')" for n in SETTINGS)
        found = session.execute(text(f"SELECT {names}")).one()
        for terms in (("question",), ("question", "wait"), ()):
            hits = repos.resources.search(ResourceQuery(terms=terms))
            assert len(hits) == 3
            assert session.execute(text(f"SELECT {names}")).one() == found
        assert found[3] == "3"
