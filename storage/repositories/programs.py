"""Programs and their memberships (who is in which program, in which role)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session

from bot.kernel.domain import Membership, Program, ProgramKind, ProgramRole
from storage.models.programs import MembershipRow, ProgramRow
from storage.repositories.checkin_wakeups import wake_programs
from storage.sql import chunks, inserted_rows
from storage.types import Now


def program_from_row(row: ProgramRow) -> Program:
    return Program(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        kind=ProgramKind(row.kind),
        cadence_weeks=row.cadence_weeks,
        checkin_weekday=row.checkin_weekday,
        checkin_time=row.checkin_time,
        timezone=row.timezone,
        group_size=row.group_size,
        questions=list(row.questions or []),
        settings=dict(row.settings or {}),
        active=row.active,
        created_at=row.created_at,
    )


def fill_program_row(row: ProgramRow, p: Program) -> None:
    row.name = p.name
    row.kind = p.kind.value
    row.cadence_weeks = p.cadence_weeks
    row.checkin_weekday = p.checkin_weekday
    row.checkin_time = p.checkin_time
    row.timezone = p.timezone
    row.group_size = p.group_size
    row.questions = list(p.questions)
    row.settings = dict(p.settings)
    row.active = p.active


def membership_from_row(row: MembershipRow | Row[Any]) -> Membership:
    return Membership(
        id=row.id,
        program_id=row.program_id,
        member_id=row.member_id,
        role=ProgramRole(row.role),
        capacity=row.capacity,
        joined_at=row.joined_at,
        invited_at=row.invited_at,
        remind_at=row.remind_at,
        reminded_at=row.reminded_at,
    )


class SqlPrograms:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    def _row(self, program_id: int) -> ProgramRow | None:
        row = self._s.get(ProgramRow, program_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def get(self, program_id: int) -> Program | None:
        row = self._row(program_id)
        return program_from_row(row) if row else None

    def by_name(self, name: str) -> Program | None:
        row = self._s.scalars(
            select(ProgramRow).where(
                ProgramRow.workspace_id == self._ws,
                func.lower(ProgramRow.name) == name.strip().lower(),
            )
        ).first()
        return program_from_row(row) if row else None

    def list(self) -> list[Program]:
        rows = self._s.scalars(
            select(ProgramRow).where(ProgramRow.workspace_id == self._ws).order_by(ProgramRow.name)
        )
        return [program_from_row(r) for r in rows]

    def add(self, program: Program) -> Program:
        row = ProgramRow(workspace_id=self._ws, created_at=self._now())
        fill_program_row(row, program)
        self._s.add(row)
        self._s.flush()
        return program_from_row(row)

    def save(self, program: Program) -> None:
        row = self._row(program.id) if program.id is not None else None
        if row is None:
            raise LookupError(f"program {program.id} is not in this workspace")
        fill_program_row(row, program)


class SqlMemberships:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    def upsert(self, membership: Membership) -> Membership:
        row = self._s.scalars(
            select(MembershipRow).where(
                MembershipRow.workspace_id == self._ws,
                MembershipRow.program_id == membership.program_id,
                MembershipRow.member_id == membership.member_id,
            )
        ).first()
        if row is None:
            row = MembershipRow(
                workspace_id=self._ws,
                program_id=membership.program_id,
                member_id=membership.member_id,
                joined_at=self._now(),
            )
            self._s.add(row)
        row.role = membership.role.value
        row.capacity = membership.capacity
        self._s.flush()
        return membership_from_row(row)

    def upsert_many(self, memberships: Sequence[Membership]) -> None:
        programs = {m.program_id for m in memberships}
        existing = {
            (row.program_id, row.member_id): row
            for row in self._s.scalars(
                select(MembershipRow).where(
                    MembershipRow.workspace_id == self._ws, MembershipRow.program_id.in_(programs)
                )
            )
        }
        now = self._now()
        new: dict[tuple[int, int], dict[str, Any]] = {}
        for membership in memberships:
            key = (membership.program_id, membership.member_id)
            row = existing.get(key)
            if row is None:  # new ones in one statement below, not one ORM object each
                new[key] = {
                    "workspace_id": self._ws,
                    "program_id": membership.program_id,
                    "member_id": membership.member_id,
                    "joined_at": now,
                    "role": membership.role.value,
                    "capacity": membership.capacity,
                }
                continue
            row.role = membership.role.value
            row.capacity = membership.capacity
        self._s.flush()
        table = MembershipRow.__table__
        inserted_rows(self._s, table, list(new.values()), (table.c.id,))  # type: ignore[arg-type]
        wake_programs(self._s, {program_id for program_id, _member in new})

    def for_program(self, program_id: int) -> list[Membership]:
        rows = self._s.execute(
            select(*MembershipRow.__table__.columns)
            .where(MembershipRow.workspace_id == self._ws, MembershipRow.program_id == program_id)
            .order_by(MembershipRow.id)
        )
        return [membership_from_row(r) for r in rows]

    def for_member(self, member_id: int) -> list[Membership]:
        rows = self._s.scalars(
            select(MembershipRow)
            .where(MembershipRow.workspace_id == self._ws, MembershipRow.member_id == member_id)
            .order_by(MembershipRow.id)
        )
        return [membership_from_row(r) for r in rows]

    def program_ids_of(self, member_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for part in chunks(sorted(set(member_ids))):
            for member_id, program_id in self._s.execute(
                select(MembershipRow.member_id, MembershipRow.program_id)
                .where(MembershipRow.workspace_id == self._ws, MembershipRow.member_id.in_(part))
                .order_by(MembershipRow.id)
            ):
                found.setdefault(member_id, []).append(program_id)
        return {k: tuple(v) for k, v in found.items()}

    def remove(self, program_id: int, member_id: int) -> bool:
        row = self._s.scalars(
            select(MembershipRow).where(
                MembershipRow.workspace_id == self._ws,
                MembershipRow.program_id == program_id,
                MembershipRow.member_id == member_id,
            )
        ).first()
        if row is None:
            return False
        self._s.delete(row)
        return True

    def mark_invited(
        self, program_id: int, invited: Sequence[tuple[int, datetime, datetime]]
    ) -> None:
        if not invited:
            return
        fresh = {
            row.member_id: row
            for row in self._s.scalars(
                select(MembershipRow).where(
                    MembershipRow.workspace_id == self._ws,
                    MembershipRow.program_id == program_id,
                    MembershipRow.member_id.in_([m for m, _at, _remind in invited]),
                    MembershipRow.invited_at.is_(None),
                )
            )
        }
        for member_id, at, remind_at in invited:
            row = fresh.get(member_id)
            if row is not None:
                row.invited_at, row.remind_at = at, remind_at
        self._s.flush()

    def reminders_due(self, now: datetime, limit: int) -> list[Membership]:
        rows = self._s.execute(
            select(*MembershipRow.__table__.columns)
            .where(MembershipRow.workspace_id == self._ws, MembershipRow.remind_at <= now)
            .order_by(MembershipRow.remind_at, MembershipRow.id)
            .limit(limit)
        )
        return [membership_from_row(r) for r in rows]

    def plan_reminder(
        self,
        program_id: int,
        member_id: int,
        remind_at: datetime | None,
        reminded_at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"remind_at": remind_at}
        if reminded_at is not None:
            values["reminded_at"] = reminded_at
        self._s.execute(
            update(MembershipRow)
            .where(
                MembershipRow.workspace_id == self._ws,
                MembershipRow.program_id == program_id,
                MembershipRow.member_id == member_id,
            )
            .values(**values)
        )
