"""One gentle reminder for someone invited who hasn't started, and the coordinator's *Nudge*.

No nagging: the scheduled reminder goes once, a few school days after the invitation, only to someone
who still hasn't joined, isn't paused and hasn't left, and never if a coordinator nudged them already.
A nudge is one more reminder the coordinator chose to send; it waits a few days after the last one.
Both are keyed in the outbox, so a job run twice or a button pressed twice sends one message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.checkins.schedule import local_at, zone
from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member, Membership, MemberStatus, Program, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.i18n import _, clock, ngettext, when
from bot.kernel.identity import is_pending
from bot.kernel.messages import Context, Message, Section, said, text_message
from bot.kernel.ports import UnitOfWorkFactory
from bot.programs.invitations import SchoolHours, first_name, join_button

log = logging.getLogger(__name__)

REMINDER_KEY = "invite-reminder:"
NUDGE_KEY = "invite-nudge:"
NUDGE_ACTION = "program.nudge"
NUDGE_GAP = timedelta(days=3)
"""A nudge waits this long after the invitation or the last reminder, whoever sent it."""
BATCH = 500


def still_invited(member: Member | None, membership: Membership, now: datetime) -> bool:
    """Someone a reminder can still help: invited, not started, not paused, not gone, reachable."""
    return (
        member is not None
        and membership.role is not ProgramRole.COORDINATOR
        and member.consented_at is None
        and member.is_active_on(now.astimezone(zone(member)).date())
        and member.reachable
        and not is_pending(member)
    )


def reminder(program: Program, member: Member, *, nudged_by: str | None = None) -> Message:
    """Written in the language of the person reminded: build it inside ``speaking_to(member)``."""
    if nudged_by:
        head = _(
            "Hi {name}, a gentle reminder: {nudged_by} hoped you'd join in *{program}* on Staffroom."
        )
    else:
        head = _(
            "Hi {name}, a gentle reminder: Your place is still waiting in *{program}* on Staffroom."
        )
    head = head.format(
        name=said(first_name(member)), nudged_by=said(nudged_by or ""), program=said(program.name)
    )
    body = _(
        "It takes one press, and after that a one-minute check-in a week at a time that suits "
        "you. If now isn't the moment, there's nothing to do: this is the only reminder I send."
    )
    return Message(
        text=f"{head} {body}",
        blocks=(
            Section(head),
            Section(body),
            join_button(),
            Context(_("Your reflections stay yours; coordinators only ever see totals.")),
        ),
        ephemeral=False,
    )


@dataclass
class ReminderReport:
    sent: int = 0
    settled: int = 0
    """Reminders no longer needed (they joined, left, were nudged): dropped, nothing sent."""
    errors: list[str] = field(default_factory=list)


def send_due_reminders(uow_factory: UnitOfWorkFactory, now: datetime) -> ReminderReport:
    """The periodic job: each due reminder, once, at the person's own school time."""
    report = ReminderReport()
    with uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        try:
            while _remind_batch(uow_factory, workspace_id, now, report) == BATCH:
                pass
        except Exception as exc:  # one school's problem must not stop every other's reminders
            log.exception("invitation reminders for workspace %s failed", workspace_id)
            report.errors.append(f"workspace {workspace_id}: {exc}")
    return report


def _remind_batch(
    uow_factory: UnitOfWorkFactory, workspace_id: int, now: datetime, report: ReminderReport
) -> int:
    with uow_factory() as uow:
        repos = uow.scope(workspace_id)
        due = repos.memberships.reminders_due(now, BATCH)
        programs: dict[int, tuple[Program, SchoolHours] | None] = {}
        for membership in due:
            if membership.program_id not in programs:
                program = repos.programs.get(membership.program_id)
                programs[membership.program_id] = (
                    (program, SchoolHours(repos, program))
                    if program is not None and program.active
                    else None
                )
            found = programs[membership.program_id]
            member = repos.members.get(membership.member_id)
            pid, mid = membership.program_id, membership.member_id
            if found is not None and member is not None and _waiting_out_a_pause(member, now):
                # The reminder waits for the day after the pause; an open-ended pause drops it.
                back = member.paused_until
                later = (
                    found[1].next_open(
                        local_at(back + timedelta(days=1), time(0, 0), zone(member)), member
                    )
                    if back is not None
                    else None
                )
                repos.memberships.plan_reminder(pid, mid, later)
                continue
            if found is None or member is None or not still_invited(member, membership, now):
                repos.memberships.plan_reminder(pid, mid, None)
                report.settled += 1
                continue
            program, hours = found
            if membership.reminded_at is not None:  # a coordinator nudged them: that was it
                repos.memberships.plan_reminder(pid, mid, None)
                report.settled += 1
                continue
            at = hours.next_open(now, member)
            with speaking_to(member):
                message = reminder(program, member)
            repos.outbox.enqueue(member, message, f"{REMINDER_KEY}{pid}:{mid}", at)
            repos.memberships.plan_reminder(pid, mid, None, reminded_at=at)
            report.sent += 1
        uow.commit()
    return len(due)


