"""observation_requests.question, thanks, thanked_at: the one question the teacher wants answered
(shown to both in the brief before the lesson) and the thanks they send their observer after it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observation_requests") as batch:
        batch.add_column(
            sa.Column("question", sa.String(length=300), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("thanks", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("thanked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observation_requests") as batch:
        batch.drop_column("thanked_at")
        batch.drop_column("thanks")
        batch.drop_column("question")
