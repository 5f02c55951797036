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
from tests.conftest import Person, joined
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


def group(
    app: Staffroom, person: Person, *, timezone: str = "Europe/London"
) -> dict[str, ConsoleSession]:
    """Ana (who starts cycles, so theirs run in her ``timezone``), Ben, Cora, Dan and Maya, the coordinator."""
    ana = person("Ana Lopez", timezone=timezone)
    people = {"Ana": joined(ana, subjects="Maths", grade_bands=["9-10"], timezone=timezone)}
    for name in ("Ben Okafor", "Cora Diaz", "Dan Wu"):
        people[name.split()[0]] = teacher(person, name)
    people["Maya"] = coordinator(app, person)
    return people


def share_plan(session: ConsoleSession, ref: str = "#1") -> None:
    session.type(f"study plan {ref}")
    form = session.pending_form
    assert form is not None and form.form_id == "study.plan", session.shown  # type: ignore[attr-defined]
    outcome = session.submit(form, PLAN)
    assert outcome.ok, replies(outcome)


def book(session: ConsoleSession, day: str, ref: str = "#1") -> None:
    """``session`` books the lesson (P3, class 7B) for ``day``, giving observer n table n to watch."""
    session.type(f"study book {ref}")
    form = session.pending_form
    assert form is not None and form.form_id == "study.book", session.shown  # type: ignore[attr-defined]
    values = {"date": day, "period": "P3", "class_name": "7B"}
    values.update({i.name: f"table {n}" for n, i in enumerate(form.inputs[3:], 1)})
    outcome = session.submit(form, values)
    assert outcome.ok, replies(outcome)


def taught(people: dict[str, ConsoleSession], day: str = "2026-11-26") -> None:
    """Ana starts the cycle and shares the plan; Ben books the lesson on ``day`` and the others observe."""
    assert people["Ana"].type(START).ok
    share_plan(people["Ana"])
    book(people["Ben"], day)


def tally(messenger: ConsoleMessenger, fragment: str) -> dict[str, int]:
    """How many messages with ``fragment`` each of the group has been sent."""
    names = ("Ana Lopez", "Ben Okafor", "Cora Diaz", "Dan Wu", "Maya Patel")
    return {name.split()[0]: len(sent(messenger, name, fragment)) for name in names}


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
