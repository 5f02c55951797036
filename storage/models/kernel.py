"""What every feature leans on: workspaces, the inbound log, the outbox, the job leases and the
platforms' rate budgets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_workspaces_platform_external"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("workspace_id", "idempotency_key", name="uq_outbox_workspace_key"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    platform: Mapped[str] = mapped_column(String(16))
    recipient_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    recipient_user_id: Mapped[str] = mapped_column(String(128))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    platform_message_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class ProcessedEventRow(Base):
    __tablename__ = "processed_events"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id", "delivery_id", name="uq_processed_events_workspace_delivery"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    delivery_id: Mapped[str] = mapped_column(String(255))
    processed_at: Mapped[datetime]


class JobLeaseRow(Base):
    """Which running copy runs a periodic job this interval (several copies share one database).

    Not bound to a workspace: a job covers them all.
    """

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    until: Mapped[datetime]


class RateBudgetRow(Base):
    """How fast one platform workspace (a Slack team, a Teams tenant) may be sent to, shared by
    every thread, process and copy: the next free slot, the rate learnt from the platform's 429s
    and any ``Retry-After`` pause. Times are seconds since the epoch (UTC), as every copy's clock
    reads them. Keyed by the platform's own id, so a reply can draw from it before Staffroom
    knows the workspace's row.
    """

    __tablename__ = "rate_budgets"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(128), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)
    rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    probing: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[float] = mapped_column(Float, default=0.0)
    last_cut_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    window_start: Mapped[float] = mapped_column(Float, default=0.0)
    window_count: Mapped[int] = mapped_column(Integer, default=0)
    previous_count: Mapped[int] = mapped_column(Integer, default=0)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    """A 429 came at a steady pace (not while probing): the rate is known, and creeps slowly."""


class RateBudgetPauseRow(Base):
    """A platform's ``Retry-After`` for one workspace, until when every copy holds its posts.

    Apart from ``rate_budgets``: each slot reservation locks the budget's row, and a pause written
    there waited behind them while the other copies went on posting.
    """

    __tablename__ = "rate_budget_pauses"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(128), primary_key=True)
    paused_until: Mapped[float] = mapped_column(Float)


# The weekly digest reads one week through this; see storage.models.checkins for why it leads with
# workspace_id.
Index("ix_outbox_digest", OutboxRow.workspace_id, OutboxRow.status, OutboxRow.created_at)
