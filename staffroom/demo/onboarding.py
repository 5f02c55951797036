"""The demo's chapter from a roster to a first conversation: new starters are imported and invited,
one writes "hi", one stays quiet until the one gentle reminder, the coordinator sees who is waiting,
each pair gets one conversation with times they are both free, and a "We can't" ends in a new match.
Everything goes through the real console adapter, core, scheduler jobs and delivery worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.kernel.clock import ManualClock
from bot.kernel.messages import Button, Message

if TYPE_CHECKING:
    from adapters.console.messenger import ConsoleMessenger, Delivered
    from adapters.console.session import ConsoleSession
    from bot.kernel.delivery import DeliveryWorker
    from staffroom.bootstrap import Staffroom
    from staffroom.demo.narrator import Narrator

PROGRAM = "New Starters"
# name, subjects, years, role
STARTERS = (
    ("Priya Raman", "Science", 14, "mentor"),
    ("Tom Becker", "Maths", 11, "mentor"),
    ("Lena Fischer", "Science", 1, "mentee"),
    ("Omar Haddad", "Maths", 2, "mentee"),
    ("Ivy Chen", "English", 1, "mentee"),
)
FREE = "free add mon 10:00-11:00, thu 13:00-14:00"


def onboarding_chapter(
    story: Narrator,
    app: Staffroom,
    clock: ManualClock,
    coordinator: ConsoleSession,
    session: Callable[..., ConsoleSession],
    worker: DeliveryWorker,
    messenger: ConsoleMessenger,
    names: dict[str, str],
) -> None:
    from adapters.console.render import render
    from adapters.console.session import console_user_id
    from bot.features import REGISTRY
    from staffroom.demo.school import Teacher

    story.chapter("From a roster to a first conversation: new starters invited, paired, re-matched")
    tz = "Europe/London"
    people = {
        name: Teacher(
            name,
            f"{name.split()[0].lower()}@district.example",
            [subject],
            ["6-8"],
            years,
            tz,
            "Hillcrest",
        )
        for name, subject, years, _role in STARTERS
    }
    names.update({console_user_id(n): n for n in people})
    c = coordinator
    # Monday morning of the next week: new starters arrive.
    clock.set(clock.now() + timedelta(days=7 - clock.now().weekday()))
    clock.set(clock.now().replace(hour=9, minute=0, second=0, microsecond=0))
    roster = "name,email,subjects,grades,years,timezone,role,platform_user_id\n" + "".join(
        f"{t.name},{t.email},{t.subjects[0]},6-8,{t.years},{tz},{role},{console_user_id(t.name)}\n"
        for t, (_n, _s, _y, role) in zip(people.values(), STARTERS, strict=True)
    )
    for line in (f'program create "{PROGRAM}" kind=mentoring day=wed time=15:00 cadence=2',):
        story.transcript(c.name, line)
        c.type(line)
    before = len(messenger.delivered)
    c.type(f"roster import {PROGRAM}")
    form = c.pending_form
    assert form is not None
    story.transcript(
        c.name, f"roster import {PROGRAM}   (pastes five new starters, by platform id)"
    )
    c.submit(form, {"program": str(form.inputs[0].initial), "csv": roster, "skip_bad": "no"})
    for mentor in ("Priya Raman", "Tom Becker"):
        line = f'program add "{PROGRAM}" "{mentor}" as mentor capacity=3'
        story.transcript(c.name, line)
        c.type(line)
    worker.drain()
    sent = messenger.delivered[before:]
    story.say(f"\n{len(sent)} invitations went out. What Ivy Chen finds:")
    story.say(render(_to(sent, "Ivy Chen")[0].message)[0])

    story.say("\nLena writes to Staffroom first; the others press Join. Ivy stays quiet.")
    lena = session(people["Lena Fischer"], loud=True)
    story.transcript("Lena Fischer", "hi")
    lena.type("hi")
    for name in ("Priya Raman", "Tom Becker", "Omar Haddad"):
        (invitation,) = _to(sent, name)
        session(people[name]).press_button(_button(invitation, "Join"))

    clock.advance(timedelta(days=3))
    REGISTRY.job("invitations.remind").run(app.uow_factory, clock.now())
    before = len(messenger.delivered)
    worker.drain()
    (reminder,) = _to(messenger.delivered[before:], "Ivy Chen")
    story.say(f"\nThree school days later ({clock.now():%a %d %b}), Ivy's one gentle reminder:")
    story.say(render(reminder.message)[0])
    story.transcript(c.name, f'program show "{PROGRAM}"')
    shown = c.type(f'program show "{PROGRAM}"').replies[0]
    story.transcript(c.name, "(presses Nudge beside Ivy Chen)")
    c.press_button(_button_in(shown, "Nudge"))
    story.transcript("Ivy Chen", "(presses Join on the reminder)")
    session(people["Ivy Chen"], loud=True).press_button(_button(reminder, "Join"))

    story.say("\nThey tell Staffroom when they are free, and the coordinator publishes the round.")
    for name in people:
        session(people[name]).type(FREE)
    before = len(messenger.delivered)
    for line in (
        f'pair pin "{PROGRAM}" Priya Raman with Lena Fischer',
        f'pair pin "{PROGRAM}" Tom Becker with Omar Haddad',
        f'pair publish "{PROGRAM}"',
    ):
        story.transcript(c.name, line)
        c.type(line)
    worker.drain()
    (intro,) = _to(messenger.delivered[before:], "Lena Fischer")
    story.say(
        "\nLena's introduction (on Slack it opens one group DM with Priya and her; on Teams it "
        "mentions them both and carries Chat and Schedule buttons):"
    )
    story.say(render(intro.message)[0])
    slot = next(b for b in intro.message.buttons() if b.action_id == "pairing.time")
    story.transcript("Lena Fischer", f"(presses {slot.label})")
    before = len(messenger.delivered)
    session(people["Lena Fischer"], loud=True).press_button(slot)
    worker.drain()
    (to_priya,) = _to(messenger.delivered[before:], "Priya Raman")
    attached = ", ".join(a.filename for a in to_priya.message.attachments)
    story.say(f"\nPriya hears: {to_priya.message.text} (attached: {attached})")

    story.say("\nA week on, halfway through the round, Omar and Tom can't make it work:")
    clock.advance(timedelta(weeks=1))
    REGISTRY.job("pairing.rounds").run(app.uow_factory, clock.now())
    before = len(messenger.delivered)
    worker.drain()
    (asked,) = _to(messenger.delivered[before:], "Omar Haddad")
    omar = session(people["Omar Haddad"], loud=True)
    story.transcript("Omar Haddad", "(presses We can't)")
    offer = omar.press_button(_button(asked, "We can't")).replies[0]
    story.transcript("Omar Haddad", "(presses Our timetables don't meet)")
    omar.press_button(_button_in(offer, "Our timetables don't meet"))
    story.transcript("Omar Haddad", "(presses Find someone now)")
    before = len(messenger.delivered)
    omar.press_button(_button_in(offer, "Find someone now"))
    worker.drain()
    intros = [d for d in messenger.delivered[before:] if "Meet your" in d.message.text]
    story.say(
        f"\n{len(intros)} new introductions went out: "
        + "; ".join(f"to {names.get(d.recipient_user_id, d.recipient_user_id)}" for d in intros)
        + ". Nobody was left waiting for the next round."
    )


def _to(delivered: list[Delivered], name: str) -> list[Delivered]:
    from adapters.console.session import console_user_id

    return [d for d in delivered if d.recipient_user_id == console_user_id(name)]


def _button(delivered: Delivered, label: str) -> Button:
    return _button_in(delivered.message, label)


def _button_in(message: Message, label: str) -> Button:
    return next(b for b in message.buttons() if b.label == label)
