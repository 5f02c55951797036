"""members.email_source: who said an address is someone's (platform, roster or the person)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("email_source", sa.String(length=16), nullable=True))
    # Rows a roster made before the person arrived keep identifying them; every other address is
    # treated as typed by its owner until their platform vouches for it.
    op.execute(
        "UPDATE members SET email_source = 'roster' "
        "WHERE email IS NOT NULL AND platform_user_id LIKE 'pending:%'"
    )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("email_source")
