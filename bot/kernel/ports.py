"""The protocols the core owns and the outside implements: storage, messengers, the clock.

Every repository below ``Scope`` is bound to one workspace when it is made, so a handler cannot read
another school's data even by mistake: there is no unscoped query to call.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from bot.kernel.domain import (
    Member,
    Membership,
    MemberStatus,
    OutboxItem,
    Platform,
    Program,
    ProgramRole,
    Roll,
    RollState,
    Workspace,
)
from bot.kernel.messages import Message

if TYPE_CHECKING:
    # Each feature owns its repository's protocol; the scope only names them, for the type checker.
    from bot.calendar.ports import CalendarRepository
    from bot.checkins.ports import CheckinRepository
    from bot.digest.ports import DigestQueries
    from bot.growth.ports import GrowthQueries
    from bot.observations.ports import ObservationRepository
    from bot.pairing.ports import PairingRepository
    from bot.privacy.ports import PrivacyRepository
    from bot.reflections.ports import ReflectionRepository
    from bot.resources.ports import ResourceRepository
    from bot.study.ports import StudyRepository


class WorkspaceRepository(Protocol):
    def ensure(self, platform: Platform, external_id: str, name: str) -> Workspace:
        """The workspace for a platform's team or tenant id, created on first sight."""
        ...

    def by_external_id(self, platform: Platform, external_id: str) -> Workspace | None: ...

    def set_active(self, workspace_id: int, active: bool) -> None: ...

    def active_ids(self) -> list[int]:
        """Every workspace still using Staffroom: what scheduled jobs walk, one scope at a time."""
        ...


class MemberRepository(Protocol):
    def get(self, member_id: int) -> Member | None: ...

    def get_many(self, member_ids: Sequence[int]) -> dict[int, Member]:
        """Those of these members who are in this workspace, by id, in one read."""
        ...

    def by_platform_user(self, user_id: str) -> Member | None: ...

    def in_program(
        self,
        program_id: int,
        roles: Collection[ProgramRole],
        statuses: Collection[MemberStatus],
        *,
        timezones: Collection[str] | None = None,
        member_ids: Collection[int] = (),
    ) -> list[Member]:
        """The program's members in these roles and statuses: all of them, or only those in
        ``timezones`` and those in ``member_ids`` (the planner reads only who may be due)."""
        ...

    def program_zones(self, program_id: int, roles: Collection[ProgramRole]) -> set[str]:
        """The time zones of the program's members in these roles."""
        ...

    def find(self, text: str) -> Member | None:
        """By platform user id, vouched-for e-mail or display name (case-insensitive), in that
        order; None when the text names nobody or more than one person."""
        ...

    def by_email(self, email: str) -> list[Member]:
        """Everyone holding this address (case-insensitive), however it was set."""
        ...

    def named(self, key: str) -> list[Member]:
        """Everyone here whose display name reads as ``key`` (``bot.kernel.names.name_key``), in
        the order they arrived; the forgotten are nobody's name."""
        ...

    def list(self, statuses: tuple[MemberStatus, ...] | None = None) -> list[Member]: ...

    def add(self, member: Member) -> Member: ...

    def add_many(self, members: Sequence[Member]) -> Sequence[Member]:
        """``add`` for many at once, in order: a roster's thousands in a few statements."""
        ...

    def save(self, member: Member) -> None: ...

    def save_many(self, members: Sequence[Member]) -> None: ...


class ProgramRepository(Protocol):
    def get(self, program_id: int) -> Program | None: ...

    def by_name(self, name: str) -> Program | None: ...

    def list(self) -> list[Program]: ...

    def add(self, program: Program) -> Program: ...

    def save(self, program: Program) -> None: ...