def _waiting_out_a_pause(member: Member, now: datetime) -> bool:
    """Invited, not started, and on a pause today: the reminder is for after it."""
    return (
        member.consented_at is None
        and member.status is MemberStatus.PAUSED
        and not member.is_active_on(now.astimezone(zone(member)).date())
    )


# --- the coordinator's Nudge --------------------------------------------------------------------


def nudge_pressed(ctx: Ctx, value: str) -> list[Message]:
    """*Nudge* beside someone not started in ``program show``: one friendly reminder, now-ish."""
    coordinator = ctx.require_coordinator()
    program_id, _colon, member_id = value.partition(":")
    program = ctx.repos.programs.get(int(program_id)) if program_id.isdigit() else None
    member = ctx.repos.members.get(int(member_id)) if member_id.isdigit() else None
    membership = next(
        (
            m
            for m in (
                ctx.repos.memberships.for_program(program.id) if program and program.id else []
            )
            if member is not None and m.member_id == member.id
        ),
        None,
    )
    if program is None or member is None or membership is None:
        raise UserError(_("That button has expired. `program show NAME` lists who is waiting now."))
    assert program.id is not None and member.id is not None
    if member.consented_at is not None:
        return [
            text_message(
                _("Good news: {name} has already joined {program}.").format(
                    name=said(member.display_name), program=said(program.name)
                )
            )
        ]
    if not still_invited(member, membership, ctx.now):
        raise UserError(
            _(
                "{name} can't be nudged: {reason} `program show {program}` lists who is waiting."
            ).format(name=said(member.display_name), reason=_why_not(member), program=program.name)
        )
    last = max((t for t in (membership.invited_at, membership.reminded_at) if t), default=None)
    hours = SchoolHours(ctx.repos, program)
    if last is not None and ctx.now - last < NUDGE_GAP:
        again = hours.next_open(last + NUDGE_GAP, member)
        raise UserError(
            _(
                "{name} heard from Staffroom {ago}, so I'll let them be for now; you can nudge them "
                "again from {day}. One friendly word from you in person often works best."
            ).format(
                name=said(member.display_name), ago=_ago(last, ctx.now), day=when(again, "short")
            )
        )
    at = hours.next_open(ctx.now, member)
    with ctx.speaking_to(member):
        message = reminder(program, member, nudged_by=coordinator.display_name)
    ctx.repos.outbox.enqueue(
        member,
        message,
        f"{NUDGE_KEY}{program.id}:{member.id}:{ctx.now:%Y-%m-%d}",
        at,
    )
    ctx.repos.memberships.plan_reminder(program.id, member.id, None, reminded_at=at)
    if at <= ctx.now:
        text = _("Nudged {name}: one friendly reminder goes now, with a Join button.")
    else:
        text = _(
            "Nudged {name}: one friendly reminder goes at {day} {time} their time (school hours), "
            "with a Join button."
        )
    return [
        text_message(
            text.format(name=said(member.display_name), day=when(at, "short"), time=clock(at))
        )
    ]


def _why_not(member: Member) -> str:
    if member.status is MemberStatus.OPTED_OUT:
        return _("they have left Staffroom.")
    if member.status is MemberStatus.PAUSED:
        return _("they are on a pause.")
    if is_pending(member):
        return _("they are known only by e-mail until they first write to Staffroom.")
    return _("Staffroom can't reach them on the platform (check the app is installed for them).")


def _ago(moment: datetime, now: datetime) -> str:
    days = (now - moment).days
    if days <= 0:
        return _("today") if moment <= now else _("very soon (it is queued for school hours)")
    if days == 1:
        return _("yesterday")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)
