"""Reading ``/tick``: how far to move a trial's clock (``1d``, ``2h30m``, ``until tue 16:00``)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from bot.kernel.parsing import ParseError, parse_clock_time, parse_weekday

LONGEST = timedelta(weeks=8)
"""A trial plays weeks, not terms: a typo like ``/tick 100w`` must not grind through years of jobs."""

UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
UNITS["w"] = timedelta(weeks=1)
_SPAN = re.compile(r"(\d+)\s*(w|d|h|m)[a-z]*", re.IGNORECASE)

USAGE = "try `/tick 1d`, `/tick 2h30m`, `/tick until tue 16:00` or `/tick until 2026-12-08 09:00`"


def tick_target(text: str, now: datetime, zone: tzinfo) -> datetime:
    """The moment to move to; times of day are read in ``zone`` (the person at the terminal's)."""
    words = " ".join(text.strip().lower().split())
    if not words:
        raise ParseError(f"how far? {USAGE}")
    target = _until(words.removeprefix("until "), now, zone) if words.startswith("until ") else None
    if target is None:
        target = now + _span(words)
    if target <= now:
        raise ParseError(f"{target.astimezone(zone):%a %d %b %H:%M} has already passed; {USAGE}")
    if target - now > LONGEST:
        raise ParseError("a tick moves at most 8 weeks at a time")
    return target


def _span(words: str) -> timedelta:
    compact = words.replace(" ", "")
    parts = _SPAN.findall(compact)
    if not parts or _SPAN.sub("", compact):
        raise ParseError(f"“{words}” is not a length of time; {USAGE}")
    return sum((int(n) * UNITS[unit.lower()] for n, unit in parts), timedelta())


def _until(words: str, now: datetime, zone: tzinfo) -> datetime:
    """``tue 16:00``, ``16:00``, ``tue``, ``2026-12-08 16:00``: the next such moment after now."""
    local = now.astimezone(zone)
    day_word, _, time_word = words.partition(" ")
    iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_word) is not None
    if iso:
        try:
            day = date.fromisoformat(day_word)
        except ValueError as exc:
            raise ParseError(f"“{day_word}” is not a date") from exc
    elif day_word.isalpha():
        day = _next_weekday(parse_weekday(day_word), local.date())
    else:  # only a time of day: its next occurrence, today or tomorrow
        moment = datetime.combine(local.date(), parse_clock_time(words), tzinfo=zone)
        return moment if moment > now else moment + timedelta(days=1)
    at = parse_clock_time(time_word) if time_word else time(0, 0)
    moment = datetime.combine(day, at, tzinfo=zone)
    if moment <= now and not iso:
        moment += timedelta(weeks=1)  # "until tue 09:00" on a Tuesday afternoon: next Tuesday
    return moment


def _next_weekday(weekday: int, today: date) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)
