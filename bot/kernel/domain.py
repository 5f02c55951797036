"""The things Staffroom remembers, as plain dataclasses the core can reason about without a database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    CONSOLE = "console"
    SLACK = "slack"
    TEAMS = "teams"


class Role(StrEnum):
    TEACHER = "teacher"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class EmailSource(StrEnum):
    """Who said an address is someone's: only a platform's profile or a coordinator's roster (before
    the person arrived) may decide who someone is; an address typed by the person is contact only."""

    SELF = "self"
    ROSTER = "roster"
    PLATFORM = "platform"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    OPTED_OUT = "opted_out"


class ProgramKind(StrEnum):
    MENTORING = "mentoring"
    PEER_GROUPS = "peer_groups"


class ProgramRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    PEER = "peer"
    COORDINATOR = "coordinator"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


PENDING_PREFIX = "pending:"
"""The platform user id of someone imported before they have written to Staffroom: the rest is their
e-mail, so their first message (recognised by e-mail) claims the entry."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Workspace:
    id: int
    platform: Platform
    external_id: str
    name: str
    active: bool = True


@dataclass
class Member:
    """A person in one workspace. Nothing about students is ever stored here."""

    workspace_id: int
    platform_user_id: str
    display_name: str
    id: int | None = None
    email: str | None = None
    email_source: EmailSource | None = None
    timezone: str = "UTC"
    role: Role = Role.TEACHER
    subjects: list[str] = field(default_factory=list)
    grade_bands: list[str] = field(default_factory=list)
    school: str | None = None
    years_experience: int | None = None
    goals: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    status: MemberStatus = MemberStatus.ACTIVE
    paused_until: date | None = None
    consented_at: datetime | None = None
    joined_at: datetime | None = None
    reachable: bool = True
    language: str | None = None
    """The language they chose in their profile; None to follow their platform."""
    platform_language: str | None = None
    """The language their Slack or Teams client is set to, as last seen (a hint, never a choice)."""

    @property
    def email_vouched(self) -> bool:
        """The address identifies them: their platform or a coordinator's roster said so."""
        return self.email is not None and self.email_source in (
            EmailSource.ROSTER,
            EmailSource.PLATFORM,
        )

    @property
    def is_coordinator(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    def is_active_on(self, day: date) -> bool:
        """Paused members come back by themselves on the day after their pause ends."""
        if self.status is MemberStatus.OPTED_OUT:
            return False
        if self.status is MemberStatus.PAUSED:
            return self.paused_until is not None and day > self.paused_until
        return True


@dataclass
class Program:
    workspace_id: int
    name: str
    id: int | None = None
    kind: ProgramKind = ProgramKind.PEER_GROUPS
    cadence_weeks: int = 2
    checkin_weekday: int = 0  # Monday, as in date.weekday()
    checkin_time: time = time(15, 30)
    timezone: str = "UTC"
    group_size: int = 3
    questions: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    active: bool = True
    created_at: datetime | None = None


@dataclass
class Membership:
    program_id: int
    member_id: int
    role: ProgramRole
    id: int | None = None
    capacity: int | None = None
    joined_at: datetime | None = None
    invited_at: datetime | None = None
    """When their invitation to this program was due to reach them; None: never invited (they
    joined themselves, or are known only by e-mail until they write)."""
    remind_at: datetime | None = None
    """When their one gentle reminder is due, if they still haven't started; None once settled."""
    reminded_at: datetime | None = None
    """When the last reminder went: the scheduled one or a coordinator's nudge."""


class RollState(StrEnum):
    """Where a program's teacher is, as ``program show`` lists them."""

    ACTIVE = "active"
    NOT_STARTED = "not_started"
    """Invited (or imported) and not yet written to Staffroom: no consent."""
    PAUSED = "paused"
    """Paused today in their own time zone (a pause ends by itself the day after its last day)."""
    LEFT = "left"


@dataclass(frozen=True)
class Enrolled:
    """One teacher on a program's roll: what ``program show`` says of them."""

    member_id: int
    display_name: str
    platform_user_id: str
    invited_at: datetime | None = None
    joined_at: datetime | None = None
    reminded_at: datetime | None = None


@dataclass
class Roll:
    """How many of a program's teachers are in each state, and a page of each, in the order shown:
    by name, and the not-started longest-waiting first."""

    counts: dict[RollState, int] = field(default_factory=dict)
    shown: dict[RollState, list[Enrolled]] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxItem:
    """One message to deliver once, as the delivery worker sees it."""

    id: int
    workspace_id: int
    platform: Platform
    recipient_user_id: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    recipient_member_id: int | None = None
    workspace_external_id: str = ""
    in_flight: bool = False
    """Claimed again from a worker that held it being sent (it died, or its lease ran out): the
    platform may already have it."""
