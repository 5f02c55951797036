"""When a check-in is due: the program's weekday and time *in the teacher's own time zone*, moved past
quiet hours and non-teaching days (weekends, holidays, outside term), never into the next week.

Times are built from local wall-clock values with zoneinfo, so a daylight-saving change moves nothing:
15:30 stays 15:30 local. A time that does not exist on the spring-forward day is moved forward by the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.chat import SchoolCalendar
from bot.kernel.domain import Member, Program
from bot.kernel.i18n import _, when

DEFAULT_GRACE = timedelta(hours=6)
REMINDER_AFTER = timedelta(hours=48)
QUIET_START = time(20, 0)
QUIET_END = time(7, 0)


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def week_of(week: str) -> str:
    """An ISO week as a teacher reads it, "week of 30 Nov": ``2026-W49`` is a storage key, not a date.

    The year is left out: a teacher looks back over a term, and the months say where they are.
    """
    monday = week_monday(week)
    return _("week of {day}").format(day=when(monday, "day_month"))


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
    """How late a check-in may still be sent after an outage; past it, it is recorded as missed."""
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
    for _step in range(400):
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


def tomorrow_at_checkin_time(
    program: Program, member: Member, now: datetime, calendar: SchoolCalendar
) -> datetime:
    """Where a snoozed check-in lands: tomorrow at the program's time, or the next moment allowed."""
    tz = zone(member)
    tomorrow = local_at(now.astimezone(tz).date() + timedelta(days=1), program.checkin_time, tz)
    return next_allowed(tomorrow, tz, calendar, quiet_hours(program), program.checkin_time)


def zone(member: Member) -> ZoneInfo:
    """The member's time zone; a name the system does not know counts as UTC rather than failing."""
    return zone_named(member.timezone)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
