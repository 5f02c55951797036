"""A teacher's check-in: what it says, and each button (rate, snooze, skip, reflect)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.clock import ManualClock
from bot.kernel.messages import Message
from staffroom.bootstrap import Staffroom
from storage.models.reflections import ReflectionRow
from tests.checkins.helpers import checkins, deliver, outbox, plan, setup_program, user_id
from tests.conftest import Person, fetch_all

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


def last_to(messenger: ConsoleMessenger, name: str) -> Message:
    return [d for d in messenger.delivered if d.recipient_user_id == user_id(name)][-1].message


def test_the_check_in_quotes_the_goal_and_last_weeks_answer_and_records_a_rating(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    coordinator.type('program set PLC questions="What did you try? | What surprised you?"')
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    message = last_to(messenger, "Ana Lopez")
    assert "How confident do you feel about “Ask more open questions” this week?" in message.text
    assert "first answer" not in message.text  # nothing is said about a first one before it
    assert len(message.text.splitlines()) <= 3
    labels = [b.label for b in message.buttons()]
    assert labels[:5] == ["1 · not yet", "2", "3", "4", "5 · very"]
    assert labels[5:] == [
        "Answer this week's questions",
        "I'd like some support",
        "Snooze to tomorrow",
        "Skip this week",
    ]
    ana = person("Ana Lopez")
    outcome = ana.press_button(message.buttons()[3])
    assert "Thanks: 4/5" in outcome.replies[0].text
    (row,) = checkins(app)
    assert (row.status, row.confidence, row.answered_at) == ("answered", 4, DUE)
    clock.set(DUE + timedelta(days=7))
    plan(app)
    deliver(app, messenger)
    assert "Last week: 4/5." in last_to(messenger, "Ana Lopez").text
    outcome = ana.press_button(last_to(messenger, "Ana Lopez").buttons()[4])
    assert "up from 4/5" in outcome.replies[0].text


def test_snooze_asks_again_tomorrow_once(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    ana = person("Ana Lopez")
    snooze = next(
        b for b in last_to(messenger, "Ana Lopez").buttons() if b.label.startswith("Snooze")
    )
    outcome = ana.press_button(snooze)
    assert "Wednesday at 15:30" in outcome.replies[0].text
    assert "already snoozed" in ana.press_button(snooze).replies[0].text
    clock.set(DUE + timedelta(hours=23, minutes=59))
    assert plan(app).resent == 0
    clock.set(DUE + timedelta(days=1))
    assert plan(app).resent == 1
    plan(app)
    deliver(app, messenger)
    again = last_to(messenger, "Ana Lopez")
    assert "here is your check-in again" in again.text
    assert not any(b.label.startswith("Snooze") for b in again.buttons())
    assert [r.idempotency_key.endswith(":snoozed") for r in outbox(app, "checkin:")] == [
        False,
        True,
    ]


def test_skip_means_no_reminder(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    skip = next(b for b in last_to(messenger, "Ana Lopez").buttons() if b.label == "Skip this week")
    assert "skipped" in person("Ana Lopez").press_button(skip).replies[0].text
    clock.set(DUE + timedelta(days=3))
    plan(app)
    assert outbox(app, "checkin-reminder:") == []


def test_the_reflection_button_links_the_reflection_to_the_check_in(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    rate = next(b for b in last_to(messenger, "Ana Lopez").buttons() if b.label == "3")
    assert "isn't one of yours" in person("Ben Okafor").press_button(rate).replies[0].text
    ana = person("Ana Lopez")
    ana.press_button(rate)
    button = next(b for b in ana.buttons if b.label == "Write a reflection")
    assert "isn't one of yours" in person("Ben Okafor").press_button(button).replies[0].text
    ana.press_button(button)
    assert ana.pending_form is not None
    ana.submit(
        ana.pending_form, {"went_well": "Wait time", "try_next": "", "visibility": "private"}
    )
    (reflection,) = fetch_all(app, ReflectionRow)
    (checkin,) = [c for c in checkins(app) if c.member_id == reflection.member_id]
    assert reflection.checkin_id == checkin.id and reflection.program_id == checkin.program_id


def test_checkin_verb_shows_the_open_one_and_history(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    ana = person("Ana Lopez")
    assert "No check-in is waiting" in ana.type("checkin").replies[0].text
    clock.set(DUE)
    plan(app)
    shown = ana.type("checkin")
    assert "How confident" in shown.replies[0].text
    ana.press(4)
    assert "week of 23 Nov · PLC: 4/5" in ana.type("checkin history").replies[0].text
