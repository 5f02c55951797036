"""The periodic job: phases move on when their dates pass, and each phase nudges whoever still owes
something once, on its due date, in school hours where the cycle is.

Exactly once: a cycle is locked and read again before it changes, the phases nudged are stored with
it, and every message's key is unique, so two copies of the job at the same minute send nothing twice.
When the job itself gathers the notes on the debrief's due date, that message is the debrief's nudge:
the group is not sent a second one in the same breath. What the job sends to the group (the notes,
the revised lesson) waits for school hours like any nudge.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.kernel.context import speaking_to
from bot.kernel.domain import Member
from bot.kernel.i18n import _
from bot.kernel.messages import Message, Section, said
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.study.model import OPEN_PHASES, PHASE_WORDS, Cycle, Phase
from bot.study.notes import close_revisions, gather_debrief, observers
from bot.study.schedule import day_text, local_today, school_day_after

NUDGE_HOURS = range(8, 17)
"""Nudges go between 08:00 and 17:00 where the cycle is: a teacher's working day, never an evening."""


def advance_lesson_studies(uow_factory: UnitOfWorkFactory, now: datetime) -> dict[str, int]:
    """One pass over every active workspace, each in its own unit of work."""
    totals = {"debriefs": 0, "moved": 0, "nudges": 0}
    with uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        with uow_factory() as uow:
            repos = uow.scope(workspace_id)
            for seen in repos.study.cycles(OPEN_PHASES):
                cycle = repos.study.get_cycle(seen.id or 0, lock=True)
                if cycle is not None and cycle.phase in OPEN_PHASES:
                    _advance(repos, cycle, now, totals)
            uow.commit()
    return totals


def _advance(repos: Scope, cycle: Cycle, now: datetime, totals: dict[str, int]) -> None:
    today = local_today(now, cycle.timezone)
    in_hours = _in_hours(cycle, now)
    if cycle.phase is Phase.TEACH and today >= cycle.due[Phase.DEBRIEF]:
        if in_hours:
            gather_debrief(repos, cycle, now)
            cycle.nudged = (*cycle.nudged, Phase.DEBRIEF)
            totals["debriefs"] += 1
    elif cycle.phase is Phase.DEBRIEF and today > cycle.due[Phase.DEBRIEF]:
        cycle.phase = Phase.REVISE
        totals["moved"] += 1
    elif cycle.phase is Phase.REVISE and today > cycle.due[Phase.REVISE]:
        if in_hours:
            close_revisions(repos, cycle, now)
            totals["moved"] += 1
    elif cycle.phase is Phase.RETEACH and today > cycle.due[Phase.RETEACH]:
        cycle.phase = Phase.DONE
        totals["moved"] += 1
    if (
        cycle.phase in OPEN_PHASES
        and cycle.phase not in cycle.nudged
        and in_hours
        and _nudge_due(repos, cycle, today)
    ):
        totals["nudges"] += _nudge(repos, cycle, now)
        cycle.nudged = (*cycle.nudged, cycle.phase)
    repos.study.save_cycle(cycle)


def _in_hours(cycle: Cycle, now: datetime) -> bool:
    return now.astimezone(ZoneInfo(cycle.timezone)).hour in NUDGE_HOURS


def _nudge_due(repos: Scope, cycle: Cycle, today: date) -> bool:
    if cycle.phase is Phase.TEACH:
        # The school day after the lesson: notes are fresh, and the debrief has not gathered them yet.
        if cycle.lesson_on is None:
            return False
        teacher = repos.members.get(cycle.teacher_id) if cycle.teacher_id is not None else None
        return today >= school_day_after(repos, teacher, cycle.lesson_on)
    return today >= cycle.due[cycle.phase]


def _owing(repos: Scope, cycle: Cycle) -> list[int]:
    """Who still owes something in this phase."""
    assert cycle.id is not None
    members = repos.study.members(cycle.id)
    if cycle.phase is Phase.PLAN:
        if cycle.plan.is_shared:
            # Whoever shared the plan has done their part; booking is for whoever teaches it.
            return [m.member_id for m in members if m.member_id != cycle.plan_by]
        return [m.member_id for m in members]
    if cycle.phase is Phase.TEACH:
        noted = {n.member_id for n in repos.study.notes(cycle.id)}
        return [m.member_id for m in observers(repos, cycle) if m.member_id not in noted]
    if cycle.phase in (Phase.DEBRIEF, Phase.REVISE):
        # Someone who has proposed their revision has talked the notes through already.
        return [m.member_id for m in members if not m.revision]
    # One person decides on the optional reteach: whoever started the cycle, or, if they have
    # gone, whoever taught it. A booked reteach owes nothing.
    decider = cycle.starter_id if cycle.starter_id is not None else cycle.teacher_id
    booked = cycle.lesson_on is not None and cycle.due[Phase.RETEACH] == cycle.lesson_on
    return [decider] if decider is not None and not booked else []


def _what(cycle: Cycle) -> str:
    """What the nudge of this phase asks, in the language being spoken."""
    ref = f"#{cycle.id}"
    if cycle.phase is Phase.PLAN:
        if cycle.plan.is_shared:
            return _(
                "The plan is due today, and the research lesson isn't booked yet: whoever "
                "teaches it, `study book {ref}`."
            ).format(ref=ref)
        return _(
            "The plan is due today, and the plan isn't shared yet: `study plan {ref}` "
            "(the research question and goal are enough to start)."
        ).format(ref=ref)
    if cycle.phase is Phase.TEACH:
        return _("How did the students get on? Post what you saw: `study note {ref} ...`.").format(
            ref=ref
        )
    if cycle.phase is Phase.DEBRIEF:
        return _("The debrief is due today: ten minutes together on the notes is enough.")
    if cycle.phase is Phase.REVISE:
        return _("Revisions are due today: one change each, `study revise {ref} ...`.").format(
            ref=ref
        )
    return _(
        "The reteach is optional and due today: book it with `study book {ref}`, or "
        "`study done {ref}`."
    ).format(ref=ref)


def _nudge(repos: Scope, cycle: Cycle, now: datetime) -> int:
    ids = _owing(repos, cycle)
    people: dict[int, Member] = repos.members.get_many(ids) if ids else {}
    today = local_today(now, cycle.timezone)
    sent = 0
    for member_id in ids:
        person = people.get(member_id)
        if person is None or not person.is_active_on(today):
            continue  # someone on a break is not chased; the group carries on without them
        with speaking_to(person):
            text = _("*{name}* ({phase}, due {day}): {what}").format(
                name=said(cycle.name),
                phase=_(PHASE_WORDS[cycle.phase]),
                day=day_text(cycle.due[cycle.phase]),
                what=_what(cycle),
            )
            message = Message(
                text=_("A nudge for {name}").format(name=cycle.name),
                blocks=(Section(text),),
                ephemeral=False,
            )
        sent += repos.outbox.enqueue(
            person, message, f"study:{cycle.id}:nudge:{cycle.phase.value}:{member_id}", now
        )
    return sent
