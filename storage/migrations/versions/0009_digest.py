"""digest indexes

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_checkins_digest", "checkins", ["workspace_id", "program_id", "week"]),
    ("ix_reflections_digest", "reflections", ["workspace_id", "program_id", "created_at"]),
    ("ix_memberships_digest", "program_memberships", ["workspace_id", "program_id", "role"]),
    ("ix_pairing_rounds_digest", "pairing_rounds", ["workspace_id", "program_id", "published_at"]),
    ("ix_pairings_digest", "pairings", ["workspace_id", "round_id", "met_status"]),
    ("ix_resource_sharers_digest", "resource_sharers", ["workspace_id", "shared_at"]),
    (
        "ix_observation_requests_digest",
        "observation_requests",
        ["workspace_id", "program_id", "created_at"],
    ),
    ("ix_outbox_digest", "outbox", ["workspace_id", "status", "created_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
