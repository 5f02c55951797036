"""A small staffroom for observation tests: people with subjects, grades, strengths and free periods."""

from __future__ import annotations

from datetime import datetime

from adapters.console.messenger import ConsoleMessenger, Delivered
from adapters.console.session import ConsoleSession, console_user_id
from bot.kernel.domain import Platform, Role
from bot.kernel.messages import Button, Message
from bot.observations.lifecycle import advance_observation_requests
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import OutboxRow
from tests.conftest import Person, count, joined


def teacher(
    person: Person,
    name: str,
    *,
    subjects: str = "Maths",
    grades: tuple[str, ...] = ("9-10",),
    strengths: str = "",
    free: str | None = None,
    workspace: str = "local",
) -> ConsoleSession:
    session = joined(
        person(name, workspace=workspace),
        subjects=subjects,
        grade_bands=list(grades),
        strengths=strengths,
    )
    if free:
        outcome = session.type(f"free add {free}")
        assert outcome.ok, outcome.replies
    return session


def coordinator(app: Staffroom, person: Person, name: str = "Maya Patel") -> ConsoleSession:
    maya = joined(person(name), subjects="Science", grade_bands=["6-8"])
    grant_role(app, "console:local", name, Role.COORDINATOR)
    return maya


def inbox(messenger: ConsoleMessenger, name: str) -> list[Delivered]:
    """Everything delivered to one person through the outbox, oldest first."""
    return [d for d in messenger.delivered if d.recipient_user_id == console_user_id(name)]


def last_to(messenger: ConsoleMessenger, name: str) -> Message:
    delivered = inbox(messenger, name)
    assert delivered, f"nothing was delivered to {name}"
    return delivered[-1].message


def button(message: Message, label: str) -> Button:
    found = [b for b in message.buttons() if b.label == label]
    assert found, f"no button {label!r} in {[b.label for b in message.buttons()]}"
    return found[0]


def run_job(
    app: Staffroom, messenger: ConsoleMessenger, at: datetime | None = None
) -> dict[str, int]:
    """The periodic job at the clock's time, then delivery, as the scheduler and worker would."""
    if at is not None:
        app.clock.set(at)  # type: ignore[attr-defined]
    result = advance_observation_requests(app.uow_factory, app.clock.now())
    app.worker({Platform.CONSOLE: messenger}, worker_id="job").drain()
    return result


def outbox_count(app: Staffroom) -> int:
    return count(app, OutboxRow)


def reply_text(outcome: object) -> str:
    replies = outcome.replies  # type: ignore[attr-defined]
    return "\n".join(r.text + " " + " ".join(_block_text(r)) for r in replies)


def _block_text(message: Message) -> list[str]:
    from adapters.console.render import render

    return [render(message)[0]]
