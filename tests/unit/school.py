"""A school for the unit tier: the real dispatcher and registry over the in-memory fakes.

``School()`` holds a ``Bot`` built exactly as the composition root builds one (``bot.features.REGISTRY``,
a ``ManualClock``, ``Settings``), but with ``FakeUnitOfWorkFactory`` where SQL would be. ``Teacher``
is one person talking to it from Slack: they type, press buttons and submit forms, and keep what they
were last shown, so a test reads like what a person does and sees.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.features import REGISTRY
from bot.kernel.clock import ManualClock
from bot.kernel.dispatch import Bot, Outcome
from bot.kernel.domain import Member, Platform, Role
from bot.kernel.events import Actor, FormValue, Inbound, InboundKind
from bot.kernel.messages import Button, Form, Message, Section, message_from_dict, unsaid
from bot.kernel.settings import Settings
from tests.support.fakes import FakeScope, FakeUnitOfWorkFactory, InMemoryDatabase
from tests.support.fakes.core import OUTBOX, OutboxRow

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, as in tests/conftest.py
WORKSPACE = "T-HILLCREST"

PROFILE: dict[str, FormValue] = {
    "subjects": "Maths, Physics",
    "grade_bands": ["9-10"],
    "years_experience": "3",
    "school": "Hillcrest High",
    "timezone": "Europe/London",
    "goals": "Ask more open questions",
    "strengths": "",
}


def fields_of(message: Message) -> dict[str, str]:
    """The labelled fields of a message's first section that has any (a profile, a program)."""
    fields = next(b for b in message.blocks if isinstance(b, Section) and b.fields).fields
    return {unsaid(k): unsaid(v) for k, v in fields}  # as read: what people wrote is plain words


class School:
    def __init__(self, start: datetime = START) -> None:
        self.clock = ManualClock(start)
        self.db = InMemoryDatabase()
        self.uow_factory = FakeUnitOfWorkFactory(self.db, self.clock.now)
        self.bot = Bot(self.uow_factory, self.clock, Settings(), REGISTRY)
        self._user_ids = itertools.count(1)

    def person(
        self, name: str, *, timezone: str | None = "Europe/London", email: str | None = None
    ) -> Teacher:
        return Teacher(self, name, f"U{next(self._user_ids):04d}", timezone, email)

    def teacher(self, name: str, **profile: FormValue) -> Teacher:
        """Someone who has joined through the real profile form."""
        timezone = profile.get("timezone", PROFILE["timezone"])
        assert isinstance(timezone, str)
        return self.person(name, timezone=timezone).join("", **profile)

    def coordinator(self, name: str = "Cora Coordinator") -> Teacher:
        """A teacher the IT admin made a coordinator (the CLI's ``grant-role``, done directly)."""
        cora = self.teacher(name)
        with self.scope(commit=True) as repos:
            member = repos.members.by_platform_user(cora.user_id)
            assert member is not None
            member.role = Role.COORDINATOR
            repos.members.save(member)
        return cora

    @contextmanager
    def scope(self, *, commit: bool = False) -> Iterator[FakeScope]:
        """The school's repositories in a unit of work of their own: how a test reads what is stored."""
        with self.uow_factory() as uow:
            workspace = uow.workspaces.by_external_id(Platform.SLACK, WORKSPACE)
            assert workspace is not None, "nobody has written to Staffroom in this school yet"
            yield uow.scope(workspace.id)
            if commit:
                uow.commit()

    def member(self, who: Teacher) -> Member:
        with self.scope() as repos:
            found = repos.members.by_platform_user(who.user_id)
        assert found is not None, f"{who.name} is not stored"
        return found

    def outbox(self, prefix: str = "") -> list[OutboxRow]:
        """Committed outbox rows whose idempotency key starts with ``prefix``, oldest first."""
        rows: list[OutboxRow] = self.db.committed(OUTBOX)
        return [r for r in rows if r.idempotency_key.startswith(prefix)]

    def messages_to(self, who: Teacher, prefix: str = "") -> list[Message]:
        """What the outbox will deliver to someone, as the neutral message their platform renders."""
        return [
            message_from_dict(r.payload)
            for r in self.outbox(prefix)
            if r.recipient_user_id == who.user_id
        ]

    def run_job(self, name: str) -> Any:
        """A periodic job, run at the clock's time with the same callable the scheduler runs."""
        return REGISTRY.job(name).run(self.uow_factory, self.clock.now())


@dataclass
class Teacher:
    school: School
    name: str
    user_id: str
    timezone: str | None
    email: str | None
    shown: list[Message] = field(default_factory=list)
    """The replies to the last thing they did."""

    @property
    def actor(self) -> Actor:
        return Actor(
            platform=Platform.SLACK,
            workspace_external_id=WORKSPACE,
            user_id=self.user_id,
            display_name=self.name,
            workspace_name="Hillcrest High",
            timezone=self.timezone,
            email=self.email,
        )

    def _send(self, inbound: Inbound) -> Outcome:
        outcome = self.school.bot.handle(inbound)
        self.shown = outcome.replies
        return outcome

    def say(self, text: str, *, delivery_id: str | None = None) -> Outcome:
        return self._send(
            Inbound(self.actor, InboundKind.COMMAND, text=text, delivery_id=delivery_id)
        )

    def press(self, button: Button, *, delivery_id: str | None = None) -> Outcome:
        return self._send(
            Inbound(
                self.actor,
                InboundKind.ACTION,
                action_id=button.action_id,
                value=button.value,
                delivery_id=delivery_id,
            )
        )

    def submit(self, form: Form, values: dict[str, FormValue]) -> Outcome:
        payload: dict[str, FormValue] = {**values, "__state__": form.state}
        return self._send(
            Inbound(self.actor, InboundKind.FORM, form_id=form.form_id, values=payload)
        )

    # --- what they see --------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Everything the last replies said, as plain text."""
        return "\n".join(m.text for m in self.shown)

    @property
    def form(self) -> Form:
        forms = [m.form for m in self.shown if m.form is not None]
        assert len(forms) == 1, f"expected one form, was shown: {self.text!r}"
        return forms[0]

    def button(self, label: str, messages: list[Message] | None = None) -> Button:
        """The button with this label among what they were shown (or among ``messages``)."""
        buttons = [b for m in (self.shown if messages is None else messages) for b in m.buttons()]
        found = [b for b in buttons if b.label == label]
        assert found, f"no button {label!r}; buttons: {[b.label for b in buttons]}"
        return found[0]

    # --- common journeys -------------------------------------------------------------------------

    def join(self, program: str = "", **profile: FormValue) -> Teacher:
        self.say(f"join {program}".strip())
        outcome = self.submit(self.form, {**PROFILE, "display_name": self.name, **profile})
        assert outcome.ok, self.text
        return self
