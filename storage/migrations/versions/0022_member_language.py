"""members.language and members.platform_language: what each person reads Staffroom in, chosen or
as their Slack or Teams client says.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("members", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("members", sa.Column("platform_language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ has it), never a batch copy of the table: copying members
    # drops the original, and with foreign keys on that would cascade into everything that
    # refers to a member.
    op.execute("ALTER TABLE members DROP COLUMN platform_language")
    op.execute("ALTER TABLE members DROP COLUMN language")
