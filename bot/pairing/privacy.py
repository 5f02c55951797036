"""Pairing's part in a teacher's control over their data (``export-my-data`` and ``forget-me``).

A stored pairing reason names its members and what they teach and want to learn, so forget-me blanks
the reasons of every pairing the member was in; the pairing itself stays, naming nobody once the
member row is anonymised, so the other people's history (and the repeat rule) still holds.
"""

from __future__ import annotations

from typing import Any

from bot.kernel.domain import Member
from bot.kernel.ports import Scope


def export_pairings(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    programs = {p.id: p.name for p in repos.programs.list()}
    out = []
    for round_record, pairing in repos.pairing.for_member(member.id):
        others = []
        for other_id, role in pairing.members:
            if other_id == member.id:
                continue
            other = repos.members.get(other_id)
            others.append({"name": other.display_name if other else None, "role": role})
        out.append(
            {
                "program": programs.get(pairing.program_id),
                "round": round_record.number,
                "published_at": round_record.published_at.isoformat()
                if round_record.published_at
                else None,
                "your_role": dict(pairing.members).get(member.id),
                "with": others,
                "reason": pairing.reason,
                "met": pairing.met_status,
            }
        )
    rules = []
    for program in repos.programs.list():
        assert program.id is not None
        for rule in repos.pairing.rules(program.id):
            if member.id in (rule.member_a, rule.member_b):
                other_id = rule.member_b if rule.member_a == member.id else rule.member_a
                other = repos.members.get(other_id)
                rules.append(
                    {
                        "program": program.name,
                        "rule": rule.kind.value,
                        "with": other.display_name if other else None,
                        "round": rule.round_number,
                    }
                )
    return {"pairings": out, "pairing_rules": rules}


def forget_pairings(repos: Scope, member: Member) -> None:
    assert member.id is not None
    repos.pairing.erase_reasons(member.id)
