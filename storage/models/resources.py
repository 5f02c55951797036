"""The resource library: resources, their search index rows, sharers, marks, views and pins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class ResourceRow(Base):
    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("workspace_id", "normalized_url", name="uq_resources_workspace_url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    url: Mapped[str | None] = mapped_column(String(2000))
    normalized_url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str | None] = mapped_column(String(80))
    grade_band: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[list[str]] = mapped_column(default=list)
    source_kind: Mapped[str] = mapped_column(String(16), default="peer")
    shared_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    # Feedback counters kept in step with resource_marks, and who removed it (a sharer, or a coordinator).
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful_count: Mapped[int] = mapped_column(Integer, default=0)
    removed_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )


class ResourceSearchRow(Base):
    """The search index's row for a live resource: narrow, so a search touches few pages.

    Written by the storage layer with every change to the resource (``storage.repositories.resources``) and deleted
    when it is removed. The full-text index sits on top: FTS5 ``resources_fts`` (external content, kept
    by triggers) on SQLite, the generated ``search_vector`` with a GIN index on PostgreSQL.
    """

    __tablename__ = "resource_search"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    workspace_id: Mapped[int] = workspace_fk()
    workspace_token: Mapped[str] = mapped_column(String(24))
    quality: Mapped[int] = mapped_column(Integer)
    subject_key: Mapped[str] = mapped_column(String(80), default="")
    grade_key: Mapped[str] = mapped_column(String(40), default="")
    tag_keys: Mapped[str] = mapped_column(Text, default="")
    search_title: Mapped[str] = mapped_column(Text)
    search_tags: Mapped[str] = mapped_column(Text)
    search_body: Mapped[str] = mapped_column(Text)


class ResourceCountRow(Base):
    """Live resources per workspace: the N of the search's idf, kept in step by the storage layer so
    a search never counts the library."""

    __tablename__ = "resource_counts"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    live: Mapped[int] = mapped_column(Integer)


class ResourceSharerRow(Base):
    """Everyone who shared a link: a duplicate share credits its sharer here instead of a second row."""

    __tablename__ = "resource_sharers"
    __table_args__ = (
        UniqueConstraint("resource_id", "member_id", name="uq_resource_sharers_resource_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime]


class ResourceMarkRow(Base):
    """One helpful/unhelpful mark per member and resource; the digest counts them by ``marked_at``."""

    __tablename__ = "resource_marks"
    __table_args__ = (
        UniqueConstraint("resource_id", "member_id", name="uq_resource_marks_resource_member"),
        Index("ix_resource_marks_workspace_mark_time", "workspace_id", "mark", "marked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    mark: Mapped[str] = mapped_column(String(16))
    marked_at: Mapped[datetime]


class ResourceViewRow(Base):
    """That a member was shown a resource (in search or as a suggestion): surfacing skips these."""

    __tablename__ = "resource_views"
    __table_args__ = (
        UniqueConstraint("member_id", "resource_id", name="uq_resource_views_member_resource"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    shown_in: Mapped[str] = mapped_column(String(16))
    shown_at: Mapped[datetime]


class ResourcePinRow(Base):
    """A coordinator's pick for a program: ranks first for that program's members."""

    __tablename__ = "resource_pins"
    __table_args__ = (
        UniqueConstraint("program_id", "resource_id", name="uq_resource_pins_program_resource"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    pinned_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    pinned_at: Mapped[datetime]


# The weekly digest reads one week through this; see storage.models.checkins for why it leads with
# workspace_id.
Index("ix_resource_sharers_digest", ResourceSharerRow.workspace_id, ResourceSharerRow.shared_at)
