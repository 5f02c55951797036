"""ix_memberships_workspace_member: a member's programs without scanning the workspace's memberships

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_memberships_workspace_member",
        "program_memberships",
        ["workspace_id", "member_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_memberships_workspace_member", table_name="program_memberships")
