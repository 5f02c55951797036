"""Pairing rounds: preview, publish (by a coordinator or on the program's cadence), and follow-through.

A preview writes nothing; publishing the same program and round number gives the same groups, because
the seed is derived from them. Publishing records the round, its groups and every introduction in the
outbox in one unit of work; a round number is unique per program, so two workers racing to publish the
same scheduled round produce one round and one set of messages.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.kernel.context import speaking_to
from bot.kernel.domain import (
    PENDING_PREFIX,
    Member,
    MemberStatus,
    Program,
    ProgramKind,
    ProgramRole,
)
from bot.kernel.i18n import N_, _, ngettext, number, when
from bot.kernel.messages import Mention, Message, Section, said, text_message, unmark
from bot.kernel.ports import Scope
from bot.members.chat import MENTOR_MIN_YEARS
from bot.observations.model import FreePeriod
from bot.pairing import explain
from bot.pairing.intro import (
    Introduction,
    IntroductionExtra,
    build_introduction,
    extra_blocks_for,
)
from bot.pairing.meeting import shared_slots
from bot.pairing.model import Candidate, Constraints, Group, Mode, Proposal, Skipped, pair_key
from bot.pairing.ports import RoundRecord, RuleKind
from bot.pairing.scoring import Weights, weights_from_settings
from bot.pairing.topics import first_prompt

log = logging.getLogger(__name__)

DEFAULT_HISTORY_ROUNDS = 3
"""K: nobody meets the same person again within this many rounds while anyone else is available."""
DEFAULT_CAPACITY = 2
PREVIEW_LIMIT = 40


def pairing_settings(program: Program) -> dict[str, Any]:
    value = program.settings.get("pairing", {})
    return dict(value) if isinstance(value, dict) else {}


@dataclass
class RoundPlan:
    program: Program
    number: int
    proposal: Proposal
    people: dict[int, Candidate]
    members: dict[int, Member]
    weights: Weights
    history_rounds: int
    skipped_pins: list[tuple[str, str]] = field(default_factory=list)
    """Pins whose people can't both be paired this round, by their names: the preview says so."""


def _skip_reason(member: Member, now: datetime) -> tuple[str, date | None] | None:
    """Why ``member`` sits this round out (a ``Skipped.why`` code, and when a pause ends), or None."""
    if member.status is MemberStatus.OPTED_OUT:
        return "left", None
    local_day = now.date()
    with contextlib.suppress(KeyError, ValueError):  # an unknown zone: use UTC's day
        local_day = now.astimezone(ZoneInfo(member.timezone)).date()
    if not member.is_active_on(local_day):
        return "paused", member.paused_until
    if not member.reachable:
        return "unreachable", None
    if member.platform_user_id.startswith(PENDING_PREFIX) or member.consented_at is None:
        return "not_started", None
    return None


SKIPPED_WORDS = {
    "left": N_("{name} has left Staffroom"),
    "paused": N_("{name} is taking a break"),
    "unreachable": N_("{name} can't be reached in chat right now"),
    "not_started": N_("{name} hasn't started using Staffroom yet"),
}
"""Why someone is skipped, as the coordinator's preview lists them."""
NOT_NOW_WORDS = {
    "left": N_("You can't be paired right now: you've left Staffroom."),
    "paused": N_("You can't be paired right now: you're taking a break."),
    "unreachable": N_("You can't be paired right now: you can't be reached in chat."),
    "not_started": N_("You can't be paired right now: you haven't started using Staffroom yet."),
}
"""The same, told to the person themselves (when they ask for a new partner)."""


def skipped_words(skipped: Skipped) -> str:
    """Why ``skipped`` sits this round out, for the coordinator, in the language being spoken."""
    name = said(skipped.name)
    if skipped.why == "paused" and skipped.until is not None:
        return _("{name} is taking a break until {day}").format(
            name=name, day=when(skipped.until, "short")
        )
    return _(SKIPPED_WORDS.get(skipped.why, SKIPPED_WORDS["unreachable"])).format(name=name)


def not_now_words(skipped: Skipped) -> str:
    """Why ``skipped`` can't be paired, told to them."""
    if skipped.why == "paused" and skipped.until is not None:
        return _("You can't be paired right now: you're taking a break until {day}.").format(
            day=when(skipped.until, "short")
        )
    return _(NOT_NOW_WORDS.get(skipped.why, NOT_NOW_WORDS["unreachable"]))


