"""The weekly check-in: planned per teacher in their own time zone, sent once, answered with one tap.

``send_due_checkins(uow_factory, now)`` is the scheduler's job. It is safe to run every minute, from
several processes at once and again after a crash, because every effect is keyed:

* a check-in row is unique per (program, member, ISO week of the member's local date), and the
  outbox message is written in the same transaction with the key ``checkin:<program>:<member>:<week>``;
* the one reminder (48 hours later, unanswered) and the one re-send after a snooze have their own keys.

When a check-in is due: the program's weekday at the program's local time *in the teacher's own time zone*,
moved forward past quiet hours and non-teaching days (weekends, holidays, outside term), never into
the next week (then that week is skipped). Times are built from local wall-clock values with zoneinfo,
so a daylight-saving change moves nothing: 15:30 stays 15:30 local. A time that does not exist on the
spring-forward day is moved forward by the gap.

Misfires: when the service was down at the due time, the check-in is sent late once if we are still
within the grace window (default 6 hours), and recorded as missed (never sent) after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.chat import SchoolCalendar, for_program
from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.ports import Suggester
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, MemberStatus, Program, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.messages import Actions, Block, Button, Context, Message, Section, text_message
from bot.kernel.ports import Scope, UnitOfWorkFactory

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=6)
REMINDER_AFTER = timedelta(hours=48)
MISSED_RECORD_WINDOW = timedelta(days=1)
"""A check-in that missed its grace window is recorded as missed for a day after; older ones, such as
last week's on the very first start, are left unrecorded rather than counted against anyone."""
QUIET_START = time(20, 0)
QUIET_END = time(7, 0)
BATCH = 200
"""Members planned per transaction: a crash loses at most one batch of work, which the next run redoes."""

SCALE = ("1 · not yet", "2", "3", "4", "5 · very")

MAX_SUGGESTION_BLOCKS = 2


def suggestions(
    repos: Scope, member: Member, topic: str, suggest: Suggester | None
) -> tuple[Block, ...]:
    """What the suggester offers for the topic, capped; a failing suggester never blocks a check-in."""
    if suggest is None:
        return ()
    try:
        return tuple(suggest(repos, member, topic))[:MAX_SUGGESTION_BLOCKS]
    except Exception:
        log.exception("resource suggester %r failed; check-in sent without it", suggest)
        return ()


VERBS = (
    Verb(
        "checkin",
        "checkin [history]",
        "Your weekly check-in: answer this week's again, or see your past answers.",
        examples=("checkin", "checkin history"),
    ),
    Verb(
        "checkins",
        "checkins [PROGRAM]",
        "Check-in participation and confidence for a program: counts and averages, never private text.",
        coordinator_only=True,
        examples=("checkins", 'checkins "New Teacher Mentoring"'),
    ),
)


# --- time: local wall-clock, quiet hours, school days ---------------------------------------------


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def local_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``at`` o'clock on ``day`` where the teacher is; a time skipped by a DST jump moves forward."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(UTC).astimezone(tz)
    return round_trip if round_trip.replace(tzinfo=None) != naive else aware


@dataclass(frozen=True)
class QuietHours:
    start: time = QUIET_START
    end: time = QUIET_END

    def contains(self, at: time) -> bool:
        if self.start > self.end:  # overnight, e.g. 20:00-07:00
            return at >= self.start or at < self.end
        return self.start <= at < self.end


def quiet_hours(program: Program) -> QuietHours:
    """``program.settings["quiet_hours"]`` as ``"20:00-07:00"``; that is the default."""
    raw = str(program.settings.get("quiet_hours") or "")
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-", 1))
        return QuietHours(start, end)
    except ValueError:
        return QuietHours()


def grace(program: Program) -> timedelta:
    hours = program.settings.get("misfire_grace_hours")
    try:
        return timedelta(hours=float(hours)) if hours is not None else DEFAULT_GRACE
    except (TypeError, ValueError):
        return DEFAULT_GRACE


