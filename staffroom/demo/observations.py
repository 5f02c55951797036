"""The demo's peer-observation chapter: one observation from request to feedback.

Everything goes through the console adapter's real inbound path and the real periodic job, with the
demo's simulated clock: a teacher asks in one line, sees the reading and suggestions, one colleague
declines, one stays silent for a day, one accepts; both get an invite; after the lesson the observer
gives feedback that only the teacher sees, and the teacher reflects.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession, console_user_id
from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.messages import Button, Message
from bot.observations.lifecycle import advance_observation_requests
from staffroom.bootstrap import Staffroom
from staffroom.demo.school import Teacher

Say = Callable[[str], None]


def observation_chapter(
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
        say("(Too few teachers in London for the observation chapter; skipped.)")
        return
    chapter("Peer observation: from a one-line request to feedback and a reflection")
    ana, colleagues = london[0], london[1:4]
    for person in (ana, *colleagues):
        session(person).type("resume")  # whoever took a break in the weeks above is back
    helper = colleagues[0]
    h = session(helper, loud=True)
    transcript(helper.name, "free add mon 11:10-12:10, thu 10:00-11:30")
    h.type("free add mon 11:10-12:10, thu 10:00-11:30")
    for other in colleagues[1:]:
        session(other).type("free add thu 9:50-11:00, fri 9:00-10:00")
    say(
        f"({', '.join(c.name for c in colleagues[1:])} declared Thursday and Friday free periods too.)"
    )

    a = session(ana, loud=True)
    transcript(ana.name, "free add thu 11:00-11:30, fri 9:00-9:30")
    a.type("free add thu 11:00-11:30, fri 9:00-9:30")
    line = (
        'observe thu 10:15-11:00 focus: questioning "Year 9 algebra, group work" '
        "question: Do the quiet students get a turn to talk?"
    )
    transcript(ana.name, line)
    a.type(line)
    pick = _button(a.buttons, "Ask them in turn")
    transcript(ana.name, f"[presses “{pick.label}”]")
    messenger.quiet = False  # from here on, show the direct messages as they are delivered
    try:
        a.press_button(pick)
        first = _asked(messenger, colleagues)
        f = session(first, loud=True)
        transcript(first.name, "[presses “Decline”]")
        f.press_button(_button(_last(messenger, first).buttons(), "Decline"))
        second = _asked(messenger, colleagues, exclude={first.name})
        say(f"\n({second.name} doesn't answer. A day passes; the periodic job moves on.)")
        clock.advance(timedelta(hours=24, minutes=5))
        advance_observation_requests(app.uow_factory, clock.now())
        worker.drain()
        third = _asked(messenger, colleagues, exclude={first.name, second.name})
        t = session(third, loud=True)
        transcript(third.name, "[presses “Accept”]")
        t.press_button(_button(_last(messenger, third).buttons(), "Accept"))
        invite = _last(messenger, ana).attachments[0]
        say(f"\nThe attached {invite.filename} ({invite.mime_type}) begins:")
        say("\n".join("    " + x for x in invite.content.splitlines()[:12]))

        lesson_start = _lesson_start(app)
        say(
            "\n(The school day before, the job sends both of them the brief: the focus, the "
            f"class, the look-fors and {ana.name.split()[0]}'s question.)"
        )
        clock.set(lesson_start - timedelta(hours=16))
        advance_observation_requests(app.uow_factory, clock.now())
        worker.drain()
        say(
            "\n(The lesson happens. Soon after it ends, the observer is asked for feedback and both "
            "are offered ten minutes to debrief when they are both free.)"
        )
        clock.set(lesson_start + timedelta(minutes=55))
        advance_observation_requests(app.uow_factory, clock.now())
        worker.drain()
        transcript(third.name, "[presses “Give feedback” and fills in the short form]")
        t.press_button(_button(_last(messenger, third).buttons(), "Give feedback"))
        form = t.pending_form
        assert form is not None
        values: dict[str, str | list[str]] = {
            "strengths": "Every question waited 3-5 seconds; the group task made everyone talk maths",
            "suggestion_1": "Try a hinge question before the group work to check who is ready",
            "suggestion_2": "",
            "seen_0": "often",
        }
        t.submit(form, values)
        thank = next(b for b in _last(messenger, ana).buttons() if b.label.startswith("Thank"))
        transcript(ana.name, f"[presses “{thank.label}” and writes a line]")
        a.press_button(thank)
        thanks = a.pending_form
        assert thanks is not None
        a.submit(thanks, {"thanks": "Thank you for giving up your free period; the notes helped."})
        transcript(ana.name, "[presses “Write a reflection”]")
        a.press_button(_button(_last(messenger, ana).buttons(), "Write a reflection"))
        reflection = a.pending_form
        assert reflection is not None
        a.submit(
            reflection,
            {
                "reflection": "I answer my own questions when the silence feels long",
                "next": "Count to five, then cold-call",
            },
        )
    finally:
        messenger.quiet = True
    c = session(coordinator, loud=True)
    transcript(coordinator.name, "observe stats")
    c.type("observe stats")
    transcript(coordinator.name, "observe show 1   (the feedback itself stays private)")
    c.type("observe show 1")


def _button(buttons: list[Button] | tuple[Button, ...], label: str) -> Button:
    return next(b for b in buttons if b.label == label)


def _last(messenger: ConsoleMessenger, person: Teacher) -> Message:
    uid = console_user_id(person.name)
    message: Message = [d for d in messenger.delivered if d.recipient_user_id == uid][-1].message
    return message


def _asked(
    messenger: ConsoleMessenger, people: list[Teacher], exclude: set[str] | None = None
) -> Teacher:
    """Who was just asked to observe (the newest Accept/Decline message among them)."""
    exclude = exclude or set()
    by_id = {console_user_id(p.name): p for p in people if p.name not in exclude}
    for delivered in reversed(messenger.delivered):
        person = by_id.get(delivered.recipient_user_id)
        if person and any(b.label == "Accept" for b in delivered.message.buttons()):
            return person
    raise LookupError("nobody was asked")


def _lesson_start(app: Staffroom) -> datetime:
    """When the confirmed lesson starts, as stored."""
    from bot.kernel.domain import Platform
    from bot.observations.model import RequestStatus

    with app.uow_factory() as uow:
        workspace = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert workspace is not None
        (request,) = uow.scope(workspace.id).observations.requests_with_status(
            (RequestStatus.CONFIRMED,)
        )
        return request.starts_at
