"""The ORM models. Every row but a workspace's own belongs to one workspace, by ``workspace_id``."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


def _ws_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


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


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform_user_id", name="uq_members_workspace_user"),
        Index("ix_members_workspace_email", "workspace_id", "email"),
        # peer observation: the distinct time zones of a workspace, from the index alone
        Index("ix_members_workspace_timezone", "workspace_id", "timezone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
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
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_programs_workspace_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int | None] = mapped_column(Integer)
    joined_at: Mapped[datetime]


class PairingRoundRow(Base):
    __tablename__ = "pairing_rounds"
    __table_args__ = (
        UniqueConstraint("program_id", "number", name="uq_pairing_rounds_program_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    score: Mapped[float | None] = mapped_column(Float)
    seed: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class PairingRow(Base):
    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    round_id: Mapped[int] = mapped_column(
        ForeignKey("pairing_rounds.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)
    met_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]


class PairingMemberRow(Base):
    __tablename__ = "pairing_members"
    __table_args__ = (
        UniqueConstraint("pairing_id", "member_id", name="uq_pairing_members_pair_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))


class CheckinRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("program_id", "member_id", "week", name="uq_checkins_program_member_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    snoozed_at: Mapped[datetime | None]  # check-ins and reflections: one snooze a week


class ReflectionRow(Base):
    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    went_well: Mapped[str] = mapped_column(Text, default="")
    try_next: Mapped[str] = mapped_column(Text, default="")
    tag: Mapped[str | None] = mapped_column(String(120))
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ResourceRow(Base):
    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("workspace_id", "normalized_url", name="uq_resources_workspace_url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    # resources: feedback counters kept in step with resource_marks, and who removed it
    # (a sharer, or a coordinator).
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful_count: Mapped[int] = mapped_column(Integer, default=0)
    removed_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )


class ObservationRequestRow(Base):
    __tablename__ = "observation_requests"
    __table_args__ = (
        Index("ix_observation_requests_observer", "workspace_id", "observer_id", "starts_at"),
        Index("ix_observation_requests_status", "workspace_id", "status"),
        Index("ix_observation_requests_starts", "workspace_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # peer observation: added by migration 0007_observations
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    reminder_sent_at: Mapped[datetime | None]
    feedback_requested_at: Mapped[datetime | None]
    feedback_reminded_at: Mapped[datetime | None]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("workspace_id", "idempotency_key", name="uq_outbox_workspace_key"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
    delivery_id: Mapped[str] = mapped_column(String(255))
    processed_at: Mapped[datetime]


class SchoolCalendarRow(Base):
    """A holiday or a term in a program's calendar (``program_id`` NULL: every program here)."""

    __tablename__ = "school_calendar"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime]


class JobLeaseRow(Base):
    """Which running copy runs a periodic job this interval (several copies share one database).

    Not bound to a workspace: a job covers them all.
    """

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    until: Mapped[datetime]


class TeamsConversationRow(Base):
    """Where to reach one person in Teams without their writing first (a Bot Framework reference).

    ``conversation_id`` is empty until their one-to-one chat with the bot exists: someone met only as a
    team member is reached by creating that chat on the first send, which is then stored here.
    """

    __tablename__ = "teams_conversations"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id", name="uq_teams_conversations_workspace_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    user_id: Mapped[str] = mapped_column(String(128))
    conversation_id: Mapped[str | None] = mapped_column(String(512))
    service_url: Mapped[str] = mapped_column(String(512))
    reference: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime]


# slack: slack_sdk's OAuth installation and state stores keep their rows here, in tables
# with exactly the columns slack_sdk's SQLAlchemy stores expect (tests/adapters/slack/test_oauth.py
# checks them against slack_sdk's own definitions). They are keyed by Slack's team id, not by our
# workspace id: an installation exists before its workspace has done anything in Staffroom.
from sqlalchemy import Column, DateTime, Table, func  # noqa: E402

slack_installations = Table(
    "slack_installations",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    "slack_bots",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


# observation_requests (foundation) gains the columns below in migration 0007_observations; the asks,
# feedback and free periods are this feature's own tables.


class ObservationAskRow(Base):
    """One colleague asked (or queued to be asked) to observe one request, in turn."""

    __tablename__ = "observation_asks"
    __table_args__ = (
        UniqueConstraint("request_id", "member_id", name="uq_observation_asks_request_member"),
        Index("ix_observation_asks_status_asked", "workspace_id", "status", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
    request_id: Mapped[int] = mapped_column(
        ForeignKey("observation_requests.id", ondelete="CASCADE"), unique=True
    )
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    strengths: Mapped[str] = mapped_column(Text)
    suggestions: Mapped[list[str]] = mapped_column(default=list)
    ratings: Mapped[dict[str, Any]] = mapped_column(default=dict)
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
        # Covers the "who is free then" search: weekday and times are checked in the index alone.
        Index(
            "ix_free_periods_slot", "workspace_id", "weekday", "start_time", "end_time", "member_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class ResourceSearchRow(Base):
    """The search index's row for a live resource: narrow, so a search touches few pages.

    Written by the storage layer with every change to the resource (``storage.resources``) and deleted
    when it is removed. The full-text index sits on top: FTS5 ``resources_fts`` (external content, kept
    by triggers) on SQLite, the generated ``search_vector`` with a GIN index on PostgreSQL.
    """

    __tablename__ = "resource_search"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
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
    workspace_id: Mapped[int] = _ws_fk()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    pinned_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    pinned_at: Mapped[datetime]


class PairingRuleRow(Base):
    """A coordinator's pin or forbid for one round, or a standing do-not-pair between two people."""

    __tablename__ = "pairing_rules"
    __table_args__ = (Index("ix_pairing_rules_program_kind", "program_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    member_a_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    member_b_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    round_number: Mapped[int | None] = mapped_column(Integer)
    created_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]


# digest: indexes that keep the weekly digest's cost to the week it reads, not the history.
# Each leads with workspace_id, which every query names, so the planner (SQLite's too, without ANALYZE
# statistics) prefers them to the single-column workspace_id indexes.
Index("ix_checkins_digest", CheckinRow.workspace_id, CheckinRow.program_id, CheckinRow.week)
Index(
    "ix_reflections_digest",
    ReflectionRow.workspace_id,
    ReflectionRow.program_id,
    ReflectionRow.created_at,
)
Index(
    "ix_memberships_digest",
    MembershipRow.workspace_id,
    MembershipRow.program_id,
    MembershipRow.role,
)
Index(
    "ix_pairing_rounds_digest",
    PairingRoundRow.workspace_id,
    PairingRoundRow.program_id,
    PairingRoundRow.published_at,
)
Index("ix_pairings_digest", PairingRow.workspace_id, PairingRow.round_id, PairingRow.met_status)
Index("ix_resource_sharers_digest", ResourceSharerRow.workspace_id, ResourceSharerRow.shared_at)
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
Index("ix_outbox_digest", OutboxRow.workspace_id, OutboxRow.status, OutboxRow.created_at)
