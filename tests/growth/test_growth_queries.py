"""The growth record's SQL on both databases: right figures from years of rows, one workspace's
rows only, and the same handful of statements however long the history is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.schedule import iso_week
from bot.growth.model import GrowthRecord, ObservationRole, Period
from bot.growth.record import build_record
from bot.kernel.domain import Member, Platform, Program
from bot.kernel.ports import Scope
from bot.observations.model import Feedback, ObservationRequest, RequestStatus
from bot.pairing.ports import MetStatus
from bot.reflections.model import Reflection, Visibility
from bot.resources.model import Mark, Resource
from staffroom.bootstrap import Staffroom

pytestmark = pytest.mark.postgres  # the repositories' SQL, held to one contract on both databases

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
YEAR = Period(date(2025, 12, 2), date(2026, 12, 1), "the last 12 months")


@contextmanager
def school(app: Staffroom, external_id: str) -> Iterator[Scope]:
    with app.uow_factory() as uow:
        yield uow.scope(uow.workspaces.ensure(Platform.SLACK, external_id, external_id).id)
        uow.commit()


def seed(app: Staffroom, external_id: str, *, years: int) -> None:
    """A teacher's weekly check-ins and reflections for ``years`` years back from NOW, one
    observation each way, a shared resource a colleague marked helpful, and one met pairing."""
    with school(app, external_id) as repos:
        ws = repos.workspace_id
        ana = repos.members.add(
            Member(ws, "U-ANA", "Ana Lopez", timezone="Europe/London", goals=["Questioning"])
        )
        ben = repos.members.add(Member(ws, "U-BEN", "Ben Okafor"))
        assert ana.id is not None and ben.id is not None
        program = repos.programs.add(Program(ws, "Circle"))
        assert program.id is not None
        for week in range(52 * years):
            when = NOW - timedelta(weeks=week, hours=1)
            repos.checkins.add(
                Checkin(
                    program.id,
                    ana.id,
                    iso_week(when.date()),
                    when,
                    CheckinStatus.ANSWERED,
                    answered_at=when,
                    confidence=2 + (week < 8),  # 3 in the latest two months, 2 before
                    goal="Questioning",
                )
            )
        for when in (NOW - timedelta(days=3), NOW - timedelta(days=400)):
            lesson = repos.observations.add_request(
                ObservationRequest(
                    ws, ana.id, when, when + timedelta(minutes=45), "Europe/London", "questioning"
                )
            )
            lesson.status, lesson.observer_id = RequestStatus.DONE, ben.id
            repos.observations.save_request(lesson)
            assert lesson.id is not None
            repos.observations.add_feedback(Feedback(lesson.id, ben.id, "Wait time", ["Cold call"]))
        theirs = repos.observations.add_request(
            ObservationRequest(
                ws, ben.id, NOW + timedelta(hours=4), NOW + timedelta(hours=5), "UTC", "pace"
            )
        )
        theirs.status, theirs.observer_id = RequestStatus.CONFIRMED, ana.id
        repos.observations.save_request(theirs)
        shared = repos.resources.add(
            Resource(ws, "Wait time routines", url="https://e.org/w", normalized_url="e.org/w"),
            ana.id,
            NOW - timedelta(days=20),
        )
        assert shared.id is not None
        repos.resources.mark(shared.id, ben.id, Mark.HELPFUL, NOW - timedelta(days=10))
        round_ = repos.pairing.create_round(
            program.id, 1, score=1.0, seed=1, now=NOW - timedelta(days=30)
        )
        assert round_ is not None
        pairing = repos.pairing.add_pairing(
            round_, [(ana.id, "peer"), (ben.id, "peer")], reason="", score=1.0, now=NOW
        )
        repos.pairing.set_met(pairing.id, MetStatus.MET)
    with school(app, external_id) as repos:
        ana_now = repos.members.by_platform_user("U-ANA")
        assert ana_now is not None and ana_now.id is not None
        for _ in range(4):
            repos.reflections.add(
                Reflection(ana_now.id, went_well="x", visibility=Visibility.MENTOR)
            )


LOOKUPS = 2
"""What ``record_of`` reads besides the record: the workspace (ensured; scoping it then finds the
row already read), the member."""


def record_of(app: Staffroom, external_id: str, period: Period = YEAR) -> GrowthRecord:
    with school(app, external_id) as repos:
        ana = repos.members.by_platform_user("U-ANA")
        assert ana is not None
        return build_record(repos, ana, period, NOW)


@contextmanager
def statements(app: Staffroom) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn, _cursor, sql, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(sql)

    event.listen(app.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.engine, "before_cursor_execute", note)


def test_the_figures_come_from_this_workspace_and_this_period_only(app: Staffroom) -> None:
    seed(app, "T-HILL", years=3)
    seed(app, "T-NORTH", years=1)  # the same people, in another school
    record = record_of(app, "T-HILL")
    assert record.activity.checkins_answered == 53  # weeks 0 to 52 back: 2 Dec 2025 is in
    assert record.activity.reflections == 4 and record.activity.reflections_shared == 4
    assert (record.activity.resources_shared, record.activity.helpful_marks_received) == (1, 1)
    received = [o for o in record.observations if o.role is ObservationRole.RECEIVED]
    given = [o for o in record.observations if o.role is ObservationRole.GIVEN]
    assert len(received) == 1 and received[0].feedback_given and received[0].strengths == ""
    assert len(given) == 1 and given[0].colleague == "Ben Okafor"
    assert record.observations_held == 1  # Ben's lesson is still to come
    assert [(m.program, m.role, m.met) for m in record.meetings] == [("Circle", "peer", 1)]
    steps = {p.bucket: (round(p.average, 2), p.answers) for p in record.confidence}
    assert len(record.buckets) == 13 and steps[12] == (3.0, 1) and steps[0][0] == 2.0
    assert sum(n for _avg, n in steps.values()) == 53
    assert record.hours.total == pytest.approx(4 * 10 / 60 + 1 + 0.5)
    with_feedback = record_of(
        app, "T-HILL", Period(YEAR.start, YEAR.end, YEAR.label, with_feedback=True)
    )
    (mine,) = [o for o in with_feedback.observations if o.role is ObservationRole.RECEIVED]
    assert (mine.strengths, mine.next_steps) == ("Wait time", ("Cold call",))


def test_the_record_costs_the_same_few_statements_for_one_year_or_many(app: Staffroom) -> None:
    seed(app, "T-ONE", years=1)
    seed(app, "T-FIVE", years=5)
    counts = []
    for school_id in ("T-ONE", "T-FIVE"):
        with statements(app) as seen:
            record_of(app, school_id)
        counts.append(len([s for s in seen if s.lstrip().upper().startswith("SELECT")]))
    # The five aggregates, and the workspace and member looked up around them.
    assert counts[0] == counts[1] == 5 + LOOKUPS


def test_every_read_goes_by_the_member_not_the_whole_workspace(app: Staffroom) -> None:
    """On SQLite, which has no statistics to choose by: a read that found its rows by workspace
    alone would grow with every teacher's history, not with this one's."""
    if app.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics; SQLite has none to choose by")
    seed(app, "T-ONE", years=1)
    captured: list[tuple[str, object]] = []

    def note(_conn, _cursor, sql, params, *_args) -> None:  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("SELECT"):
            captured.append((sql, params))

    with school(app, "T-ONE") as repos:
        ana = repos.members.by_platform_user("U-ANA")
        assert ana is not None
        event.listen(app.engine, "before_cursor_execute", note)
        try:
            build_record(repos, ana, YEAR, NOW)
        finally:
            event.remove(app.engine, "before_cursor_execute", note)
    assert len(captured) == 5
    with app.engine.connect() as conn:
        for sql, params in captured:
            plan = [str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
            scans = [
                line for line in plan if line.startswith("SCAN") and "CONSTANT ROW" not in line
            ]
            by_workspace = [line for line in plan if line.endswith("(workspace_id=?)")]
            assert not scans and not by_workspace, "\n".join(plan)
