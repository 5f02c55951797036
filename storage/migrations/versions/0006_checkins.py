"""check-ins and reflections: the school calendar (holidays and term dates), one snooze a week

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("snoozed_at", sa.DateTime(timezone=True), nullable=True))
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
    with op.batch_alter_table("school_calendar", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_school_calendar_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_school_calendar_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("school_calendar", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_calendar_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_school_calendar_program_id"))
    op.drop_table("school_calendar")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("snoozed_at")
