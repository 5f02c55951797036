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
    goal: str | None = None
    """The goal the confidence was given on: the teacher's focus goal when they answered."""


@dataclass
class Answer:
    """One answer to one of a program's questions in one check-in: the teacher's own, like a reflection."""

    checkin_id: int
    member_id: int
    program_id: int
    position: int
    question: str
    kind: str
    """``text``, ``choice`` or ``scale`` (see ``bot.checkins.questions``)."""
    value: str
    answered_at: datetime
    id: int | None = None
    template: str | None = None
    """The question as its coordinator wrote it (``{mentee}``, ``{group}`` unfilled): what
    coordinators' figures count by, so that every mentor's answers to one question add up."""


@dataclass
class SupportRequest:
    """A teacher's own "I'd like some support", and whom they chose to tell: never inferred."""

    member_id: int
    to_mentor: bool
    to_coordinator: bool
    created_at: datetime
    program_id: int | None = None
    id: int | None = None
