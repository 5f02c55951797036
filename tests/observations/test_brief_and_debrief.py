"""The coaching conversation around an agreed observation, through the console, the real core, a real
database and the periodic job on a controlled clock: the brief a school day before (focus, look-fors,
class, the teacher's question), the debrief prompt after with ten minutes both are free, and the
teacher's thanks delivered to the observer. Every message goes once, however often the job runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.messages import Button, Message, Section, unsaid
from staffroom.bootstrap import Staffroom
from storage.models.observations import ObservationRequestRow
from tests.conftest import Person, fetch_all, joined
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

# The clock starts on Monday 23 November 2026, 09:00 UTC (London is on UTC, Madrid an hour ahead).
MON_1015 = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)
REQUEST = (
    "observe mon 30 nov 10:15-11:00 focus: questioning class: 8C look for: wait time, cold call "
    "question: Do the quiet students get a turn to talk?"
)


def _text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block, Section):
            parts.append(block.text)
            parts += [f"{k}: {v}" for k, v in block.fields]
        else:
            parts.append(str(getattr(block, "text", "")))
    return unsaid("\n".join(parts))


def _briefs(messenger: ConsoleMessenger, name: str) -> list[Message]:
    return [d.message for d in inbox(messenger, name) if "Your observation brief" in d.text]


def _madrid(person: Person, name: str, free: str) -> ConsoleSession:
    session = joined(person(name, timezone="Europe/Madrid"), timezone="Europe/Madrid")
    assert session.type(f"free add {free}").ok
    return session


def _agreed(
    app: Staffroom, person: Person, messenger: ConsoleMessenger, request: str = REQUEST
) -> tuple[ConsoleSession, ConsoleSession]:
    ana = teacher(person, "Ana Lopez", free="mon 14:00-14:30, tue 11:00-12:00")
    # Ben's free periods in Madrid time: Monday's covers the lesson, Tuesday's meets Ana's at 11:40 London.
    ben = _madrid(person, "Ben Okafor", "mon 11:00-12:30, tue 12:40-14:00")
    draft = ana.type(request)
    assert draft.ok, reply_text(draft)
    assert "Do the quiet students get a turn to talk?" in reply_text(draft)
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ask = last_to(messenger, "Ben Okafor")
    assert "Do the quiet students get a turn to talk?" in _text(ask)
    ben.press_button(button(ask, "Accept"))
    return ana, ben


def test_a_monday_lesson_is_briefed_on_friday_and_debriefed_when_both_are_free(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana, ben = _agreed(app, person, messenger)
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.question == "Do the quiet students get a turn to talk?"

    # Thursday is not the school day before a Monday; Friday at the lesson's time is.
    run_job(app, messenger, datetime(2026, 11, 26, 10, 20, tzinfo=UTC))
    run_job(app, messenger, datetime(2026, 11, 27, 10, 10, tzinfo=UTC))
    assert _briefs(messenger, "Ana Lopez") == [] and _briefs(messenger, "Ben Okafor") == []
    result = run_job(app, messenger, datetime(2026, 11, 27, 10, 15, tzinfo=UTC))
    assert result["briefed"] == 1
    (for_ana,) = _briefs(messenger, "Ana Lopez")
    (for_ben,) = _briefs(messenger, "Ben Okafor")
    ana_text, ben_text = _text(for_ana), _text(for_ben)
    assert "*Ben Okafor* observes your lesson on Monday 30 November, 10:15–11:00" in ana_text
    for text in (ana_text, ben_text):
        assert "Focus: questioning" in text
        assert "Class: 8C" in text
        assert "Look for: wait time, cold call" in text
        assert "Question to answer: Do the quiet students get a turn to talk?" in text
    assert "you observe *Ana Lopez*'s lesson on Monday 30 November, 11:15–12:00" in ben_text
    assert "Ana Lopez's question is the one thing they most want you to answer" in ben_text
    assert [b.label for b in for_ben.buttons()] == ["Cancel observation"]
    # However often the job runs, and in two copies at the same minute, nothing is sent twice.
    before = outbox_count(app)
    for at in (
        datetime(2026, 11, 27, 10, 30, tzinfo=UTC),
        datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
    ):
        run_job(app, messenger, at)
        run_job(app, messenger, at)
    assert outbox_count(app) == before

    # After the lesson: the observer's feedback prompt and the teacher's debrief, the same slot each
    # in their own time, the first ten minutes both declared free (Tuesday 11:40 in London).
    result = run_job(app, messenger, MON_1015 + timedelta(minutes=50))
    assert (result["feedback_prompts"], result["debriefs"]) == (1, 1)
    prompt = last_to(messenger, "Ben Okafor")
    assert "Give feedback" in [b.label for b in prompt.buttons()]
    assert "you're both free *Tuesday 01 December, 12:40–12:50*" in _text(prompt)
    debrief = last_to(messenger, "Ana Lopez")
    assert "Ten minutes with Ben Okafor to talk it through" in _text(debrief)
    assert "you're both free *Tuesday 01 December, 11:40–11:50*" in _text(debrief)
    assert [b.label for b in debrief.buttons()] == ["Thank Ben"]
    before = outbox_count(app)
    run_job(app, messenger, MON_1015 + timedelta(minutes=51))
    run_job(app, messenger, MON_1015 + timedelta(hours=3))
    assert outbox_count(app) == before

    # Ana thanks Ben in her words; he gets them once, and the button is not offered again.
    opened = ana.press_button(button(debrief, "Thank Ben"))
    form = opened.replies[0].form
    assert form is not None
    refused = ana.submit(form, {"thanks": ""})
    assert "A few words" in refused.form_errors["thanks"]
    sent = ana.submit(form, {"thanks": "Thank you for giving up your free period <3 *really*"})
    assert "Sent to Ben Okafor" in reply_text(sent)
    thanked = last_to(messenger, "Ben Okafor")
    assert "Ana Lopez says thank you for observing" in _text(thanked)
    assert "Thank you for giving up your free period <3 *really*" in _text(thanked)
    assert "Monday 30 November, 11:15–12:00" in _text(thanked)  # his own time
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.thanks == "Thank you for giving up your free period <3 *really*"
    assert row.thanked_at is not None
    delivered = len(inbox(messenger, "Ben Okafor"))
    again = ana.press_button(button(debrief, "Thank Ben"))
    assert "already thanked Ben Okafor" in reply_text(again)
    assert ana.submit(form, {"thanks": "Twice?"}).ok is False
    run_job(app, messenger)
    assert len(inbox(messenger, "Ben Okafor")) == delivered

    # Her feedback arrives later without a second Thank button.
    form = ben.press_button(button(prompt, "Give feedback")).replies[0].form
    assert form is not None
    ben.submit(form, {"strengths": "Long, calm pauses", "suggestion_1": "Cold call after them"})
    assert [b.label for b in last_to(messenger, "Ana Lopez").buttons()] == ["Write a reflection"]


def test_only_the_observed_teacher_can_thank_and_only_after_the_lesson(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana, ben = _agreed(app, person, messenger)
    chloe = teacher(person, "Chloe Kim")
    (row,) = fetch_all(app, ObservationRequestRow)
    forged = Button("Thank Ben", "observe.thank", str(row.id))
    early = ana.press_button(forged)
    assert "lesson hasn't happened yet" in reply_text(early)
    run_job(app, messenger, MON_1015 + timedelta(minutes=50))
    for someone in (chloe, ben):
        refused = someone.press_button(forged)
        assert "Only the teacher whose lesson was observed" in reply_text(refused)
        assert refused.replies[0].form is None
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.thanked_at is None and row.thanks == ""


def test_a_holiday_moves_the_brief_to_the_school_day_before_it(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya = coordinator(app, person)
    assert maya.type('calendar holiday 2026-11-27 name="Staff training day"').ok
    _agreed(app, person, messenger)
    run_job(app, messenger, datetime(2026, 11, 26, 10, 14, tzinfo=UTC))
    assert _briefs(messenger, "Ana Lopez") == []
    run_job(app, messenger, datetime(2026, 11, 26, 10, 15, tzinfo=UTC))
    assert len(_briefs(messenger, "Ana Lopez")) == len(_briefs(messenger, "Ben Okafor")) == 1


def test_agreed_after_the_brief_moment_the_brief_comes_at_once_unless_the_lesson_is_near(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="tue 09:00-12:00")
    chloe = teacher(person, "Chloe Kim", free="tue 13:00-15:00")
    # Tuesday's 10:15 lesson, agreed on Monday at 11:00 (after the brief's moment, Monday 10:15).
    app.clock.set(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    draft = ana.type("observe tue 10:15-11:00 focus: engagement")
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    run_job(app, messenger, datetime(2026, 11, 23, 11, 15, tzinfo=UTC))
    assert len(_briefs(messenger, "Ben Okafor")) == 1
    brief = _text(_briefs(messenger, "Ben Okafor")[0])
    assert "Ana Lopez hasn't asked a question of their own" in brief

    # Agreed 40 minutes before the lesson: the confirmation said it all, no brief.
    app.clock.set(datetime(2026, 11, 24, 12, 20, tzinfo=UTC))  # type: ignore[attr-defined]
    draft = ana.type("observe today 13:00-13:45 focus: engagement")
    ana.press_button(button(draft.replies[0], "Ask Chloe Kim"))
    chloe.press_button(button(last_to(messenger, "Chloe Kim"), "Accept"))
    run_job(app, messenger, datetime(2026, 11, 24, 12, 30, tzinfo=UTC))
    assert _briefs(messenger, "Chloe Kim") == []
    later = max(fetch_all(app, ObservationRequestRow), key=lambda r: r.id)
    assert later.brief_sent_at is not None  # let go for good, not retried on each pass


def test_no_shared_free_period_says_so_and_leaves_the_time_to_them(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")  # declared no free periods
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    draft = ana.type("observe thu 10:15-11:00 focus: questioning")
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    run_job(app, messenger, datetime(2026, 11, 26, 11, 5, tzinfo=UTC))
    debrief = _text(last_to(messenger, "Ana Lopez"))
    assert "Your free periods don't overlap this week, so pick a time together" in debrief
    assert "don't overlap" in _text(last_to(messenger, "Ben Okafor"))


def test_the_question_and_the_thanks_are_exported_and_erased_with_the_teacher(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana, _ben = _agreed(app, person, messenger)
    run_job(app, messenger, MON_1015 + timedelta(minutes=50))
    form = ana.press_button(button(last_to(messenger, "Ana Lopez"), "Thank Ben")).replies[0].form
    assert form is not None
    ana.submit(form, {"thanks": "The notes on wait time were gold"})
    confirm = ana.type("export-my-data").replies[0]
    exported = ana.press_button(button(confirm, "Yes, export my data"))
    (observation,) = json.loads(exported.replies[0].attachments[0].content)["observations"]
    assert observation["question"] == "Do the quiet students get a turn to talk?"
    assert observation["thanks_sent"]["text"] == "The notes on wait time were gold"

    ana.press_button(button(ana.type("forget-me").replies[0], "Yes, erase my data"))
    (row,) = fetch_all(app, ObservationRequestRow)
    assert (row.question, row.thanks, row.focus) == ("", "", "")