def candidates_for(
    repos: Scope, program: Program, now: datetime
) -> tuple[list[Candidate], list[Skipped], dict[int, Member]]:
    """Everyone in the program who can be paired now, and everyone skipped with why."""
    assert program.id is not None
    settings = pairing_settings(program)
    default_capacity = int(settings.get("capacity", DEFAULT_CAPACITY))
    min_years = int(program.settings.get("mentor_min_years", MENTOR_MIN_YEARS))
    people: list[Candidate] = []
    skipped: list[Skipped] = []
    members: dict[int, Member] = {}
    memberships = [
        m
        for m in repos.memberships.for_program(program.id)
        if m.role is not ProgramRole.COORDINATOR
    ]
    everyone = repos.members.in_program(
        program.id, {m.role for m in memberships}, tuple(MemberStatus)
    )  # one read for the whole program, not one a member
    by_id = {m.id: m for m in everyone}
    for membership in memberships:
        member = by_id.get(membership.member_id)
        if member is None or member.id is None:
            continue
        members[member.id] = member
        why = _skip_reason(member, now)
        if why:
            skipped.append(Skipped(member.id, member.display_name, *why))
            continue
        if program.kind is ProgramKind.MENTORING:
            role = membership.role.value
            if role == ProgramRole.PEER.value:
                years = member.years_experience or 0
                role = "mentor" if years >= min_years else "mentee"
        else:
            role = "peer"
        people.append(
            Candidate(
                member_id=member.id,
                name=member.display_name,
                role=role,
                subjects=tuple(member.subjects),
                grades=tuple(member.grade_bands),
                school=member.school,
                timezone=member.timezone,
                years=member.years_experience,
                goals=tuple(member.goals),
                strengths=tuple(member.strengths),
                capacity=membership.capacity or default_capacity,
            )
        )
    return people, skipped, members


def plan_round(
    repos: Scope, program: Program, now: datetime, *, reasons: int | None = None
) -> RoundPlan:
    """What the next round would be, with reasons (for the first ``reasons`` groups, best first,
    when given: all a preview shows); writes nothing."""
    assert program.id is not None
    settings = pairing_settings(program)
    last = repos.pairing.last_round(program.id)
    number = (last.number if last else 0) + 1
    people, skipped, members = candidates_for(repos, program, now)
    history = int(settings.get("history", DEFAULT_HISTORY_ROUNDS))
    forbidden: set[tuple[int, int]] = set()
    pins: list[tuple[int, int]] = []
    for rule in repos.pairing.rules(program.id):
        key = pair_key(rule.member_a, rule.member_b)
        if rule.kind is RuleKind.DO_NOT_PAIR or (
            rule.kind is RuleKind.FORBID and rule.round_number == number
        ):
            forbidden.add(key)
        elif rule.kind is RuleKind.PIN and rule.round_number == number:
            pins.append((rule.member_a, rule.member_b))
    eligible = {c.member_id for c in people}
    skipped_pins = [
        (members[a].display_name, members[b].display_name)
        for a, b in pins
        if (a not in eligible or b not in eligible) and a in members and b in members
    ]
    # Imported here: numpy, scipy and networkx take a third of a second to load, and a delivery
    # worker restarted mid-fan-out (or a CLI command) should not wait for a solver it never runs.
    from bot.pairing import solver

    weights = weights_from_settings(settings)
    mode = Mode.MENTORING if program.kind is ProgramKind.MENTORING else Mode.PEER
    proposal = solver.solve(
        people,
        mode=mode,
        weights=weights,
        constraints=Constraints(
            recent=frozenset(repos.pairing.recent_pairs(program.id, history)),
            forbidden=frozenset(forbidden),
            pins=tuple(pins),
        ),
        now=now,
        group_size=program.group_size if mode is Mode.PEER else 2,
        seed=program.id * 1000 + number,
    )
    proposal.skipped = skipped
    explain.explained(proposal, people, now, limit=reasons)
    return RoundPlan(
        program=program,
        number=number,
        proposal=proposal,
        people={c.member_id: c for c in people},
        members=members,
        weights=weights,
        history_rounds=history,
        skipped_pins=skipped_pins,
    )


def _names(plan: RoundPlan, group: Group) -> str:
    names = [said(plan.people[m].name) for m in group.member_ids]
    if group.mentor_id is not None:
        return _("{mentor} (mentor) → {mentee}").format(mentor=names[0], mentee=names[1])
    return " & ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " & " + names[-1]


