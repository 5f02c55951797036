"""The program's own cadence: the periodic job that publishes each due round and asks "did you meet?".

The first round is always a coordinator's ``pair publish``; from then on a program pairs itself every
``cadence_weeks``, in school time (the check-ins' calendar and quiet hours), and halfway through a
round each pair is asked once whether they met.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.chat import for_program
from bot.checkins.schedule import next_allowed, quiet_hours
from bot.kernel.domain import MemberStatus, Program
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.pairing.intro import IntroductionExtra, did_you_meet
from bot.pairing.ports import MetStatus, RoundRecord
from bot.pairing.publish import notify_coordinators, publish
from bot.pairing.rounds import plan_round

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
    """The periodic job: publish every round that is due, and ask "did you meet?" halfway through.

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
    return report


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
        if last is not None:
            halfway = midway(repos, program, last)
            if halfway is not None and now >= halfway:
                report.met_checks += _ask_did_you_meet(repos, program, last, now)
        uow.commit()


def _ask_did_you_meet(repos: Scope, program: Program, last: RoundRecord, now: datetime) -> int:
    """Halfway through, ask each pair whether they met; about nobody who has left Staffroom.

    Someone who left ended their pairings (their partners were told then), so they are not named,
    and a pair with one person left is not asked at all.
    """
    sent = 0
    for pairing in repos.pairing.pairings(last.id):
        if pairing.met_status == MetStatus.MET.value:
            continue
        found = {m: repos.members.get(m) for m in pairing.member_ids}
        members = {
            m: o
            for m, o in found.items()
            if o is not None and o.status is not MemberStatus.OPTED_OUT
        }
        if len(members) < 2:
            continue
        for member_id, member in members.items():
            if member.status is not MemberStatus.ACTIVE:
                continue
            others = " and ".join(o.display_name for m, o in members.items() if m != member_id)
            if repos.outbox.enqueue(
                member,
                did_you_meet(program, last.number, pairing.id, others),
                f"pairing:{program.id}:{last.number}:{pairing.id}:met:{member_id}",
                now,
            ):
                sent += 1
    return sent