def next_allowed(
    moment: datetime,
    tz: ZoneInfo,
    calendar: SchoolCalendar,
    quiet: QuietHours,
    preferred: time,
) -> datetime:
    """The first moment at or after ``moment`` that is a teaching day and outside quiet hours.

    Moving to another day lands at ``preferred`` local time (the program's check-in time), or at the
    end of quiet hours when the preferred time is itself quiet.
    """
    at = preferred if not quiet.contains(preferred) else quiet.end
    local = moment.astimezone(tz)
    for _ in range(400):
        day = local.date()
        if calendar.is_teaching_day(day):
            if not quiet.contains(local.time()):
                return local
            if quiet.start > quiet.end and local.time() < quiet.end:
                local = max(local, local_at(day, quiet.end, tz))
                continue
        local = local_at(day + timedelta(days=1), at, tz)
    return local


def planned_due(
    program: Program, tz: ZoneInfo, week: str, calendar: SchoolCalendar, quiet: QuietHours
) -> datetime | None:
    """When this week's check-in is due for a teacher in ``tz``; None when school is out all week."""
    day = week_monday(week) + timedelta(days=program.checkin_weekday)
    due = next_allowed(
        local_at(day, program.checkin_time, tz), tz, calendar, quiet, program.checkin_time
    )
    return due if iso_week(due.date()) == week else None


