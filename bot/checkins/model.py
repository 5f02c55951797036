"""What the core remembers of a check-in: one program, one member, one ISO week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CheckinStatus(StrEnum):
    SENT = "sent"  # in the outbox (or delivered); waiting for an answer
    ANSWERED = "answered"  # a confidence rating was given
    SNOOZED = "snoozed"  # asked again at ``due_at`` (tomorrow)
    SKIPPED = "skipped"  # the teacher chose "Skip this week"
    MISSED = "missed"  # we were down past the grace window; not sent late


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
