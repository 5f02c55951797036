"""Whether the school teaches on a lesson's day, so nobody is asked to observe a Saturday or a holiday.

The day is checked against the calendars of the teacher's programs (their school days, holidays and
terms); a teacher in no program is checked against the workspace-wide calendar and a Monday to Friday
week. When a teacher's programs disagree, a day any of them teaches is accepted: the refusal is for
days that are plainly not school days, not for second-guessing one program's timetable.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.calendar.chat import SchoolCalendar, for_program
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import _, weekday_name, when
from bot.kernel.ports import Scope

LOOK_AHEAD_DAYS = 120
"""How far the next school day is looked for: past a summer holiday, not into an unknown year."""


def calendars_of(ctx: Ctx, member: Member) -> list[SchoolCalendar]:
    """The calendar of each active program the member is in, or the workspace's when there is none."""
    return calendars_in(ctx.repos, member)


def calendars_in(repos: Scope, member: Member) -> list[SchoolCalendar]:
    """``calendars_of`` for the periodic job, which has the workspace's repositories but no event."""
    assert member.id is not None
    calendars = []
    for membership in repos.memberships.for_member(member.id):
        program = repos.programs.get(membership.program_id)
        if program is not None and program.active:
            calendars.append(for_program(repos.calendar.for_program(program.id), program))
    return calendars or [SchoolCalendar(tuple(repos.calendar.for_program(None)))]


def teaches(calendars: list[SchoolCalendar], day: date) -> bool:
    """Any of the calendars teaches that day (see the module's note on programs that disagree)."""
    return any(c.is_teaching_day(day) for c in calendars)


def not_a_school_day(ctx: Ctx, member: Member, day: date) -> str | None:
    """Why the school does not teach that day, in words for the teacher; None when it does."""
    calendars = calendars_of(ctx, member)
    if teaches(calendars, day):
        return None
    weekdays = sorted(set().union(*(c.school_days for c in calendars)))
    listed = ", ".join(weekday_name(d, short=True) for d in weekdays)
    named = when(day, "day")
    if day.weekday() not in weekdays:
        why = _(
            "{day} isn't a school day here (school days are {days}), so there is no lesson to "
            "observe."
        ).format(day=named, days=listed)
    else:
        holiday = next((h for c in calendars if (h := c.holiday_on(day)) is not None), None)
        if holiday is not None and holiday.label:
            why = _(
                "{day} falls in a school holiday ({holiday}), so there is no lesson to observe."
            ).format(day=named, holiday=holiday.label)
        elif holiday is not None:
            why = _("{day} falls in a school holiday, so there is no lesson to observe.").format(
                day=named
            )
        else:
            why = _(
                "{day} is outside the term dates in the school calendar, so there is no lesson "
                "to observe."
            ).format(day=named)
    following = next_school_day(calendars, day)
    then = (
        _("The next school day is {day}: is the lesson then?").format(day=when(following, "day"))
        if following is not None
        else _("Which school-day lesson would you like observed?")
    )
    return f"{why} {then}"


def next_school_day(calendars: list[SchoolCalendar], after: date) -> date | None:
    """The first day after ``after`` that any of the calendars teaches, so a refusal can offer it."""
    for offset in range(1, LOOK_AHEAD_DAYS + 1):
        day = after + timedelta(days=offset)
        if teaches(calendars, day):
            return day
    return None


def school_day_before(calendars: list[SchoolCalendar], day: date) -> date | None:
    """The last school day before ``day`` (the day a brief goes), within a fortnight."""
    for offset in range(1, 15):
        earlier = day - timedelta(days=offset)
        if teaches(calendars, earlier):
            return earlier
    return None
