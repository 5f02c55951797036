"""Reflections' part of ``export-my-data`` (every reflection in full, drafts included) and of forget-me.

Forget-me's erasing of the reflections themselves stays with ``bot/privacy``, whose reply says how many
were erased; this part erases the copies shared with a mentor or group, which sit in the outbox
addressed to them and quote the text.
"""

from __future__ import annotations

from typing import Any

from bot.kernel.domain import Member
from bot.kernel.ports import Scope
from bot.reflections.model import SHARED_KEY


def export_reflections(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    programs = {p.id: p.name for p in repos.programs.list()}
    return {
        "reflections": [
            {
                "program": programs.get(r.program_id) if r.program_id else None,
                "went_well": r.went_well,
                "try_next": r.try_next,
                "tag": r.tag,
                "visibility": r.visibility.value,
                "draft": r.is_draft,
                "created_at": r.created_at.isoformat() if r.created_at else None,
            }
            for r in repos.reflections.for_member(member.id)
        ]
    }


def forget_shared_copies(repos: Scope, member: Member) -> None:
    assert member.id is not None
    for reflection in repos.reflections.for_member(member.id):
        repos.privacy.erase_keyed(f"{SHARED_KEY}{reflection.id}:")
