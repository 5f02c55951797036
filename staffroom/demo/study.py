"""The demo's lesson-study chapter: four colleagues plan one research lesson, one teaches it while the
other three each watch a group of students, their notes reach the group for the debrief, and each
proposes one revision.

Everything goes through the console's real commands, buttons and forms and the real periodic job on
the demo's clock; the coordinator's view shows the phases and dates and never a note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession, console_user_id
from bot.features import REGISTRY
from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.messages import Button, Message
from staffroom.bootstrap import Staffroom
from staffroom.demo.school import Teacher

Say = Callable[[str], None]

PLAN = {
    "question": "Do students reason about equivalent fractions when they talk before they write?",
    "goal": "Students explain why 2/4 and 3/6 are the same amount",
    "students_do": "Fold paper strips in pairs, then explain to another pair",
    "watch_for": "Who explains, who writes, and the words students use",
    "link": "https://docs.example.org/fractions-research-lesson",
}
WATCH = ("table 1 (the quiet pair)", "table 3", "who explains their thinking")
NOTES = (
    "Both folded first and only spoke once their strips matched; one said 'same size'",
    "Table 3 argued 3/6 was bigger until one of them folded it",
    "Four students explained; most said 'same amount', two used 'half'",
)
REVISIONS = (
    "Give each pair a sentence starter: 'They are the same because...'",
    "Start with 3/6 so the argument comes first",
    "Ask 'how do you know?' twice before anyone writes",
    "Pairs talk for a minute before they fold",
)


def lesson_study_chapter(
    *,
    app: Staffroom,
    clock: ManualClock,
    worker: DeliveryWorker,
    messenger: ConsoleMessenger,
    teachers: list[Teacher],
    coordinator: Teacher,
    session: Callable[..., ConsoleSession],
    chapter: Say,
    say: Say,
    transcript: Callable[[str, str], None],
) -> None:
    london = [t for t in teachers if t.timezone == "Europe/London"]
    if len(london) < 4:
        say("(Too few teachers in London for the lesson-study chapter; skipped.)")
        return
    chapter("Lesson study: a group plans a research lesson, watches the students, and revises it")
    starter, teacher, *observers = london[:4]
    a, t = session(starter, loud=True), session(teacher, loud=True)
    names = ", ".join(p.name for p in (teacher, *observers[:-1])) + f" and {observers[-1].name}"
    line = f"study start Fractions talk with {names}"
    transcript(starter.name, line)
    started = a.type(line)
    transcript(starter.name, "[presses “Share the plan” and fills in the short form]")
    a.press_button(_button(started.replies[0].buttons(), "Share the plan"))
    assert a.pending_form is not None
    a.submit(a.pending_form, PLAN)
    worker.drain()

    transcript(teacher.name, "[presses “I'll teach it: book the lesson”]")
    t.press_button(_button(_newest(messenger, teacher).buttons(), "I'll teach it: book the lesson"))
    form = t.pending_form
    assert form is not None
    focus = {i.name: watch for i, watch in zip(form.inputs[3:], WATCH, strict=True)}
    day = _booked(t, clock, {"period": "P3", "class_name": "7B", **focus})
    say(f"({teacher.name} teaches it on {day:%A %d %B}; {starter.name} watches {WATCH[0]}.)")
    worker.drain()
    clock.set(datetime.combine(day, time(15, 0), tzinfo=ZoneInfo(starter.timezone)))
    say("\n(The lesson happens. Afterwards each observer posts what the students did.)")
    for person, note in zip((starter, *observers), NOTES, strict=True):
        transcript(person.name, f"study note {note}")
        session(person, loud=person is starter).type(f"study note {note}")
    worker.drain()
    _show(messenger, starter, say, "the notes, gathered for the group's debrief")
    say("\n(After the debrief, each proposes one change to the lesson.)")
    for person, change in zip((starter, teacher, *observers), REVISIONS, strict=True):
        transcript(person.name, f"study revise {change}")
        session(person, loud=person is teacher).type(f"study revise {change}")
    worker.drain()
    _show(messenger, starter, say, "the revised lesson")
    _run_job(app, clock, worker)
    transcript(starter.name, "study done")
    a.type("study done")
    c = session(coordinator, loud=True)
    transcript(
        coordinator.name, "study list   (phases and dates only; the notes stay with the group)"
    )
    c.type("study list")


def _show(messenger: ConsoleMessenger, person: Teacher, say: Say, what: str) -> None:
    """One member's copy of what the whole group was sent (each of the four gets the same)."""
    uid = console_user_id(person.name)
    delivered = [d for d in messenger.delivered if d.recipient_user_id == uid][-1]
    say(
        f"\n📨 to {person.name} ({what}; every member of the group gets the same):\n{delivered.text}"
    )


def _booked(t: ConsoleSession, clock: ManualClock, values: dict[str, str]) -> date:
    """The next school day the form accepts, at least two days ahead (the teacher's own pick)."""
    form = t.pending_form
    assert form is not None
    day = clock.now().date() + timedelta(days=2)
    for _ in range(21):
        if day.weekday() < 5 and t.submit(form, {**values, "date": day.isoformat()}).ok:
            return day
        day += timedelta(days=1)
    raise LookupError("no school day in three weeks")


def _run_job(app: Staffroom, clock: ManualClock, worker: DeliveryWorker) -> None:
    REGISTRY.job("study.advance").run(app.uow_factory, clock.now())
    worker.drain()


def _button(buttons: list[Button] | tuple[Button, ...], label: str) -> Button:
    return next(b for b in buttons if b.label == label)


def _newest(messenger: ConsoleMessenger, person: Teacher) -> Message:
    uid = console_user_id(person.name)
    message: Message = [d for d in messenger.delivered if d.recipient_user_id == uid][-1].message
    return message
