"""baseline: the whole schema, as the models describe it

Revision ID: 0001
Revises:
Create Date: 2026-12-01

One revision for the schema the earlier chain built step by step (no database predates it). Beyond
the models: the search index's one-dialect objects from ``storage.repositories.resources_search``,
an FTS5 table kept by triggers on SQLite, a generated weighted tsvector with a GIN index on PostgreSQL.
APScheduler creates and owns its job table itself; it is not here.

A later migration that recreates ``resource_search`` on SQLite (Alembic's batch mode copies the table)
drops the FTS triggers with it: such a migration must run ``SQLITE_DROP`` before and ``SQLITE_DDL``
after. Name the next one ``0002_<what it does>.py``, revising ``0001``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.repositories import resources_search as search

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_bots")),
    )
    op.create_index(
        "slack_bots_idx",
        "slack_bots",
        ["client_id", "enterprise_id", "team_id", "installed_at"],
        unique=False,
    )
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("enterprise_url", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_token", sa.String(length=200), nullable=True),
        sa.Column("user_scopes", sa.String(length=1000), nullable=True),
        sa.Column("user_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(length=200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(length=32), nullable=True),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_installations")),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
        unique=False,
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_oauth_states")),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("platform", "external_id", name="uq_workspaces_platform_external"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("platform_user_id", sa.String(length=128), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("grade_bands", sa.JSON(), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=True),
        sa.Column("years_experience", sa.Integer(), nullable=True),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("strengths", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("workspace_id", "platform_user_id", name="uq_members_workspace_user"),
    )
    op.create_index(
        "ix_members_workspace_email", "members", ["workspace_id", "email"], unique=False
    )
    op.create_index(op.f("ix_members_workspace_id"), "members", ["workspace_id"], unique=False)
    op.create_index(
        "ix_members_workspace_timezone", "members", ["workspace_id", "timezone"], unique=False
    )
    op.create_table(
        "processed_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=255), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_processed_events_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_events")),
        sa.UniqueConstraint(
            "workspace_id", "delivery_id", name="uq_processed_events_workspace_delivery"
        ),
    )
    op.create_index(
        op.f("ix_processed_events_workspace_id"), "processed_events", ["workspace_id"], unique=False
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("cadence_weeks", sa.Integer(), nullable=False),
        sa.Column("checkin_weekday", sa.Integer(), nullable=False),
        sa.Column("checkin_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_programs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
        sa.UniqueConstraint("workspace_id", "name", name="uq_programs_workspace_name"),
    )
    op.create_index(op.f("ix_programs_workspace_id"), "programs", ["workspace_id"], unique=False)
    op.create_table(
        "resource_counts",
        sa.Column("workspace_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("live", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_counts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_resource_counts")),
    )
    op.create_table(
        "teams_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("conversation_id", sa.String(length=512), nullable=True),
        sa.Column("service_url", sa.String(length=512), nullable=False),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_teams_conversations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams_conversations")),
        sa.UniqueConstraint(
            "workspace_id", "user_id", name="uq_teams_conversations_workspace_user"
        ),
    )
    op.create_index(
        op.f("ix_teams_conversations_workspace_id"),
        "teams_conversations",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_checkins_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_checkins_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_checkins_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint(
            "program_id", "member_id", "week", name="uq_checkins_program_member_week"
        ),
    )
    op.create_index(
        "ix_checkins_digest", "checkins", ["workspace_id", "program_id", "week"], unique=False
    )
    op.create_index(op.f("ix_checkins_member_id"), "checkins", ["member_id"], unique=False)
    op.create_index(op.f("ix_checkins_program_id"), "checkins", ["program_id"], unique=False)
    op.create_index(op.f("ix_checkins_workspace_id"), "checkins", ["workspace_id"], unique=False)
    op.create_table(
        "free_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_free_periods_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_free_periods_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_free_periods")),
        sa.UniqueConstraint(
            "member_id", "weekday", "start_time", "end_time", name="uq_free_periods_member_slot"
        ),
    )
    op.create_index(op.f("ix_free_periods_member_id"), "free_periods", ["member_id"], unique=False)
    op.create_index(
        "ix_free_periods_slot",
        "free_periods",
        ["workspace_id", "weekday", "start_time", "end_time", "member_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_free_periods_workspace_id"), "free_periods", ["workspace_id"], unique=False
    )
    op.create_table(
        "observation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("class_name", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=True),
        sa.Column("focus", sa.String(length=120), nullable=False),
        sa.Column("look_fors", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["members.id"],
            name=op.f("fk_observation_requests_cancelled_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["observer_id"],
            ["members.id"],
            name=op.f("fk_observation_requests_observer_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_observation_requests_program_id_programs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["members.id"],
            name=op.f("fk_observation_requests_requester_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_observation_requests_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_requests")),
    )
    op.create_index(
        "ix_observation_requests_closed",
        "observation_requests",
        ["workspace_id", "status", "updated_at"],
        unique=False,
    )
    op.create_index(
        "ix_observation_requests_digest",
        "observation_requests",
        ["workspace_id", "program_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_observation_requests_observer",
        "observation_requests",
        ["workspace_id", "observer_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_observation_requests_requester_id"),
        "observation_requests",
        ["requester_id"],
        unique=False,
    )
    op.create_index(
        "ix_observation_requests_starts",
        "observation_requests",
        ["workspace_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        "ix_observation_requests_status",
        "observation_requests",
        ["workspace_id", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_observation_requests_workspace_id"),
        "observation_requests",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("recipient_member_id", sa.Integer(), nullable=True),
        sa.Column("recipient_user_id", sa.String(length=128), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("platform_message_id", sa.String(length=255), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_member_id"],
            ["members.id"],
            name=op.f("fk_outbox_recipient_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_outbox_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("workspace_id", "idempotency_key", name="uq_outbox_workspace_key"),
    )
    op.create_index(
        "ix_outbox_digest", "outbox", ["workspace_id", "status", "created_at"], unique=False
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_outbox_workspace_id"), "outbox", ["workspace_id"], unique=False)
    op.create_table(
        "pairing_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_pairing_rounds_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pairing_rounds_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_rounds")),
        sa.UniqueConstraint("program_id", "number", name="uq_pairing_rounds_program_number"),
    )
    op.create_index(
        "ix_pairing_rounds_digest",
        "pairing_rounds",
        ["workspace_id", "program_id", "published_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_pairing_rounds_program_id"), "pairing_rounds", ["program_id"], unique=False
    )
    op.create_index(
        op.f("ix_pairing_rounds_workspace_id"), "pairing_rounds", ["workspace_id"], unique=False
    )
    op.create_table(
        "pairing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_a_id", sa.Integer(), nullable=False),
        sa.Column("member_b_id", sa.Integer(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=True),
        sa.Column("created_by_member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["members.id"],
            name=op.f("fk_pairing_rules_created_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_a_id"],
            ["members.id"],
            name=op.f("fk_pairing_rules_member_a_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_b_id"],
            ["members.id"],
            name=op.f("fk_pairing_rules_member_b_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_pairing_rules_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pairing_rules_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_rules")),
    )
    op.create_index(
        "ix_pairing_rules_program_kind", "pairing_rules", ["program_id", "kind"], unique=False
    )
    op.create_index(
        op.f("ix_pairing_rules_workspace_id"), "pairing_rules", ["workspace_id"], unique=False
    )
    op.create_table(
        "program_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_program_memberships_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_program_memberships_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_program_memberships_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_memberships")),
        sa.UniqueConstraint("program_id", "member_id", name="uq_memberships_program_member"),
    )
    op.create_index(
        "ix_memberships_digest",
        "program_memberships",
        ["workspace_id", "program_id", "role"],
        unique=False,
    )
    op.create_index(
        op.f("ix_program_memberships_member_id"), "program_memberships", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_program_memberships_program_id"),
        "program_memberships",
        ["program_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_program_memberships_workspace_id"),
        "program_memberships",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("normalized_url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=True),
        sa.Column("grade_band", sa.String(length=40), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("shared_by_member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("helpful_count", sa.Integer(), nullable=False),
        sa.Column("unhelpful_count", sa.Integer(), nullable=False),
        sa.Column("removed_by_member_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["removed_by_member_id"],
            ["members.id"],
            name=op.f("fk_resources_removed_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shared_by_member_id"],
            ["members.id"],
            name=op.f("fk_resources_shared_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resources_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
        sa.UniqueConstraint("workspace_id", "normalized_url", name="uq_resources_workspace_url"),
    )
    op.create_index(op.f("ix_resources_workspace_id"), "resources", ["workspace_id"], unique=False)
    op.create_table(
        "school_calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_school_calendar_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_school_calendar_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_calendar")),
    )
    op.create_index(
        op.f("ix_school_calendar_program_id"), "school_calendar", ["program_id"], unique=False
    )
    op.create_index(
        op.f("ix_school_calendar_workspace_id"), "school_calendar", ["workspace_id"], unique=False
    )
    op.create_table(
        "observation_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_observation_asks_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["observation_requests.id"],
            name=op.f("fk_observation_asks_request_id_observation_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_observation_asks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_asks")),
        sa.UniqueConstraint("request_id", "member_id", name="uq_observation_asks_request_member"),
    )
    op.create_index(
        op.f("ix_observation_asks_request_id"), "observation_asks", ["request_id"], unique=False
    )
    op.create_index(
        "ix_observation_asks_status_asked",
        "observation_asks",
        ["workspace_id", "status", "asked_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_observation_asks_workspace_id"), "observation_asks", ["workspace_id"], unique=False
    )
    op.create_table(
        "pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("met_status", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_pairings_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["pairing_rounds.id"],
            name=op.f("fk_pairings_round_id_pairing_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pairings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairings")),
    )
    op.create_index(
        "ix_pairings_digest", "pairings", ["workspace_id", "round_id", "met_status"], unique=False
    )
    op.create_index(op.f("ix_pairings_program_id"), "pairings", ["program_id"], unique=False)
    op.create_index(op.f("ix_pairings_round_id"), "pairings", ["round_id"], unique=False)
    op.create_index(op.f("ix_pairings_workspace_id"), "pairings", ["workspace_id"], unique=False)
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("try_next", sa.Text(), nullable=False),
        sa.Column("tag", sa.String(length=120), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_reflections_checkin_id_checkins"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_reflections_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_reflections_program_id_programs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_reflections_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
    )
    op.create_index(
        "ix_reflections_digest",
        "reflections",
        ["workspace_id", "program_id", "created_at"],
        unique=False,
    )
    op.create_index(op.f("ix_reflections_member_id"), "reflections", ["member_id"], unique=False)
    op.create_index(
        op.f("ix_reflections_workspace_id"), "reflections", ["workspace_id"], unique=False
    )
    op.create_table(
        "resource_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_resource_marks_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_marks_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_marks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_marks")),
        sa.UniqueConstraint("resource_id", "member_id", name="uq_resource_marks_resource_member"),
    )
    op.create_index(
        op.f("ix_resource_marks_member_id"), "resource_marks", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_marks_resource_id"), "resource_marks", ["resource_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_marks_workspace_id"), "resource_marks", ["workspace_id"], unique=False
    )
    op.create_index(
        "ix_resource_marks_workspace_mark_time",
        "resource_marks",
        ["workspace_id", "mark", "marked_at"],
        unique=False,
    )
    op.create_table(
        "resource_pins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("pinned_by_member_id", sa.Integer(), nullable=True),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pinned_by_member_id"],
            ["members.id"],
            name=op.f("fk_resource_pins_pinned_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_resource_pins_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_pins_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_pins_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_pins")),
        sa.UniqueConstraint("program_id", "resource_id", name="uq_resource_pins_program_resource"),
    )
    op.create_index(
        op.f("ix_resource_pins_program_id"), "resource_pins", ["program_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_pins_resource_id"), "resource_pins", ["resource_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_pins_workspace_id"), "resource_pins", ["workspace_id"], unique=False
    )
    op.create_table(
        "resource_search",
        sa.Column("resource_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("workspace_token", sa.String(length=24), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=80), nullable=False),
        sa.Column("grade_key", sa.String(length=40), nullable=False),
        sa.Column("tag_keys", sa.Text(), nullable=False),
        sa.Column("search_title", sa.Text(), nullable=False),
        sa.Column("search_tags", sa.Text(), nullable=False),
        sa.Column("search_body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_search_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_search_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_resource_search")),
    )
    op.create_index(
        op.f("ix_resource_search_workspace_id"), "resource_search", ["workspace_id"], unique=False
    )
    op.create_table(
        "resource_sharers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_resource_sharers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_sharers_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_sharers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_sharers")),
        sa.UniqueConstraint("resource_id", "member_id", name="uq_resource_sharers_resource_member"),
    )
    op.create_index(
        "ix_resource_sharers_digest",
        "resource_sharers",
        ["workspace_id", "shared_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_resource_sharers_member_id"), "resource_sharers", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_sharers_resource_id"), "resource_sharers", ["resource_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_sharers_workspace_id"), "resource_sharers", ["workspace_id"], unique=False
    )
    op.create_table(
        "resource_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("shown_in", sa.String(length=16), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_resource_views_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_views_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_views_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_views")),
        sa.UniqueConstraint("member_id", "resource_id", name="uq_resource_views_member_resource"),
    )
    op.create_index(
        op.f("ix_resource_views_member_id"), "resource_views", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_views_resource_id"), "resource_views", ["resource_id"], unique=False
    )
    op.create_index(
        op.f("ix_resource_views_workspace_id"), "resource_views", ["workspace_id"], unique=False
    )
    op.create_table(
        "observation_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("suggestions", sa.JSON(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("shared_with_mentor", sa.Boolean(), nullable=False),
        sa.Column("reflection_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["observer_id"],
            ["members.id"],
            name=op.f("fk_observation_feedback_observer_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reflection_id"],
            ["reflections.id"],
            name=op.f("fk_observation_feedback_reflection_id_reflections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["observation_requests.id"],
            name=op.f("fk_observation_feedback_request_id_observation_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_observation_feedback_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_feedback")),
        sa.UniqueConstraint("request_id", name=op.f("uq_observation_feedback_request_id")),
    )
    op.create_index(
        op.f("ix_observation_feedback_workspace_id"),
        "observation_feedback",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "pairing_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_pairing_members_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_pairing_members_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pairing_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_members")),
        sa.UniqueConstraint("pairing_id", "member_id", name="uq_pairing_members_pair_member"),
    )
    op.create_index(
        op.f("ix_pairing_members_member_id"), "pairing_members", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_pairing_members_pairing_id"), "pairing_members", ["pairing_id"], unique=False
    )
    op.create_index(
        op.f("ix_pairing_members_workspace_id"), "pairing_members", ["workspace_id"], unique=False
    )
    dialect = op.get_bind().dialect.name
    for statement in search.SQLITE_DDL if dialect == "sqlite" else search.POSTGRES_DDL:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search.SQLITE_DROP if dialect == "sqlite" else search.POSTGRES_DROP:
        op.execute(statement)
    op.drop_index(op.f("ix_pairing_members_workspace_id"), table_name="pairing_members")
    op.drop_index(op.f("ix_pairing_members_pairing_id"), table_name="pairing_members")
    op.drop_index(op.f("ix_pairing_members_member_id"), table_name="pairing_members")
    op.drop_table("pairing_members")
    op.drop_index(op.f("ix_observation_feedback_workspace_id"), table_name="observation_feedback")
    op.drop_table("observation_feedback")
    op.drop_index(op.f("ix_resource_views_workspace_id"), table_name="resource_views")
    op.drop_index(op.f("ix_resource_views_resource_id"), table_name="resource_views")
    op.drop_index(op.f("ix_resource_views_member_id"), table_name="resource_views")
    op.drop_table("resource_views")
    op.drop_index(op.f("ix_resource_sharers_workspace_id"), table_name="resource_sharers")
    op.drop_index(op.f("ix_resource_sharers_resource_id"), table_name="resource_sharers")
    op.drop_index(op.f("ix_resource_sharers_member_id"), table_name="resource_sharers")
    op.drop_index("ix_resource_sharers_digest", table_name="resource_sharers")
    op.drop_table("resource_sharers")
    op.drop_index(op.f("ix_resource_search_workspace_id"), table_name="resource_search")
    op.drop_table("resource_search")
    op.drop_index(op.f("ix_resource_pins_workspace_id"), table_name="resource_pins")
    op.drop_index(op.f("ix_resource_pins_resource_id"), table_name="resource_pins")
    op.drop_index(op.f("ix_resource_pins_program_id"), table_name="resource_pins")
    op.drop_table("resource_pins")
    op.drop_index("ix_resource_marks_workspace_mark_time", table_name="resource_marks")
    op.drop_index(op.f("ix_resource_marks_workspace_id"), table_name="resource_marks")
    op.drop_index(op.f("ix_resource_marks_resource_id"), table_name="resource_marks")
    op.drop_index(op.f("ix_resource_marks_member_id"), table_name="resource_marks")
    op.drop_table("resource_marks")
    op.drop_index(op.f("ix_reflections_workspace_id"), table_name="reflections")
    op.drop_index(op.f("ix_reflections_member_id"), table_name="reflections")
    op.drop_index("ix_reflections_digest", table_name="reflections")
    op.drop_table("reflections")
    op.drop_index(op.f("ix_pairings_workspace_id"), table_name="pairings")
    op.drop_index(op.f("ix_pairings_round_id"), table_name="pairings")
    op.drop_index(op.f("ix_pairings_program_id"), table_name="pairings")
    op.drop_index("ix_pairings_digest", table_name="pairings")
    op.drop_table("pairings")
    op.drop_index(op.f("ix_observation_asks_workspace_id"), table_name="observation_asks")
    op.drop_index("ix_observation_asks_status_asked", table_name="observation_asks")
    op.drop_index(op.f("ix_observation_asks_request_id"), table_name="observation_asks")
    op.drop_table("observation_asks")
    op.drop_index(op.f("ix_school_calendar_workspace_id"), table_name="school_calendar")
    op.drop_index(op.f("ix_school_calendar_program_id"), table_name="school_calendar")
    op.drop_table("school_calendar")
    op.drop_index(op.f("ix_resources_workspace_id"), table_name="resources")
    op.drop_table("resources")
    op.drop_index(op.f("ix_program_memberships_workspace_id"), table_name="program_memberships")
    op.drop_index(op.f("ix_program_memberships_program_id"), table_name="program_memberships")
    op.drop_index(op.f("ix_program_memberships_member_id"), table_name="program_memberships")
    op.drop_index("ix_memberships_digest", table_name="program_memberships")
    op.drop_table("program_memberships")
    op.drop_index(op.f("ix_pairing_rules_workspace_id"), table_name="pairing_rules")
    op.drop_index("ix_pairing_rules_program_kind", table_name="pairing_rules")
    op.drop_table("pairing_rules")
    op.drop_index(op.f("ix_pairing_rounds_workspace_id"), table_name="pairing_rounds")
    op.drop_index(op.f("ix_pairing_rounds_program_id"), table_name="pairing_rounds")
    op.drop_index("ix_pairing_rounds_digest", table_name="pairing_rounds")
    op.drop_table("pairing_rounds")
    op.drop_index(op.f("ix_outbox_workspace_id"), table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_index("ix_outbox_digest", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_observation_requests_workspace_id"), table_name="observation_requests")
    op.drop_index("ix_observation_requests_status", table_name="observation_requests")
    op.drop_index("ix_observation_requests_starts", table_name="observation_requests")
    op.drop_index(op.f("ix_observation_requests_requester_id"), table_name="observation_requests")
    op.drop_index("ix_observation_requests_observer", table_name="observation_requests")
    op.drop_index("ix_observation_requests_digest", table_name="observation_requests")
    op.drop_index("ix_observation_requests_closed", table_name="observation_requests")
    op.drop_table("observation_requests")
    op.drop_index(op.f("ix_free_periods_workspace_id"), table_name="free_periods")
    op.drop_index("ix_free_periods_slot", table_name="free_periods")
    op.drop_index(op.f("ix_free_periods_member_id"), table_name="free_periods")
    op.drop_table("free_periods")
    op.drop_index(op.f("ix_checkins_workspace_id"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_program_id"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_member_id"), table_name="checkins")
    op.drop_index("ix_checkins_digest", table_name="checkins")
    op.drop_table("checkins")
    op.drop_index(op.f("ix_teams_conversations_workspace_id"), table_name="teams_conversations")
    op.drop_table("teams_conversations")
    op.drop_table("resource_counts")
    op.drop_index(op.f("ix_programs_workspace_id"), table_name="programs")
    op.drop_table("programs")
    op.drop_index(op.f("ix_processed_events_workspace_id"), table_name="processed_events")
    op.drop_table("processed_events")
    op.drop_index("ix_members_workspace_timezone", table_name="members")
    op.drop_index(op.f("ix_members_workspace_id"), table_name="members")
    op.drop_index("ix_members_workspace_email", table_name="members")
    op.drop_table("members")
    op.drop_table("workspaces")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_table("job_leases")
