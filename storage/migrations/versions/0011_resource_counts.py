"""resources: live resources per workspace, for the search's idf

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-30

Search used to count the workspace's live resources on every query; ``resource_counts`` keeps that
number instead (``storage.repositories.resources`` moves it with every index row), filled here from the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resource_counts",
        sa.Column("workspace_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("live", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_counts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_resource_counts")),
    )
    op.execute(
        "INSERT INTO resource_counts (workspace_id, live) "
        "SELECT workspace_id, COUNT(*) FROM resource_search GROUP BY workspace_id"
    )


def downgrade() -> None:
    op.drop_table("resource_counts")
