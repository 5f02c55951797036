""" "Did you meet?": one message a week a person, covering every pairing they are in.

Halfway through each round its pairs and groups are asked whether they met. A teacher in two programs
(a mentoring program and a peer group, say) would get one message a round a program; instead each
person gets at most one a week (the ISO week of their own time zone), sent when the first of their
pairings reaches its halfway mark, and it asks about every pairing of theirs whose halfway comes that
week too (once its round is a couple of days old). A pairing whose halfway comes later than that
week's message is asked about in the next week's. Nobody is asked twice about one pairing
(``pairing_members.met_asked_at``), nor about someone who has left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.checkins.schedule import iso_week, local_at, week_monday, zone
from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member, MemberStatus, Program
from bot.kernel.i18n import _, and_list
from bot.kernel.messages import Actions, Block, Button, Message, Section, said
from bot.kernel.ports import Scope
from bot.pairing.ports import MetStatus, PairingRecord, RoundRecord

MET_ACTION = "pairing.met"
EARLY_AFTER = timedelta(days=2)
"""A pairing whose halfway is later in the week is asked about early only once its round is this old:
nobody is asked whether they met the day they were introduced."""
ANSWERED = (MetStatus.MET.value, MetStatus.CANT.value)


@dataclass(frozen=True)
class Ask:
    """One pairing to ask one person about."""

    program: Program
    round_number: int
    pairing_id: int
    others: tuple[str, ...]
    halfway: datetime
    published_at: datetime


def ask_did_you_meet(
    repos: Scope, rounds: Sequence[tuple[Program, RoundRecord, datetime]], now: datetime
) -> int:
    """Each person's one "did you meet?" of the week, for the live rounds given with their halfway
    moments; how many messages were written."""
    asks: dict[int, list[Ask]] = {}
    people: dict[int, Member] = {}
    for program, last, halfway in rounds:
        assert last.published_at is not None
        if halfway - now >= timedelta(days=7):
            continue  # no week's message can cover it yet: nothing to read
        pairings = [p for p in repos.pairing.pairings(last.id) if p.met_status not in ANSWERED]
        asked = repos.pairing.met_asked([p.id for p in pairings])
        for pairing in pairings:
            if all((pairing.id, m) in asked for m in pairing.member_ids):
                continue  # everyone was asked: the people need not be read again
            present = _present(repos, pairing)
            if len(present) < 2:
                continue  # one person left: there is nobody to have met
            for member_id, member in present.items():
                if member.status is not MemberStatus.ACTIVE or (pairing.id, member_id) in asked:
                    continue
                others = tuple(o.display_name for m, o in present.items() if m != member_id)
                ask = Ask(program, last.number, pairing.id, others, halfway, last.published_at)
                asks.setdefault(member_id, []).append(ask)
                people[member_id] = member
    sent = 0
    for member_id, mine in asks.items():
        if not any(a.halfway <= now for a in mine):
            continue
        member = people[member_id]
        tz = zone(member)
        week = iso_week(now.astimezone(tz).date())
        week_ends = local_at(week_monday(week) + timedelta(days=7), time(0, 0), tz)
        covered = sorted(
            (
                a
                for a in mine
                if a.halfway <= now
                or (a.halfway < week_ends and now - a.published_at >= EARLY_AFTER)
            ),
            key=lambda a: (a.halfway, a.program.name),
        )
        key = f"pairing-met:{member_id}:{week}"
        with speaking_to(member):
            message = did_you_meet(covered)
        if repos.outbox.enqueue(member, message, key, now):
            repos.pairing.record_met_asked([(a.pairing_id, member_id) for a in covered], now)
            sent += 1
    return sent


def _present(repos: Scope, pairing: PairingRecord) -> dict[int, Member]:
    """The pairing's people who are still in Staffroom: whoever left ended it for the others."""
    found = {m: repos.members.get(m) for m in pairing.member_ids}
    return {
        m: o for m, o in found.items() if o is not None and o.status is not MemberStatus.OPTED_OUT
    }


def _buttons(pairing_id: int) -> Actions:
    return Actions(
        (
            Button(_("Yes, we met"), MET_ACTION, f"{pairing_id}:met", "primary"),
            Button(_("Not yet"), MET_ACTION, f"{pairing_id}:not_yet"),
            Button(_("We can't"), MET_ACTION, f"{pairing_id}:cant"),
        )
    )


def did_you_meet(asks: Sequence[Ask]) -> Message:
    """One tap a pairing: one pairing reads as before, several get a line and three buttons each."""
    if len(asks) == 1:
        (a,) = asks
        text = _(
            "Halfway through round {number} of {program}: did you manage to meet {others}?"
        ).format(number=a.round_number, program=a.program.name, others=said(and_list(a.others)))
        return Message(text=text, blocks=(Section(text), _buttons(a.pairing_id)), ephemeral=False)
    head = _("Halfway through your pairings: did you manage to meet each of them?")
    blocks: list[Block] = [Section(head)]
    lines = [head]
    for a in asks:
        line = _("{others} ({program}, round {number})").format(
            others=said(and_list(a.others)), program=a.program.name, number=a.round_number
        )
        lines.append(f"• {line}")
        blocks += [Section(f"*{line}*"), _buttons(a.pairing_id)]
    return Message(text="\n".join(lines), blocks=tuple(blocks), ephemeral=False)


def still_to_answer(ctx: Ctx, member: Member, answered: int) -> list[Block]:
    """The other pairings this person was asked about and nobody has answered yet, offered again:
    pressing one button of a message that asked about several closes them all in Slack and Teams."""
    assert member.id is not None
    live: list[tuple[RoundRecord, PairingRecord]] = []
    for round_, pairing in ctx.repos.pairing.for_member(member.id):
        last = ctx.repos.pairing.last_round(pairing.program_id)
        if pairing.id != answered and pairing.met_status is None and last and last.id == round_.id:
            live.append((round_, pairing))
    asked = ctx.repos.pairing.met_asked([p.id for _r, p in live])
    blocks: list[Block] = []
    for round_, pairing in live:
        if (pairing.id, member.id) not in asked:
            continue
        program = ctx.repos.programs.get(pairing.program_id)
        others = and_list(
            [o.display_name for m, o in _present(ctx.repos, pairing).items() if m != member.id]
        )
        if program is None or not others:
            continue
        blocks += [
            Section(
                _("And {others} ({program}, round {number})?").format(
                    others=others, program=program.name, number=round_.number
                )
            ),
            _buttons(pairing.id),
        ]
    return blocks
