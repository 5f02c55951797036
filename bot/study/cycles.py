"""Finding the cycle a command or a button is about, for someone who may see it.

A cycle is its members' business: someone outside it is refused exactly as if it did not exist, so
numbers cannot be probed. The one exception is the coordinator's overview (``overview.py``), which
reads phases and dates and nothing the group wrote.
"""

from __future__ import annotations

from bot.kernel.context import Ctx, record_id
from bot.kernel.domain import Member
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _
from bot.kernel.messages import said
from bot.study.model import OPEN_PHASES, Cycle, StudyMember

NOT_FOUND = N_("I can't find that lesson study among yours. Type `study list` to see them.")


def members_of(ctx: Ctx, cycle: Cycle) -> list[StudyMember]:
    return ctx.repos.study.members(cycle.id or 0)


def is_member(ctx: Ctx, cycle: Cycle, member: Member) -> bool:
    return any(m.member_id == member.id for m in members_of(ctx, cycle))


def cycle_for(ctx: Ctx, member: Member, ref: str | None, *, lock: bool = False) -> Cycle:
    """The cycle ``ref`` (``#3``, ``3``) names, or the member's only open one when none is named."""
    assert member.id is not None
    if ref:
        cycle_id = record_id(ref)
        found = ctx.repos.study.get_cycle(cycle_id, lock=lock) if cycle_id else None
        if found is None or not is_member(ctx, found, member):
            raise UserError(_(NOT_FOUND))
        return found
    open_ = [c for c in ctx.repos.study.cycles_of(member.id) if c.phase in OPEN_PHASES]
    if not open_:
        raise UserError(
            _(
                "You're in no lesson study yet. Start one with "
                "`study start NAME with Ben Okafor, Cora Diaz`."
            )
        )
    if len(open_) > 1:
        listed = ", ".join(f"#{c.id} {said(c.name)}" for c in open_)
        raise UserError(
            _(
                "You're in more than one lesson study ({listed}): which one? Add its number, "
                "e.g. `#{number}`."
            ).format(listed=listed, number=open_[0].id)
        )
    found = ctx.repos.study.get_cycle(open_[0].id or 0, lock=lock) if lock else open_[0]
    assert found is not None
    return found


def split_ref(text: str) -> tuple[str | None, str]:
    """``#3 rest`` -> ("#3", "rest"); text without a leading number -> (None, text)."""
    head, _space, rest = text.strip().partition(" ")
    if head.startswith("#") and record_id(head) is not None:
        return head, rest.strip()
    return None, text.strip()


def names_of(ctx: Ctx, member_ids: list[int]) -> dict[int, str]:
    found = ctx.repos.members.get_many(member_ids)
    return {i: found[i].display_name if i in found else _("a colleague") for i in member_ids}