def _zone(member: Member) -> ZoneInfo:
    try:
        return ZoneInfo(member.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


# --- the scheduler's job --------------------------------------------------------------------------


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
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        with uow_factory() as uow:
            program_ids = [
                p.id for p in uow.scope(workspace_id).programs.list() if p.active and p.id
            ]
        for program_id in program_ids:
            try:
                _plan_program(uow_factory, workspace_id, program_id, now, report, suggest)
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
        member_ids = {
            m.member_id
            for m in repos.memberships.for_program(program_id)
            if m.role in CHECKIN_ROLES
        }
        members = [
            m
            for m in repos.members.list((MemberStatus.ACTIVE, MemberStatus.PAUSED))
            if m.id in member_ids and m.reachable and m.consented_at is not None
        ]  # imported but not yet met: no consent yet, so no messages
        weeks_of: dict[int, tuple[str, str]] = {}
        wanted: set[str] = set()
        for member in members:
            today = now.astimezone(_zone(member)).date()
            this_week, last_week = iso_week(today), iso_week(today - timedelta(days=7))
            assert member.id is not None
            weeks_of[member.id] = (last_week, this_week)
            before = iso_week(today - timedelta(days=14))
            wanted |= {before, last_week, this_week}
        existing = repos.checkins.for_weeks(program_id, wanted)
        due_cache: dict[tuple[str, str], datetime | None] = {}
        planned: list[tuple[Member, Checkin]] = []
        for done, member in enumerate(members, 1):
            assert member.id is not None
            tz = _zone(member)
            if not member.is_active_on(now.astimezone(tz).date()):
                continue  # paused: nothing is sent, not even a reminder
            for week in weeks_of[member.id]:
                found = existing.get((member.id, week))
                if found is None:
                    key = (member.timezone, week)
                    if key not in due_cache:
                        due_cache[key] = planned_due(program, tz, week, calendar, quiet)
                    new = _new_checkin(program, member, week, due_cache[key], now, window)
                    if new is not None:
                        planned.append((member, new))
                elif found.status is CheckinStatus.SNOOZED:
                    _maybe_resend(
                        repos, program, member, found, now, window, existing, report, suggest
                    )
                elif found.status is CheckinStatus.SENT:
                    _maybe_remind(
                        repos, program, member, found, now, calendar, quiet, window, report
                    )
            if done % BATCH == 0:
                _write(repos, program, planned, now, existing, report, suggest)
                planned = []
                uow.commit()
        _write(repos, program, planned, now, existing, report, suggest)
        uow.commit()


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
        message = checkin_message(repos, program, member, checkin, existing, suggest=suggest)
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
    message = checkin_message(
        repos, program, member, checkin, existing, again=True, suggest=suggest
    )
    if repos.outbox.enqueue(member, message, checkin_key(checkin) + ":snoozed", now):
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
    tz = _zone(member)
    remind_at = next_allowed(sent + REMINDER_AFTER, tz, calendar, quiet, program.checkin_time)
    if now < remind_at or now - remind_at > window:
        return
    checkin.reminder_sent_at = now
    repos.checkins.save(checkin)
    if repos.outbox.enqueue(
        member, reminder_message(program, member, checkin), reminder_key(checkin), now
    ):
        report.reminded += 1


def checkin_key(checkin: Checkin) -> str:
    return f"checkin:{checkin.program_id}:{checkin.member_id}:{checkin.week}"


def reminder_key(checkin: Checkin) -> str:
    return f"checkin-reminder:{checkin.program_id}:{checkin.member_id}:{checkin.week}"


# --- the messages ----------------------------------------------------------------------------------


def goal_of(member: Member) -> str:
    return member.goals[0] if member.goals else "your teaching"


def first_name(member: Member) -> str:
    return member.display_name.split()[0] if member.display_name.strip() else "there"


def _previous_answer(
    checkin: Checkin, existing: dict[tuple[int, str], Checkin], repos: Scope
) -> Checkin | None:
    monday = week_monday(checkin.week)
    for back in (7, 14):
        found = existing.get((checkin.member_id, iso_week(monday - timedelta(days=back))))
        if found is not None and found.confidence is not None:
            return found
    return None


def checkin_message(
    repos: Scope,
    program: Program,
    member: Member,
    checkin: Checkin,
    existing: dict[tuple[int, str], Checkin] | None = None,
    *,
    again: bool = False,
    suggest: Suggester | None = None,
) -> Message:
    """The check-in DM: goal, last week's answer, 1-5 buttons, the program's questions, one-tap options."""
    assert checkin.id is not None
    goal = goal_of(member)
    previous = _previous_answer(checkin, existing or {}, repos)
    opener = (
        f"Hi {first_name(member)}, here is your check-in again, as you asked."
        if again
        else f"Hi {first_name(member)}! Your weekly {program.name} check-in (under a minute)."
    )
    goal_line = (
        f"Your goal: “{goal}”." if member.goals else "You haven't set a goal yet (`goals add ...`)."
    )
    last_line = (
        f"Last week you said {previous.confidence}/5."
        if previous is not None
        else "This is your first check-in answer on record."
    )
    question = f"How confident do you feel about “{goal}” this week?"
    text = f"{opener}\n{goal_line} {last_line}\n{question} (1-5)"
    blocks: list[Block] = [
        Section(f"{opener}\n{goal_line}\n_{last_line}_"),
        Section(f"*{question}*"),
        Actions(
            tuple(
                Button(label, "checkin.rate", value=f"{checkin.id}:{n}")
                for n, label in enumerate(SCALE, 1)
            )
        ),
    ]
    if program.questions:
        asks = "\n".join(f"• {q}" for q in program.questions)
        blocks.append(Section(f"This week's questions (answer in a reflection):\n{asks}"))
        text += "\n" + asks
    options = [
        Button("Write a reflection", "checkin.reflect", value=str(checkin.id), style="primary")
    ]
    if checkin.snoozed_at is None and not again:
        options.append(Button("Snooze to tomorrow", "checkin.snooze", value=str(checkin.id)))
    options.append(Button("Skip this week", "checkin.skip", value=str(checkin.id)))
    blocks.append(Actions(tuple(options)))
    blocks.extend(suggestions(repos, member, goal, suggest))
    blocks.append(
        Context("Only you see your answers' text; coordinators see counts. `pause` any time.")
    )
    return Message(text=text, blocks=tuple(blocks), ephemeral=False)


def reminder_message(program: Program, member: Member, checkin: Checkin) -> Message:
    """The one reminder: short, friendly, and the last word on this week's check-in."""
    assert checkin.id is not None
    goal = goal_of(member)
    text = (
        f"A gentle nudge, {first_name(member)}: how confident do you feel about “{goal}” this week? "
        "One tap is enough; this is the only reminder."
    )
    return Message(
        text=text,
        blocks=(
            Section(text),
            Actions(
                tuple(
                    Button(label, "checkin.rate", value=f"{checkin.id}:{n}")
                    for n, label in enumerate(SCALE, 1)
                )
            ),
            Actions(
                (
                    Button("Write a reflection", "checkin.reflect", value=str(checkin.id)),
                    Button("Skip this week", "checkin.skip", value=str(checkin.id)),
                )
            ),
            Context(f"{program.name} · week {checkin.week}"),
        ),
        ephemeral=False,
    )


# --- the buttons ------------------------------------------------------------------------------------


def _own_checkin(ctx: Ctx, value: str) -> tuple[Member, Checkin]:
    member = ctx.require_member()
    head = value.split(":", 1)[0]
    checkin = ctx.repos.checkins.get(int(head)) if head.isdigit() else None
    if checkin is None or checkin.member_id != member.id:
        raise UserError(
            "That check-in isn't one of yours any more. Type `checkin` to see this week's."
        )
    return member, checkin


def rate(ctx: Ctx, value: str) -> list[Message]:
    member, checkin = _own_checkin(ctx, value)
    rating = value.split(":", 1)[1] if ":" in value else ""
    if not rating.isdigit() or not 1 <= int(rating) <= 5:
        raise UserError("Please pick a number from 1 to 5.")
    changed = checkin.confidence is not None
    checkin.confidence = int(rating)
    checkin.status = CheckinStatus.ANSWERED
    checkin.answered_at = ctx.now
    ctx.repos.checkins.save(checkin)
    earlier = [
        c
        for c in ctx.repos.checkins.for_member(checkin.member_id, limit=6)
        if c.week < checkin.week and c.program_id == checkin.program_id and c.confidence
    ]
    trend = ""
    if earlier and earlier[0].confidence is not None:
        before = earlier[0].confidence
        if checkin.confidence > before:
            trend = f" That's up from {before}/5 last time. 🎉"
        elif checkin.confidence == before:
            trend = " Same as last time."
        else:
            trend = f" Last time it was {before}/5; a harder week happens to everyone."
    text = (
        f"{'Updated' if changed else 'Thanks'}: {rating}/5 on “{goal_of(member)}”.{trend} "
        "Want to jot down what went well and what you'll try next?"
    )
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Actions(
                    (
                        Button(
                            "Write a reflection",
                            "checkin.reflect",
                            value=str(checkin.id),
                            style="primary",
                        ),
                    )
                ),
            ),
        )
    ]


