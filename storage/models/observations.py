"""Peer observation: requests, the asks in turn, feedback and declared free periods."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class ObservationRequestRow(Base):
    __tablename__ = "observation_requests"
    __table_args__ = (
        Index("ix_observation_requests_observer", "workspace_id", "observer_id", "starts_at"),
        Index("ix_observation_requests_status", "workspace_id", "status"),
        Index("ix_observation_requests_starts", "workspace_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    class_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str | None] = mapped_column(String(80))
    focus: Mapped[str] = mapped_column(String(120))
    look_fors: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(String(300), default="", server_default="")
    """The one question the teacher wants answered, shown to both in the brief."""
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    brief_sent_at: Mapped[datetime | None]
    feedback_requested_at: Mapped[datetime | None]
    feedback_reminded_at: Mapped[datetime | None]
    thanks: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The teacher's thanks to their observer, delivered once (``thanked_at``)."""
    thanked_at: Mapped[datetime | None]


class ObservationAskRow(Base):
    """One colleague asked (or queued to be asked) to observe one request, in turn."""

    __tablename__ = "observation_asks"
    __table_args__ = (
        UniqueConstraint("request_id", "member_id", name="uq_observation_asks_request_member"),
        Index("ix_observation_asks_status_asked", "workspace_id", "status", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    request_id: Mapped[int] = mapped_column(
        ForeignKey("observation_requests.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    asked_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class ObservationFeedbackRow(Base):
    """The observer's feedback. Readable only by the observed teacher (and their mentor if shared)."""

    __tablename__ = "observation_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    request_id: Mapped[int] = mapped_column(
        ForeignKey("observation_requests.id", ondelete="CASCADE"), unique=True
    )
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    strengths: Mapped[str] = mapped_column(Text)
    suggestions: Mapped[list[str]] = mapped_column(default=list)
    look_fors_seen: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Look-for -> "seen often", "seen sometimes", "not seen yet" or "didn't look": words, not grades."""
    shared_with_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    reflection_id: Mapped[int | None] = mapped_column(
        ForeignKey("reflections.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]


class FreePeriodRow(Base):
    """A weekly free period a teacher declared, in their own time zone: when they could observe."""

    __tablename__ = "free_periods"
    __table_args__ = (
        UniqueConstraint(
            "member_id", "weekday", "start_time", "end_time", name="uq_free_periods_member_slot"
        ),
        # Covers the "who is free then" search: one zone's periods, weekday and times checked in
        # the index alone.
        Index(
            "ix_free_periods_zone_slot",
            "workspace_id",
            "weekday",
            "timezone",
            "start_time",
            "end_time",
            "member_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), server_default="")
    """The teacher's time zone, kept with each period (``storage.repositories.members`` moves it with
    the teacher) so the search reads one zone's periods without joining members."""


# The weekly digest reads one week through this; see storage.models.checkins for why it leads with
# workspace_id.
Index(
    "ix_observation_requests_digest",
    ObservationRequestRow.workspace_id,
    ObservationRequestRow.program_id,
    ObservationRequestRow.created_at,
)


Index(
    "ix_observation_requests_closed",
    ObservationRequestRow.workspace_id,
    ObservationRequestRow.status,
    ObservationRequestRow.updated_at,
)
