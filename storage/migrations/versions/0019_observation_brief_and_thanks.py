"""observation_requests.question, thanks, thanked_at, and reminder_sent_at -> brief_sent_at: the one
question the teacher wants answered, shown to both in the brief before the lesson (which took the
place of the day-before reminder, so a request already reminded is not briefed again), and the thanks
the teacher sends their observer after it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _rename(old: str, new: str) -> None:
    """In place on both databases: a batch copy of the table would, on SQLite with foreign keys on,
    drop the old table and with it every ask and feedback that cascades from a request."""
    op.execute(f"ALTER TABLE observation_requests RENAME COLUMN {old} TO {new}")


def upgrade() -> None:
    op.add_column(
        "observation_requests",
        sa.Column("question", sa.String(length=300), nullable=False, server_default=""),
    )
    op.add_column(
        "observation_requests", sa.Column("thanks", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "observation_requests", sa.Column("thanked_at", sa.DateTime(timezone=True), nullable=True)
    )
    _rename("reminder_sent_at", "brief_sent_at")


def downgrade() -> None:
    _rename("brief_sent_at", "reminder_sent_at")
    for column in ("thanked_at", "thanks", "question"):  # in place too (SQLite since 3.35)
        op.execute(f"ALTER TABLE observation_requests DROP COLUMN {column}")