class MembershipRepository(Protocol):
    def upsert(self, membership: Membership) -> Membership: ...

    def upsert_many(self, memberships: Sequence[Membership]) -> None:
        """``upsert`` for many at once, all in programs of this workspace."""
        ...

    def for_program(self, program_id: int) -> list[Membership]: ...

    def for_member(self, member_id: int) -> list[Membership]: ...

    def role_counts(self, program_id: int) -> dict[ProgramRole, int]:
        """How many of the program's people have each role (roles nobody has are left out)."""
        ...

    def with_role(self, program_id: int, role: ProgramRole) -> list[Member]:
        """The program's people in ``role``, in the order they joined it."""
        ...

    def roll(
        self,
        program_id: int,
        roles: Collection[ProgramRole],
        now: datetime,
        *,
        first: int,
        offsets: Mapping[RollState, int] | None = None,
    ) -> Roll:
        """The program's people in ``roles`` by state (``RollState``) as of ``now`` in each one's
        time zone: every state's count, and ``first`` of each after skipping its ``offsets``."""
        ...

    def program_ids_of(self, member_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        """Each member's programs in the order they joined them, for many members in one read."""
        ...

    def remove(self, program_id: int, member_id: int) -> bool: ...

    def mark_invited(
        self, program_id: int, invited: Sequence[tuple[int, datetime, datetime]]
    ) -> None:
        """Record (member id, invited at, reminder due at) for members of the program not invited
        before: an invitation queued again (a roster imported twice) changes nothing."""
        ...

    def reminders_due(self, now: datetime, limit: int) -> list[Membership]:
        """Memberships whose reminder is due at ``now``, oldest first, at most ``limit``."""
        ...

    def plan_reminder(
        self,
        program_id: int,
        member_id: int,
        remind_at: datetime | None,
        reminded_at: datetime | None = None,
    ) -> None:
        """When their reminder is due now (None: none is), and ``reminded_at`` when one went."""
        ...


class OutboxRepository(Protocol):
    def enqueue(
        self, recipient: Member, message: Message, idempotency_key: str, now: datetime
    ) -> bool:
        """Write a message to deliver; False (and nothing written) if the key was used before."""
        ...

    def enqueue_many(self, messages: Sequence[tuple[Member, Message, str]], now: datetime) -> int:
        """``enqueue`` for a batch of (recipient, message, key) in one statement; how many were new.

        A key used before is skipped, as with one message: a planner run that repeats is harmless.
        """
        ...


class InboundLog(Protocol):
    def first_time(self, delivery_id: str, now: datetime) -> bool:
        """Record a platform delivery id; False when it was seen before (a retry)."""
        ...


class Scope(Protocol):
    """The repositories of one workspace, inside one unit of work."""

    @property
    def workspace_id(self) -> int: ...
    @property
    def members(self) -> MemberRepository: ...
    @property
    def programs(self) -> ProgramRepository: ...
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def inbound(self) -> InboundLog: ...

    # Each feature's repository, its protocol in that feature's ports.py.
    @property
    def pairing(self) -> PairingRepository: ...
    @property
    def checkins(self) -> CheckinRepository: ...
    @property
    def reflections(self) -> ReflectionRepository: ...
    @property
    def calendar(self) -> CalendarRepository: ...
    @property
    def privacy(self) -> PrivacyRepository: ...
    @property
    def observations(self) -> ObservationRepository: ...
    @property
    def resources(self) -> ResourceRepository: ...
    @property
    def digest(self) -> DigestQueries: ...
    @property
    def growth(self) -> GrowthQueries: ...
    @property
    def study(self) -> StudyRepository: ...


class UnitOfWork(Protocol):
    @property
    def workspaces(self) -> WorkspaceRepository: ...

    def scope(self, workspace_id: int) -> Scope: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class DeliveryQueue(Protocol):
    """The outbox as the delivery worker sees it: across workspaces, one row at a time."""

    def claim(
        self,
        now: datetime,
        *,
        limit: int,
        worker_id: str,
        lease: timedelta,
        platform: Platform | None = None,
    ) -> list[OutboxItem]:
        """Take due rows for this worker; no other worker gets them until the lease runs out."""
        ...

    def mark_sent(
        self, item_id: int, worker_id: str, platform_message_id: str | None, now: datetime
    ) -> bool: ...

    def mark_retry(
        self, item_id: int, worker_id: str, error: str, next_attempt_at: datetime
    ) -> None: ...

    def mark_failed(self, item_id: int, worker_id: str, error: str, now: datetime) -> None: ...

    def release_claims(self, worker_id: str, now: datetime, *, unsent: bool = False) -> int:
        """Hand back every row this worker holds, due at once: ``in_flight``, or (``unsent``,
        when the worker knows it sent none of them) plain pending rows."""
        ...


class DeliveryQueueFactory(Protocol):
    def __call__(self) -> DeliveryQueue: ...


@dataclass(frozen=True)
class SendResult:
    ok: bool
    platform_message_id: str | None = None
    retry_after: float | None = None
    """Seconds the platform asked us to wait (429 Retry-After)."""
    permanent: bool = False
    """True when retrying cannot help (the user removed the app, the channel is gone)."""
    error: str | None = None
    unreachable: bool = False
    """The person cannot be messaged on this platform at all (account deactivated, app removed):
    the worker marks them unreachable, so nothing more is planned for them until they write again."""


class Messenger(Protocol):
    """Sends one rendered message to one person on one platform."""

    platform: Platform

    def send(self, item: OutboxItem, message: Message) -> SendResult: ...


JSON = dict[str, Any]


class JobLeases(Protocol):
    """Lets one of several running copies run a periodic job in each interval."""

    def take(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Hold the job until ``until`` unless another copy holds it at ``now``."""
        ...
