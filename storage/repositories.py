"""Repositories: every query the core can make, each bound to one workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.kernel import domain
from bot.kernel.domain import Member, Membership, MemberStatus, Platform, Program, Workspace
from bot.kernel.messages import Message, message_to_dict
from storage import convert
from storage.models import (
    MemberRow,
    MembershipRow,
    OutboxRow,
    ProcessedEventRow,
    ProgramRow,
    WorkspaceRow,
)
from storage.sql import insert_ignoring_conflict

Now = Callable[[], datetime]


class SqlWorkspaces:
    def __init__(self, session: Session, now: Now) -> None:
        self._s = session
        self._now = now

    def by_external_id(self, platform: Platform, external_id: str) -> Workspace | None:
        row = self._s.scalars(
            select(WorkspaceRow).where(
                WorkspaceRow.platform == platform.value, WorkspaceRow.external_id == external_id
            )
        ).first()
        return convert.workspace(row) if row else None

    def ensure(self, platform: Platform, external_id: str, name: str) -> Workspace:
        found = self.by_external_id(platform, external_id)
        if found:
            return found
        insert_ignoring_conflict(
            self._s,
            WorkspaceRow.__table__,  # type: ignore[arg-type]
            {
                "platform": platform.value,
                "external_id": external_id,
                "name": name or external_id,
                "active": True,
                "created_at": self._now(),
            },
        )
        created = self.by_external_id(platform, external_id)
        assert created is not None
        return created

    def set_active(self, workspace_id: int, active: bool) -> None:
        row = self._s.get(WorkspaceRow, workspace_id)
        if row is not None:
            row.active = active

    def active_ids(self) -> list[int]:
        return list(
            self._s.scalars(
                select(WorkspaceRow.id)
                .where(WorkspaceRow.active.is_(True))
                .order_by(WorkspaceRow.id)
            )
        )


class SqlMembers:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    def _row(self, member_id: int) -> MemberRow | None:
        row = self._s.get(MemberRow, member_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def get(self, member_id: int) -> Member | None:
        row = self._row(member_id)
        return convert.member(row) if row else None

    def by_platform_user(self, user_id: str) -> Member | None:
        row = self._s.scalars(
            select(MemberRow).where(
                MemberRow.workspace_id == self._ws, MemberRow.platform_user_id == user_id
            )
        ).first()
        return convert.member(row) if row else None

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
                    func.lower(MemberRow.email) == lowered,
                    func.lower(MemberRow.display_name) == lowered,
                ),
            )
            .order_by(MemberRow.id)
        ).all()
        return convert.member(rows[0]) if len(rows) == 1 else None

    def list(self, statuses: tuple[MemberStatus, ...] | None = None) -> list[Member]:
        query = select(MemberRow).where(MemberRow.workspace_id == self._ws)
        if statuses:
            query = query.where(MemberRow.status.in_([s.value for s in statuses]))
        return [convert.member(r) for r in self._s.scalars(query.order_by(MemberRow.id))]

    def add(self, member: Member) -> Member:
        now = self._now()
        row = MemberRow(workspace_id=self._ws, created_at=now)
        convert.fill_member_row(row, member, now)
        self._s.add(row)
        self._s.flush()
        return convert.member(row)

    def save(self, member: Member) -> None:
        if member.id is None:
            raise ValueError("save() needs a member that was added first")
        row = self._row(member.id)
        if row is None:
            raise LookupError(f"member {member.id} is not in this workspace")
        convert.fill_member_row(row, member, self._now())


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
        return convert.program(row) if row else None

    def by_name(self, name: str) -> Program | None:
        row = self._s.scalars(
            select(ProgramRow).where(
                ProgramRow.workspace_id == self._ws,
                func.lower(ProgramRow.name) == name.strip().lower(),
            )
        ).first()
        return convert.program(row) if row else None

    def list(self) -> list[Program]:
        rows = self._s.scalars(
            select(ProgramRow).where(ProgramRow.workspace_id == self._ws).order_by(ProgramRow.name)
        )
        return [convert.program(r) for r in rows]

    def add(self, program: Program) -> Program:
        row = ProgramRow(workspace_id=self._ws, created_at=self._now())
        convert.fill_program_row(row, program)
        self._s.add(row)
        self._s.flush()
        return convert.program(row)

    def save(self, program: Program) -> None:
        row = self._row(program.id) if program.id is not None else None
        if row is None:
            raise LookupError(f"program {program.id} is not in this workspace")
        convert.fill_program_row(row, program)


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
        return convert.membership(row)

    def for_program(self, program_id: int) -> list[Membership]:
        rows = self._s.scalars(
            select(MembershipRow)
            .where(MembershipRow.workspace_id == self._ws, MembershipRow.program_id == program_id)
            .order_by(MembershipRow.id)
        )
        return [convert.membership(r) for r in rows]

    def for_member(self, member_id: int) -> list[Membership]:
        rows = self._s.scalars(
            select(MembershipRow)
            .where(MembershipRow.workspace_id == self._ws, MembershipRow.member_id == member_id)
            .order_by(MembershipRow.id)
        )
        return [convert.membership(r) for r in rows]

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


class SqlOutbox:
    def __init__(self, session: Session, workspace: domain.Workspace) -> None:
        self._s = session
        self._ws = workspace

    def enqueue(
        self, recipient: Member, message: Message, idempotency_key: str, now: datetime
    ) -> bool:
        values: dict[str, Any] = {
            "workspace_id": self._ws.id,
            "platform": self._ws.platform.value,
            "recipient_member_id": recipient.id,
            "recipient_user_id": recipient.platform_user_id,
            "idempotency_key": idempotency_key,
            "payload": message_to_dict(message),
            "status": domain.OutboxStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        return insert_ignoring_conflict(self._s, OutboxRow.__table__, values)  # type: ignore[arg-type]


class SqlInboundLog:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def first_time(self, delivery_id: str, now: datetime) -> bool:
        return insert_ignoring_conflict(
            self._s,
            ProcessedEventRow.__table__,  # type: ignore[arg-type]
            {"workspace_id": self._ws, "delivery_id": delivery_id[:255], "processed_at": now},
        )
