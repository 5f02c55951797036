"""Keeps each program's check-in wake time honest: anything that could bring a check-in, a reminder or
a re-send forward wakes the program, in the same transaction as the change.

It listens to the session's flushes rather than relying on every feature to remember a call: a
forgotten call would mean a teacher's check-in sent hours late. The planner never sleeps longer than
a program's grace window either, so even a change made outside the ORM is late, never missed.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, event, insert, or_, select, update
from sqlalchemy.orm import Session, attributes, sessionmaker

from storage.models.calendar import SchoolCalendarRow
from storage.models.checkins import CheckinRow, CheckinWakeupRow
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow, ProgramRow
from storage.sql import insert_ignoring_conflict

MEMBER_COLUMNS = ("timezone", "status", "paused_until", "consented_at", "joined_at", "reachable")
"""What decides whether and when a teacher is asked; a new name or goal changes nothing due."""
CHECKIN_COLUMNS = ("status", "due_at")
"""A snooze moves a check-in to tomorrow; an answer only ever makes less due."""

W = CheckinWakeupRow


def wake_on_schedule_changes(sessions: sessionmaker[Session]) -> None:
    event.listen(sessions, "after_flush", _after_flush)


def programs_to_plan(
    session: Session, workspace_id: int, now: datetime
) -> list[tuple[int, int | None]]:
    """(program id, wake generation) of the workspace's active programs with something due now."""
    rows = session.execute(
        select(ProgramRow.id, W.generation)
        .outerjoin(W, W.program_id == ProgramRow.id)
        .where(
            ProgramRow.workspace_id == workspace_id,
            ProgramRow.active.is_(True),
            or_(W.wake_at.is_(None), W.wake_at <= now),
        )
        .order_by(ProgramRow.id)
    )
    return [(program_id, generation) for program_id, generation in rows]


def sleep_until(
    session: Session, workspace_id: int, program_id: int, generation: int | None, wake: datetime
) -> bool:
    """Let the program sleep until ``wake`` unless something changed since ``generation`` was read."""
    session.flush()  # our own pending changes first, so they cannot wake what we put to sleep
    if generation is None:  # a program from before wake times: due until it has its row
        insert_ignoring_conflict(
            session,
            W.__table__,  # type: ignore[arg-type]
            {"program_id": program_id, "workspace_id": workspace_id, "generation": 0},
        )
        return False
    result = session.execute(
        update(W)
        .where(
            W.program_id == program_id, W.workspace_id == workspace_id, W.generation == generation
        )
        .values(wake_at=wake)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def wake_programs(session: Session, program_ids: Collection[int]) -> None:
    """For writes made without the ORM (a roster's memberships in bulk), which a flush never sees."""
    if program_ids:
        session.execute(
            update(W)
            .where(W.program_id.in_(list(program_ids)))
            .values(wake_at=None, generation=W.generation + 1)
            .execution_options(synchronize_session=False)
        )


def _changed(row: Any, columns: tuple[str, ...]) -> bool:
    return any(attributes.get_history(row, column).has_changes() for column in columns)


def _after_flush(session: Session, _context: Any) -> None:
    new_programs: list[ProgramRow] = []
    programs: set[int] = set()
    members: set[int] = set()
    workspaces: set[int] = set()

    def calendar(row: SchoolCalendarRow) -> None:
        if row.program_id is None:
            workspaces.add(row.workspace_id)  # the whole school's calendar: every program in it
        else:
            programs.add(row.program_id)

    for row in session.new:
        if isinstance(row, ProgramRow):
            new_programs.append(row)
        elif isinstance(row, MembershipRow | CheckinRow):
            programs.add(row.program_id)
        elif isinstance(row, SchoolCalendarRow):
            calendar(row)
    for row in session.dirty:
        if isinstance(row, ProgramRow) and session.is_modified(row):
            programs.add(row.id)
        elif isinstance(row, MembershipRow) and _changed(row, ("role", "program_id")):
            programs.add(row.program_id)
        elif isinstance(row, MemberRow) and _changed(row, MEMBER_COLUMNS):
            members.add(row.id)
        elif isinstance(row, SchoolCalendarRow) and session.is_modified(row):
            calendar(row)
        elif isinstance(row, CheckinRow) and _changed(row, CHECKIN_COLUMNS):
            programs.add(row.program_id)
    for row in session.deleted:
        if isinstance(row, SchoolCalendarRow):  # a holiday taken back brings its check-in back
            calendar(row)

    connection = session.connection()
    if new_programs:
        connection.execute(
            insert(W),
            [
                {"program_id": p.id, "workspace_id": p.workspace_id, "generation": 0}
                for p in new_programs
            ],
        )
    which: list[ColumnElement[bool]] = []
    if programs:
        which.append(W.program_id.in_(programs))
    if members:
        which.append(
            W.program_id.in_(
                select(MembershipRow.program_id).where(MembershipRow.member_id.in_(members))
            )
        )
    if workspaces:
        which.append(W.workspace_id.in_(workspaces))
    if which:
        connection.execute(
            update(W).where(or_(*which)).values(wake_at=None, generation=W.generation + 1)
        )
