"""The people of a workspace."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform_user_id", name="uq_members_workspace_user"),
        Index("ix_members_workspace_email", "workspace_id", "email"),
        # Peer observation: the distinct time zones of a workspace, from the index alone
        Index("ix_members_workspace_timezone", "workspace_id", "timezone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    email_source: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    role: Mapped[str] = mapped_column(String(16), default="teacher")
    subjects: Mapped[list[str]] = mapped_column(default=list)
    grade_bands: Mapped[list[str]] = mapped_column(default=list)
    school: Mapped[str | None] = mapped_column(String(200))
    years_experience: Mapped[int | None] = mapped_column(Integer)
    goals: Mapped[list[str]] = mapped_column(default=list)
    strengths: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="active")
    paused_until: Mapped[date | None] = mapped_column(Date)
    consented_at: Mapped[datetime | None]
    joined_at: Mapped[datetime | None]
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(8))
    platform_language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
