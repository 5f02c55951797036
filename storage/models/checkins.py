"""Weekly check-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class CheckinRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("program_id", "member_id", "week", name="uq_checkins_program_member_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    confidence: Mapped[int | None] = mapped_column(Integer)
    reminder_sent_at: Mapped[datetime | None]
    snoozed_at: Mapped[datetime | None]  # one snooze a week
    goal: Mapped[str | None] = mapped_column(String(200))  # what the confidence was about
    confidence_falling: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # this answer ends a fall (bot.checkins.trend), kept by storage.repositories.confidence_trend


# The digest's indexes (one in each feature's table) keep the weekly digest's cost to the week it reads, not the history.
# Each leads with workspace_id, which every query names, so the planner (SQLite's too, without ANALYZE
# statistics) prefers them to the single-column workspace_id indexes.
Index("ix_checkins_digest", CheckinRow.workspace_id, CheckinRow.program_id, CheckinRow.week)
FALLING = CheckinRow.confidence_falling == true()
"""The partial index's condition; a query must name it in these words for SQLite to use the index."""
Index(
    "ix_checkins_falling",
    CheckinRow.workspace_id,
    CheckinRow.program_id,
    CheckinRow.week,
    CheckinRow.member_id,  # without it SQLite took ix_checkins_digest, as good to its eyes
    sqlite_where=FALLING,
    postgresql_where=FALLING,
)


class CheckinWakeupRow(Base):
    """When the planner next needs to look at a program: it sleeps through the minutes before.

    ``wake_at`` NULL means now. Any change that could bring a check-in, reminder or re-send forward
    clears it and bumps ``generation`` (``storage.repositories.checkin_wakeups``); the planner only
    sets a wake time if the generation it read before planning is still the current one, so a change
    made while it planned is never slept through.
    """

    __tablename__ = "checkin_wakeups"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = workspace_fk()
    wake_at: Mapped[datetime | None] = mapped_column(index=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class CheckinAnswerRow(Base):
    """One answer to one of the program's questions: private to its author, like a reflection."""

    __tablename__ = "checkin_answers"
    __table_args__ = (
        UniqueConstraint("checkin_id", "position", name="uq_checkin_answers_checkin_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(200))
    template: Mapped[str | None] = mapped_column(String(200))
    """The question as its coordinator wrote it, ``{mentee}`` and ``{group}`` unfilled: what
    coordinators' figures count by (``question`` is as the teacher read it, with names)."""
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime]


class SupportRequestRow(Base):
    """A teacher's "I'd like some support", and whom they chose to hear it."""

    __tablename__ = "support_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    to_mentor: Mapped[bool] = mapped_column(Boolean)
    to_coordinator: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
