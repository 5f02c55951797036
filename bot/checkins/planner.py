"""The scheduler's job: every check-in, reminder and snoozed re-send that is due, in every workspace.

``send_due_checkins(uow_factory, now)`` is safe to run every minute, from several processes at once and
again after a crash, because every effect is keyed:

* a check-in row is unique per (program, member, ISO week of the member's local date), and the
  outbox message is written in the same transaction with the key ``checkin:<program>:<member>:<week>``;
* the one reminder (48 hours later, unanswered) and the one re-send after a snooze have their own keys.

Misfires: when the service was down at the due time, the check-in is sent late once if we are still
within the grace window (default 6 hours), and recorded as missed (never sent) after it.

A minute with nothing due costs one query a workspace: after planning a program the planner works out
the next moment anything in it can fall due and sleeps the program until then (never longer than its
grace window, so a change storage did not notice is sent late rather than missed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.calendar.chat import SchoolCalendar, for_program
from bot.checkins.message import (
    checkin_key,
    checkin_message,
    reminder_key,
    reminder_message,
    resend_key,
)
from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.ports import Suggester
from bot.checkins.schedule import (
    REMINDER_AFTER,
    QuietHours,
    grace,
    iso_week,
    next_allowed,
    planned_due,
    quiet_hours,
    zone,
    zone_named,
)
from bot.kernel.context import speaking_to
from bot.kernel.domain import Member, MemberStatus, Program, ProgramRole
from bot.kernel.ports import Scope, UnitOfWorkFactory

log = logging.getLogger(__name__)

MISSED_RECORD_WINDOW = timedelta(days=1)
"""A check-in that missed its grace window is recorded as missed for a day after; older ones, such as
last week's on the very first start, are left unrecorded rather than counted against anyone."""
BATCH = 200
"""Members planned per transaction: a crash loses at most one batch of work, which the next run redoes."""


@dataclass
class PlanReport:
    sent: int = 0
    late: int = 0
    missed: int = 0
    reminded: int = 0
    resent: int = 0
    programs: int = 0
    errors: list[str] = field(default_factory=list)


def send_due_checkins(
    uow_factory: UnitOfWorkFactory, now: datetime, *, suggest: Suggester | None = None
) -> PlanReport:
    """The periodic job: every due check-in, reminder and snoozed re-send, in every workspace."""
    report = PlanReport()
    with uow_factory() as uow:
        due = [
            (workspace_id, program)
            for workspace_id in uow.workspaces.active_ids()
            for program in uow.scope(workspace_id).checkins.programs_to_plan(now)
        ]
    for workspace_id, (program_id, generation) in due:
        try:
            _plan_program(uow_factory, workspace_id, program_id, generation, now, report, suggest)
            report.programs += 1
        except Exception as exc:  # one broken program must not stop every other school's
            log.exception("planning check-ins for program %s failed", program_id)
            report.errors.append(f"program {program_id}: {exc}")
    return report


CHECKIN_ROLES = (ProgramRole.MENTOR, ProgramRole.MENTEE, ProgramRole.PEER)


