"""A small school for the check-in tests: a coordinator, a program, teachers in their own time zones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.checkins.planner import PlanReport, send_due_checkins
from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.checkins import CheckinRow
from storage.models.kernel import OutboxRow
from tests.conftest import Person, joined


def setup_program(
    app: Staffroom,
    person: Person,
    *,
    teachers: dict[str, str],
    settings: str = "day=tue time=15:30",
    program: str = "PLC",
) -> ConsoleSession:
    """The coordinator creates ``program`` and adds each teacher (name -> time zone) as a peer."""
    coordinator = joined(person("Cora Coordinator"))
    grant_role(app, "console:local", "Cora Coordinator", Role.COORDINATOR)
    outcome = coordinator.type(f'program create "{program}" kind=peer {settings}')
    assert outcome.ok, outcome.replies
    for name, tz in teachers.items():
        joined(person(name, timezone=tz), timezone=tz)
        outcome = coordinator.type(f'program add "{program}" "{name}" as peer')
        assert outcome.ok, outcome.replies
    return coordinator


def plan(app: Staffroom) -> PlanReport:
    return send_due_checkins(app.uow_factory, app.clock.now())


def deliver(app: Staffroom, messenger: ConsoleMessenger) -> int:
    from bot.kernel.domain import Platform

    return app.worker({Platform.CONSOLE: messenger}, worker_id="test").drain().sent


def checkins(app: Staffroom) -> list[CheckinRow]:
    with Session(app.engine) as session:
        rows = list(session.scalars(select(CheckinRow).order_by(CheckinRow.id)))
        session.expunge_all()
        return rows


def outbox(app: Staffroom, prefix: str = "") -> list[OutboxRow]:
    with Session(app.engine) as session:
        rows = list(
            session.scalars(
                select(OutboxRow)
                .where(OutboxRow.idempotency_key.startswith(prefix))
                .order_by(OutboxRow.id)
            )
        )
        session.expunge_all()
        return rows


def user_id(name: str) -> str:
    from adapters.console.session import console_user_id

    return console_user_id(name)


def local(moment: datetime, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz))
