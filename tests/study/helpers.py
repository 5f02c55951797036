"""A small staffroom for lesson-study tests: four colleagues and a coordinator at the console, the
periodic job on the test's clock, and what each person was sent, read as words."""

from __future__ import annotations

from datetime import datetime

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.features import REGISTRY
from bot.kernel.domain import Platform
from bot.kernel.messages import Message, Section, unsaid
from staffroom.bootstrap import Staffroom
from tests.conftest import Person
from tests.observations.helpers import coordinator, inbox, teacher

START = "study start Fractions talk with Ben Okafor, Cora Diaz and Dan Wu"


def words(message: Message) -> str:
    """Everything a message says, as a person reads it."""
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block, Section):
            parts.append(block.text)
            parts += [f"{k}: {v}" for k, v in block.fields]
        else:
            parts.append(str(getattr(block, "text", "")))
    return unsaid("\n".join(parts)).replace("*", "")


def replies(outcome: object) -> str:
    return "\n".join(words(r) for r in outcome.replies)  # type: ignore[attr-defined]


def sent(messenger: ConsoleMessenger, name: str, fragment: str = "") -> list[Message]:
    return [d.message for d in inbox(messenger, name) if fragment in words(d.message)]


def group(app: Staffroom, person: Person) -> dict[str, ConsoleSession]:
    people = {
        name.split()[0]: teacher(person, name)
        for name in ("Ana Lopez", "Ben Okafor", "Cora Diaz", "Dan Wu")
    }
    people["Maya"] = coordinator(app, person)
    return people


def run_job(app: Staffroom, messenger: ConsoleMessenger, at: datetime) -> dict[str, int]:
    """The job at ``at``, twice (two copies at the same minute), then delivery."""
    app.clock.set(at)  # type: ignore[attr-defined]
    job = REGISTRY.job("study.advance")
    first = job.run(app.uow_factory, app.clock.now())
    job.run(app.uow_factory, app.clock.now())
    app.worker({Platform.CONSOLE: messenger}, worker_id="job").drain()
    assert isinstance(first, dict)
    return first


PLAN = {
    "question": "Do students reason about equivalent fractions when they talk first?",
    "goal": "Students explain why 2/4 and 3/6 are the same amount",
    "students_do": "Fold strips in pairs, then explain to another pair",
    "watch_for": "Who explains, who writes, what words students use",
    "link": "https://docs.example.org/fractions-plan",
}
