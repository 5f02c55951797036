"""checkins.confidence_falling: the answers that end a fall in a teacher's confidence, flagged as
they are written, with a partial index for the digest; existing answers are flagged here.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from bot.checkins.trend import falling_weeks

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(
            sa.Column("confidence_falling", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # the very expression of the model's index, so SQLite matches it to the digest's query
    falling = sa.column("confidence_falling", sa.Boolean()) == sa.true()
    op.create_index(
        "ix_checkins_falling",
        "checkins",
        ["workspace_id", "program_id", "week", "member_id"],
        unique=False,
        sqlite_where=falling,
        postgresql_where=falling,
    )
    connection = op.get_bind()
    answers: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    ids: dict[tuple[int, int, str], int] = {}
    for row_id, program, member, week, confidence in connection.execute(
        sa.text(
            "SELECT id, program_id, member_id, week, confidence FROM checkins "
            "WHERE answered_at IS NOT NULL AND confidence IS NOT NULL"
        )
    ):
        answers[(program, member)].append((week, confidence))
        ids[(program, member, week)] = row_id
    flagged = [
        {"id": ids[(p, m, w)]} for (p, m), found in answers.items() for w in falling_weeks(found)
    ]
    if flagged:
        connection.execute(
            sa.text("UPDATE checkins SET confidence_falling = true WHERE id = :id"), flagged
        )


def downgrade() -> None:
    op.drop_index("ix_checkins_falling", table_name="checkins")
    # In place (SQLite since 3.35): a batch copy of checkins would drop the table it copies, and
    # with foreign keys on that deletes every check-in's answers with it.
    op.execute("ALTER TABLE checkins DROP COLUMN confidence_falling")
