"""Members' part of ``export-my-data``: the profile as the member gave it, and the programs they are in.

Forget-me anonymises the profile itself (``bot/privacy``), since every other feature's part runs first
and may still need to know who the member was.
"""

from __future__ import annotations

from typing import Any

from bot.kernel.domain import Member
from bot.kernel.ports import Scope


def export_profile(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    programs = {p.id: p.name for p in repos.programs.list()}
    return {
        "profile": {
            "name": member.display_name,
            "email": member.email,
            "timezone": member.timezone,
            "role": member.role.value,
            "subjects": member.subjects,
            "grades": member.grade_bands,
            "school": member.school,
            "years_experience": member.years_experience,
            "goals": member.goals,
            "strengths": member.strengths,
            "language": member.language,
            "platform_language": member.platform_language,
            "status": member.status.value,
            "paused_until": member.paused_until.isoformat() if member.paused_until else None,
            "consented_at": member.consented_at.isoformat() if member.consented_at else None,
            "joined_at": member.joined_at.isoformat() if member.joined_at else None,
        },
        "programs": [
            {"program": programs.get(m.program_id), "role": m.role.value}
            for m in repos.memberships.for_member(member.id)
        ],
    }
