"""Forgiving parsers for what people type: lists, time zones, years, dates."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.kernel.domain import WEEKDAYS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RELATIVE = re.compile(r"^(?:for\s+)?(\d{1,3})\s*(day|days|d|week|weeks|w)$")

MAX_ITEM = 120
MAX_ITEMS = 12


class ParseError(ValueError):
    """A value someone typed that we could not understand; the text says how to write it."""


def split_list(value: str | list[str] | None) -> list[str]:
    """``"Maths, Physics; art"`` -> ``["Maths", "Physics", "art"]``; duplicates and blanks dropped."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else re.split(r"[,;\n|]", value)
    seen: dict[str, str] = {}
    for part in parts:
        item = " ".join(part.split())
        if not item:
            continue
        if len(item) > MAX_ITEM:
            raise ParseError(
                f"“{item[:30]}…” is too long; keep each item under {MAX_ITEM} characters"
            )
        seen.setdefault(item.lower(), item)
    if len(seen) > MAX_ITEMS:
        raise ParseError(f"that is {len(seen)} items; {MAX_ITEMS} at most, please")
    return list(seen.values())


def parse_timezone(value: str) -> str:
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParseError(
            f"“{name}” is not a time zone I know; use a name like Europe/London or America/Chicago"
        ) from None
    return name


def whole_number(value: str, low: int, high: int) -> int | None:
    """``value`` as a whole number from ``low`` to ``high``, or None: a rating, a setting, a list position.

    Only plain digits count, so "-1", "2.5" and "1e3" are refused rather than read as something else."""
    text = value.strip()
    if not text.isdigit() or len(text) > 9:
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_years(value: str | int) -> int:
    years = whole_number(str(value), 0, 60)
    if years is None:
        raise ParseError("years of experience should be a whole number from 0 to 60")
    return years


def parse_email(value: str) -> str:
    text = value.strip()
    if not _EMAIL.match(text) or len(text) > 320:
        raise ParseError(f"“{text}” doesn't look like an e-mail address")
    return text.lower()


def parse_weekday(value: str) -> int:
    key = value.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise ParseError(f"“{value}” is not a weekday; use mon, tue, wed, thu, fri, sat or sun")
    return WEEKDAYS.index(key)


def parse_clock_time(value: str) -> time:
    text = value.strip().lower().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if not match:
        raise ParseError(f"“{value}” is not a time; write it like 15:30 or 3:30pm")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half == "pm" and hour < 12:
        hour += 12
    if half == "am" and hour == 12:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ParseError(f"“{value}” is not a time of day")
    return time(hour, minute)


def parse_future_date(value: str, today: date) -> date:
    """A date on or after ``today`` from what a teacher would type.

    Accepts ISO dates, "5 jan", "jan 5", "tomorrow", "friday", "2 weeks", "10 days". A date without a
    year means its next occurrence, so "pause until jan 5" in December means next January.
    """
    text = " ".join(value.strip().lower().split())
    text = text.removeprefix("until ").removeprefix("till ")
    if not text:
        raise ParseError("which date? e.g. 2026-12-01, jan 5, friday or 2 weeks")
    if text in ("today",):
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    relative = _RELATIVE.match(text)
    if relative:
        amount = int(relative.group(1))
        unit_days = 7 if relative.group(2).startswith("w") else 1
        return today + timedelta(days=amount * unit_days)
    if text[:3] in WEEKDAYS and text.isalpha():
        ahead = (WEEKDAYS.index(text[:3]) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    parsed, has_year = _written_date(text, value, today, "2026-12-01, 5 jan, friday or 2 weeks")
    if not has_year and parsed < today:
        parsed = parsed.replace(year=parsed.year + 1)
    if parsed < today:
        raise ParseError(f"{parsed.isoformat()} is in the past; pick a date from today on")
    return parsed


def parse_past_date(value: str, today: date) -> date:
    """A date on or before ``today``: where a look back starts ("since sep 1", "since 2026-09-01").

    The mirror of ``parse_future_date``: a date without a year means its latest occurrence, so "since
    sep 1" typed in December means this September, and typed in June last September.
    """
    text = " ".join(value.strip().lower().split())
    if not text:
        raise ParseError("which date? e.g. 2026-09-01, 1 sep or monday")
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "tomorrow":
        raise ParseError("tomorrow is still to come; pick a date up to today")
    if text[:3] in WEEKDAYS and text.isalpha():
        back = (today.weekday() - WEEKDAYS.index(text[:3])) % 7 or 7
        return today - timedelta(days=back)
    parsed, has_year = _written_date(text, value, today, "2026-09-01, 1 sep or monday")
    if not has_year and parsed > today:
        try:
            parsed = parsed.replace(year=parsed.year - 1)
        except ValueError:  # 29 February, a year earlier
            parsed = date(parsed.year - 1, 2, 28)
    if parsed > today:
        raise ParseError(f"{parsed.isoformat()} is still to come; pick a date up to today")
    return parsed


def _written_date(text: str, value: str, today: date, examples: str) -> tuple[date, bool]:
    """``text`` read as a calendar date, day first unless it starts with the year ("5/1" is 5
    January, as schools outside the US write it), and whether it named the year."""
    from dateutil import parser as dateparser

    try:
        parsed = dateparser.parse(
            text,
            default=datetime(today.year, today.month, 1),
            dayfirst=not re.match(r"^\d{4}-", text),
        ).date()
    except (ValueError, OverflowError):
        raise ParseError(f"I couldn't read “{value.strip()}” as a date; try {examples}") from None
    return parsed, bool(re.search(r"\b\d{4}\b", text))
