"""The planner sleeps through minutes with nothing due, and wakes for every change that can bring a
check-in forward: a run after each change must send what the change made due, on time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.domain import Platform
from bot.programs.roster import import_roster
from staffroom.bootstrap import Staffroom
from storage.models.checkins import CheckinWakeupRow
from tests.checkins.helpers import checkins, deliver, plan, setup_program
from tests.checkins.test_checkin_flow import last_to
from tests.conftest import Person, joined

pytestmark = pytest.mark.postgres  # wake-ups are kept by flush listeners and guarded updates

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY_DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # Tue 15:30 in London


def at(app: Staffroom, moment: datetime) -> None:
    app.clock.set(moment)  # type: ignore[attr-defined]


def wake_at(app: Staffroom) -> datetime | None:
    with Session(app.engine) as session:
        return session.scalars(select(CheckinWakeupRow.wake_at)).one()


def asleep(app: Staffroom, person: Person, moment: datetime = MONDAY) -> None:
    """A program planned once at ``moment``, asleep until its next moment (or six hours)."""
    at(app, moment)
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    assert plan(app).programs == 1
    assert plan(app).programs == 0


def test_an_idle_minute_plans_nothing_and_the_program_sleeps_until_its_next_moment(
    app: Staffroom, person: Person
) -> None:
    asleep(app, person)
    # No later than the grace window (6 hours), however far the check-in is
    assert wake_at(app) == MONDAY + timedelta(hours=6)
    at(app, datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    assert plan(app).programs == 1
    assert wake_at(app) == TUESDAY_DUE
    at(app, TUESDAY_DUE - timedelta(minutes=1))
    assert plan(app).programs == 0
    at(app, TUESDAY_DUE)
    report = plan(app)
    assert (report.programs, report.sent) == (1, 1)
    # The next moment is the 48-hour reminder (Thursday 15:30), held to the grace window
    assert wake_at(app) == TUESDAY_DUE + timedelta(hours=6)


def test_a_new_time_zone_wakes_the_program_and_its_check_in_goes_out_at_once(
    app: Staffroom, person: Person
) -> None:
    asleep(app, person)
    at(app, datetime(2026, 11, 24, 6, 0, tzinfo=UTC))
    assert plan(app).programs == 1  # asleep again, now until 12:00
    at(app, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # 16:00 in Tokyo, past its 15:30
    assert person("Ana Lopez").type("profile set tz=Asia/Tokyo").ok
    report = plan(app)
    assert (report.programs, report.sent) == (1, 1)
    assert [c.due_at for c in checkins(app)] == [datetime(2026, 11, 24, 6, 30, tzinfo=UTC)]


def test_a_new_member_wakes_the_program(app: Staffroom, person: Person) -> None:
    asleep(app, person)
    joined(person("Kenji Sato", timezone="Asia/Tokyo"), timezone="Asia/Tokyo")
    assert person("Cora Coordinator").type('program add "PLC" "Kenji Sato" as peer').ok
    assert plan(app).programs == 1


def test_changed_settings_and_calendar_wake_the_program(app: Staffroom, person: Person) -> None:
    asleep(app, person)
    coordinator = person("Cora Coordinator")
    assert coordinator.type("program set PLC time=09:30").ok  # Monday 09:30 has not passed yet
    assert plan(app).programs == 1
    assert plan(app).programs == 0
    assert coordinator.type('calendar holiday 2026-12-01 name="Inset day"').ok
    assert plan(app).programs == 1


def test_a_snooze_wakes_the_program_and_the_check_in_comes_back_tomorrow(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    asleep(app, person)
    at(app, TUESDAY_DUE)
    assert plan(app).sent == 1
    deliver(app, messenger)
    ana = person("Ana Lopez")
    snooze = next(
        b for b in last_to(messenger, "Ana Lopez").buttons() if b.label.startswith("Snooze")
    )
    assert ana.press_button(snooze).ok
    assert plan(app).programs == 1  # woken by the snooze; asleep again until tomorrow
    assert plan(app).programs == 0
    at(app, TUESDAY_DUE + timedelta(days=1))
    assert plan(app).resent == 1


def test_a_change_made_while_the_planner_runs_is_never_slept_through(
    app: Staffroom, person: Person
) -> None:
    at(app, MONDAY)
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    with app.uow_factory() as uow:
        workspace_id = uow.workspaces.ensure(Platform.CONSOLE, "local", "local").id
        [(program_id, generation)] = uow.scope(workspace_id).checkins.programs_to_plan(MONDAY)
    assert person("Ana Lopez").type("profile set tz=Asia/Tokyo").ok  # lands mid-run
    with app.uow_factory() as uow:
        repos = uow.scope(workspace_id).checkins
        assert repos.sleep_until(program_id, generation, MONDAY + timedelta(hours=6)) is False
        uow.commit()
    assert plan(app).programs == 1


def test_a_roster_import_wakes_the_program(app: Staffroom, person: Person) -> None:
    asleep(app, person)
    with app.uow_factory() as uow:
        workspace_id = uow.workspaces.ensure(Platform.CONSOLE, "local", "local").id
        repos = uow.scope(workspace_id)
        program = repos.programs.by_name("PLC")
        assert program is not None
        import_roster(
            repos,
            program,
            "name,email,subjects,grades,years,timezone,role\n"
            "Kenji Sato,kenji@school.example,Maths,9-10,3,Asia/Tokyo,peer\n",
            skip_bad=False,
            now=app.clock.now(),
        )
        uow.commit()
    assert plan(app).programs == 1
