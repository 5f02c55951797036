"""A member's observation requests, asked for and given, read in one statement: both sides, only the
statuses asked for, in lesson order, each side by its own index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.kernel.domain import Member, Platform
from bot.observations.model import ObservationRequest, RequestStatus
from staffroom.bootstrap import Staffroom

pytestmark = pytest.mark.postgres

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_both_sides_in_lesson_order_and_only_the_statuses_asked(app: Staffroom) -> None:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        repos = uow.scope(ws.id)
        ana, ben, cy = (
            repos.members.add(Member(workspace_id=ws.id, platform_user_id=u, display_name=n))
            for u, n in (("U-ANA", "Ana"), ("U-BEN", "Ben"), ("U-CY", "Cy"))
        )
        assert ana.id and ben.id and cy.id

        def lesson(day: int, asker: int, observer: int | None, status: RequestStatus) -> int:
            starts = MONDAY + timedelta(days=day)
            added = repos.observations.add_request(
                ObservationRequest(
                    workspace_id=ws.id,
                    requester_id=asker,
                    observer_id=observer,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    timezone="UTC",
                    focus="questioning",
                    status=status,
                )
            )
            assert added.id is not None
            return added.id

        observes_late = lesson(3, ben.id, ana.id, RequestStatus.CONFIRMED)
        asks_early = lesson(1, ana.id, None, RequestStatus.ASKING)
        asks_done = lesson(2, ana.id, ben.id, RequestStatus.DONE)
        lesson(0, ben.id, cy.id, RequestStatus.CONFIRMED)  # neither side is Ana's
        uow.commit()
    with app.uow_factory() as uow:
        repos = uow.scope(ws.id)
        every = [r.id for r in repos.observations.requests_of(ana.id)]
        assert every == [asks_early, asks_done, observes_late]
        open_ = (RequestStatus.ASKING, RequestStatus.CONFIRMED)
        assert [r.id for r in repos.observations.requests_of(ana.id, open_)] == [
            asks_early,
            observes_late,
        ]
        assert repos.observations.requests_of(cy.id, (RequestStatus.DONE,)) == []


def test_each_side_goes_by_its_own_index_on_sqlite(app: Staffroom) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics; SQLite has none to choose by")
    captured: list[tuple[str, object]] = []

    def note(_conn, _cursor, sql, params, *_args) -> None:  # type: ignore[no-untyped-def]
        if "observation_requests" in sql:
            captured.append((sql, params))

    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        event.listen(app.engine, "before_cursor_execute", note)
        try:
            uow.scope(ws.id).observations.requests_of(1, (RequestStatus.CONFIRMED,))
        finally:
            event.remove(app.engine, "before_cursor_execute", note)
    assert len(captured) == 1
    sql, params = captured[0]
    with app.engine.connect() as conn:
        plan = [str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert not [line for line in plan if line.startswith("SCAN observation_requests")], plan