def preview_lines(plan: RoundPlan, *, limit: int = PREVIEW_LIMIT) -> list[str]:
    """The preview as lines of text, the same in chat and at the terminal."""
    p = plan.proposal
    count = len(p.groups)
    average = p.score / count if count else 0.0
    head = (
        ngettext(
            "Round {number} of {program}: {count} pair, score {score} (average {average})",
            "Round {number} of {program}: {count} pairs, score {score} (average {average})",
            count,
        )
        if plan.program.kind is ProgramKind.MENTORING
        else ngettext(
            "Round {number} of {program}: {count} group, score {score} (average {average})",
            "Round {number} of {program}: {count} groups, score {score} (average {average})",
            count,
        )
    ).format(
        number=plan.number,
        program=plan.program.name,
        count=count,
        score=number(p.score),
        average=number(average, digits=1),
    )
    repeats = (
        ngettext(
            "{count} repeat of the last round.", "{count} repeats of the last round.", p.repeats
        )
        if plan.history_rounds == 1
        else ngettext(
            "{count} repeat of the last {rounds} rounds.",
            "{count} repeats of the last {rounds} rounds.",
            p.repeats,
        )
    )
    lines = [head + "; " + repeats.format(count=p.repeats, rounds=plan.history_rounds)]
    for g in p.groups[:limit]:
        line = _("• {names} ({score}): {reason}")
        if g.pinned:
            line = _("• {names} ({score}) [pinned]: {reason}")
        lines.append(
            line.format(
                names=_names(plan, g), score=number(g.score, digits=1), reason=said(g.reason)
            )
        )
    if count > limit:
        lines.append(_("…and {count} more.").format(count=count - limit))
    if p.unmatched:
        lines.append(
            _("Not matched ({count}), each will be told why:").format(count=len(p.unmatched))
        )
        lines += [
            _("• {name}: {why}").format(name=said(u.name), why=_(u.why))
            for u in p.unmatched[:limit]
        ]
    if p.skipped:
        lines.append(
            _("Skipped ({count}): {people}").format(
                count=len(p.skipped),
                people="; ".join(skipped_words(s) for s in p.skipped[:limit])
                + ("…" if len(p.skipped) > limit else ""),
            )
        )
    lines += [
        _("Pin of {first} and {second} skipped: one of them can't be paired this round.").format(
            first=first, second=second
        )
        for first, second in plan.skipped_pins
    ]
    return lines


def preview_message(plan: RoundPlan) -> Message:
    lines = preview_lines(plan)
    footer = _(
        "Nothing has been sent. `pair publish {program}` makes it real; "
        "`pair pin` and `pair forbid` change it first."
    ).format(program=plan.program.name)
    text = "\n".join([*lines, footer])
    return Message(
        text=text,
        blocks=(Section("*" + lines[0] + "*"), Section("\n".join(lines[1:])), Section(footer)),
    )


def _prompt_goals(people: dict[int, Candidate], group: Group) -> tuple[str, ...]:
    """Whose goals the first conversation is about: the mentee's, or the group's first stated goal."""
    if group.mentor_id is not None:
        mentee = next(m for m in group.member_ids if m != group.mentor_id)
        return people[mentee].goals
    for member_id in sorted(group.member_ids):
        if people[member_id].goals:
            return people[member_id].goals
    return ()


def publish(
    repos: Scope, plan: RoundPlan, now: datetime, extras: Sequence[IntroductionExtra] = ()
) -> RoundRecord | None:
    """Make the plan real: the round, its groups, and every message, in the caller's unit of work.

    Returns None if this round number was published meanwhile (by another worker or coordinator).
    """
    program = plan.program
    assert program.id is not None
    record = repos.pairing.create_round(
        program.id, plan.number, score=plan.proposal.score, seed=plan.proposal.seed, now=now
    )
    if record is None:
        return None
    periods = repos.observations.free_periods_of(
        [m for g in plan.proposal.groups for m in g.member_ids]
    )
    groups = plan.proposal.groups
    pairings = repos.pairing.add_pairings(
        record, [(_roles(g), g.reason, g.score) for g in groups], now=now
    )
    introduce_many(
        repos,
        program,
        plan.number,
        [(p.id, g) for p, g in zip(pairings, groups, strict=True)],
        plan.people,
        plan.members,
        now,
        extras,
        periods,
    )
    unmatched = []
    for u in plan.proposal.unmatched:
        member = plan.members[u.member_id]
        with speaking_to(member):
            told = text_message(
                _(
                    "No new match for you in round {number} of {program}. {why} "
                    "Your coordinator can see this too."
                ).format(number=plan.number, program=program.name, why=_(u.why)),
                ephemeral=False,
            )
        unmatched.append(
            (member, told, f"pairing:{program.id}:{plan.number}:unmatched:{u.member_id}")
        )
    repos.outbox.enqueue_many(unmatched, now)
    return record


