"""Check-ins, reflections and the school calendar: what the core remembers, and the repositories it asks.

The SQL implementations are in ``storage/checkin_repositories.py``; each is bound to one workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from bot.domain import Member
from bot.messages import Message


class CheckinStatus(StrEnum):
    SENT = "sent"  # in the outbox (or delivered); waiting for an answer
    ANSWERED = "answered"  # a confidence rating was given
    SNOOZED = "snoozed"  # asked again at ``due_at`` (tomorrow)
    SKIPPED = "skipped"  # the teacher chose "Skip this week"
    MISSED = "missed"  # we were down past the grace window; not sent late


class Visibility(StrEnum):
    PRIVATE = "private"  # only me (the default)
    MENTOR = "mentor"  # my mentor or my peer group
    WALL = "wall"  # the program's shared wall, anonymously


class CalendarKind(StrEnum):
    HOLIDAY = "holiday"
    TERM = "term"


@dataclass
class Checkin:
    program_id: int
    member_id: int
    week: str
    """ISO week in the member's own time zone, e.g. ``2026-W48``: with program and member, the idempotency key."""
    due_at: datetime
    status: CheckinStatus = CheckinStatus.SENT
    id: int | None = None
    sent_at: datetime | None = None
    answered_at: datetime | None = None
    confidence: int | None = None
    reminder_sent_at: datetime | None = None
    snoozed_at: datetime | None = None


@dataclass
class Reflection:
    member_id: int
    went_well: str = ""
    try_next: str = ""
    tag: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    is_draft: bool = False
    program_id: int | None = None
    checkin_id: int | None = None
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class CalendarEntry:
    kind: CalendarKind
    starts_on: date
    ends_on: date
    label: str = ""
    program_id: int | None = None
    """None: the whole workspace (every program)."""
    id: int | None = None


class CheckinRepository(Protocol):
    def get(self, checkin_id: int) -> Checkin | None: ...

    def for_weeks(self, program_id: int, weeks: Iterable[str]) -> dict[tuple[int, str], Checkin]:
        """Every check-in of the program in these weeks, by (member id, week): one query a run."""
        ...

    def add(self, checkin: Checkin) -> Checkin | None:
        """Insert unless (program, member, week) exists already; None when another run got there first."""
        ...

    def add_many(self, checkins: Sequence[Checkin]) -> dict[tuple[int, str], Checkin]:
        """Insert each unless its (program, member, week) exists; every one as stored, new or not."""
        ...

    def save(self, checkin: Checkin) -> None: ...

    def for_member(self, member_id: int, limit: int = 52) -> list[Checkin]:
        """Newest first."""
        ...

    def open_since(self, since: datetime) -> list[Checkin]:
        """Sent or snoozed check-ins due after ``since``: what may need a reminder or a re-send."""
        ...

    def for_program(self, program_id: int, since: datetime | None = None) -> list[Checkin]: ...


class ReflectionRepository(Protocol):
    def get(self, reflection_id: int) -> Reflection | None: ...

    def add(self, reflection: Reflection) -> Reflection: ...

    def save(self, reflection: Reflection) -> None: ...

    def delete(self, reflection_id: int) -> bool: ...

    def for_member(self, member_id: int) -> list[Reflection]:
        """Newest first."""
        ...

    def shared(self, visibility: Visibility, program_id: int | None = None) -> list[Reflection]:
        """Non-draft reflections with this visibility, newest first."""
        ...

    def counts(self, program_id: int | None = None) -> dict[str, int]:
        """Counts by visibility (never text): what a coordinator may see."""
        ...


class CalendarRepository(Protocol):
    def add(self, entry: CalendarEntry) -> CalendarEntry: ...

    def remove(self, entry_id: int) -> bool: ...

    def for_program(self, program_id: int | None) -> list[CalendarEntry]:
        """Entries for this program plus the workspace-wide ones (program None: workspace-wide only)."""
        ...


class PrivacyRepository(Protocol):
    """What ``export-my-data`` and ``forget-me`` need beyond the other repositories."""

    def partners(self, member_id: int) -> list[int]:
        """Members who share a pairing or peer group with this one (mentor, mentees, group)."""
        ...

    def messages_for(self, member_id: int) -> list[dict[str, object]]:
        """Outbox rows addressed to the member (text and status), for the export."""
        ...

    def cancel_pending_for(self, member_id: int) -> int:
        """Drop undelivered messages to the member (forget-me); returns how many."""
        ...

    def delete_reflections(self, member_id: int) -> int: ...


class BulkOutbox(Protocol):
    def enqueue_many(self, messages: Sequence[tuple[Member, Message, str]], now: datetime) -> None:
        """``OutboxRepository.enqueue`` for a whole batch in one statement; used keys are skipped."""
        ...
