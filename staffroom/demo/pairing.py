"""The demo's pairing chapter: a coordinator previews, tunes and publishes rounds; the schedule does
the rest; a pair says whether they met. Everything goes through the real console adapter and core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform

if TYPE_CHECKING:
    from adapters.console.messenger import ConsoleMessenger
    from adapters.console.session import ConsoleSession
    from bot.kernel.delivery import DeliveryWorker
    from staffroom.bootstrap import Staffroom
    from staffroom.demo.narrator import Narrator
    from staffroom.demo.school import Teacher


def pairing_chapter(
    story: Narrator,
    app: Staffroom,
    clock: ManualClock,
    coordinator: ConsoleSession,
    session: Callable[..., ConsoleSession],
    teachers: list[Teacher],
    worker: DeliveryWorker,
    messenger: ConsoleMessenger,
) -> None:
    from adapters.console.render import render
    from adapters.console.session import console_user_id
    from bot.pairing.scheduled import run_due_pairing_rounds

    story.chapter("5. Pairing: mentors and peer groups, chosen on purpose and explained")
    # Imported teachers open Staffroom once (that first message is their consent), so they can be paired.
    for teacher in teachers:
        session(teacher).type("profile")
    c = coordinator
    for line in (
        'pair preview "New Teacher Mentoring"',
        'pair tune "Cross-subject Peer Groups" focus=cross_subject',
        'pair preview "Cross-subject Peer Groups"',
    ):
        story.transcript(c.name, line)
        c.type(line)
    a, b = teachers[-1], teachers[-2]
    story.say(
        f"\n(The coordinator knows {a.name} and {b.name} co-teach already: no need to pair them.)"
    )
    sent_before = len(messenger.delivered)
    for line in (
        f'pair forbid "Cross-subject Peer Groups" {a.name} with {b.name} always',
        'pair publish "New Teacher Mentoring"',
        'pair publish "Cross-subject Peer Groups"',
    ):
        story.transcript(c.name, line)
        c.type(line)
    worker.drain()
    intros = [
        d for d in messenger.delivered[sent_before:] if d.message.text.startswith("Meet your")
    ]
    story.say(
        f"\n{len(intros)} introductions were delivered. Two of them, as the teachers see them:"
    )
    shown: set[str] = set()
    for wanted in ("Meet your mentor", "Meet your peer"):
        example = next(
            (
                d
                for d in intros
                if d.message.text.startswith(wanted) and d.recipient_user_id not in shown
            ),
            None,
        )
        if example is not None:
            shown.add(example.recipient_user_id)
            name = next(
                (t.name for t in teachers if console_user_id(t.name) == example.recipient_user_id),
                example.recipient_user_id,
            )
            story.say(f"\n📨 to {name}:\n{render(example.message)[0]}")

    story.say("\nA week later, halfway through the peer round, the scheduler asks every pair:")
    clock.advance(timedelta(weeks=1))
    report = run_due_pairing_rounds(app.uow_factory, clock.now())
    before = len(messenger.delivered)
    worker.drain()
    asked = [d for d in messenger.delivered[before:] if "did you manage to meet" in d.message.text]
    story.say(f"({report.met_checks} “did you meet?” messages went out.)")
    if asked:
        first = asked[0]
        person = next(t for t in teachers if console_user_id(t.name) == first.recipient_user_id)
        s = session(person, loud=True)
        story.say(f"\n📨 to {person.name}:\n{render(first.message)[0]}")
        story.transcript(person.name, "(taps “Yes, we met”)")
        yes = next(btn for btn in first.message.buttons() if btn.label.startswith("Yes"))
        s.press_button(yes)

    clock.advance(timedelta(weeks=1))
    report = run_due_pairing_rounds(app.uow_factory, clock.now())
    before = len(messenger.delivered)
    worker.drain()
    story.say(
        f"\nTwo weeks after the first peer round, the scheduler published: "
        f"{', '.join(report.published) or 'nothing'}. The coordinator's summary:"
    )
    summary = next(
        (
            d
            for d in messenger.delivered[before:]
            if d.message.text.startswith("Published on schedule")
            and d.recipient_user_id == console_user_id(c.name)
        ),
        None,
    )
    if summary is not None:
        story.say("\n".join(summary.message.text.splitlines()[:8]) + "\n…")
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert ws is not None
        story.say(
            "Nobody met a partner from the last round again, and nobody was left out without a word."
        )
