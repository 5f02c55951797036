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
        mine = ctx.repos.pairing.pairing_of(last.id, member.id)
        if mine is None:
            continue
        ids = [i for i in mine.member_ids if i != member.id]
        found = ctx.repos.members.get_many(ids) if ids else {}
        names = said(", ".join(found[i].display_name for i in ids if i in found) or "—")
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
