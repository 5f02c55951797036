"""checkin_wakeups: when the check-in planner next needs each program, so idle minutes cost nothing

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkin_wakeups",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("wake_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_checkin_wakeups_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_checkin_wakeups_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_checkin_wakeups")),
    )
    op.create_index(
        op.f("ix_checkin_wakeups_wake_at"), "checkin_wakeups", ["wake_at"], unique=False
    )
    op.create_index(
        op.f("ix_checkin_wakeups_workspace_id"), "checkin_wakeups", ["workspace_id"], unique=False
    )
    # Every program already there is due at once: the planner's first run sets its wake time.
    op.execute(
        "INSERT INTO checkin_wakeups (program_id, workspace_id, wake_at, generation) "
        "SELECT id, workspace_id, NULL, 0 FROM programs"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_checkin_wakeups_workspace_id"), table_name="checkin_wakeups")
    op.drop_index(op.f("ix_checkin_wakeups_wake_at"), table_name="checkin_wakeups")
    op.drop_table("checkin_wakeups")
