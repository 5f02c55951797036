"""Which week a digest is about, in the program's own time zone.

A school in Auckland and one in Chicago both want "last week" to mean their own Monday-to-Sunday, so a
week is an ISO week (``2026-W47``) whose edges are local midnights, turned into UTC instants for the
queries. Check-ins carry their week label already; everything else is counted between the two instants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.i18n import _, when

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    def shifted(self, weeks: int) -> Week:
        return week_of(self.monday + timedelta(weeks=weeks))

    def previous(self, count: int) -> list[Week]:
        """This week and the ``count - 1`` before it, oldest first (a trend's x axis)."""
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """Local Monday 00:00 to the next local Monday 00:00, as UTC instants (end exclusive)."""
        tz = ZoneInfo(timezone)
        start = datetime.combine(self.monday, time(0), tzinfo=tz)
        end = datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def describe(self) -> str:
        """``week 47 (Mon 16 Nov to Sun 22 Nov 2026)``, in the language being spoken."""
        sunday = self.monday + timedelta(days=6)
        return _("week {number} ({monday} to {sunday})").format(
            number=self.number, monday=when(self.monday, "short"), sunday=when(sunday, "short_year")
        )

    def starting(self) -> str:
        """The week as a reader names it: ``week of 16 Nov``, never ``2026-W47``."""
        return _("week of {monday}").format(monday=when(self.monday, "day_month"))


def week_of(day: date) -> Week:
    year, number, _weekday = day.isocalendar()
    return Week(year, number)


def week_just_ended(now: datetime, timezone: str) -> Week:
    """The last complete Monday-to-Sunday where the program is, at ``now``."""
    local_today = now.astimezone(ZoneInfo(timezone)).date()
    return week_of(local_today - timedelta(days=7))


def parse_week(text: str) -> Week:
    """``2026-W47`` (or ``2026W47``); ValueError with a friendly reason otherwise."""
    match = _WEEK.match(text)
    if not match:
        raise ValueError(_("“{text}” is not a week; write it like 2026-W47").format(text=text))
    year, number = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(
            _("{year} has no week {number}").format(year=year, number=number)
        ) from None
    return Week(year, number)


def starting(label: str) -> str:
    """``2026-W47`` as a reader names it (``week of 16 Nov``); anything else as it is."""
    try:
        return parse_week(label).starting()
    except ValueError:
        return label


def first_day(label: str) -> str:
    """A week's Monday, short (``16 Nov``): a chart's tick, a trend table's row."""
    try:
        return when(parse_week(label).monday, "day_month")
    except ValueError:
        return label
