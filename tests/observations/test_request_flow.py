"""Peer observation end to end through the console adapter, the real core and a real database,
with a controlled clock: request, suggestions, decline then silence then accept, the invite,
reminders, feedback and who may see it, reflection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.messages import Button, said
from staffroom.bootstrap import Staffroom
from storage.models.observations import (
    ObservationAskRow,
    ObservationFeedbackRow,
    ObservationRequestRow,
)
from storage.models.reflections import ReflectionRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import (
    button,
    coordinator,
    inbox,
    last_to,
    outbox_count,
    reply_text,
    run_job,
    teacher,
)

REQUEST = 'observe thu 10:15-11:00 focus: questioning "Year 9 algebra, group work"'
THU_1015 = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)  # Europe/London is on UTC in November


def test_request_to_feedback_with_a_decline_a_silence_and_an_accept(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya = coordinator(app, person)
    ana = teacher(person, "Ana Lopez", subjects="Maths, Physics")
    ben = teacher(person, "Ben Okafor", strengths="questioning", free="thu 10:00-11:30")
    teacher(person, "Eve Novak", subjects="English", free="thu 10:15-11:00, mon 9:00-10:00")
    chloe = teacher(person, "Chloe Kim")  # declared no free periods: a second choice, listed apart
    teacher(
        person, "Dev Rossi", strengths="questioning", free="mon 10:00-11:00"
    )  # teaching on Thursday

    # 1. The request is read back with suggestions; nothing is sent yet.
    before = outbox_count(app)
    draft = ana.type(REQUEST)
    shown = reply_text(draft)
    assert "Thursday 26 November, 10:15–11:00" in shown
    assert "Year 9 algebra, group work" in shown and "questioning" in shown
    labels = [b.label for b in draft.replies[0].buttons()]
    assert labels == [
        "Ask Ben Okafor",
        "Ask Eve Novak",
        "Ask Chloe Kim",
        "Ask them in turn",
        "Cancel",
    ]
    assert "Dev Rossi" not in shown
    assert "strong in questioning" in shown and "free period then" in shown
    assert shown.index("Eve Novak") < shown.index("haven't said when they're free")
    assert shown.index("haven't said when they're free") < shown.index("Chloe Kim")
    assert outbox_count(app) == before
    (row,) = fetch_all(app, ObservationRequestRow)
    assert (row.status, row.starts_at, row.timezone) == ("draft", THU_1015, "Europe/London")

    # 2. Ask in turn: Ben first, with Accept / Decline.
    outcome = ana.press_button(button(draft.replies[0], "Ask them in turn"))
    assert "I've asked Ben Okafor" in reply_text(outcome)
    assert "Eve Novak and Chloe Kim" in reply_text(outcome)
    ask = last_to(messenger, "Ben Okafor")
    assert f"*{said('Ana Lopez')}* would like a colleague to observe" in ask.blocks[0].text  # type: ignore[union-attr]
    assert [b.label for b in ask.buttons()] == ["Accept", "Decline"]
    assert inbox(messenger, "Eve Novak") == []

    # 3. Ben declines: Eve is asked at once.
    outcome = ben.press_button(button(ask, "Decline"))
    assert "I'll ask someone else" in reply_text(outcome)
    eve_ask = last_to(messenger, "Eve Novak")
    assert "Accept" in [b.label for b in eve_ask.buttons()]

    # 4. Eve says nothing. 23 hours later nothing moves; at 24 hours Chloe is asked.
    asked_at = app.clock.now()
    run_job(app, messenger, asked_at + timedelta(hours=23))
    assert inbox(messenger, "Chloe Kim") == []
    result = run_job(app, messenger, asked_at + timedelta(hours=24))
    assert result["expired"] == 1
    chloe_ask = last_to(messenger, "Chloe Kim")
    statuses = [(a.member_id, a.status) for a in fetch_all(app, ObservationAskRow)]
    assert [s for _, s in sorted(statuses, key=lambda p: p[0])].count("expired") == 1

    # A late Accept from Eve is thanked but changes nothing.
    eve = person("Eve Novak")
    late = eve.press_button(button(eve_ask, "Accept"))
    assert "already moved on" in reply_text(late)

    # 5. Chloe accepts: both get the details and a real .ics invite.
    outcome = chloe.press_button(button(chloe_ask, "Accept"))
    assert "You're observing Ana Lopez's lesson" in reply_text(outcome)
    confirmation = last_to(messenger, "Ana Lopez")
    assert "Chloe Kim will observe your lesson" in confirmation.text
    for message in (confirmation, outcome.replies[0]):
        (invite,) = message.attachments
        assert (invite.filename, invite.mime_type) == ("observation.ics", "text/calendar")
        (event,) = Calendar.from_ical(invite.content).walk("VEVENT")
        assert event.decoded("dtstart") == THU_1015
        assert event.decoded("dtend") == THU_1015 + timedelta(minutes=45)
        assert (
            str(event["summary"])
            == "Peer observation: Ana Lopez's lesson (Year 9 algebra, group work)"
        )
        assert "Focus: questioning" in str(event["description"])
        assert event["attendee"].params["cn"] == "Chloe Kim"
        assert event["organizer"].params["cn"] == "Ana Lopez"
        assert str(event["status"]) == "CONFIRMED"
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.status == "confirmed" and row.observer_id is not None

    # 6. The school day before: one brief each, however often the job runs.
    run_job(app, messenger, THU_1015 - timedelta(hours=23))
    run_job(app, messenger, THU_1015 - timedelta(hours=22))
    for name in ("Ana Lopez", "Chloe Kim"):
        briefs = [d for d in inbox(messenger, name) if "Your observation brief" in d.text]
        assert len(briefs) == 1, name

    # 7. After the lesson Chloe gets the feedback form, tied to the focus.
    run_job(app, messenger, THU_1015 + timedelta(minutes=50))
    prompt = last_to(messenger, "Chloe Kim")
    opened = chloe.press_button(button(prompt, "Give feedback"))
    form = opened.replies[0].form
    assert form is not None
    assert [i.name for i in form.inputs] == [
        "strengths",
        "suggestion_1",
        "suggestion_2",
        "seen_0",
    ]
    assert "questioning" in form.inputs[0].label
    (seen,) = [i for i in form.inputs if i.name == "seen_0"]
    assert [o.label for o in seen.options] == [
        "Seen often",
        "Seen sometimes",
        "Not seen yet",
        "Didn't look",
    ]
    refused = chloe.submit(form, {"strengths": "", "suggestion_1": "", "seen_0": "7"})
    assert set(refused.form_errors) == {"strengths", "suggestion_1", "seen_0"}
    assert fetch_all(app, ObservationFeedbackRow) == []
    sent = chloe.submit(
        form,
        {
            "strengths": "Great wait time after every question",
            "suggestion_1": "Try no-hands-up for the starter",
            "suggestion_2": "",
            "seen_0": "sometimes",
        },
    )
    assert "went to Ana only" in reply_text(sent) and "contribution" in reply_text(sent)
    feedback = last_to(messenger, "Ana Lopez")
    text = " ".join(s.text + str(s.fields) for s in feedback.blocks if hasattr(s, "fields"))
    assert "Great wait time" in text and "no-hands-up" in text and "Seen sometimes" in text
    assert "Thank you for opening your classroom" in text
    # No mentor: no share.
    assert [b.label for b in feedback.buttons()] == ["Write a reflection", "Thank Chloe"]
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.status == "done"

    # 8. Only Ana reads it: not the coordinator, not another teacher, not even the observer.
    request_id = row.id
    assert "Great wait time" in reply_text(ana.type(f"observe show {request_id}"))
    assert "private" in reply_text(maya.type(f"observe show {request_id}"))
    assert "private" in reply_text(ben.type(f"observe show {request_id}"))
    assert "Great wait time" not in reply_text(chloe.type(f"observe show {request_id}"))
    assert all("Great wait time" not in d.text for d in inbox(messenger, "Maya Patel"))
    stats = reply_text(maya.type("observe stats"))  # two teachers: counts would say who
    assert "withheld (fewer than 5 people)" in stats and "Completed" not in stats

    # 9. Ana is invited to reflect; the reflection is hers.
    opened = ana.press_button(button(feedback, "Write a reflection"))
    reflection_form = opened.replies[0].form
    assert reflection_form is not None
    done = ana.submit(
        reflection_form, {"reflection": "I rush to answer myself", "next": "Count to five"}
    )
    assert "private to you" in reply_text(done)
    (stored,) = fetch_all(app, ObservationFeedbackRow)
    (reflection,) = fetch_all(app, ReflectionRow)
    assert (
        stored.look_fors_seen == {"questioning": "seen sometimes"}
        and stored.reflection_id == reflection.id
    )
    assert (reflection.went_well, reflection.try_next, reflection.tag, reflection.visibility) == (
        "I rush to answer myself",
        "Count to five",
        "observation",
        "private",
    )
    assert "I rush to answer myself" in reply_text(ana.type(f"observe show {request_id}"))
    assert "I rush to answer myself" in reply_text(ana.type("reflections"))
    # Writing it again edits the same reflection.
    again = ana.press_button(button(feedback, "Write a reflection")).replies[0].form
    assert again is not None and again.inputs[0].initial == "I rush to answer myself"
    ana.submit(again, {"reflection": "I rush to fill silences", "next": "Count to five"})
    (reflection,) = fetch_all(app, ReflectionRow)
    assert reflection.went_well == "I rush to fill silences"

    # The feedback prompt is not repeated, and its one reminder is not sent after feedback.
    before = outbox_count(app)
    run_job(app, messenger, THU_1015 + timedelta(days=5))
    assert outbox_count(app) == before


def test_picking_one_colleague_asks_them_first(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", strengths="questioning", free="thu 10:00-11:30")
    chloe = teacher(person, "Chloe Kim", subjects="English", free="thu 10:15-11:00")
    draft = ana.type(REQUEST)
    outcome = ana.press_button(button(draft.replies[0], "Ask Chloe Kim"))
    assert "I've asked Chloe Kim" in reply_text(outcome)
    assert "If they can't, I'll ask Ben Okafor" in reply_text(outcome)
    assert inbox(messenger, "Ben Okafor") == []
    # Pressing again does nothing twice.
    again = ana.press_button(button(draft.replies[0], "Ask Chloe Kim"))
    assert "already asking colleagues" in reply_text(again)
    assert len(inbox(messenger, "Chloe Kim")) == 1
    chloe.press_button(button(last_to(messenger, "Chloe Kim"), "Accept"))
    assert "Chloe Kim will observe" in last_to(messenger, "Ana Lopez").text


def test_nobody_accepts_so_the_requester_and_coordinator_are_told(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    coordinator(app, person)
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    draft = ana.type(REQUEST)
    assert [b.label for b in draft.replies[0].buttons()] == ["Ask Ben Okafor", "Cancel"]
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Decline"))
    told = last_to(messenger, "Ana Lopez").text
    assert "I asked 1 colleague and nobody could observe" in told
    coordinator_note = last_to(messenger, "Maya Patel")
    assert "Nobody could observe Ana Lopez's lesson" in coordinator_note.text
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.status == "unmatched"


def test_no_one_free_offers_the_coordinator(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    coordinator(app, person)
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Dev Rossi", free="mon 10:00-11:00")
    draft = ana.type(REQUEST)
    assert "couldn't find a colleague who is free then" in reply_text(draft)
    ana.press_button(button(draft.replies[0], "Ask the coordinator"))
    assert "Could you help them find an observer?" in str(last_to(messenger, "Maya Patel").blocks)


def test_cancellation_by_either_side_tells_the_other(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30, fri 13:00-14:00")
    teacher(person, "Chloe Kim", free="thu 10:00-11:30")

    # The requester cancels while Ben is being asked: Ben hears it is no longer needed.
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    request_id = fetch_all(app, ObservationRequestRow)[0].id
    outcome = ana.type(f"observe cancel {request_id}")
    assert "I've let Ben Okafor know" in reply_text(outcome)
    assert "no longer needs an observer" in last_to(messenger, "Ben Okafor").text
    late = ben.press_button(button(inbox(messenger, "Ben Okafor")[0].message, "Accept"))
    assert "already moved on" in reply_text(late)
    assert inbox(messenger, "Chloe Kim") == []

    # The observer cancels a confirmed one: the requester is told, with a cancelling .ics.
    draft = ana.type("observe fri 13:00-13:50 focus: engagement")
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    confirmed = fetch_all(app, ObservationRequestRow, ObservationRequestRow.status == "confirmed")
    assert len(confirmed) == 1
    outcome = ben.press_button(button(last_to(messenger, "Ana Lopez"), "Cancel observation"))
    assert "I've let Ana Lopez know" in reply_text(outcome)
    told = last_to(messenger, "Ana Lopez")
    assert "Ben Okafor cancelled the observation" in told.text
    (invite,) = told.attachments
    assert "METHOD:CANCEL" in invite.content and "STATUS:CANCELLED" in invite.content
    # Someone else cannot cancel, and a cancelled one cannot be cancelled again.
    chloe = person("Chloe Kim")
    assert "Only the teacher and their observer" in reply_text(
        chloe.type(f"observe cancel {confirmed[0].id}")
    )
    assert "already cancelled" in reply_text(ana.type(f"observe cancel {confirmed[0].id}"))


def test_an_observer_already_booked_then_is_not_suggested_or_double_booked(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    chloe = teacher(person, "Chloe Kim", free="thu 10:00-11:30")
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    # Chloe asks for the same slot: Ben is busy observing Ana then, and Ana is teaching.
    other = chloe.type("observe thu 10:30-11:00 focus: engagement")
    assert "Ben Okafor" not in reply_text(other)
    assert "Ana Lopez" not in reply_text(other)
    assert "couldn't find a colleague who is free then" in reply_text(other)
    # At another time Ben is free again.
    later = chloe.type("observe thu 11:00-11:30 focus: engagement")
    assert "Ask Ben Okafor" in [b.label for b in later.replies[0].buttons()]


def test_job_moves_an_unanswered_request_to_unmatched_when_the_lesson_starts(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="mon 12:00-15:00")
    draft = ana.type("observe today 13:00-14:00 focus: engagement")
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    run_job(app, messenger, datetime(2026, 11, 23, 13, 0, tzinfo=UTC))
    assert "nobody could observe" in last_to(messenger, "Ana Lopez").text
    assert fetch_all(app, ObservationRequestRow)[0].status == "unmatched"


def test_feedback_is_prompted_once_and_reminded_at_most_once(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    # Too early for feedback: the form refuses before the lesson.
    request_id = fetch_all(app, ObservationRequestRow)[0].id
    early = ben.press_button(Button("Give feedback", "observe.feedback", str(request_id)))
    assert "opens once the lesson has started" in reply_text(early)
    end = THU_1015 + timedelta(minutes=45)
    for hours in (1, 2, 30):
        run_job(app, messenger, end + timedelta(hours=hours))
    prompts = [d for d in inbox(messenger, "Ben Okafor") if "Give feedback" in d.text]
    assert len(prompts) == 1
    for days in (2, 3, 9):
        run_job(app, messenger, end + timedelta(days=days, hours=1))
    nudges = [d for d in inbox(messenger, "Ben Okafor") if "gentle nudge" in d.text]
    assert len(nudges) == 1 and "the only one" in nudges[0].text


def test_the_job_is_idempotent_when_two_copies_run(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    teacher(person, "Chloe Kim", free="thu 10:00-11:30")
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask them in turn"))
    later = app.clock.now() + timedelta(hours=25)
    first = run_job(app, messenger, later)
    second = run_job(app, messenger, later)
    assert first["expired"] == 1 and second["expired"] == 0
    assert len(inbox(messenger, "Chloe Kim")) == 1


@pytest.mark.postgres  # row locks: the race is PostgreSQL's
def test_state_changes_hold_the_request_so_a_press_and_the_job_cannot_both_act(
    app: Staffroom, person: Person, messenger: ConsoleMessenger, database_url: str
) -> None:
    """On PostgreSQL a second unit of work cannot take a request another one is changing."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers already (BEGIN IMMEDIATE)")
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    ana.press_button(button(ana.type(REQUEST).replies[0], "Ask Ben Okafor"))
    (row,) = fetch_all(app, ObservationRequestRow)
    with app.uow_factory() as first, app.uow_factory() as second:
        held = first.scope(row.workspace_id).observations.lock_request(row.id)
        assert held is not None and held.status.value == "asking"
        second.session.execute(text("SET LOCAL lock_timeout = '50ms'"))  # type: ignore[attr-defined]
        with pytest.raises(OperationalError, match="lock"):
            second.scope(row.workspace_id).observations.lock_request(row.id)


