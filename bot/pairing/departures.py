"""When someone leaves Staffroom, their current pairings end and their partners hear it kindly, once.

Without this a mentee whose mentor typed ``leave`` waits for someone who will never write, and is
then asked "did you meet?" about them. The members feature calls ``tell_partners`` through the port
``bot/features.py`` passes it, so it never reaches into pairing.
"""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Message, Section, said, text_message
from bot.kernel.ports import Scope
from bot.pairing.ports import PairingRecord, RoundRecord
from bot.pairing.rematch import rematch_button

ROLE_WORDS = {"mentor": N_("Your mentor, {name},"), "mentee": N_("Your mentee, {name},")}
"""How the one who left is named to their partner, by the role they had."""


def tell_partners(ctx: Ctx, member: Member) -> None:
    """Tell everyone paired with ``member`` in a program's latest round that the pairing has ended.

    Each message has a key per pairing, leaver and partner, so a second ``leave`` (after Undo or a
    new ``join``), or a pause then a leave, tells nobody twice. It says who left and what happens
    next, never why; anyone left on their own is offered someone new at once.
    """
    _end_pairings(ctx, member, "left")


def paused_for_the_round(ctx: Ctx, member: Member) -> None:
    """A pause that lasts past the end of a round ends the member's pairing in it, like leaving.

    A shorter break leaves the pairing as it is: they'll be back before the round is over.
    """
    assert member.id is not None
    ending = [
        (r, p)
        for r, p in current_pairings(ctx.repos, member.id)
        if _outlasts(ctx, member, r, p.program_id)
    ]
    if ending:
        _end_pairings(ctx, member, "paused", only=ending)


def _outlasts(ctx: Ctx, member: Member, round_record: RoundRecord, program_id: int) -> bool:
    if member.paused_until is None:
        return True
    program = ctx.repos.programs.get(program_id)
    if program is None or round_record.published_at is None:
        return False
    round_ends = round_record.published_at + timedelta(weeks=program.cadence_weeks)
    return member.paused_until >= round_ends.date()


def _end_pairings(
    ctx: Ctx,
    member: Member,
    what: str,
    only: list[tuple[RoundRecord, PairingRecord]] | None = None,
) -> None:
    assert member.id is not None
    for round_record, pairing in (
        only if only is not None else current_pairings(ctx.repos, member.id)
    ):
        program = ctx.repos.programs.get(pairing.program_id)
        if program is None or program.id is None:
            continue
        role_of = dict(pairing.members)
        staying = {
            m: partner
            for m in pairing.member_ids
            if m != member.id
            and (partner := ctx.repos.members.get(m)) is not None
            and partner.status is MemberStatus.ACTIVE
        }
        for partner_id, partner in staying.items():
            with speaking_to(partner):
                message = _partner_left(
                    member.display_name,
                    role_of[member.id],
                    what,
                    program.id,
                    program.name,
                    round_record.number,
                    group_goes_on=len(staying) >= 2,
                )
            ctx.repos.outbox.enqueue(
                partner,
                message,
                f"pairing:{program.id}:{round_record.number}:{pairing.id}"
                f":ended:{member.id}:{partner_id}",
                ctx.now,
            )


def current_pairings(repos: Scope, member_id: int) -> list[tuple[RoundRecord, PairingRecord]]:
    """The member's pairings in the latest round of each program: the ones still under way."""
    latest: dict[int, int | None] = {}
    found = []
    for round_record, pairing in repos.pairing.for_member(member_id):
        if pairing.program_id not in latest:
            last = repos.pairing.last_round(pairing.program_id)
            latest[pairing.program_id] = last.id if last else None
        if latest[pairing.program_id] == round_record.id:
            found.append((round_record, pairing))
    return found


def _partner_left(
    name: str,
    role: str,
    what: str,
    program_id: int,
    program: str,
    number: int,
    *,
    group_goes_on: bool,
) -> Message:
    """``what``: ``left`` (Staffroom) or ``paused`` (for longer than the round)."""
    who = _(ROLE_WORDS[role]).format(name=said(name)) if role in ROLE_WORDS else said(name)
    fill = {"who": who, "number": number, "program": program}
    if group_goes_on:
        if what == "paused":
            text = _(
                "{who} is taking a break, so they won't be part of your group in round {number} "
                "of {program}. The rest of you carry on as planned."
            ).format(**fill)
        else:
            text = _(
                "{who} has stepped away from Staffroom, so they won't be part of your group in "
                "round {number} of {program}. The rest of you carry on as planned."
            ).format(**fill)
        return text_message(text, ephemeral=False)
    if what == "paused":
        text = _(
            "{who} is taking a break, so your pairing in round {number} of {program} ends here. "
            "It's nothing you did. I can pair you now with someone who is still free this round, "
            "or the next round will pair you again."
        ).format(**fill)
    else:
        text = _(
            "{who} has stepped away from Staffroom, so your pairing in round {number} of "
            "{program} ends here. It's nothing you did. I can pair you now with someone who is "
            "still free this round, or the next round will pair you again."
        ).format(**fill)
    return Message(
        text=text,
        blocks=(Section(text), rematch_button(program_id, number)),
        ephemeral=False,
    )
