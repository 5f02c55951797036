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
from bot.kernel.i18n import N_, _, ngettext, when
from bot.kernel.parsing import ParseError, parse_past_date, whole_number

DEFAULT_MONTHS = 12
OLDEST_YEARS = 10
"""How far back a record may start: far enough for any appraisal cycle, near enough to catch a typo."""

USAGE = N_(
    "Try `growth` (the last 12 months), `growth since 2026-09-01`, `growth last 3 months`, "
    "`growth from 2026-01-05 to 2026-07-20`, and add `with feedback` to include the feedback "
    "colleagues wrote you."
)
"""The forms that work; module-level, so shown as ``_(USAGE)``."""
ONLY_YOURS = N_("A growth record is only ever your own: nobody can produce someone else's.")
"""Shown as ``_(ONLY_YOURS)``."""

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
    """ "1 December 2026" / "1 de diciembre de 2026"."""
    return when(day, "long_date")


def between(start: date, end: date) -> str:
    """ "1 September 2026 to 1 December 2026": a period named by its two days."""
    return _("{start} to {end}").format(start=long_date(start), end=long_date(end))


def parse_period(text: str, today: date) -> Period:
    """The period of what followed ``growth``; ``ParseError`` naming what could not be read, with
    the forms that work."""
    with_feedback = bool(_WITH_FEEDBACK.search(text))
    rest = " ".join(_WITH_FEEDBACK.sub(" ", text).lower().split()).strip(" ,.")
    if not rest:
        start = months_before(today, DEFAULT_MONTHS) + timedelta(days=1)
        return Period(start, today, _("the last 12 months"), with_feedback)
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
                _("{end} comes before {start}; give the earlier date first").format(
                    end=long_date(end), start=long_date(start)
                )
            )
        return _checked(start, end, between(start, end), today, with_feedback)
    since = _SINCE.match(rest)
    if since:
        start = _date(since.group(1), today)
        label = _("since {date}").format(date=long_date(start))
        return _checked(start, today, label, today, with_feedback)
    raise ParseError(
        _("I couldn't read “{text}” as a period. {usage} {only_yours}").format(
            text=text.strip(), usage=_(USAGE), only_yours=_(ONLY_YOURS)
        )
    )


def _last(amount: str | None, unit: str, today: date) -> tuple[date, str]:
    count = 1 if amount in (None, "a", "one") else whole_number(amount, 1, 120)
    if count is None:
        raise ParseError(
            _("“{amount}” isn't a number from 1 to 120; e.g. `growth last 3 months`").format(
                amount=amount
            )
        )
    label = _last_label(unit, count)
    if unit == "day":
        return today - timedelta(days=count - 1), label
    if unit == "week":
        return today - timedelta(weeks=count) + timedelta(days=1), label
    months = count * (12 if unit == "year" else 1)
    return months_before(today, months) + timedelta(days=1), label


def _last_label(unit: str, count: int) -> str:
    """ "the last month", "the last 3 months": each unit a whole phrase (its gender differs)."""
    if count == 1:
        return {
            "day": _("the last day"),
            "week": _("the last week"),
            "month": _("the last month"),
            "year": _("the last year"),
        }[unit]
    forms = {
        "day": ngettext("the last {n} day", "the last {n} days", count),
        "week": ngettext("the last {n} week", "the last {n} weeks", count),
        "month": ngettext("the last {n} month", "the last {n} months", count),
        "year": ngettext("the last {n} year", "the last {n} years", count),
    }
    return forms[unit].format(n=count)


def _date(value: str, today: date) -> date:
    return parse_past_date(value, today) if value.strip() != "today" else today


def _checked(start: date, end: date, label: str, today: date, with_feedback: bool) -> Period:
    oldest = months_before(today, OLDEST_YEARS * 12)
    if start < oldest:
        raise ParseError(
            ngettext(
                "{start} is more than {years} year ago; pick a start since {oldest}",
                "{start} is more than {years} years ago; pick a start since {oldest}",
                OLDEST_YEARS,
            ).format(start=long_date(start), years=OLDEST_YEARS, oldest=long_date(oldest))
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
