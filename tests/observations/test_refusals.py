"""Every refused input says clearly what was wrong, and nothing is stored or sent."""

from __future__ import annotations

import pytest

from adapters.console.messenger import ConsoleMessenger
from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow
from storage.models.observations import FreePeriodRow, ObservationRequestRow
from storage.models.reflections import ReflectionRow
from tests.conftest import Person, count
from tests.observations.helpers import coordinator, reply_text, teacher

# The clock starts on Monday 23 November 2026 at 09:00 UTC (09:00 in Europe/London).
REFUSED = [
    ("observe 2026-11-20 10:00-11:00 focus: questioning", "Friday 20 November 2026 is in the past"),
    ("observe today 08:00-08:50 focus: questioning", "Monday 23 November 08:00 has already passed"),
    (
        "observe thu 11:00-10:15 focus: questioning",
        "the lesson ends (10:15) before it starts (11:00)",
    ),
    ("observe thu 10:00-10:00 focus: questioning", "ends (10:00) before it starts (10:00)"),
    ("observe 2027-02-01 10:00-11:00 focus: questioning", "is more than 8 weeks ahead"),
    ("observe thu focus: questioning", "when does the lesson start and end?"),
    ("observe blursday 10:00-11:00 focus: questioning", "I couldn't read “blursday” as a day"),
    ("observe thu 10:00-11:00", "what should the observer focus on?"),
    ("observe thu 25:00-26:00 focus: questioning", "is not a time of day"),
    ("observe show", "Which observation? Give its number"),
    ("observe cancel 999", "There is no observation #999"),
]


