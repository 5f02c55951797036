"""Due dates on school days: each phase of a cycle is due a number of school days after the one before,
counted in the calendars of the starter's programs (holidays, terms, a four-day week), so a phase is
never due on a Saturday or in the winter break.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.chat import SchoolCalendar
from bot.kernel.domain import Member
from bot.kernel.i18n import when
from bot.kernel.ports import Scope
from bot.observations.school_days import calendars_in, next_school_day, teaches
from bot.study.model import Phase

FROM_START = {
    Phase.PLAN: 5,
    Phase.TEACH: 10,
    Phase.DEBRIEF: 12,
    Phase.REVISE: 15,
    Phase.RETEACH: 25,
}
"""School days from the start to each phase's due date, before the lesson is booked: a week to plan,
a week to teach, then two days to debrief."""
FROM_LESSON = {Phase.DEBRIEF: 2, Phase.REVISE: 5, Phase.RETEACH: 15}
"""School days from the research lesson to the phases after it, once it is booked."""


def add_school_days(calendars: list[SchoolCalendar], start: date, n: int) -> date:
    """The ``n``-th school day after ``start`` (a plain day when no school day is found ahead)."""
    day = start
    for _day in range(n):
        day = next_school_day(calendars, day) or day + timedelta(days=1)
    return day


def first_dues(repos: Scope, starter: Member, today: date) -> dict[Phase, date]:
    calendars = calendars_in(repos, starter)
    return {phase: add_school_days(calendars, today, n) for phase, n in FROM_START.items()}


def dues_after_lesson(
    repos: Scope, teacher: Member, due: dict[Phase, date], lesson_on: date
) -> dict[Phase, date]:
    """The same dates with the lesson's own day for teaching and the rest counted on from it; a
    lesson booked before the plan was due brings the plan's date forward to the lesson."""
    calendars = calendars_in(repos, teacher)
    moved = {**due, Phase.PLAN: min(due[Phase.PLAN], lesson_on), Phase.TEACH: lesson_on}
    for phase, n in FROM_LESSON.items():
        moved[phase] = add_school_days(calendars, lesson_on, n)
    return moved


def school_day_after(repos: Scope, member: Member | None, day: date) -> date:
    """The first school day after ``day`` in the member's calendars (the plain next day without one)."""
    if member is None:
        return day + timedelta(days=1)
    return add_school_days(calendars_in(repos, member), day, 1)


def is_school_day(repos: Scope, member: Member, day: date) -> bool:
    return teaches(calendars_in(repos, member), day)


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def day_text(day: date) -> str:
    """A due date as the reader says it ("Tue 01 Dec" / "mar 1 dic")."""
    return when(day, "short")
