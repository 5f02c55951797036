"""Check-ins' part of ``export-my-data`` (every week's status and rating, every answer in full, every
"I'd like some support") and of forget-me.

Forget-me erases the answers and support requests: answers are the teacher's words, like reflections.
The check-in rows stay: a rating and a status, no words, and once the member row is anonymised it is
the anonymous count that coordinators' totals keep.
"""

from __future__ import annotations

from typing import Any

from bot.checkins.model import Answer
from bot.kernel.domain import Member
from bot.kernel.ports import Scope


def export_checkins(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    programs = {p.id: p.name for p in repos.programs.list()}
    answers: dict[int, list[Answer]] = {}
    for answer in repos.checkins.answers(member.id):
        answers.setdefault(answer.checkin_id, []).append(answer)
    return {
        "checkins": [
            {
                "program": programs.get(c.program_id),
                "week": c.week,
                "status": c.status.value,
                "confidence": c.confidence,
                "due_at": c.due_at.isoformat(),
                "answered_at": c.answered_at.isoformat() if c.answered_at else None,
                "goal": c.goal,
                "answers": [
                    {"question": a.question, "kind": a.kind, "answer": a.value}
                    for a in answers.get(c.id or 0, [])
                ],
            }
            for c in repos.checkins.for_member(member.id, limit=10_000)
        ],
        "support_requests": [
            {
                "program": programs.get(r.program_id) if r.program_id else None,
                "told_mentor": r.to_mentor,
                "told_coordinator": r.to_coordinator,
                "at": r.created_at.isoformat(),
            }
            for r in repos.checkins.support_requests(member.id)
        ],
    }


def forget_answers(repos: Scope, member: Member) -> None:
    assert member.id is not None
    repos.checkins.forget_answers(member.id)