def snooze(ctx: Ctx, value: str) -> list[Message]:
    member, checkin = _own_checkin(ctx, value)
    if checkin.status is CheckinStatus.ANSWERED:
        return [text_message("You've already answered this week's check-in. Thank you!")]
    if checkin.snoozed_at is not None or checkin.status is not CheckinStatus.SENT:
        return [
            text_message("This check-in was already snoozed once; answer or skip it when you can.")
        ]
    program = ctx.repos.programs.get(checkin.program_id)
    if program is None:
        raise UserError("That program no longer exists.")
    tz = _zone(member)
    calendar = for_program(ctx.repos.calendar.for_program(program.id), program)
    tomorrow = local_at(ctx.now.astimezone(tz).date() + timedelta(days=1), program.checkin_time, tz)
    checkin.due_at = next_allowed(
        tomorrow, tz, calendar, quiet_hours(program), program.checkin_time
    )
    checkin.status = CheckinStatus.SNOOZED
    checkin.snoozed_at = ctx.now
    ctx.repos.checkins.save(checkin)
    return [
        text_message(
            f"Snoozed. I'll ask again {checkin.due_at.astimezone(tz):%A at %H:%M} your time."
        )
    ]


def skip(ctx: Ctx, value: str) -> list[Message]:
    _member, checkin = _own_checkin(ctx, value)
    if checkin.status is CheckinStatus.ANSWERED:
        return [text_message("You've already answered this week's check-in; nothing to skip.")]
    checkin.status = CheckinStatus.SKIPPED
    ctx.repos.checkins.save(checkin)
    return [text_message("No problem, this week is skipped. See you next week.")]