INTRODUCTION_BATCH = 1000
"""Introductions built and written to the outbox together, in one insert: the extras are asked once
for all of them beforehand (one library search a distinct question in the whole round)."""


def _roles(group: Group) -> list[tuple[int, str]]:
    if group.mentor_id is None:
        return [(m, "peer") for m in group.member_ids]
    return [(m, "mentor" if m == group.mentor_id else "mentee") for m in group.member_ids]


def introduce(
    repos: Scope,
    program: Program,
    round_number: int,
    pairing_id: int,
    group: Group,
    people: dict[int, Candidate],
    members: dict[int, Member],
    now: datetime,
    extras: Sequence[IntroductionExtra] = (),
    periods: Mapping[int, Sequence[FreePeriod]] | None = None,
) -> None:
    """Queue each person's introduction to the others in ``group`` (published or re-matched)."""
    introduce_many(
        repos, program, round_number, [(pairing_id, group)], people, members, now, extras, periods
    )


def introduce_many(
    repos: Scope,
    program: Program,
    round_number: int,
    groups: Sequence[tuple[int, Group]],
    people: dict[int, Candidate],
    members: dict[int, Member],
    now: datetime,
    extras: Sequence[IntroductionExtra] = (),
    periods: Mapping[int, Sequence[FreePeriod]] | None = None,
) -> None:
    """Every introduction of these (pairing id, group): the extras asked once for all of them, the
    messages built and written ``INTRODUCTION_BATCH`` at a time, one outbox insert each.

    ``periods``: everyone's declared free periods, read once for the whole round by the caller.
    """
    if periods is None:
        periods = repos.observations.free_periods_of([m for _id, g in groups for m in g.member_ids])
    intros: list[Introduction] = []
    keys: list[tuple[Member, str]] = []
    for pairing_id, group in groups:
        goals = _prompt_goals(people, group)
        slots = tuple(
            shared_slots(periods, {m: members[m].timezone for m in group.member_ids}, now)
        )
        together = tuple(
            (
                m,
                Mention(
                    members[m].platform_user_id, unmark(members[m].display_name), members[m].email
                ),
            )
            for m in group.member_ids
        )
        for member_id in group.member_ids:
            recipient = people[member_id]
            with speaking_to(members[member_id]) as language:  # worded for them, in their language
                intros.append(
                    Introduction(
                        program=program,
                        round_number=round_number,
                        pairing_id=pairing_id,
                        recipient=recipient,
                        others=tuple(people[m] for m in group.member_ids if m != member_id),
                        mentor_id=group.mentor_id,
                        reason=explain.group_sentence(group, people, now, to=recipient),
                        prompt=first_prompt(goals),
                        focus_goals=goals,
                        people=together,
                        slots=slots,
                        language=language,
                    )
                )
            keys.append(
                (
                    members[member_id],
                    f"pairing:{program.id}:{round_number}:{pairing_id}:intro:{member_id}",
                )
            )
    added = extra_blocks_for(repos, intros, extras, now)
    for start in range(0, len(intros), INTRODUCTION_BATCH):
        end = start + INTRODUCTION_BATCH
        repos.outbox.enqueue_many(
            [
                (member, build_introduction(intro, extra_blocks=blocks), key)
                for (member, key), intro, blocks in zip(
                    keys[start:end], intros[start:end], added[start:end], strict=True
                )
            ],
            now,
        )


def notify_coordinators(repos: Scope, plan: RoundPlan, now: datetime) -> None:
    """A scheduled round tells the program's coordinators what it did, with who was left out."""
    assert plan.program.id is not None
    for membership in repos.memberships.for_program(plan.program.id):
        if membership.role is not ProgramRole.COORDINATOR:
            continue
        coordinator = repos.members.get(membership.member_id)
        if coordinator is not None:
            with speaking_to(coordinator):
                explain.explained(plan.proposal, list(plan.people.values()), now, limit=20)
                message = text_message(
                    _("Published on schedule: {preview}\nEveryone has their introduction.").format(
                        preview="\n".join(preview_lines(plan, limit=20))
                    ),
                    ephemeral=False,
                )
            repos.outbox.enqueue(
                coordinator,
                message,
                f"pairing:{plan.program.id}:{plan.number}:coordinator:{membership.member_id}",
                now,
            )
