"""The hot per-member look-ups use an index on SQLite, which never has ANALYZE statistics here: a plan
that scans would grow with the workspace, not with the work."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from staffroom.bootstrap import Staffroom
from storage.models.checkins import FALLING, CheckinRow
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow

pytestmark = pytest.mark.postgres  # the repositories' SQL, held to one contract on both databases

HOT = {
    "a member's programs": (
        select(MembershipRow).where(MembershipRow.workspace_id == 1, MembershipRow.member_id == 2),
        "ix_memberships_workspace_member",
    ),
    "a member by platform user id": (
        select(MemberRow).where(MemberRow.workspace_id == 1, MemberRow.platform_user_id == "U1"),
        "(workspace_id=? AND platform_user_id=?)",  # the unique constraint's own index
    ),
    "a program's check-ins in a few weeks": (
        select(CheckinRow).where(
            CheckinRow.workspace_id == 1,
            CheckinRow.program_id == 2,
            CheckinRow.week.in_(["2026-W47", "2026-W48"]),
        ),
        "ix_checkins_digest",
    ),
    "a program's falling answers in a few weeks": (
        select(CheckinRow.member_id).where(
            CheckinRow.workspace_id == 1,
            CheckinRow.program_id == 2,
            CheckinRow.week.in_(["2026-W47", "2026-W48"]),
            FALLING,  # the partial index's own words
        ),
        "ix_checkins_falling",
    ),
}


@pytest.mark.parametrize("name", sorted(HOT))
def test_hot_lookups_use_their_index_on_sqlite(app: Staffroom, name: str) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics; SQLite has none to choose by")
    query, searched = HOT[name]
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with app.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert searched in plan and "SCAN" not in plan, plan
