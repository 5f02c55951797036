"""peer observation: asks in turn, feedback, free periods; observation_requests extended

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_members_workspace_timezone", ["workspace_id", "timezone"], unique=False
        )

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
    with op.batch_alter_table("free_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_free_periods_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "ix_free_periods_slot",
            ["workspace_id", "weekday", "start_time", "end_time", "member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_free_periods_workspace_id"), ["workspace_id"], unique=False
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
    with op.batch_alter_table("observation_asks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observation_asks_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            "ix_observation_asks_status_asked", ["workspace_id", "status", "asked_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observation_asks_workspace_id"), ["workspace_id"], unique=False
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
            ["reflection_id"],
            ["reflections.id"],
            name=op.f("fk_observation_feedback_reflection_id_reflections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["observer_id"],
            ["members.id"],
            name=op.f("fk_observation_feedback_observer_id_members"),
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
    with op.batch_alter_table("observation_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observation_feedback_workspace_id"), ["workspace_id"], unique=False
        )

    with op.batch_alter_table("observation_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False)
        )
        batch_op.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("feedback_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("feedback_reminded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_observation_requests_observer",
            ["workspace_id", "observer_id", "starts_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_observation_requests_status", ["workspace_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_observation_requests_starts", ["workspace_id", "starts_at"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_observation_requests_cancelled_by_id_members"),
            "members",
            ["cancelled_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_workspace_timezone")

    with op.batch_alter_table("observation_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_observation_requests_cancelled_by_id_members"), type_="foreignkey"
        )
        batch_op.drop_index("ix_observation_requests_starts")
        batch_op.drop_index("ix_observation_requests_status")
        batch_op.drop_index("ix_observation_requests_observer")
        batch_op.drop_column("feedback_reminded_at")
        batch_op.drop_column("feedback_requested_at")
        batch_op.drop_column("reminder_sent_at")
        batch_op.drop_column("cancelled_by_id")
        batch_op.drop_column("timezone")

    with op.batch_alter_table("observation_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_feedback_workspace_id"))

    op.drop_table("observation_feedback")
    with op.batch_alter_table("observation_asks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_asks_workspace_id"))
        batch_op.drop_index("ix_observation_asks_status_asked")
        batch_op.drop_index(batch_op.f("ix_observation_asks_request_id"))

    op.drop_table("observation_asks")
    with op.batch_alter_table("free_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_free_periods_workspace_id"))
        batch_op.drop_index("ix_free_periods_slot")
        batch_op.drop_index(batch_op.f("ix_free_periods_member_id"))

    op.drop_table("free_periods")
