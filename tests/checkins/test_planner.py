"""When check-ins go out: each teacher's own time zone, DST, holidays, quiet hours, misfires, reminders,
pauses. The clock is a ManualClock; the planner is the same function the scheduler runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.console.messenger import ConsoleMessenger
from bot.checkins.schedule import local_at
from staffroom.bootstrap import Staffroom
from tests.checkins.helpers import checkins, deliver, local, outbox, plan, setup_program
from tests.conftest import Person

pytestmark = pytest.mark.postgres  # the planner's bulk writes differ by database


def tick(app: Staffroom, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
    """Run the planner at every step up to ``until``, as the scheduler would."""
    while app.clock.now() < until:
        app.clock.advance(step)  # type: ignore[attr-defined]
        plan(app)


def at(app: Staffroom, moment: datetime) -> None:
    app.clock.set(moment)  # type: ignore[attr-defined]


def test_weekly_schedule_keeps_local_time_across_dst_in_two_time_zones(
    app: Staffroom, person: Person
) -> None:
    at(
        app, datetime(2026, 10, 19, 0, 0, tzinfo=UTC)
    )  # London leaves BST on 25 Oct, New York on 1 Nov
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "America/New_York"}
    )
    tick(app, datetime(2026, 11, 9, 0, 0, tzinfo=UTC))
    rows = checkins(app)
    by_member: dict[int, list[datetime]] = {}
    for row in rows:
        assert row.status == "sent"
        assert row.sent_at is not None and timedelta(0) <= row.sent_at - row.due_at < timedelta(
            hours=1
        )
        by_member.setdefault(row.member_id, []).append(row.due_at)
    london, new_york = sorted(by_member.values(), key=lambda d: d[0])
    assert [d.astimezone(UTC).strftime("%d %H:%M") for d in london] == [
        "20 14:30",
        "27 15:30",
        "03 15:30",
    ]
    assert [d.astimezone(UTC).strftime("%d %H:%M") for d in new_york] == [
        "20 19:30",
        "27 19:30",
        "03 20:30",
    ]
    for due in london:
        assert local(due, "Europe/London").strftime("%a %H:%M") == "Tue 15:30"
    for due in new_york:
        assert local(due, "America/New_York").strftime("%a %H:%M") == "Tue 15:30"
    assert len({r.idempotency_key for r in outbox(app, "checkin:")}) == 6


def test_a_time_skipped_by_spring_forward_moves_forward_by_the_gap() -> None:
    tz = ZoneInfo("America/New_York")
    moved = local_at(date(2027, 3, 14), time(2, 30), tz)
    assert (moved.hour, moved.minute, moved.utcoffset()) == (3, 30, timedelta(hours=-4))
    normal = local_at(date(2027, 3, 15), time(2, 30), tz)
    assert (normal.hour, normal.minute) == (2, 30)


def test_holidays_move_the_check_in_to_the_next_school_day_or_skip_the_week(
    app: Staffroom, person: Person
) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    assert coordinator.type('calendar holiday 2026-11-24 name="Inset day"').ok
    assert coordinator.type('calendar holiday 2026-11-30 2026-12-04 name="Half term"').ok
    tick(app, datetime(2026, 12, 10, tzinfo=UTC))
    dues = [local(r.due_at, "Europe/London") for r in checkins(app)]
    assert [d.strftime("%a %d %b %H:%M") for d in dues] == [
        "Wed 25 Nov 15:30",  # Tuesday was an inset day
        "Tue 08 Dec 15:30",  # the half-term week has none at all
    ]


def test_term_dates_keep_check_ins_inside_term(app: Staffroom, person: Person) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    assert coordinator.type("calendar term 2026-12-01 2026-12-18").ok
    tick(app, datetime(2026, 12, 22, tzinfo=UTC))
    dues = [local(r.due_at, "Europe/London").strftime("%d %b") for r in checkins(app)]
    assert dues == ["01 Dec", "08 Dec", "15 Dec"]


def test_nothing_is_sent_in_quiet_hours(app: Staffroom, person: Person) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London"}, settings="day=tue time=21:30"
    )
    tick(app, datetime(2026, 11, 25, 6, 45, tzinfo=UTC), step=timedelta(minutes=15))
    assert outbox(app, "checkin:") == []
    tick(app, datetime(2026, 11, 25, 7, 15, tzinfo=UTC), step=timedelta(minutes=15))
    (row,) = outbox(app, "checkin:")
    assert local(row.created_at, "Europe/London").strftime("%a %H:%M") == "Wed 07:00"


def test_misfire_within_grace_is_sent_late_once(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    at(app, datetime(2026, 11, 24, 17, 45, tzinfo=UTC))  # down from 15:00 until 17:45: 2h15 late
    report = plan(app)
    assert (report.sent, report.late) == (1, 1)
    tick(app, datetime(2026, 11, 24, 23, 0, tzinfo=UTC))
    assert deliver(app, messenger) == 1
    assert len(outbox(app, "checkin:")) == 1


def test_misfire_after_grace_is_skipped_and_never_sent(app: Staffroom, person: Person) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    at(app, datetime(2026, 11, 24, 22, 0, tzinfo=UTC))  # 6.5 hours late: past the 6-hour grace
    report = plan(app)
    assert (report.sent, report.missed) == (0, 1)
    tick(app, datetime(2026, 11, 27, tzinfo=UTC))
    assert outbox(app, "checkin") == []
    (row,) = checkins(app)
    assert row.status == "missed"


def test_one_reminder_after_48_hours_and_never_a_second(app: Staffroom, person: Person) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    at(app, datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    assert plan(app).sent == 2
    ben = person("Ben Okafor")
    ben.worker = None
    (ben_checkin,) = [
        c for c in checkins(app) if c.member_id == max(r.member_id for r in checkins(app))
    ]
    assert ben.press_button(_button("checkin.rate", f"{ben_checkin.id}:4")).ok
    at(app, datetime(2026, 11, 26, 15, 29, tzinfo=UTC))
    assert plan(app).reminded == 0
    at(app, datetime(2026, 11, 26, 15, 30, tzinfo=UTC))
    assert plan(app).reminded == 1
    tick(app, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    reminders = outbox(app, "checkin-reminder:")
    assert len(reminders) == 1
    assert "only reminder" in reminders[0].payload["text"]


def test_pause_until_a_date_stops_check_ins_and_reminders_until_then(
    app: Staffroom, person: Person
) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    assert person("Ana Lopez").type("pause until 2026-11-27").ok
    at(app, datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    assert plan(app).sent == 1  # Ben only
    assert person("Ben Okafor").type("pause until 2026-11-30").ok  # pauses before his reminder
    tick(app, datetime(2026, 12, 1, 16, 0, tzinfo=UTC))
    keys = sorted(
        r.idempotency_key.rsplit(":", 1)[-1] + " " + r.idempotency_key.split(":")[0]
        for r in outbox(app, "checkin")
    )
    assert keys == ["2026-W48 checkin", "2026-W49 checkin", "2026-W49 checkin"]


def _button(action_id: str, value: str):  # type: ignore[no-untyped-def]
    from bot.kernel.messages import Button

    return Button("x", action_id, value)


def test_a_reminder_due_at_the_weekend_waits_for_monday(app: Staffroom, person: Person) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "America/Chicago"}, settings="day=thu time=15:30"
    )
    at(app, datetime(2026, 11, 26, 21, 30, tzinfo=UTC))  # Thu 15:30 in Chicago
    assert plan(app).sent == 1
    tick(app, datetime(2026, 11, 30, 20, 0, tzinfo=UTC))  # through the weekend, hourly
    at(app, datetime(2026, 11, 30, 21, 29, tzinfo=UTC))  # Mon 15:29 in Chicago
    plan(app)
    assert outbox(app, "checkin-reminder:") == []
    at(app, datetime(2026, 11, 30, 21, 30, tzinfo=UTC))
    plan(app)
    (reminder,) = outbox(app, "checkin-reminder:")
    assert local(reminder.created_at, "America/Chicago").strftime("%a %H:%M") == "Mon 15:30"


def test_members_imported_but_not_yet_met_get_no_check_in(app: Staffroom, person: Person) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    coordinator.type("roster import PLC")
    form = coordinator.pending_form
    assert form is not None
    csv = "name,email,subjects,grades,years,timezone,role\nBo Li,bo@x.org,Art,6-8,2,Europe/London,peer\n"
    program = str(form.inputs[0].initial)
    assert coordinator.submit(form, {"program": program, "csv": csv, "skip_bad": "no"}).ok
    at(app, datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    assert plan(app).sent == 1  # Ana only: Bo has not consented yet


def test_coordinators_set_school_days_quiet_hours_and_grace(app: Staffroom, person: Person) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    refused = coordinator.type("calendar set program=PLC quiet_hours=late")
    assert "20:00-07:00" in refused.replies[0].text
    outcome = coordinator.type(
        "calendar set program=PLC school_days=wed,thu,fri quiet_hours=18:00-08:00 grace_hours=1"
    )
    assert "school days Wed, Thu, Fri; quiet hours 18:00-08:00" in outcome.replies[0].text
    at(app, datetime(2026, 11, 24, 15, 30, tzinfo=UTC))  # Tuesday is no longer a school day
    assert plan(app).sent == 0
    at(app, datetime(2026, 11, 25, 17, 0, tzinfo=UTC))  # Wednesday, 1.5 h late: past the 1 h grace
    assert plan(app).missed == 1
