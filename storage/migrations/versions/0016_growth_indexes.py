"""Indexes for a teacher's growth record: each of its reads by workspace, then member.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_checkins_growth", "checkins", ["workspace_id", "member_id", "answered_at"]),
    ("ix_reflections_growth", "reflections", ["workspace_id", "member_id", "created_at"]),
    (
        "ix_observation_requests_growth",
        "observation_requests",
        ["workspace_id", "requester_id", "starts_at"],
    ),
    ("ix_resource_sharers_growth", "resource_sharers", ["workspace_id", "member_id", "shared_at"]),
    (
        "ix_resource_marks_growth_on",
        "resource_marks",
        ["workspace_id", "resource_id", "mark", "marked_at"],
    ),
    (
        "ix_resource_marks_growth_by",
        "resource_marks",
        ["workspace_id", "member_id", "mark", "marked_at"],
    ),
    ("ix_pairing_members_growth", "pairing_members", ["workspace_id", "member_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