def reflect_button(ctx: Ctx, value: str) -> list[Message]:
    from bot.reflections import chat as reflections

    _member, checkin = _own_checkin(ctx, value)
    return reflections.open_form(ctx, checkin_id=checkin.id, program_id=checkin.program_id)


# --- the verbs -----------------------------------------------------------------------------------------


def checkin(ctx: Ctx, cmd: ParsedCommand, *, suggest: Suggester | None = None) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    history = ctx.repos.checkins.for_member(member.id, limit=12)
    if cmd.args and cmd.args[0].lower() == "history":
        if not history:
            return [
                text_message("No check-ins yet. Your first arrives on your program's check-in day.")
            ]
        names = {p.id: p.name for p in ctx.repos.programs.list()}
        lines = [
            f"{c.week} · {names.get(c.program_id, '?')}: "
            + (f"{c.confidence}/5" if c.confidence else c.status.value)
            for c in history
        ]
        return [text_message("Your check-ins:\n" + "\n".join(lines))]
    if cmd.args:
        raise usage_error("checkin", f"I don't know `checkin {cmd.args[0]}`.")
    open_ones = [c for c in history if c.status in (CheckinStatus.SENT, CheckinStatus.SNOOZED)]
    if not open_ones:
        return [
            text_message(
                "No check-in is waiting for you right now. `checkin history` shows your answers."
            )
        ]
    current = open_ones[0]
    program = ctx.repos.programs.get(current.program_id)
    if program is None:
        raise UserError("That program no longer exists.")
    existing = {(c.member_id, c.week): c for c in history if c.program_id == current.program_id}
    message = checkin_message(ctx.repos, program, member, current, existing, suggest=suggest)
    return [Message(text=message.text, blocks=message.blocks, ephemeral=True)]


def checkins_stats(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    """Counts and average ratings per program: what a coordinator may see (never reflection text)."""
    ctx.require_coordinator()
    name = " ".join(cmd.args).strip()
    programs = ctx.repos.programs.list()
    if name:
        programs = [p for p in programs if p.name.lower() == name.lower()]
        if not programs:
            raise UserError(
                f"There is no program called “{name}”. Type `program list` to see them."
            )
    since = ctx.now - timedelta(weeks=4)
    lines = []
    for program in programs:
        assert program.id is not None
        rows = [
            c
            for c in ctx.repos.checkins.for_program(program.id, since)
            if c.status is not CheckinStatus.MISSED
        ]
        answered = [c for c in rows if c.confidence is not None]
        rate_text = f"{len(answered) * 100 // len(rows)}%" if rows else "n/a"
        average = (
            f"{sum(c.confidence or 0 for c in answered) / len(answered):.1f}/5"
            if answered
            else "n/a"
        )
        shared = ctx.repos.reflections.counts(program.id)
        lines.append(
            f"*{program.name}* (last 4 weeks): {len(rows)} check-ins sent, {len(answered)} answered "
            f"({rate_text}), average confidence {average}; reflections: {shared['private']} private, "
            f"{shared['mentor']} shared with mentors or groups, {shared['wall']} on the wall."
        )
    text = "\n".join(lines) or "No programs yet."
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Context("Counts only: reflections stay with the people who wrote them."),
            ),
        )
    ]
