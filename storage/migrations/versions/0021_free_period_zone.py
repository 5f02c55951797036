"""free_periods.timezone: each period carries its teacher's time zone, so "who is free then" reads one
zone's periods from the index alone instead of every zone's joined to members.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "free_periods",
        sa.Column("timezone", sa.String(length=64), nullable=False, server_default=""),
    )
    op.execute(
        "UPDATE free_periods SET timezone = "
        "(SELECT members.timezone FROM members WHERE members.id = free_periods.member_id)"
    )
    op.drop_index("ix_free_periods_slot", table_name="free_periods")
    op.create_index(
        "ix_free_periods_zone_slot",
        "free_periods",
        ["workspace_id", "weekday", "timezone", "start_time", "end_time", "member_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_free_periods_zone_slot", table_name="free_periods")
    op.create_index(
        "ix_free_periods_slot",
        "free_periods",
        ["workspace_id", "weekday", "start_time", "end_time", "member_id"],
    )
    op.drop_column("free_periods", "timezone")
