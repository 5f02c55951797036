"""slack_seen_requests: signatures of Slack requests already let in, so a replay does nothing

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_seen_requests",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("request_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_slack_seen_requests")),
    )
    op.create_index(
        op.f("ix_slack_seen_requests_request_timestamp"),
        "slack_seen_requests",
        ["request_timestamp"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_slack_seen_requests_request_timestamp"), table_name="slack_seen_requests"
    )
    op.drop_table("slack_seen_requests")
