"""program_memberships.invited_at, remind_at, reminded_at: when someone added to a program was
invited, when their one gentle reminder is due, and when a reminder (or a coordinator's nudge) went

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("program_memberships") as batch:
        batch.add_column(sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_memberships_remind_at",
        "program_memberships",
        ["workspace_id", "remind_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_memberships_remind_at", table_name="program_memberships")
    with op.batch_alter_table("program_memberships") as batch:
        batch.drop_column("reminded_at")
        batch.drop_column("remind_at")
        batch.drop_column("invited_at")
