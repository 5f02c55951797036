"""frozen_week_figures: a closed week's check-in figures, stored once and never recomputed

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frozen_week_figures",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("grp", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("confidence_sum", sa.Integer(), nullable=False),
        sa.Column("confidence_count", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_frozen_week_figures_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_frozen_week_figures_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", "week", "grp", name=op.f("pk_frozen_week_figures")),
    )
    op.create_index(
        op.f("ix_frozen_week_figures_workspace_id"),
        "frozen_week_figures",
        ["workspace_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_frozen_week_figures_workspace_id"), table_name="frozen_week_figures")
    op.drop_table("frozen_week_figures")