@pytest.mark.parametrize(("line", "message"), REFUSED)
def test_refused_requests_say_why_and_store_nothing(
    app: Staffroom, person: Person, line: str, message: str
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    outcome = ana.type(line)
    assert not outcome.ok
    assert message in reply_text(outcome)
    if line.startswith("observe ") and "cancel" not in line and "show" not in line:
        assert "Usage: `observe" in reply_text(outcome)
    assert count(app, ObservationRequestRow) == 0
    assert count(app, OutboxRow) == 0


def test_eight_weeks_ahead_is_the_last_day_allowed(app: Staffroom, person: Person) -> None:
    ana = teacher(person, "Ana Lopez")
    assert ana.type("observe 2027-01-18 15:00-16:00 focus: engagement").ok
    refused = ana.type("observe 2027-01-19 09:30-10:00 focus: engagement")
    assert "any day up to Monday 18 January" in reply_text(refused)


def test_the_form_refuses_each_field_and_keeps_what_was_typed(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez")
    opened = ana.type("observe")
    form = opened.replies[0].form
    assert form is not None and form.form_id == "observe.request"
    refused = ana.submit(
        form,
        {
            "date": "2026-11-01",
            "start": "10:00",
            "end": "half past",
            "focus": "",
            "class_name": "8C",
        },
    )
    assert set(refused.form_errors) == {"date", "end", "focus"}
    assert "in the past" in refused.form_errors["date"]
    again = refused.replies[0].form
    assert again is not None
    assert {i.name: i.initial for i in again.inputs}["class_name"] == "8C"
    wrong_way = ana.submit(
        form, {"date": "thu", "start": "11:00", "end": "10:00", "focus": "engagement"}
    )
    assert "before it starts" in wrong_way.form_errors["end"]
    far = ana.submit(
        form, {"date": "2027-03-01", "start": "10:00", "end": "11:00", "focus": "engagement"}
    )
    assert "8 weeks ahead" in far.form_errors["date"]
    assert count(app, ObservationRequestRow) == 0
    ok = ana.submit(
        form,
        {
            "date": "next wed",
            "start": "2pm",
            "end": "14:50",
            "focus": "other",
            "focus_other": "transitions between activities",
            "look_fors": "settling time\nclear instructions",
        },
    )
    assert ok.ok
    text = reply_text(ok)
    assert "Wednesday 25 November, 14:00–14:50" in text
    assert "transitions between activities" in text and "settling time; clear instructions" in text


def test_forgiving_dates_are_confirmed_back_before_anything_is_sent(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="fri 12:00-15:00")
    outcome = ana.type(
        "observe next friday 1-2pm focus: behaviour class: 8C look for: praise, wait time"
    )
    text = reply_text(outcome)
    assert "Friday 27 November, 13:00–14:00" in text
    assert "classroom management" in text and "8C" in text and "praise, wait time" in text
    assert "Please check it before I ask anyone" in text
    assert count(app, OutboxRow) == 0
    # Typing it again replaces the draft rather than stacking them.
    ana.type("observe on 27 nov 13:00-14:00 focus: behaviour")
    statuses = sorted(r.status for r in _requests(app))
    assert statuses == ["cancelled", "draft"]


def _requests(app: Staffroom) -> list[ObservationRequestRow]:
    from tests.conftest import fetch_all

    return fetch_all(app, ObservationRequestRow)


def test_free_periods_add_list_remove_and_refusals(app: Staffroom, person: Person) -> None:
    ana = teacher(person, "Ana Lopez")
    assert "haven't declared any free periods" in reply_text(ana.type("free"))
    added = ana.type("free add mon 10:15-11:00, thu 1pm-2pm")
    assert "Added 2 free periods" in reply_text(added)
    assert "1. Mon 10:15–11:00" in reply_text(added) and "2. Thu 13:00–14:00" in reply_text(added)
    again = ana.type("free mon 10:15-11:00")
    assert "Added 0 free periods. (The rest were already there.)" in reply_text(again)
    for line, message in (
        ("free add funday 10:00-11:00", "is not a weekday"),
        ("free add mon 11:00-10:00", "ends before it starts"),
        ("free add mon", "write a weekday and a time range"),
        ("free remove 9", "Which one? Give its number from `free` (1 to 2)"),
    ):
        outcome = ana.type(line)
        assert not outcome.ok and message in reply_text(outcome), line
    assert count(app, FreePeriodRow) == 2
    removed = ana.type("free remove 1")
    assert "Removed Mon 10:15–11:00" in reply_text(removed)
    assert "Cleared 1 free period" in reply_text(ana.type("free clear"))
    assert count(app, FreePeriodRow) == 0


def test_buttons_for_someone_else_are_refused(app: Staffroom, person: Person) -> None:
    from tests.observations.helpers import button

    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    eve = teacher(person, "Eve Novak")
    draft = ana.type("observe thu 10:15-11:00 focus: questioning")
    outcome = eve.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    assert "That request isn't yours" in reply_text(outcome)
    assert count(app, OutboxRow) == 0


def test_an_ask_a_feedback_form_and_feedback_refuse_anyone_else(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    """Someone else's button is refused exactly like one for nothing, so ids cannot be probed."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from tests.conftest import fetch_all
    from tests.observations.helpers import button, last_to, run_job

    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    eve = teacher(person, "Eve Novak")
    draft = ana.type("observe thu 10:15-11:00 focus: questioning")
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    accept = button(last_to(messenger, "Ben Okafor"), "Accept")
    for pressed in (accept, replace(accept, value="999"), replace(accept, value="x")):
        refused = eve.press_button(pressed)
        assert "That request wasn't for you, or it no longer exists." in reply_text(refused)
    assert [r.status for r in _requests(app)] == ["asking"]

    ben.press_button(accept)
    run_job(app, messenger, datetime(2026, 11, 26, 11, 5, tzinfo=UTC))
    give = button(last_to(messenger, "Ben Okafor"), "Give feedback")
    refused = eve.press_button(give)
    assert "That feedback form isn't for you" in reply_text(refused)
    assert refused.replies[0].form is None
    form = ben.press_button(give).replies[0].form
    assert form is not None
    ben.submit(form, {"strengths": "Calm, clear starts", "suggestion_1": "Cold-call more"})
    reflect = button(last_to(messenger, "Ana Lopez"), "Write a reflection")
    for who in (eve, ben):
        refused = who.press_button(reflect)
        assert "That feedback isn't yours, or it no longer exists." in reply_text(refused)
        assert refused.replies[0].form is None
    assert [r.status for r in _requests(app)] == ["done"]
    assert fetch_all(app, ReflectionRow) == []


def test_a_lesson_on_a_day_the_school_does_not_teach_is_refused_kindly(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="sat 10:00-11:30, thu 10:00-11:30")
    saturday = ana.type("observe sat 10:00-11:00 focus: questioning")
    assert not saturday.ok
    assert (
        "Saturday 28 November isn't a school day here (school days are Mon, Tue, Wed, Thu, Fri)"
        in reply_text(saturday)
    )
    form = ana.type("observe").replies[0].form
    assert form is not None
    refused = ana.submit(
        form, {"date": "sun", "start": "10:00", "end": "11:00", "focus": "engagement"}
    )
    assert "Sunday 29 November isn't a school day here" in refused.form_errors["date"]

    assert maya.type('calendar holiday 2026-11-26 name="Staff training day"').ok
    holiday = ana.type("observe thu 10:00-11:00 focus: questioning")
    assert "falls in a school holiday (Staff training day)" in reply_text(holiday)
    assert count(app, ObservationRequestRow) == 0
    assert count(app, OutboxRow) == 0


def test_a_program_that_teaches_on_saturdays_can_have_saturday_lessons_observed(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="sat 10:00-11:30")
    assert maya.type('program create "Saturday School"').ok
    assert maya.type('program add "Saturday School" "Ana Lopez" as peer').ok
    assert maya.type(
        'calendar set program="Saturday School" school_days=mon,tue,wed,thu,fri,sat'
    ).ok
    draft = ana.type("observe sat 10:00-11:00 focus: questioning")
    assert draft.ok
    assert "Saturday 28 November, 10:00–11:00" in reply_text(draft)
    assert "Ben Okafor" in reply_text(draft)
    sunday = ana.type("observe sun 10:00-11:00 focus: questioning")
    assert "(school days are Mon, Tue, Wed, Thu, Fri, Sat)" in reply_text(sunday)


def test_a_refused_day_names_the_next_school_day(app: Staffroom, person: Person) -> None:
    maya = coordinator(app, person)
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="mon 10:00-11:30, fri 10:00-11:30")
    saturday = ana.type("observe sat 10:00-11:00 focus: questioning")
    assert "The next school day is Monday 30 November" in reply_text(saturday)
    form = ana.type("observe").replies[0].form
    assert form is not None
    refused = ana.submit(
        form, {"date": "sun", "start": "10:00", "end": "11:00", "focus": "engagement"}
    )
    assert "The next school day is Monday 30 November" in refused.form_errors["date"]

    # A holiday over the weekend's edge: Friday off too, so Monday is still the next school day.
    assert maya.type('calendar holiday 2026-11-26 2026-11-27 name="Autumn break"').ok
    holiday = ana.type("observe thu 10:00-11:00 focus: questioning")
    text = reply_text(holiday)
    assert "falls in a school holiday (Autumn break)" in text
    assert "The next school day is Monday 30 November" in text
    assert count(app, ObservationRequestRow) == 0
    assert count(app, OutboxRow) == 0
