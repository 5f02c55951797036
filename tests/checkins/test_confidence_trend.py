"""A falling confidence, as the coordinator's digest learns of it: the teacher answers with the
check-in's buttons, and each answer stored keeps the trend the digest reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.console.messenger import ConsoleMessenger
from bot.checkins.trend import falling_weeks
from bot.digest.build import build_digest
from bot.digest.weeks import parse_week
from bot.kernel.clock import ManualClock
from staffroom.bootstrap import Staffroom
from tests.checkins.helpers import checkins, deliver, plan, setup_program, user_id
from tests.conftest import Person

pytestmark = pytest.mark.postgres  # the flags are written and read by SQL

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # a Tuesday of 2026-W48


def falling_in_digest(app: Staffroom, week: str) -> list[str]:
    with app.uow_factory() as uow:
        (ws,) = uow.workspaces.active_ids()
        repos = uow.scope(ws)
        program = repos.programs.by_name("PLC")
        assert program is not None
        d = build_digest(repos.digest, program, parse_week(week), now=app.clock.now())
    return sorted(n.person.name for n in d.needs_hand if n.kind == "falling_confidence")


def answer_week(
    app: Staffroom, person: Person, messenger: ConsoleMessenger, clock: ManualClock, weeks: int
) -> None:
    """The week's check-in reaches everyone; the caller presses the buttons."""
    clock.set(DUE + timedelta(weeks=weeks))
    plan(app)
    deliver(app, messenger)


def press(messenger: ConsoleMessenger, person: Person, name: str, rating: int) -> str:
    message = [d for d in messenger.delivered if d.recipient_user_id == user_id(name)][-1].message
    return person(name).press_button(message.buttons()[rating - 1]).replies[0].text


def test_three_falling_answers_list_the_teacher_and_a_change_of_answer_takes_it_back(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    setup_program(
        app,
        person,
        teachers={n: "Europe/London" for n in ("Ana Lopez", "Ben Okafor", "Cy Park")},
    )
    answers = {"Ana Lopez": (5, 4, 2), "Ben Okafor": (5, 4, 4), "Cy Park": (2, 4, 3)}
    for week in range(3):
        answer_week(app, person, messenger, clock, week)
        for name, given in answers.items():
            assert "Thanks" in press(messenger, person, name, given[week])
    assert falling_in_digest(app, "2026-W50") == ["Ana Lopez"]
    assert falling_in_digest(app, "2026-W49") == []  # two answers then: not yet a trend
    flagged = {(r.week, r.confidence) for r in checkins(app) if r.confidence_falling}
    assert flagged == {("2026-W50", 2)}

    # Ana changes this week's answer to 4: 5, 4, 4 has stopped falling.
    assert "Updated: 4/5" in press(messenger, person, "Ana Lopez", 4)
    assert falling_in_digest(app, "2026-W50") == []
    assert not [r for r in checkins(app) if r.confidence_falling]


def test_an_answer_that_rises_next_week_takes_the_teacher_off_the_list(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    for week, rating in enumerate((5, 3, 1, 4)):
        answer_week(app, person, messenger, clock, week)
        press(messenger, person, "Ana Lopez", rating)
        if week == 2:
            assert falling_in_digest(app, "2026-W50") == ["Ana Lopez"]
    assert falling_in_digest(app, "2026-W51") == []  # her newest answer is up
    assert falling_in_digest(app, "2026-W50") == ["Ana Lopez"]  # as that week read


def test_the_rule_wants_three_answers_each_lower_within_six_weeks() -> None:
    assert falling_weeks([("2026-W45", 5), ("2026-W46", 4), ("2026-W47", 2)]) == {"2026-W47"}
    assert falling_weeks([("2026-W45", 5), ("2026-W46", 4), ("2026-W47", 4)]) == set()
    # skipped weeks between answers are fine while all three lie within six weeks
    assert falling_weeks([("2026-W42", 5), ("2026-W45", 4), ("2026-W47", 2)]) == {"2026-W47"}
    assert falling_weeks([("2026-W41", 5), ("2026-W45", 4), ("2026-W47", 2)]) == set()
    # across the new year, in order of the weeks not of the list
    assert falling_weeks([("2027-W01", 2), ("2026-W52", 4), ("2026-W51", 5)]) == {"2027-W01"}
    assert falling_weeks([("2026-W40", 5), ("2026-W41", 4), ("2026-W42", 3), ("2026-W43", 1)]) == {
        "2026-W42",
        "2026-W43",
    }
