"""What the doctor reads from the data: the time zones in use, and whether the outbox is moving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.kernel.domain import Platform, Role
from bot.kernel.messages import text_message
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import WorkspaceRow
from storage.models.members import MemberRow
from tests.conftest import Person, joined
from tests.doctor.conftest import Doctor

pytestmark = pytest.mark.postgres  # the doctor inspects the database itself


def _set_zone(app: Staffroom, name: str, zone: str) -> None:
    with Session(app.engine) as session, session.begin():
        session.execute(
            update(MemberRow).where(MemberRow.display_name == name).values(timezone=zone)
        )


def test_every_zone_in_use_loads(
    doctor: Doctor, database_url: str, app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    joined(person("Ben Okafor"), timezone="America/Chicago")
    grant_role(app, "console:local", "Ana Lopez", Role.ADMIN)
    ana.type("program create Maths tz=Asia/Tokyo")
    report = doctor(DATABASE_URL=database_url)
    assert report.code == 0
    assert report.line("time zones") == (
        "ok    time zones: zoneinfo loads Europe/London and all 3 zone(s) in use"
    )


def test_a_zone_the_time_zone_database_lacks_fails_with_who_uses_it(
    doctor: Doctor, database_url: str, person: Person, app: Staffroom
) -> None:
    joined(person("Ana Lopez"))
    joined(person("Ben Okafor"))
    _set_zone(app, "Ana Lopez", "Mars/Olympus_Mons")
    _set_zone(app, "Ben Okafor", "Mars/Olympus_Mons")
    report = doctor(DATABASE_URL=database_url)
    assert report.code == 1
    assert report.line("time zones") == (
        "FAIL  time zones: zoneinfo cannot load 'Mars/Olympus_Mons' (2 member(s)); "
        "fix: pip install -U tzdata for a newer time zone database, or correct the zone "
        "(`profile set tz=Europe/London` as the teacher, `program set NAME tz=...` as a coordinator)"
    )


def _queue(app: Staffroom, due: datetime, key: str, *, who: str = "Ana Lopez") -> None:
    with app.uow_factory() as uow:
        workspace = uow.workspaces.ensure(Platform.CONSOLE, "local", "local")
        repos = uow.scope(workspace.id)
        member = repos.members.find(who)
        assert member is not None
        assert repos.outbox.enqueue(member, text_message("Your check-in"), key, due)
        uow.commit()


def test_an_empty_queue_and_a_fresh_message_pass(
    doctor: Doctor, database_url: str, app: Staffroom, person: Person
) -> None:
    report = doctor(DATABASE_URL=database_url)
    assert report.line("delivery queue") == "ok    delivery queue: no message waiting to be sent"
    joined(person("Ana Lopez"))
    _queue(app, datetime.now(UTC) - timedelta(minutes=3), "fresh")
    _queue(app, datetime.now(UTC) + timedelta(hours=1), "later")  # not due: not counted
    report = doctor(DATABASE_URL=database_url)
    assert report.code == 0
    assert report.line("delivery queue") == (
        "ok    delivery queue: 1 message(s) due; the oldest has waited 3 min (console, 0 attempt(s))"
    )


def test_a_message_due_for_too_long_fails_with_its_age_and_how_to_get_it_moving(
    doctor: Doctor, database_url: str, app: Staffroom, person: Person
) -> None:
    joined(person("Ana Lopez"))
    _queue(app, datetime.now(UTC) - timedelta(minutes=5), "recent")
    _queue(app, datetime.now(UTC) - timedelta(hours=2, minutes=7), "stuck")
    report = doctor(DATABASE_URL=database_url)
    assert report.code == 1
    assert report.line("delivery queue") == (
        "FAIL  delivery queue: 2 message(s) due; the oldest has waited 2 h 7 min "
        "(console, 0 attempt(s)), over 15 min; fix: start the delivery worker "
        "(`staffroom serve slack`, `staffroom serve teams` or `staffroom worker`) "
        "and read its log for the send errors"
    )
    # A larger threshold, for a copy that delivers in batches, passes the same queue.
    assert doctor("--queue-max-age", "180", DATABASE_URL=database_url).code == 0


def test_messages_for_an_uninstalled_workspace_are_not_a_stuck_queue(
    doctor: Doctor, database_url: str, app: Staffroom, person: Person
) -> None:
    joined(person("Ana Lopez"))
    _queue(app, datetime.now(UTC) - timedelta(hours=3), "old")
    with Session(app.engine) as session, session.begin():
        session.execute(update(WorkspaceRow).values(active=False))
    report = doctor(DATABASE_URL=database_url)
    assert report.line("delivery queue") == "ok    delivery queue: no message waiting to be sent"
