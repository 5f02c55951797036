"""Programs and who belongs to each, in which role."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_programs_workspace_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    cadence_weeks: Mapped[int] = mapped_column(Integer, default=2)
    checkin_weekday: Mapped[int] = mapped_column(Integer, default=0)
    checkin_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    group_size: Mapped[int] = mapped_column(Integer, default=3)
    questions: Mapped[list[str]] = mapped_column(default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class MembershipRow(Base):
    __tablename__ = "program_memberships"
    __table_args__ = (
        UniqueConstraint("program_id", "member_id", name="uq_memberships_program_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int | None] = mapped_column(Integer)
    joined_at: Mapped[datetime]
    invited_at: Mapped[datetime | None]
    remind_at: Mapped[datetime | None]
    """When the one gentle reminder of someone invited and not started is due; None once it went,
    or when nothing is left to remind them of."""
    reminded_at: Mapped[datetime | None]


# The reminder job asks each workspace whose reminder is due: a range over the few rows with one.
Index("ix_memberships_remind_at", MembershipRow.workspace_id, MembershipRow.remind_at)

# The weekly digest reads one week through this; see storage.models.checkins for why it leads with
# workspace_id.
Index(
    "ix_memberships_digest",
    MembershipRow.workspace_id,
    MembershipRow.program_id,
    MembershipRow.role,
)

# A member's programs (every check-in, suggestion and profile asks): both equality columns in one
# index, so SQLite, which never has ANALYZE statistics here, does not settle for workspace_id alone.
Index("ix_memberships_workspace_member", MembershipRow.workspace_id, MembershipRow.member_id)
