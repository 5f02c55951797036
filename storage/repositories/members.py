"""The people of a workspace: lookups by platform id, e-mail or name, and their profiles."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.orm import Session

from bot.kernel.domain import EmailSource, Member, MemberStatus, ProgramRole, Role
from bot.kernel.names import FORGOTTEN_NAME, name_key
from storage.models.members import MemberRow
from storage.models.observations import FreePeriodRow
from storage.models.programs import MembershipRow, ProgramRow
from storage.sql import chunks
from storage.types import Now


def time_zones_in_use(session: Session) -> dict[str, tuple[int, int]]:
    """Every time zone the scheduler will be asked to load, in every workspace: zone -> (members,
    programs). Across workspaces on purpose: it is the server's own health check, not a person's read.
    """
    found: dict[str, tuple[int, int]] = {}
    for zone, n in session.execute(
        select(MemberRow.timezone, func.count()).group_by(MemberRow.timezone)
    ):
        found[zone] = (int(n), 0)
    for zone, n in session.execute(
        select(ProgramRow.timezone, func.count()).group_by(ProgramRow.timezone)
    ):
        found[zone] = (found.get(zone, (0, 0))[0], int(n))
    return found


def member_from_row(row: MemberRow | Row[Any]) -> Member:
    return Member(
        id=row.id,
        workspace_id=row.workspace_id,
        platform_user_id=row.platform_user_id,
        display_name=row.display_name,
        email=row.email,
        email_source=EmailSource(row.email_source) if row.email_source else None,
        timezone=row.timezone,
        role=Role(row.role),
        subjects=list(row.subjects or []),
        grade_bands=list(row.grade_bands or []),
        school=row.school,
        years_experience=row.years_experience,
        goals=list(row.goals or []),
        strengths=list(row.strengths or []),
        status=MemberStatus(row.status),
        paused_until=row.paused_until,
        consented_at=row.consented_at,
        joined_at=row.joined_at,
        reachable=row.reachable,
        language=row.language,
        platform_language=row.platform_language,
    )


def fill_member_row(row: MemberRow, m: Member, now: datetime) -> None:
    row.platform_user_id = m.platform_user_id
    row.display_name = m.display_name
    row.email = m.email
    row.email_source = m.email_source.value if m.email and m.email_source else None
    row.timezone = m.timezone
    row.role = m.role.value
    row.subjects = list(m.subjects)
    row.grade_bands = list(m.grade_bands)
    row.school = m.school
    row.years_experience = m.years_experience
    row.goals = list(m.goals)
    row.strengths = list(m.strengths)
    row.status = m.status.value
    row.paused_until = m.paused_until
    row.language = m.language
    row.platform_language = m.platform_language
    row.consented_at = m.consented_at
    row.joined_at = m.joined_at
    row.reachable = m.reachable
    row.updated_at = now


VOUCHED = (EmailSource.ROSTER.value, EmailSource.PLATFORM.value)
"""Addresses that may identify someone in a lookup; one typed by its owner never does."""


class SqlMembers:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now
        self._found: MemberRow | None = None
        """The row found last by platform id, held for the unit of work so the session keeps it:
        a command finds the person typing that way, and saving them then needs no second read."""

    def _row(self, member_id: int) -> MemberRow | None:
        row = self._s.get(MemberRow, member_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def get(self, member_id: int) -> Member | None:
        row = self._row(member_id)
        return member_from_row(row) if row else None

    def get_many(self, member_ids: Sequence[int]) -> dict[int, Member]:
        found: dict[int, Member] = {}
        for part in chunks(sorted(set(member_ids))):
            for row in self._s.execute(
                select(*MemberRow.__table__.columns).where(
                    MemberRow.workspace_id == self._ws, MemberRow.id.in_(part)
                )
            ):
                found[row.id] = member_from_row(row)
        return found

    def by_platform_user(self, user_id: str) -> Member | None:
        row = self._s.scalars(
            select(MemberRow).where(
                MemberRow.workspace_id == self._ws, MemberRow.platform_user_id == user_id
            )
        ).first()
        self._found = row or self._found
        return member_from_row(row) if row else None

    def find(self, text: str) -> Member | None:
        needle = text.strip().lstrip("@")
        if not needle:
            return None
        found = self.by_platform_user(needle)
        if found:
            return found
        lowered = needle.lower()
        rows = self._s.scalars(
            select(MemberRow)
            .where(
                MemberRow.workspace_id == self._ws,
                or_(
                    (func.lower(MemberRow.email) == lowered) & MemberRow.email_source.in_(VOUCHED),
                    func.lower(MemberRow.display_name) == lowered,
                ),
            )
            .order_by(MemberRow.id)
        ).all()
        return member_from_row(rows[0]) if len(rows) == 1 else None

    def named(self, key: str) -> list[Member]:
        # Names are compared as they read (``name_key``), which SQL cannot compute: the workspace's
        # names are read (two narrow columns), and only the ones that match are loaded whole.
        pairs = self._s.execute(
            select(MemberRow.id, MemberRow.display_name).where(
                MemberRow.workspace_id == self._ws, MemberRow.display_name != FORGOTTEN_NAME
            )
        ).all()
        ids = sorted(member_id for member_id, name in pairs if name_key(name) == key)
        if not ids:
            return []
        rows = self._s.scalars(
            select(MemberRow).where(MemberRow.id.in_(ids)).order_by(MemberRow.id)
        )
        return [member_from_row(r) for r in rows]

    def by_email(self, email: str) -> list[Member]:
        rows = self._s.scalars(
            select(MemberRow)
            .where(
                MemberRow.workspace_id == self._ws,
                func.lower(MemberRow.email) == email.strip().lower(),
            )
            .order_by(MemberRow.id)
        )
        return [member_from_row(r) for r in rows]

    def _program_member_ids(self, program_id: int, roles: Collection[ProgramRole]) -> set[int]:
        return set(
            self._s.scalars(
                select(MembershipRow.member_id).where(
                    MembershipRow.workspace_id == self._ws,
                    MembershipRow.program_id == program_id,
                    MembershipRow.role.in_([r.value for r in roles]),
                )
            )
        )

    def in_program(
        self,
        program_id: int,
        roles: Collection[ProgramRole],
        statuses: Collection[MemberStatus],
        *,
        timezones: Collection[str] | None = None,
        member_ids: Collection[int] = (),
    ) -> list[Member]:
        # No join: without statistics (a fresh import, before autovacuum) PostgreSQL nests a loop
        # over the program's memberships inside one over its members, quadratic in its size.
        if timezones is not None and not timezones and not member_ids:
            return []
        ours = self._program_member_ids(program_id, roles)
        query = select(*MemberRow.__table__.columns).where(
            MemberRow.workspace_id == self._ws,
            MemberRow.status.in_([s.value for s in statuses]),
        )
        parts = [query] if timezones is None else [query.where(MemberRow.timezone.in_(timezones))]
        if timezones is not None:
            extra = sorted(set(member_ids) & ours)
            parts += [query.where(MemberRow.id.in_(part)) for part in chunks(extra)]
        found = {r.id: r for part in parts for r in self._s.execute(part) if r.id in ours}
        return [member_from_row(found[i]) for i in sorted(found)]

    def program_zones(self, program_id: int, roles: Collection[ProgramRole]) -> set[str]:
        ours = self._program_member_ids(program_id, roles)
        rows = self._s.execute(
            select(MemberRow.id, MemberRow.timezone).where(MemberRow.workspace_id == self._ws)
        )
        return {timezone for member_id, timezone in rows if member_id in ours}

    def list(self, statuses: tuple[MemberStatus, ...] | None = None) -> list[Member]:
        # Plain rows, not ORM instances: a workspace's whole staff, read by the planner each time
        # something is due, costs half as much without an identity map to fill.
        query = select(*MemberRow.__table__.columns).where(MemberRow.workspace_id == self._ws)
        if statuses:
            query = query.where(MemberRow.status.in_([s.value for s in statuses]))
        return [member_from_row(r) for r in self._s.execute(query.order_by(MemberRow.id))]

    def add(self, member: Member) -> Member:
        now = self._now()
        row = MemberRow(workspace_id=self._ws, created_at=now)
        fill_member_row(row, member, now)
        self._s.add(row)
        self._s.flush()
        return member_from_row(row)

    def add_many(self, members: Sequence[Member]) -> Sequence[Member]:
        now = self._now()
        rows = []
        for member in members:
            row = MemberRow(workspace_id=self._ws, created_at=now)
            fill_member_row(row, member, now)
            rows.append(row)
        self._s.add_all(rows)
        self._s.flush()
        return [member_from_row(r) for r in rows]

    def save_many(self, members: Sequence[Member]) -> None:
        wanted = {m.id: m for m in members if m.id is not None}
        now = self._now()
        for part in chunks(sorted(wanted)):
            rows = self._s.scalars(
                select(MemberRow).where(MemberRow.workspace_id == self._ws, MemberRow.id.in_(part))
            )
            for row in rows:
                member = wanted.pop(row.id)
                if row.timezone != member.timezone:
                    self._move_free_periods(row.id, member.timezone)
                fill_member_row(row, member, now)
        if wanted:
            raise LookupError(f"members {sorted(wanted)} are not in this workspace")
        self._s.flush()

    def _move_free_periods(self, member_id: int, timezone: str) -> None:
        """A teacher's free periods are in their own time; the search reads them by zone, so the
        periods move with the teacher (``storage.models.observations.FreePeriodRow``)."""
        self._s.execute(
            update(FreePeriodRow)
            .where(FreePeriodRow.workspace_id == self._ws, FreePeriodRow.member_id == member_id)
            .values(timezone=timezone)
            .execution_options(synchronize_session=False)
        )

    def save(self, member: Member) -> None:
        if member.id is None:
            raise ValueError("save() needs a member that was added first")
        row = self._row(member.id)
        if row is None:
            raise LookupError(f"member {member.id} is not in this workspace")
        if row.timezone != member.timezone:
            self._move_free_periods(row.id, member.timezone)
        fill_member_row(row, member, self._now())