def _plan_program(
    uow_factory: UnitOfWorkFactory,
    workspace_id: int,
    program_id: int,
    generation: int | None,
    now: datetime,
    report: PlanReport,
    suggest: Suggester | None,
) -> None:
    with uow_factory() as uow:
        repos = uow.scope(workspace_id)
        program = repos.programs.get(program_id)
        if program is None or not program.active:
            return
        calendar = for_program(repos.calendar.for_program(program_id), program)
        quiet = quiet_hours(program)
        window = grace(program)
        due_cache: dict[tuple[str, str], datetime | None] = {}

        def due(zone_name: str, week: str) -> datetime | None:
            if (zone_name, week) not in due_cache:
                tz = zone_named(zone_name)
                due_cache[(zone_name, week)] = planned_due(program, tz, week, calendar, quiet)
            return due_cache[(zone_name, week)]

        # Only who may be due is read: those in a time zone whose check-in time has come (and is
        # not yet past recording), and those with a check-in still open (a reminder, a snooze).
        zones = repos.members.program_zones(program_id, CHECKIN_ROLES)
        live, weeks = set(), set()
        for zone_name in zones:
            today = now.astimezone(zone_named(zone_name)).date()
            for days in (7, 0):
                week = iso_week(today - timedelta(days=days))
                moment = due(zone_name, week)
                if moment is not None and moment <= now <= moment + window + MISSED_RECORD_WINDOW:
                    live.add(zone_name)
            weeks |= {iso_week(today - timedelta(days=d)) for d in (14, 7, 0)}
        still_open = repos.checkins.for_weeks(program_id, weeks, open_only=True)
        members = [
            m
            for m in repos.members.in_program(
                program_id,
                CHECKIN_ROLES,
                (MemberStatus.ACTIVE, MemberStatus.PAUSED),
                timezones=live,
                member_ids={member_id for member_id, _week in still_open},
            )
            if m.reachable and m.consented_at is not None
        ]  # imported but not yet met: no consent yet, so no messages
        weeks_of: dict[int, tuple[str, str]] = {}
        wanted: set[str] = set()
        for member in members:
            today = now.astimezone(zone(member)).date()
            this_week, last_week = iso_week(today), iso_week(today - timedelta(days=7))
            assert member.id is not None
            weeks_of[member.id] = (last_week, this_week)
            before = iso_week(today - timedelta(days=14))
            wanted |= {before, last_week, this_week}
        member_ids = {m.id for m in members if m.id is not None}
        existing = repos.checkins.for_weeks(program_id, wanted, member_ids=member_ids)
        # One check-in a week a person: a week another of their programs has planned already (its
        # schedule came first) is theirs, and that check-in asks this program's questions too.
        elsewhere = repos.checkins.taken_elsewhere(
            program_id, member_ids, {w for pair in weeks_of.values() for w in pair}
        )
        mentors = repos.checkins.mentors(program_id)
        groups = repos.checkins.groups(program_id)
        planned: list[tuple[Member, Checkin]] = []
        for done, member in enumerate(members, 1):
            assert member.id is not None
            tz = zone(member)
            if not member.is_active_on(now.astimezone(tz).date()):
                continue  # paused: nothing is sent, not even a reminder
            for week in weeks_of[member.id]:
                found = existing.get((member.id, week))
                if found is None and (member.id, week) in elsewhere:
                    continue
                if found is None:
                    new = _new_checkin(
                        program, member, week, due(member.timezone, week), now, window
                    )
                    if new is not None:
                        planned.append((member, new))
                elif found.status is CheckinStatus.SNOOZED:
                    _maybe_resend(
                        repos,
                        program,
                        member,
                        found,
                        now,
                        window,
                        existing,
                        report,
                        suggest,
                        mentors.get(member.id),
                        groups.get(member.id),
                    )
                elif found.status is CheckinStatus.SENT:
                    _maybe_remind(
                        repos, program, member, found, now, calendar, quiet, window, report
                    )
            if done % BATCH == 0:
                _write(repos, program, planned, now, existing, report, suggest, mentors, groups)
                planned = []
                uow.commit()
        _write(repos, program, planned, now, existing, report, suggest, mentors, groups)
        wake = _next_wake(program, zones, members, weeks_of, existing, due, calendar, quiet, now)
        repos.checkins.sleep_until(program_id, generation, min(wake, now + window))
        uow.commit()


def _next_wake(
    program: Program,
    zones: set[str],
    members: list[Member],
    weeks_of: dict[int, tuple[str, str]],
    existing: dict[tuple[int, str], Checkin],
    due: Callable[[str, str], datetime | None],
    calendar: SchoolCalendar,
    quiet: QuietHours,
    now: datetime,
) -> datetime:
    """The first moment after ``now`` when a check-in, reminder or re-send of this program can be due.

    Early is harmless (a run that finds nothing), late is not, so every candidate counts: this week's
    and next week's check-in time in each time zone, and each open check-in's reminder or snooze
    (every member with one was read this run).
    """
    candidates: list[datetime] = []
    for zone_name in zones:
        today = now.astimezone(zone_named(zone_name)).date()
        for week in (iso_week(today), iso_week(today + timedelta(days=7))):
            moment = due(zone_name, week)
            if moment is not None and moment > now:
                candidates.append(moment)
                break
    for member in members:
        assert member.id is not None
        tz = zone(member)
        for week in weeks_of[member.id]:
            found = existing.get((member.id, week))
            if found is None:
                continue
            if found.status is CheckinStatus.SNOOZED and found.due_at > now:
                candidates.append(found.due_at)
            elif (
                found.status is CheckinStatus.SENT
                and found.reminder_sent_at is None
                and found.answered_at is None
            ):
                sent = found.sent_at or found.due_at
                remind_at = next_allowed(
                    sent + REMINDER_AFTER, tz, calendar, quiet, program.checkin_time
                )
                if remind_at > now:
                    candidates.append(remind_at)
    return min(candidates, default=now + timedelta(days=7))


