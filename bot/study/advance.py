"""The periodic job: phases move on when their dates pass, and each phase nudges whoever still owes
something once, on its due date, in school hours where the cycle is.

Exactly once: a cycle is locked and read again before it changes, the phases nudged are stored with
it, and every message's key is unique, so two copies of the job at the same minute send nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.kernel.domain import Member
from bot.kernel.messages import Message, Section, said
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.study.model import OPEN_PHASES, PHASE_WORDS, Cycle, Phase
from bot.study.notes import close_revisions, gather_debrief, observers
from bot.study.schedule import day_text, local_today

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
    if cycle.phase is Phase.TEACH and today >= cycle.due[Phase.DEBRIEF]:
        gather_debrief(repos, cycle, now)
        totals["debriefs"] += 1
    elif cycle.phase is Phase.DEBRIEF and today > cycle.due[Phase.DEBRIEF]:
        cycle.phase = Phase.REVISE
        totals["moved"] += 1
    elif cycle.phase is Phase.REVISE and today > cycle.due[Phase.REVISE]:
        close_revisions(repos, cycle, now)
        totals["moved"] += 1
    elif cycle.phase is Phase.RETEACH and today > cycle.due[Phase.RETEACH]:
        cycle.phase = Phase.DONE
        totals["moved"] += 1
    if cycle.phase in OPEN_PHASES and cycle.phase not in cycle.nudged and _nudge_due(cycle, now):
        totals["nudges"] += _nudge(repos, cycle, now)
        cycle.nudged = (*cycle.nudged, cycle.phase)
    repos.study.save_cycle(cycle)


def _nudge_due(cycle: Cycle, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(cycle.timezone))
    if local.hour not in NUDGE_HOURS:
        return False
    today = local.date()
    if cycle.phase is Phase.TEACH:
        # The day after the lesson: notes are fresh, and the debrief has not gathered them yet.
        return cycle.lesson_on is not None and today > cycle.lesson_on
    return today >= cycle.due[cycle.phase]


def _owing(repos: Scope, cycle: Cycle) -> tuple[list[int], str]:
    """Who still owes something in this phase, and what to tell them."""
    assert cycle.id is not None
    members = repos.study.members(cycle.id)
    ref = f"#{cycle.id}"
    if cycle.phase is Phase.PLAN:
        if cycle.plan.is_shared:
            what = f"the research lesson isn't booked yet: whoever teaches it, `study book {ref}`."
        else:
            what = f"the plan isn't shared yet: `study plan {ref}` (the research question and goal are enough to start)."
        return [m.member_id for m in members], f"The plan is due today, and {what}"
    if cycle.phase is Phase.TEACH:
        noted = {n.member_id for n in repos.study.notes(cycle.id)}
        waiting = [m.member_id for m in observers(repos, cycle) if m.member_id not in noted]
        return waiting, f"How did the students get on? Post what you saw: `study note {ref} ...`."
    if cycle.phase is Phase.DEBRIEF:
        return [
            m.member_id for m in members
        ], "The debrief is due today: ten minutes together on the notes is enough."
    if cycle.phase is Phase.REVISE:
        waiting = [m.member_id for m in members if not m.revision]
        return waiting, f"Revisions are due today: one change each, `study revise {ref} ...`."
    return (
        [cycle.starter_id]
        if cycle.starter_id is not None
        and cycle.lesson_on
        and cycle.due[Phase.RETEACH] != cycle.lesson_on
        else [],
        f"The reteach is optional and due today: book it with `study book {ref}`, or `study done {ref}`.",
    )


def _nudge(repos: Scope, cycle: Cycle, now: datetime) -> int:
    ids, what = _owing(repos, cycle)
    people: dict[int, Member] = repos.members.get_many(ids) if ids else {}
    sent = 0
    for member_id in ids:
        person = people.get(member_id)
        if person is None:
            continue
        text = f"*{said(cycle.name)}* ({PHASE_WORDS[cycle.phase]}, due {day_text(cycle.due[cycle.phase])}): {what}"
        sent += repos.outbox.enqueue(
            person,
            Message(text=f"A nudge for {cycle.name}", blocks=(Section(text),), ephemeral=False),
            f"study:{cycle.id}:nudge:{cycle.phase.value}:{member_id}",
            now,
        )
    return sent
