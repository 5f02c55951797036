"""A program's worth of joined, reachable teachers, written in two statements.

The fan-out benchmarks need thousands of teachers who would each get a check-in; inserting them
through the product one by one would time the set-up, not the delivery. Imported by the scripts
beside it (``from seed_teachers import seed_teachers``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, insert

from storage.models.members import MemberRow
from storage.models.programs import MembershipRow


def seed_teachers(
    conn: Connection,
    *,
    workspace_id: int,
    program_id: int,
    count: int,
    now: datetime,
    user_id: Callable[[int], str],
    timezone: Callable[[int], str],
) -> list[int]:
    """``count`` consenting peers of the program, each with one goal; their member ids, in order."""
    conn.execute(
        insert(MemberRow),
        [
            {
                "workspace_id": workspace_id,
                "platform_user_id": user_id(i),
                "display_name": f"Teacher {i}",
                "timezone": timezone(i),
                "role": "teacher",
                "subjects": ["Maths"],
                "grade_bands": ["9-10"],
                "goals": ["Ask more open questions"],
                "strengths": [],
                "status": "active",
                "reachable": True,
                "consented_at": now,
                "joined_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ],
    )
    ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM members ORDER BY id")]
    conn.execute(
        insert(MembershipRow),
        [
            {
                "workspace_id": workspace_id,
                "program_id": program_id,
                "member_id": mid,
                "role": "peer",
                "joined_at": now,
            }
            for mid in ids
        ],
    )
    return ids
