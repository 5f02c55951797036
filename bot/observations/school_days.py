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

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LOOK_AHEAD_DAYS = 120
"""How far the next school day is looked for: past a summer holiday, not into an unknown year."""


def calendars_of(ctx: Ctx, member: Member) -> list[SchoolCalendar]:
    """The calendar of each active program the member is in, or the workspace's when there is none."""
    assert member.id is not None
    calendars = []
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is not None and program.active:
            calendars.append(for_program(ctx.repos.calendar.for_program(program.id), program))
    return calendars or [SchoolCalendar(tuple(ctx.repos.calendar.for_program(None)))]


def not_a_school_day(ctx: Ctx, member: Member, day: date) -> str | None:
    """Why the school does not teach that day, in words for the teacher; None when it does."""
    calendars = calendars_of(ctx, member)
    if any(c.is_teaching_day(day) for c in calendars):
        return None
    weekdays = sorted(set().union(*(c.school_days for c in calendars)))
    listed = ", ".join(DAY_NAMES[d] for d in weekdays)
    named = f"{day:%A %d %B}"
    if day.weekday() not in weekdays:
        why = f"{named} isn't a school day here (school days are {listed})"
    else:
        holiday = next((h for c in calendars if (h := c.holiday_on(day)) is not None), None)
        if holiday is not None:
            label = f" ({holiday.label})" if holiday.label else ""
            why = f"{named} falls in a school holiday{label}"
        else:
            why = f"{named} is outside the term dates in the school calendar"
    following = next_school_day(calendars, day)
    then = (
        f" The next school day is {following:%A %d %B}: is the lesson then?"
        if following is not None
        else " Which school-day lesson would you like observed?"
    )
    return f"{why}, so there is no lesson to observe.{then}"


def next_school_day(calendars: list[SchoolCalendar], after: date) -> date | None:
    """The first day after ``after`` that any of the calendars teaches, so a refusal can offer it."""
    for offset in range(1, LOOK_AHEAD_DAYS + 1):
        day = after + timedelta(days=offset)
        if any(c.is_teaching_day(day) for c in calendars):
            return day
    return None
