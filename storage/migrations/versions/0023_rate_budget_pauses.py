"""rate_budget_pauses: a platform's Retry-After, kept beside its budget rather than in its row;
rate_budgets.settled: the learnt rate came from a 429 at a steady pace, not from a probe.

A 429's pause is the one write that must reach every copy at once; in the budget's own row it
queued behind the other copies' slot reservations, which lock that row.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_budget_pauses",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", name=op.f("pk_rate_budget_pauses")),
    )
    op.add_column(
        "rate_budgets",
        sa.Column("settled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE rate_budgets DROP COLUMN settled")
    op.drop_table("rate_budget_pauses")
