"""Reading the period a teacher asks their growth record for, forgivingly, and refusing the rest.

``growth`` alone covers the last 12 months to today: it works in any hemisphere and any school
calendar, and a year is what appraisals and PD-hours returns usually ask for. Otherwise:
``since DATE``, ``from DATE to DATE``, ``last N days|weeks|months|years`` (``last month``,
``last year``), and ``with feedback`` anywhere to include the feedback colleagues wrote.
Days are the teacher's own, in their time zone.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.growth.model import Period
from bot.kernel.parsing import ParseError, parse_past_date, whole_number

DEFAULT_MONTHS = 12
OLDEST_YEARS = 10
"""How far back a record may start: far enough for any appraisal cycle, near enough to catch a typo."""

USAGE = (
    "Try `growth` (the last 12 months), `growth since 2026-09-01`, `growth last 3 months`, "
    "`growth from 2026-01-05 to 2026-07-20`, and add `with feedback` to include the feedback "
    "colleagues wrote you."
)
ONLY_YOURS = "A growth record is only ever your own: nobody can produce someone else's."

_WITH_FEEDBACK = re.compile(r"\b(?:with|and|include|including)\s+(?:the\s+)?feedback\b", re.I)
_LAST = re.compile(r"^(?:the\s+)?(?:last|past)\s+(?:(\S+)\s+)?(day|week|month|year)s?$")
_SINCE = re.compile(r"^(?:since|from)\s+(.+?)$")
_RANGE = re.compile(r"^(?:from\s+)?(.+?)\s+(?:to|until|till|-|–)\s+(.+)$")


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def parse_period(text: str, today: date) -> Period:
    """The period of what followed ``growth``; ``ParseError`` naming what could not be read, with
    the forms that work."""
    with_feedback = bool(_WITH_FEEDBACK.search(text))
    rest = " ".join(_WITH_FEEDBACK.sub(" ", text).lower().split()).strip(" ,.")
    if not rest:
        start = months_before(today, DEFAULT_MONTHS) + timedelta(days=1)
        return Period(start, today, "the last 12 months", with_feedback)
    last = _LAST.match(rest)
    if last:
        start, label = _last(last.group(1), last.group(2), today)
        return _checked(start, today, label, today, with_feedback)
    ranged = _RANGE.match(rest)
    if ranged and not rest.startswith("since"):
        start = _date(ranged.group(1), today)
        end = _date(ranged.group(2), today)
        if end < start:
            raise ParseError(
                f"{long_date(end)} comes before {long_date(start)}; give the earlier date first"
            )
        return _checked(start, end, f"{long_date(start)} to {long_date(end)}", today, with_feedback)
    since = _SINCE.match(rest)
    if since:
        start = _date(since.group(1), today)
        return _checked(start, today, f"since {long_date(start)}", today, with_feedback)
    raise ParseError(f"I couldn't read “{text.strip()}” as a period. {USAGE} {ONLY_YOURS}")


def _last(amount: str | None, unit: str, today: date) -> tuple[date, str]:
    count = 1 if amount in (None, "a", "one") else whole_number(amount, 1, 120)
    if count is None:
        raise ParseError(f"“{amount}” isn't a number from 1 to 120; e.g. `growth last 3 months`")
    plural = unit if count == 1 else f"{unit}s"
    label = f"the last {unit}" if count == 1 else f"the last {count} {plural}"
    if unit == "day":
        return today - timedelta(days=count - 1), label
    if unit == "week":
        return today - timedelta(weeks=count) + timedelta(days=1), label
    months = count * (12 if unit == "year" else 1)
    return months_before(today, months) + timedelta(days=1), label


def _date(value: str, today: date) -> date:
    return parse_past_date(value, today) if value.strip() != "today" else today


def _checked(start: date, end: date, label: str, today: date, with_feedback: bool) -> Period:
    oldest = months_before(today, OLDEST_YEARS * 12)
    if start < oldest:
        raise ParseError(
            f"{long_date(start)} is more than {OLDEST_YEARS} years ago; pick a start since {long_date(oldest)}"
        )
    return Period(start, min(end, today), label, with_feedback)


def parse_token(value: str, today: date) -> tuple[date, date, bool] | None:
    """An export button's period (``Period.token``), or None for anything that isn't one: a
    button's value is whatever the platform sends back, so it is read, never trusted."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})(\+feedback)?", value.strip())
    if match is None:
        return None
    try:
        start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
    except ValueError:
        return None
    if end < start or end > today or start < months_before(today, OLDEST_YEARS * 12):
        return None
    return start, end, match.group(3) is not None
