"""Fakes of the kernel's repositories: workspaces, members, programs, memberships, outbox, inbound log.

Each mirrors its SQL twin in ``storage/`` query for query (what is filtered, in what order, what None
means); ``tests/storage/test_contracts.py`` runs the same assertions against both so they cannot drift.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.checkins.schedule import zone_named
from bot.kernel.domain import (
    Enrolled,
    Member,
    Membership,
    MemberStatus,
    OutboxStatus,
    Platform,
    Program,
    ProgramRole,
    Roll,
    RollState,
    Workspace,
)
from bot.kernel.messages import Message, message_to_dict
from bot.kernel.names import FORGOTTEN_NAME, name_key
from tests.support.fakes.tables import IntegrityError, Transaction, stored, utc

Now = Callable[[], datetime]

WORKSPACES = "workspaces"
MEMBERS = "members"
PROGRAMS = "programs"
MEMBERSHIPS = "memberships"
OUTBOX = "outbox"
INBOUND = "inbound"


@dataclass(frozen=True)
class Owned:
    """A row of a table whose domain object does not name its workspace (memberships, check-ins...)."""

    workspace_id: int
    item: Any


@dataclass(frozen=True)
class OutboxRow:
    """An outbox row as ``storage.models.OutboxRow`` holds it: the payload is the message as JSON."""

    id: int
    workspace_id: int
    platform: Platform
    recipient_member_id: int | None
    recipient_user_id: str
    idempotency_key: str
    payload: dict[str, Any]
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None


class FakeWorkspaces:
    def __init__(self, tx: Transaction, now: Now) -> None:
        self._tx = tx
        self._now = now

    def by_external_id(self, platform: Platform, external_id: str) -> Workspace | None:
        rows: list[Workspace] = self._tx.scan(WORKSPACES)
        for row in rows:
            if row.platform == platform and row.external_id == external_id:
                return row  # frozen: no copy needed
        return None

    def ensure(self, platform: Platform, external_id: str, name: str) -> Workspace:
        found = self.by_external_id(platform, external_id)
        if found:
            return found
        workspace = Workspace(
            id=self._tx.next_id(WORKSPACES),
            platform=Platform(platform),
            external_id=external_id,
            name=name or external_id,
        )
        self._tx.put(WORKSPACES, workspace.id, workspace)
        return stored(workspace)

    def set_active(self, workspace_id: int, active: bool) -> None:
        row = self._tx.get(WORKSPACES, workspace_id)
        if row is not None:
            self._tx.put(WORKSPACES, workspace_id, dataclasses.replace(row, active=active))

    def active_ids(self) -> list[int]:
        return [row.id for row in self._tx.scan(WORKSPACES) if row.active]


class FakeMembers:
    def __init__(self, tx: Transaction, workspace_id: int, now: Now) -> None:
        self._tx = tx
        self._ws = workspace_id
        self._now = now

    def _mine(self) -> list[Member]:
        return [m for m in self._tx.scan(MEMBERS) if m.workspace_id == self._ws]

    def get_many(self, member_ids: Sequence[int]) -> dict[int, Member]:
        found = {m: self.get(m) for m in member_ids}
        return {k: v for k, v in found.items() if v is not None}

    def get(self, member_id: int) -> Member | None:
        row = self._tx.get(MEMBERS, member_id)
        return stored(row) if row is not None and row.workspace_id == self._ws else None

    def by_platform_user(self, user_id: str) -> Member | None:
        for row in self._mine():
            if row.platform_user_id == user_id:
                return stored(row)
        return None

    def add_many(self, members: Sequence[Member]) -> Sequence[Member]:
        return [self.add(m) for m in members]

    def save_many(self, members: Sequence[Member]) -> None:
        for member in members:
            self.save(member)

    def _program_member_ids(self, program_id: int, roles: Collection[ProgramRole]) -> set[int]:
        return {
            r.item.member_id
            for r in self._tx.scan(MEMBERSHIPS)
            if r.workspace_id == self._ws
            and r.item.program_id == program_id
            and r.item.role in roles
        }

    def in_program(
        self,
        program_id: int,
        roles: Collection[ProgramRole],
        statuses: Collection[MemberStatus],
        *,
        timezones: Collection[str] | None = None,
        member_ids: Collection[int] = (),
    ) -> list[Member]:
        mine = self._program_member_ids(program_id, roles)
        return [
            stored(m)
            for m in sorted(self._mine(), key=lambda m: m.id or 0)
            if m.id in mine
            and m.status in statuses
            and (timezones is None or m.timezone in timezones or m.id in member_ids)
        ]

    def program_zones(self, program_id: int, roles: Collection[ProgramRole]) -> set[str]:
        mine = self._program_member_ids(program_id, roles)
        return {m.timezone for m in self._mine() if m.id in mine}

    def find(self, text: str) -> Member | None:
        needle = text.strip().lstrip("@")
        if not needle:
            return None
        found = self.by_platform_user(needle)
        if found:
            return found
        lowered = needle.lower()
        rows = [
            m
            for m in self._mine()
            if ((m.email or "").lower() == lowered and m.email_vouched)
            or m.display_name.lower() == lowered
        ]
        return stored(rows[0]) if len(rows) == 1 else None

    def named(self, key: str) -> list[Member]:
        return [
            stored(m)
            for m in sorted(self._mine(), key=lambda m: m.id or 0)
            if m.display_name != FORGOTTEN_NAME and name_key(m.display_name) == key
        ]

    def by_email(self, email: str) -> list[Member]:
        wanted = email.strip().lower()
        return [stored(m) for m in self._mine() if (m.email or "").lower() == wanted]

    def list(self, statuses: tuple[MemberStatus, ...] | None = None) -> list[Member]:
        rows = self._mine()
        if statuses:
            rows = [m for m in rows if m.status in statuses]
        return [stored(m) for m in rows]

    def add(self, member: Member) -> Member:
        self._refuse_second(member.platform_user_id, None)
        row = stored(
            dataclasses.replace(member, id=self._tx.next_id(MEMBERS), workspace_id=self._ws)
        )
        self._tx.put(MEMBERS, row.id, row)
        return stored(row)

    def save(self, member: Member) -> None:
        if member.id is None:
            raise ValueError("save() needs a member that was added first")
        if self.get(member.id) is None:
            raise LookupError(f"member {member.id} is not in this workspace")
        self._refuse_second(member.platform_user_id, member.id)
        self._tx.put(MEMBERS, member.id, stored(dataclasses.replace(member, workspace_id=self._ws)))

    def _refuse_second(self, user_id: str, member_id: int | None) -> None:
        """``uq_members_workspace_user``: one member a platform user in each workspace."""
        if any(m.platform_user_id == user_id and m.id != member_id for m in self._mine()):
            raise IntegrityError(f"a member with platform user id {user_id!r} exists already")


class FakePrograms:
    def __init__(self, tx: Transaction, workspace_id: int, now: Now) -> None:
        self._tx = tx
        self._ws = workspace_id
        self._now = now

    def _mine(self) -> list[Program]:
        return [p for p in self._tx.scan(PROGRAMS) if p.workspace_id == self._ws]

    def get(self, program_id: int) -> Program | None:
        row = self._tx.get(PROGRAMS, program_id)
        return stored(row) if row is not None and row.workspace_id == self._ws else None

    def by_name(self, name: str) -> Program | None:
        wanted = name.strip().lower()
        for row in self._mine():
            if row.name.lower() == wanted:
                return stored(row)
        return None

    def list(self) -> list[Program]:
        return [stored(p) for p in sorted(self._mine(), key=lambda p: (p.name, p.id))]

    def add(self, program: Program) -> Program:
        self._refuse_second(program.name, None)
        row = stored(
            dataclasses.replace(
                program,
                id=self._tx.next_id(PROGRAMS),
                workspace_id=self._ws,
                created_at=self._now(),
            )
        )
        self._tx.put(PROGRAMS, row.id, row)
        return stored(row)

    def save(self, program: Program) -> None:
        before = self.get(program.id) if program.id is not None else None
        if before is None:
            raise LookupError(f"program {program.id} is not in this workspace")
        self._refuse_second(program.name, program.id)
        row = dataclasses.replace(program, workspace_id=self._ws, created_at=before.created_at)
        self._tx.put(PROGRAMS, program.id, stored(row))

    def _refuse_second(self, name: str, program_id: int | None) -> None:
        """``uq_programs_workspace_name``: exact names are unique (the handlers refuse near ones)."""
        if any(p.name == name and p.id != program_id for p in self._mine()):
            raise IntegrityError(f"a program called {name!r} exists already")


class FakeMemberships:
    def __init__(self, tx: Transaction, workspace_id: int, now: Now) -> None:
        self._tx = tx
        self._ws = workspace_id
        self._now = now

    def _mine(self) -> list[tuple[int, Membership]]:
        return [
            (r.item.id, r.item) for r in self._tx.scan(MEMBERSHIPS) if r.workspace_id == self._ws
        ]

    def _find(self, program_id: int, member_id: int) -> Membership | None:
        for _id, m in self._mine():
            if m.program_id == program_id and m.member_id == member_id:
                return m
        return None

    def upsert(self, membership: Membership) -> Membership:
        row = self._find(membership.program_id, membership.member_id)
        if row is None:
            row = Membership(
                program_id=membership.program_id,
                member_id=membership.member_id,
                role=membership.role,
                id=self._tx.next_id(MEMBERSHIPS),
                joined_at=utc(self._now()),
            )
        row = dataclasses.replace(row, role=membership.role, capacity=membership.capacity)
        assert row.id is not None
        self._tx.put(MEMBERSHIPS, row.id, Owned(self._ws, stored(row)))
        return stored(row)

    def upsert_many(self, memberships: Sequence[Membership]) -> None:
        for membership in memberships:
            self.upsert(membership)

    def for_program(self, program_id: int) -> list[Membership]:
        return [stored(m) for _id, m in self._mine() if m.program_id == program_id]

    def for_member(self, member_id: int) -> list[Membership]:
        return [stored(m) for _id, m in self._mine() if m.member_id == member_id]

    def role_counts(self, program_id: int) -> dict[ProgramRole, int]:
        counts: dict[ProgramRole, int] = {}
        for _id, m in self._mine():
            if m.program_id == program_id:
                counts[m.role] = counts.get(m.role, 0) + 1
        return counts

    def with_role(self, program_id: int, role: ProgramRole) -> list[Member]:
        found = []
        for _id, m in sorted(self._mine(), key=lambda x: x[0]):
            person = self._tx.get(MEMBERS, m.member_id)
            if m.program_id == program_id and m.role is role and person is not None:
                found.append(stored(person))
        return found

    def roll(
        self,
        program_id: int,
        roles: Collection[ProgramRole],
        now: datetime,
        *,
        first: int,
        offsets: Mapping[RollState, int] | None = None,
    ) -> Roll:
        """The reference: every member read and sorted, as ``program show`` once did."""
        places = {m.member_id: m for _id, m in self._mine() if m.program_id == program_id}
        people: dict[RollState, list[tuple[Member, Membership]]] = {s: [] for s in RollState}
        members = [self._tx.get(MEMBERS, i) for i, p in places.items() if p.role in roles]
        for member in sorted(
            (m for m in members if m is not None and m.workspace_id == self._ws),
            key=lambda m: (m.display_name.lower(), m.id or 0),
        ):
            place = places[member.id or 0]
            if member.status is MemberStatus.OPTED_OUT:
                state = RollState.LEFT
            elif member.consented_at is None:
                state = RollState.NOT_STARTED
            elif not member.is_active_on(now.astimezone(zone_named(member.timezone)).date()):
                state = RollState.PAUSED
            else:
                state = RollState.ACTIVE
            people[state].append((member, place))
        people[RollState.NOT_STARTED].sort(
            key=lambda e: (e[1].invited_at or e[1].joined_at or now, e[0].display_name.lower())
        )
        roll = Roll()
        for state, found in people.items():
            if not found:
                continue
            skip = (offsets or {}).get(state, 0)
            roll.counts[state] = len(found)
            roll.shown[state] = [
                Enrolled(
                    m.id or 0,
                    m.display_name,
                    m.platform_user_id,
                    p.invited_at,
                    p.joined_at,
                    p.reminded_at,
                )
                for m, p in found[skip : skip + first]
            ]
            if not roll.shown[state]:
                del roll.shown[state]
        return roll

    def program_ids_of(self, member_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        wanted = set(member_ids)
        found: dict[int, list[int]] = {}
        for _id, m in sorted(self._mine(), key=lambda x: x[0]):
            if m.member_id in wanted:
                found.setdefault(m.member_id, []).append(m.program_id)
        return {k: tuple(v) for k, v in found.items()}

    def remove(self, program_id: int, member_id: int) -> bool:
        row = self._find(program_id, member_id)
        if row is None:
            return False
        self._tx.delete(MEMBERSHIPS, row.id)
        return True

    def _put(self, row: Membership) -> None:
        assert row.id is not None
        self._tx.put(MEMBERSHIPS, row.id, Owned(self._ws, stored(row)))

    def mark_invited(
        self, program_id: int, invited: Sequence[tuple[int, datetime, datetime]]
    ) -> None:
        for member_id, at, remind_at in invited:
            row = self._find(program_id, member_id)
            if row is not None and row.invited_at is None:
                self._put(dataclasses.replace(row, invited_at=utc(at), remind_at=utc(remind_at)))

    def reminders_due(self, now: datetime, limit: int) -> list[Membership]:
        due = [m for _id, m in self._mine() if m.remind_at is not None and m.remind_at <= now]
        due.sort(key=lambda m: (m.remind_at, m.id))
        return [stored(m) for m in due[:limit]]

    def plan_reminder(
        self,
        program_id: int,
        member_id: int,
        remind_at: datetime | None,
        reminded_at: datetime | None = None,
    ) -> None:
        row = self._find(program_id, member_id)
        if row is None:
            return
        changed = dataclasses.replace(row, remind_at=utc(remind_at) if remind_at else None)
        if reminded_at is not None:
            changed = dataclasses.replace(changed, reminded_at=utc(reminded_at))
        self._put(changed)


class FakeOutbox:
    """One outbox writer for one message or many; ``(workspace, idempotency key)`` is unique."""

    def __init__(self, tx: Transaction, workspace: Workspace) -> None:
        self._tx = tx
        self._ws = workspace

    def _used_keys(self) -> set[str]:
        return {r.idempotency_key for r in self._tx.scan(OUTBOX) if r.workspace_id == self._ws.id}

    def enqueue(
        self, recipient: Member, message: Message, idempotency_key: str, now: datetime
    ) -> bool:
        if idempotency_key in self._used_keys():
            return False
        self._write(recipient, message, idempotency_key, now)
        return True

    def enqueue_many(self, messages: Sequence[tuple[Member, Message, str]], now: datetime) -> None:
        used = self._used_keys()
        for recipient, message, key in messages:
            if key not in used:
                self._write(recipient, message, key, now)
                used.add(key)

    def _write(self, recipient: Member, message: Message, key: str, now: datetime) -> None:
        at = utc(now)
        assert at is not None
        row = OutboxRow(
            id=self._tx.next_id(OUTBOX),
            workspace_id=self._ws.id,
            platform=self._ws.platform,
            recipient_member_id=recipient.id,
            recipient_user_id=recipient.platform_user_id,
            idempotency_key=key,
            payload=message_to_dict(message),
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=at,
            created_at=at,
        )
        self._tx.put(OUTBOX, row.id, row)


class FakeInboundLog:
    def __init__(self, tx: Transaction, workspace_id: int) -> None:
        self._tx = tx
        self._ws = workspace_id

    def first_time(self, delivery_id: str, now: datetime) -> bool:
        key = (self._ws, delivery_id[:255])
        if self._tx.get(INBOUND, key) is not None:
            return False
        self._tx.put(INBOUND, key, utc(now))
        return True
