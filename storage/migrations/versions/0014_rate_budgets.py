"""rate_budgets: one sending budget per platform workspace, shared by every running copy

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_budgets",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("probing", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
        sa.Column("last_cut_at", sa.Float(), nullable=True),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("window_count", sa.Integer(), nullable=False),
        sa.Column("previous_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", name=op.f("pk_rate_budgets")),
    )


def downgrade() -> None:
    op.drop_table("rate_budgets")
