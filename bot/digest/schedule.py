"""When a program's digest goes out: a weekday and a local time the program sets (``digest_day``,
``digest_time`` in its settings), Monday 08:00 by default, so it lands as the coordinator's week starts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.domain import Program

DEFAULT_DAY = 0
DEFAULT_TIME = time(8, 0)


def digest_day(program: Program) -> int:
    value = program.settings.get("digest_day", DEFAULT_DAY)
    return value if isinstance(value, int) and 0 <= value <= 6 else DEFAULT_DAY


def digest_time(program: Program) -> time:
    value = program.settings.get("digest_time")
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    return DEFAULT_TIME


def moment_this_week(program: Program, now: datetime) -> datetime:
    """This local week's digest moment (it may be in the past or the future)."""
    tz = ZoneInfo(program.timezone)
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=digest_day(program))
    return datetime.combine(day, digest_time(program), tzinfo=tz)


def is_due(program: Program, now: datetime) -> bool:
    """Due from this week's moment until the week ends, so a scheduler that was down catches up."""
    return now >= moment_this_week(program, now)


def next_moment(program: Program, now: datetime) -> datetime:
    moment = moment_this_week(program, now)
    if moment > now:
        return moment
    tz = ZoneInfo(program.timezone)
    later = datetime.combine(moment.date() + timedelta(days=7), digest_time(program), tzinfo=tz)
    return later
