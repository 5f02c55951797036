"""digest: observation requests by how and when they closed

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_observation_requests_closed",
        "observation_requests",
        ["workspace_id", "status", "updated_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_observation_requests_closed", table_name="observation_requests")
