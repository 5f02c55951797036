"""The pairing feature's scheduled work: a round published on the program's cadence, in school time,
and "did you meet?" halfway through it (``met.py``).

Safe to run from several workers at once: round numbers and outbox keys are unique, so the second
worker finds the work done and writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.chat import for_program
from bot.checkins.schedule import next_allowed, quiet_hours
from bot.kernel.domain import Program
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.pairing.intro import IntroductionExtra
from bot.pairing.met import ask_did_you_meet
from bot.pairing.ports import RoundRecord
from bot.pairing.rounds import notify_coordinators, plan_round, publish

log = logging.getLogger(__name__)


def _school_time(repos: Scope, program: Program, moment: datetime) -> datetime:
    """The first moment at or after ``moment`` that is a school day outside the program's quiet hours
    (check-ins' calendar): no introductions at midnight, at weekends or in the holidays."""
    assert program.id is not None
    try:
        tz = ZoneInfo(program.timezone)
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    calendar = for_program(repos.calendar.for_program(program.id), program)
    return next_allowed(moment, tz, calendar, quiet_hours(program), program.checkin_time)


def next_due(repos: Scope, program: Program, last: RoundRecord | None) -> datetime | None:
    """When the next scheduled round is due: a cadence after the last one, in school time.

    The first round is always a coordinator's ``pair publish``, so nobody is paired from a roster that
    is still being imported; from then on the program pairs itself every ``cadence_weeks``.
    """
    if last is None or last.published_at is None:
        return None
    return _school_time(repos, program, last.published_at + timedelta(weeks=program.cadence_weeks))


def midway(repos: Scope, program: Program, last: RoundRecord) -> datetime | None:
    if last.published_at is None:
        return None
    return _school_time(
        repos, program, last.published_at + timedelta(weeks=program.cadence_weeks) / 2
    )


@dataclass
class JobReport:
    published: list[str] = field(default_factory=list)
    met_checks: int = 0


def run_due_pairing_rounds(
    uow_factory: UnitOfWorkFactory, now: datetime, *, extras: Sequence[IntroductionExtra] = ()
) -> JobReport:
    """The periodic job: publish every round that is due, and ask "did you meet?" halfway through
    (``met.py``: one message a week a person, however many pairings they are in).

    Safe to run from several workers at once: round numbers and outbox keys are unique, so the second
    worker finds the work done and writes nothing.
    """
    report = JobReport()
    with uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        with uow_factory() as uow:
            programs = [p for p in uow.scope(workspace_id).programs.list() if p.active]
        for program in programs:
            try:
                _run_program(uow_factory, workspace_id, program.id, now, report, extras)
            except Exception:  # one program's failure must not stop every other school's round
                log.exception("pairing round failed for program %s", program.id)
        try:
            with uow_factory() as uow:
                repos = uow.scope(workspace_id)
                report.met_checks += ask_did_you_meet(repos, _live_rounds(repos), now)
                uow.commit()
        except Exception:
            log.exception("asking 'did you meet?' failed in workspace %s", workspace_id)
    return report


def _live_rounds(repos: Scope) -> list[tuple[Program, RoundRecord, datetime]]:
    """Each active program's latest published round, with its halfway moment."""
    found = []
    for program in repos.programs.list():
        last = repos.pairing.last_round(program.id) if program.active and program.id else None
        halfway = midway(repos, program, last) if last is not None else None
        if last is not None and halfway is not None:
            found.append((program, last, halfway))
    return found


def _run_program(
    uow_factory: UnitOfWorkFactory,
    workspace_id: int,
    program_id: int | None,
    now: datetime,
    report: JobReport,
    extras: Sequence[IntroductionExtra],
) -> None:
    assert program_id is not None
    with uow_factory() as uow:
        repos = uow.scope(workspace_id)
        program = repos.programs.get(program_id)
        if program is None:
            return
        last = repos.pairing.last_round(program_id)
        due = next_due(repos, program, last)
        if due is not None and now >= due:
            plan = plan_round(repos, program, now)
            if plan.proposal.groups and publish(repos, plan, now, extras) is not None:
                notify_coordinators(repos, plan, now)
                report.published.append(f"{program.name} round {plan.number}")
                uow.commit()
                return
        uow.commit()
