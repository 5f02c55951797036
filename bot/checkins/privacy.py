"""Check-ins' part of ``export-my-data``: every week's status and rating.

There is no forget part: a check-in holds a rating and a status, no words, and once the member row is
anonymised it is the anonymous count that coordinators' totals keep.
"""

from __future__ import annotations

from typing import Any

from bot.kernel.domain import Member
from bot.kernel.ports import Scope


def export_checkins(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    programs = {p.id: p.name for p in repos.programs.list()}
    return {
        "checkins": [
            {
                "program": programs.get(c.program_id),
                "week": c.week,
                "status": c.status.value,
                "confidence": c.confidence,
                "due_at": c.due_at.isoformat(),
                "answered_at": c.answered_at.isoformat() if c.answered_at else None,
            }
            for c in repos.checkins.for_member(member.id, limit=10_000)
        ]
    }