def test_the_hand_over_job_is_registered_for_the_scheduler() -> None:
    from bot.features import REGISTRY
    from bot.observations.lifecycle import advance_observation_requests

    job = REGISTRY.job("observations.advance")
    assert job.run is advance_observation_requests
    assert job.every <= timedelta(minutes=15)  # a 24-hour hand-over is late by at most this


def test_an_asked_colleague_finds_and_answers_the_ask_from_observe_list(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    chloe = teacher(person, "Chloe Kim", subjects="English", free="thu 10:00-11:30")
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    (row,) = fetch_all(app, ObservationRequestRow)

    # Ben lost the message: his list has the ask, with the buttons to answer it.
    listed = ben.type("observe list")
    text = reply_text(listed)
    assert "You have no observations yet" not in text
    assert "waiting for your answer" in text
    assert f"#{row.id} Thursday 26 November, 10:15–11:00: Ana Lopez's lesson, questioning" in text
    labels = [b.label for b in listed.replies[0].buttons()]
    assert labels == [f"Accept #{row.id}", f"Decline #{row.id}"]
    shown = ben.type(f"observe show {row.id}")
    assert "Year 9 algebra, group work" in reply_text(shown)
    assert [b.label for b in shown.replies[0].buttons()] == labels
    # Chloe is next in the queue but not asked yet: nothing to answer, nothing to see.
    assert "You have no observations yet" in reply_text(chloe.type("observe list"))
    assert "private" in reply_text(chloe.type(f"observe show {row.id}"))

    accepted = ben.press_button(button(listed.replies[0], f"Accept #{row.id}"))
    assert "You're observing Ana Lopez's lesson" in reply_text(accepted)
    assert "Ben Okafor will observe your lesson" in last_to(messenger, "Ana Lopez").text

    # Now he observes it, and once the lesson has started the list offers the feedback form.
    listed = ben.type("observe list")
    assert "you observe Ana Lopez, questioning (confirmed)" in reply_text(listed)
    assert "waiting for your answer" not in reply_text(listed)
    assert listed.replies[0].buttons() == []
    app.clock.set(THU_1015 + timedelta(minutes=50))  # type: ignore[attr-defined]
    listed = ben.type("observe list")
    opened = ben.press_button(button(listed.replies[0], f"Give feedback #{row.id}"))
    assert opened.replies[0].form is not None


def test_observe_stats_counts_once_five_teachers_are_behind_them(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya = coordinator(app, person)
    teacher(person, "Fran Observer", free="thu 10:00-11:30")
    for name in ("Ana Lopez", "Ben Okafor", "Cara Kim", "Dev Shah", "Eli Ward"):
        asker = teacher(person, name)
        draft = asker.type("observe thu 10:15-11:00 focus: questioning")
        assert asker.press_button(button(draft.replies[0], "Ask Fran Observer")).ok
    stats = " ".join(reply_text(maya.type("observe stats")).split())
    assert "Requested: 5" in stats and "Looking for an observer: 5" in stats
