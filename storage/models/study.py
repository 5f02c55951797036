"""Lesson study's tables: the cycle (its phase, due dates, shared plan and research lesson), who is in
it with the focus each observer watches, and the observers' notes.

Notes and revisions hang off their author with ``ON DELETE CASCADE``; a cycle keeps no hard link to its
starter or teacher (``SET NULL``), so the group's work outlives one member leaving it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class StudyCycleRow(Base):
    __tablename__ = "study_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    name: Mapped[str] = mapped_column(String(120))
    starter_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    timezone: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(16), default="plan")
    plan_due: Mapped[date] = mapped_column(Date)
    teach_due: Mapped[date] = mapped_column(Date)
    debrief_due: Mapped[date] = mapped_column(Date)
    revise_due: Mapped[date] = mapped_column(Date)
    reteach_due: Mapped[date] = mapped_column(Date)
    question: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    students_do: Mapped[str] = mapped_column(Text, default="")
    watch_for: Mapped[str] = mapped_column(Text, default="")
    plan_link: Mapped[str] = mapped_column(String(500), default="")
    plan_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    lesson_on: Mapped[date | None] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(60), default="")
    class_name: Mapped[str] = mapped_column(String(120), default="")
    nudged: Mapped[str] = mapped_column(String(80), default="")
    """The phases whose one nudge has gone, comma-separated."""
    debriefed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


Index("ix_study_cycles_phase", StudyCycleRow.workspace_id, StudyCycleRow.phase)


class StudyMemberRow(Base):
    __tablename__ = "study_members"
    __table_args__ = (UniqueConstraint("cycle_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    cycle_id: Mapped[int] = mapped_column(ForeignKey("study_cycles.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    focus: Mapped[str] = mapped_column(String(200), default="")
    revision: Mapped[str] = mapped_column(Text, default="")
    revised_at: Mapped[datetime | None]


class StudyNoteRow(Base):
    __tablename__ = "study_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("study_cycles.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
