"""scheduler: one running copy runs each periodic job per interval

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Several copies of ``staffroom worker`` (or ``serve``) share one database, and each one's APScheduler
fires every job. The jobs were always safe to run twice (idempotency keys), but a copy now takes a
lease on a job before running it, so the planner, the pairing rounds and the digests run once an
interval however many copies there are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
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


def downgrade() -> None:
    op.drop_table("job_leases")
