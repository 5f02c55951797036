"""Lesson study's part of ``export-my-data`` and ``forget-me``.

Export: the cycles the member is in, their role, their own notes and revision. Forget: their notes
and memberships are deleted, and the cycles they started or taught keep no link to them; their words
are returned so the debriefs already sent to the group lose them in the same pass as their name.
"""

from __future__ import annotations

from typing import Any

from bot.kernel.domain import Member
from bot.kernel.ports import Scope


def export_study(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    notes = repos.study.notes_by(member.id)
    cycles = []
    for cycle in repos.study.cycles_of(member.id):
        mine = next(m for m in repos.study.members(cycle.id or 0) if m.member_id == member.id)
        cycles.append(
            {
                "name": cycle.name,
                "phase": cycle.phase.value,
                "role": "teacher" if cycle.teacher_id == member.id else "observer",
                "you_watched": mine.focus,
                "lesson_on": cycle.lesson_on.isoformat() if cycle.lesson_on else None,
                "your_notes": [n.text for n in notes if n.cycle_id == cycle.id],
                "your_revision": mine.revision,
            }
        )
    return {"lesson_studies": cycles}


def forget_study(repos: Scope, member: Member) -> list[str]:
    assert member.id is not None
    words = [n.text for n in repos.study.notes_by(member.id)]
    for cycle in repos.study.cycles_of(member.id):
        for m in repos.study.members(cycle.id or 0):
            if m.member_id == member.id:
                words += [t for t in (m.revision, m.focus) if t]
    repos.study.forget_member(member.id)
    return words
