"""No dead ends: when a pairing ends before it began, the people left are offered someone new at once.

A pairing ends when its people say "We can't", or when someone in it leaves, pauses or is forgotten
(``departures``). Whoever is left gets a *Find someone now* button; pressing it pairs them, in the
same round, with the best person still free: someone in no pairing of the round that is still going
(every such pairing has at least two people who can be paired now and was not called off), a mentor
only while they have room. Everything is read in a handful of bulk queries, however large the program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from bot.kernel.domain import Program, ProgramKind
from bot.kernel.i18n import _
from bot.kernel.messages import Actions, Button
from bot.kernel.ports import Scope
from bot.pairing import explain
from bot.pairing.intro import IntroductionExtra
from bot.pairing.model import Candidate, Group, pair_key
from bot.pairing.ports import MetStatus, PairingRecord, RoundRecord, RuleKind
from bot.pairing.rounds import (
    candidates_for,
    introduce,
    not_now_words,
    pairing_settings,
)
from bot.pairing.scoring import Scorer, weights_from_settings

REMATCH_ACTION = "pairing.rematch"


def rematch_button(program_id: int, round_number: int) -> Actions:
    return Actions(
        (
            Button(
                _("Find someone now"),
                REMATCH_ACTION,
                f"{program_id}:{round_number}",
                "primary",
                description=_("Pair me now with someone else who is still free this round"),
            ),
        )
    )


def is_live(pairing: PairingRecord, pairable: set[int]) -> bool:
    """A pairing still under way: not called off, and two of its people can still be paired."""
    if pairing.met_status == MetStatus.CANT.value:
        return False
    return sum(1 for m in pairing.member_ids if m in pairable) >= 2


@dataclass(frozen=True)
class Rematch:
    """What pressing *Find someone now* did: a new partner, or why there was none."""

    partner: Candidate | None
    already_with: tuple[str, ...] = ()
    why_not: str = ""


def rematch(
    repos: Scope,
    program: Program,
    round_record: RoundRecord,
    member_id: int,
    now: datetime,
    extras: Sequence[IntroductionExtra] = (),
) -> Rematch:
    """Pair ``member_id`` with the best person still free in ``round_record``, introducing both.

    The round is held first, before anything is read: whoever presses second sees the first's new
    pairing, so a mentor's capacity and a peer's one pairing a round hold however many press at once.
    """
    assert program.id is not None
    repos.pairing.hold_round(round_record.id)
    people, skipped, members = candidates_for(repos, program, now)
    by_id = {c.member_id: c for c in people}
    me = by_id.get(member_id)
    if me is None:
        sitting_out = next((s for s in skipped if s.member_id == member_id), None)
        why = (
            not_now_words(sitting_out)
            if sitting_out is not None
            else _("You can't be paired right now: you aren't in this program.")
        )
        return Rematch(None, why_not=why)
    pairable = set(by_id)
    pairings = repos.pairing.pairings(round_record.id)
    live = [p for p in pairings if is_live(p, pairable)]
    mine = [p for p in live if member_id in p.member_ids]
    if mine:
        names = tuple(
            by_id[m].name for p in mine for m in p.member_ids if m != member_id and m in by_id
        )
        return Rematch(None, already_with=names)
    busy: dict[int, int] = {}
    for p in live:
        for m in p.member_ids:
            busy[m] = busy.get(m, 0) + 1
    before = {m for p in pairings if member_id in p.member_ids for m in p.member_ids}
    never = {
        pair_key(r.member_a, r.member_b)
        for r in repos.pairing.rules(program.id)
        if r.kind is RuleKind.DO_NOT_PAIR
        or (r.kind is RuleKind.FORBID and r.round_number == round_record.number)
    }
    mentoring = program.kind is ProgramKind.MENTORING
    if mentoring and me.role == "mentor" and busy.get(member_id, 0) >= me.capacity:
        return Rematch(None, why_not=_("Your mentoring places are full this round."))

    def free(c: Candidate) -> bool:
        if c.member_id == member_id or c.member_id in before:
            return False
        if pair_key(c.member_id, member_id) in never:
            return False
        if mentoring:
            if (c.role == "mentor") == (me.role == "mentor"):
                return False
            if c.role == "mentor":
                return busy.get(c.member_id, 0) < c.capacity
        return c.member_id not in busy

    pool = [c for c in people if free(c)]
    if not pool:
        return Rematch(
            None,
            why_not=_(
                "Nobody else is free in this round just now. The next round pairs you "
                "first, and your coordinator can see you're waiting."
            ),
        )
    weights = weights_from_settings(pairing_settings(program))
    scorer = Scorer([me, *pool], weights, now)
    mentor_side = mentoring and me.role == "mentor"
    me_row = np.array([0], dtype=np.int64)
    others = np.arange(1, len(pool) + 1, dtype=np.int64)
    if mentoring and not mentor_side:
        scores = scorer.matrix(me_row, others, mentoring=True)[0]
    elif mentor_side:
        scores = scorer.matrix(others, me_row, mentoring=True)[:, 0]
    else:
        scores = scorer.matrix(me_row, others)[0]
    best = int(np.argmax(scores))
    partner = pool[best]
    if mentoring:
        mentor = me if mentor_side else partner
        mentee = partner if mentor_side else me
        group = Group(
            (mentor.member_id, mentee.member_id),
            round(float(scores[best]), 3),
            mentor_id=mentor.member_id,
        )
        roles = [(mentor.member_id, "mentor"), (mentee.member_id, "mentee")]
    else:
        ids = tuple(sorted((member_id, partner.member_id)))
        group = Group(ids, round(float(scores[best]), 3))
        roles = [(m, "peer") for m in ids]
    pair_people = {member_id: me, partner.member_id: partner}
    group = Group(
        group.member_ids,
        group.score,
        reason=explain.group_sentence(group, pair_people, now),
        mentor_id=group.mentor_id,
    )
    pairing = repos.pairing.add_pairing(
        round_record, roles, reason=group.reason, score=group.score, now=now
    )
    introduce(
        repos,
        program,
        round_record.number,
        pairing.id,
        group,
        pair_people,
        {m: members[m] for m in group.member_ids},
        now,
        extras,
    )
    return Rematch(partner)
