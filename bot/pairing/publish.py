"""Publishing a planned round: the round, its groups and every introduction, in one unit of work.

A round number is unique per program, so two workers racing to publish the same scheduled round
produce one round and one set of messages; every message carries an outbox key made of the program,
the round and the person, so a retried publish sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.kernel.domain import Member, Program, ProgramRole
from bot.kernel.messages import Mention, text_message, unmark
from bot.kernel.ports import Scope
from bot.observations.model import FreePeriod
from bot.pairing import explain
from bot.pairing.intro import Introduction, IntroductionExtra, introduction_with_extras
from bot.pairing.meeting import shared_slots
from bot.pairing.model import Candidate, Group
from bot.pairing.ports import RoundRecord
from bot.pairing.rounds import RoundPlan, preview_lines
from bot.pairing.topics import first_prompt


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
    for group in plan.proposal.groups:
        roles = [
            (
                m,
                "peer"
                if group.mentor_id is None
                else ("mentor" if m == group.mentor_id else "mentee"),
            )
            for m in group.member_ids
        ]
        pairing = repos.pairing.add_pairing(
            record, roles, reason=group.reason, score=group.score, now=now
        )
        introduce(
            repos,
            program,
            plan.number,
            pairing.id,
            group,
            plan.people,
            plan.members,
            now,
            extras,
            periods,
        )
    for u in plan.proposal.unmatched:
        repos.outbox.enqueue(
            plan.members[u.member_id],
            text_message(
                f"No new match for you in round {plan.number} of {program.name}. {u.why} "
                "Your coordinator can see this too.",
                ephemeral=False,
            ),
            f"pairing:{program.id}:{plan.number}:unmatched:{u.member_id}",
            now,
        )
    return record


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
    """Queue each person's introduction to the others in ``group`` (published or re-matched).

    ``periods``: everyone's declared free periods, read once for the whole round by the caller.
    """
    goals = _prompt_goals(people, group)
    if periods is None:
        periods = repos.observations.free_periods_of(group.member_ids)
    slots = tuple(shared_slots(periods, {m: members[m].timezone for m in group.member_ids}, now))
    together = tuple(
        (m, Mention(members[m].platform_user_id, unmark(members[m].display_name), members[m].email))
        for m in group.member_ids
    )
    for member_id in group.member_ids:
        recipient = people[member_id]
        intro = Introduction(
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
        )
        repos.outbox.enqueue(
            members[member_id],
            introduction_with_extras(repos, intro, extras),
            f"pairing:{program.id}:{round_number}:{pairing_id}:intro:{member_id}",
            now,
        )


def notify_coordinators(repos: Scope, plan: RoundPlan, now: datetime) -> None:
    """A scheduled round tells the program's coordinators what it did, with who was left out."""
    assert plan.program.id is not None
    lines = preview_lines(plan, limit=20)
    message = text_message(
        "Published on schedule: " + "\n".join(lines) + "\nEveryone has their introduction.",
        ephemeral=False,
    )
    for membership in repos.memberships.for_program(plan.program.id):
        if membership.role is not ProgramRole.COORDINATOR:
            continue
        coordinator = repos.members.get(membership.member_id)
        if coordinator is not None:
            repos.outbox.enqueue(
                coordinator,
                message,
                f"pairing:{plan.program.id}:{plan.number}:coordinator:{membership.member_id}",
                now,
            )
