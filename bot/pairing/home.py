"""What a teacher's Home page shows of their pairing: who, in which round, and why."""

from __future__ import annotations

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import _
from bot.kernel.messages import Block, Section, said


def pairing_section(ctx: Ctx, member: Member) -> list[Block]:
    """Who they are paired with in each program's latest round, and why."""
    assert member.id is not None
    lines = []
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is None or program.id is None:
            continue
        last = ctx.repos.pairing.last_round(program.id)
        if last is None:
            continue
        mine = next(
            (p for p in ctx.repos.pairing.pairings(last.id) if member.id in p.member_ids), None
        )
        if mine is None:
            continue
        others = [ctx.repos.members.get(i) for i in mine.member_ids if i != member.id]
        names = said(", ".join(o.display_name for o in others if o is not None) or "—")
        fill = {"program": program.name, "number": last.number, "names": names}
        lines.append(
            _("• {program}, round {number}: *{names}* ({reason})").format(
                reason=said(mine.reason), **fill
            )
            if mine.reason
            else _("• {program}, round {number}: *{names}*").format(**fill)
        )
    if not lines:
        return []
    return [Section(_("*Your pairing*") + "\n" + "\n".join(lines))]
