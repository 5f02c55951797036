"""Home finds a member's pairing in a round by the member's own rows, never by walking the round: in a
district's program a round holds thousands of pairings."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from bot.kernel.domain import Platform
from staffroom.bootstrap import Staffroom

pytestmark = pytest.mark.postgres


def test_a_members_pairing_goes_by_the_member_on_sqlite(app: Staffroom) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics; SQLite has none to choose by")
    captured: list[tuple[str, object]] = []

    def note(_conn, _cursor, sql, params, *_args) -> None:  # type: ignore[no-untyped-def]
        captured.append((sql, params))

    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        repos = uow.scope(ws.id)
        event.listen(app.engine, "before_cursor_execute", note)
        try:
            assert repos.pairing.pairing_of(1, 1) is None
        finally:
            event.remove(app.engine, "before_cursor_execute", note)
    assert len(captured) == 1
    sql, params = captured[0]
    with app.engine.connect() as conn:
        plan = [str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert not [line for line in plan if line.startswith("SCAN")], plan
    assert not [line for line in plan if "round_id=?" in line], plan
