"""observation_feedback.ratings -> look_fors_seen: how often each look-for was seen, in words.

Look-fors were rated 1-4, which colleagues read as a grade. They are now answered "seen often",
"seen sometimes", "not seen yet" or "didn't look", stored as those words. Old ratings become the
nearest words: 1 (not seen yet) stays not seen yet, 2 (emerging) is seen sometimes, 3 (developing
well) and 4 (a real strength) are seen often. Going back, the words become 3, 2 and 1, and
"didn't look" (which had no number) is dropped.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TO_WORDS = {1: "not seen yet", 2: "seen sometimes", 3: "seen often", 4: "seen often"}
TO_NUMBERS = {"not seen yet": 1, "seen sometimes": 2, "seen often": 3}


def _words(ratings: dict[str, Any]) -> dict[str, str]:
    words: dict[str, str] = {}
    for item, value in ratings.items():
        try:
            word = TO_WORDS.get(int(value))
        except (TypeError, ValueError):
            word = None
        if word is not None:
            words[str(item)] = word
    return words


def _numbers(seen: dict[str, Any]) -> dict[str, int]:
    return {str(item): TO_NUMBERS[v] for item, v in seen.items() if v in TO_NUMBERS}


def _convert(column: str, change: Any) -> None:
    feedback = sa.table(
        "observation_feedback", sa.column("id", sa.Integer), sa.column(column, sa.JSON)
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(feedback.c.id, feedback.c[column])).all()
    for row_id, value in rows:
        if value:
            connection.execute(
                feedback.update()
                .where(feedback.c.id == row_id)
                .values({column: change(dict(value))})
            )


def _rename(old: str, new: str) -> None:
    """In place on both databases (SQLite since 3.25), rather than a batch copy of the table."""
    op.execute(f"ALTER TABLE observation_feedback RENAME COLUMN {old} TO {new}")


def upgrade() -> None:
    _rename("ratings", "look_fors_seen")
    _convert("look_fors_seen", _words)


def downgrade() -> None:
    _convert("look_fors_seen", _numbers)
    _rename("look_fors_seen", "ratings")