def _new_checkin(
    program: Program,
    member: Member,
    week: str,
    due: datetime | None,
    now: datetime,
    window: timedelta,
) -> Checkin | None:
    """This week's check-in for the member if it is due now: to send, or to record as missed."""
    assert member.id is not None and program.id is not None
    if due is None or now < due:
        return None
    if member.joined_at is not None and member.joined_at > due:
        return None  # joined after this week's check-in went out; their first one is next week
    if now - due > window:
        if now - due > window + MISSED_RECORD_WINDOW:
            return None  # long before this run (a first start, a long outage): nothing to record
        return Checkin(program.id, member.id, week, due_at=due, status=CheckinStatus.MISSED)
    return Checkin(program.id, member.id, week, due_at=due, sent_at=now)


def _write(
    repos: Scope,
    program: Program,
    planned: list[tuple[Member, Checkin]],
    now: datetime,
    existing: dict[tuple[int, str], Checkin],
    report: PlanReport,
    suggest: Suggester | None,
    mentors: dict[int, list[str]],
    groups: dict[int, list[str]],
) -> None:
    """Store a batch of new check-ins and their messages in one go (two statements, not 2 a member).

    A row another run stored first wins; its message has the same key, so the outbox keeps one.
    """
    if not planned:
        return
    assert program.id is not None
    stored = repos.checkins.add_many([c for _m, c in planned])
    messages = []
    for member, wanted in planned:
        checkin = stored.get((wanted.member_id, wanted.week))
        if checkin is None:
            continue
        existing[(checkin.member_id, checkin.week)] = checkin
        if checkin.status is CheckinStatus.MISSED:
            if wanted.status is CheckinStatus.MISSED:
                report.missed += 1
                log.info(
                    "check-in %s for member %s missed its grace window", checkin.week, member.id
                )
            continue
        if checkin.status is not CheckinStatus.SENT or checkin.sent_at != now:
            continue  # planned by another run, which wrote its message with it
        with speaking_to(member):  # each teacher's check-in in their own language
            message = checkin_message(
                repos,
                program,
                member,
                checkin,
                existing,
                suggest=suggest,
                mentees=mentors.get(checkin.member_id),
                group=groups.get(checkin.member_id),
            )
        messages.append((member, message, checkin_key(checkin)))
        report.sent += 1
        if now - checkin.due_at > timedelta(minutes=5):
            report.late += 1
    repos.outbox.enqueue_many(messages, now)


def _maybe_resend(
    repos: Scope,
    program: Program,
    member: Member,
    checkin: Checkin,
    now: datetime,
    window: timedelta,
    existing: dict[tuple[int, str], Checkin],
    report: PlanReport,
    suggest: Suggester | None,
    mentees: list[str] | None,
    group: list[str] | None,
) -> None:
    if now < checkin.due_at:
        return
    if now - checkin.due_at > window:
        checkin.status = CheckinStatus.MISSED
        repos.checkins.save(checkin)
        report.missed += 1
        return
    checkin.status = CheckinStatus.SENT
    checkin.sent_at = now
    repos.checkins.save(checkin)
    with speaking_to(member):
        message = checkin_message(
            repos,
            program,
            member,
            checkin,
            existing,
            again=True,
            suggest=suggest,
            mentees=mentees,
            group=group,
        )
    if repos.outbox.enqueue(member, message, resend_key(checkin), now):
        report.resent += 1


def _maybe_remind(
    repos: Scope,
    program: Program,
    member: Member,
    checkin: Checkin,
    now: datetime,
    calendar: SchoolCalendar,
    quiet: QuietHours,
    window: timedelta,
    report: PlanReport,
) -> None:
    if checkin.reminder_sent_at is not None or checkin.answered_at is not None:
        return
    sent = checkin.sent_at or checkin.due_at
    tz = zone(member)
    remind_at = next_allowed(sent + REMINDER_AFTER, tz, calendar, quiet, program.checkin_time)
    if now < remind_at or now - remind_at > window:
        return
    checkin.reminder_sent_at = now
    repos.checkins.save(checkin)
    with speaking_to(member):
        message = reminder_message(program, member, checkin)
    if repos.outbox.enqueue(member, message, reminder_key(checkin), now):
        report.reminded += 1
