"""Programs and their memberships (who is in which program, in which role)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import ColumnElement, Row, and_, case, func, not_, or_, select, update
from sqlalchemy.orm import Session

from bot.kernel.domain import (
    Enrolled,
    Member,
    Membership,
    MemberStatus,
    Program,
    ProgramKind,
    ProgramRole,
    Roll,
    RollState,
)
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow, ProgramRow
from storage.repositories.checkin_wakeups import wake_programs
from storage.repositories.members import member_from_row
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
        self._held: dict[int, ProgramRow] = {}
        """Rows read, held for the unit of work so the session keeps them: Home's sections each
        read the member's programs, and without it each read asks the database again."""

    def _row(self, program_id: int) -> ProgramRow | None:
        row = self._s.get(ProgramRow, program_id)
        if row is not None:
            self._held[program_id] = row
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

    def role_counts(self, program_id: int) -> dict[ProgramRole, int]:
        rows = self._s.execute(
            select(MembershipRow.role, func.count())
            .where(MembershipRow.workspace_id == self._ws, MembershipRow.program_id == program_id)
            .group_by(MembershipRow.role)
        )
        return {ProgramRole(role): int(n) for role, n in rows}

    def with_role(self, program_id: int, role: ProgramRole) -> list[Member]:
        rows = self._s.execute(
            select(*MemberRow.__table__.columns)
            .join(MembershipRow, MembershipRow.member_id == MemberRow.id)
            .where(
                MembershipRow.workspace_id == self._ws,
                MembershipRow.program_id == program_id,
                MembershipRow.role == role.value,
                MemberRow.workspace_id == self._ws,
            )
            .order_by(MembershipRow.id)
        )
        return [member_from_row(r) for r in rows]

    def roll(
        self,
        program_id: int,
        roles: Collection[ProgramRole],
        now: datetime,
        *,
        first: int,
        offsets: Mapping[RollState, int] | None = None,
    ) -> Roll:
        # One statement, however many people: the database sorts each state and hands back its
        # count and one page of it, rather than every member of a district's program.
        pm, m = MembershipRow, MemberRow
        state = _roll_state(now)
        since = case(
            (state == RollState.NOT_STARTED.value, func.coalesce(pm.invited_at, pm.joined_at))
        )
        name: ColumnElement[str] = func.lower(m.display_name)
        if self._s.get_bind().dialect.name == "postgresql":
            name = name.collate("C")  # code point order, as Python sorts (SQLite's is binary)
        ranked = (
            select(
                m.id,
                m.display_name,
                m.platform_user_id,
                pm.invited_at,
                pm.joined_at,
                pm.reminded_at,
                state.label("state"),
                func.row_number()
                .over(partition_by=state, order_by=(since, name, m.id))
                .label("rank"),
                func.count().over(partition_by=state).label("n"),
            )
            .select_from(pm)
            .join(m, m.id == pm.member_id)
            .where(
                pm.workspace_id == self._ws,
                pm.program_id == program_id,
                pm.role.in_([r.value for r in roles]),
                m.workspace_id == self._ws,
            )
            .subquery()
        )
        r = ranked.c
        skip = {s: (offsets or {}).get(s, 0) for s in RollState}
        rows = self._s.execute(
            select(ranked)
            .where(
                or_(
                    r.rank == 1,  # every state's count, even past its last page
                    *(
                        and_(r.state == s.value, r.rank > n, r.rank <= n + first)
                        for s, n in skip.items()
                    ),
                )
            )
            .order_by(r.state, r.rank)
        )
        roll = Roll()
        for row in rows:
            key = RollState(row.state)
            roll.counts[key] = int(row.n)
            if skip[key] < row.rank <= skip[key] + first:
                roll.shown.setdefault(key, []).append(
                    Enrolled(
                        member_id=row.id,
                        display_name=row.display_name,
                        platform_user_id=row.platform_user_id,
                        invited_at=row.invited_at,
                        joined_at=row.joined_at,
                        reminded_at=row.reminded_at,
                    )
                )
        return roll

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


def _roll_state(now: datetime) -> ColumnElement[str]:
    """A member's ``RollState`` as of ``now`` in their own time zone, as ``Member.is_active_on``
    says of their local day: a paused member is back the day after ``paused_until``. Local days are
    the day before, of and after UTC's; which zones are a day off is worked out here, not in SQL."""
    m = MemberRow
    today = now.astimezone(UTC).date()
    yesterday = today - timedelta(days=1)
    behind, ahead = _zones_a_day_off(now.astimezone(UTC).replace(second=0, microsecond=0))
    back = and_(
        m.paused_until.is_not(None),
        or_(
            m.paused_until < yesterday,
            and_(m.paused_until == yesterday, m.timezone.not_in(behind)),
            and_(m.paused_until == today, m.timezone.in_(ahead)),
        ),
    )
    return case(
        (m.status == MemberStatus.OPTED_OUT.value, RollState.LEFT.value),
        (m.consented_at.is_(None), RollState.NOT_STARTED.value),
        (and_(m.status == MemberStatus.PAUSED.value, not_(back)), RollState.PAUSED.value),
        else_=RollState.ACTIVE.value,
    )


@lru_cache(maxsize=4)
def _zones_a_day_off(minute: datetime) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The zones whose date at ``minute`` is the day before UTC's, and those on the day after; a
    zone name nobody knows counts as UTC (``zone_named``), so it is in neither."""
    today = minute.date()
    behind, ahead = [], []
    for name in sorted(available_timezones()):
        try:
            day = minute.astimezone(ZoneInfo(name)).date()
        except (KeyError, ValueError):
            continue
        if day < today:
            behind.append(name)
        elif day > today:
            ahead.append(name)
    return tuple(behind), tuple(ahead)
