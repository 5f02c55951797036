"""Reading the period a growth record covers, as teachers type it (no database needed)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.growth.model import Period
from bot.growth.period import parse_period, parse_token
from bot.kernel.parsing import ParseError, parse_past_date

TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize(
    ("typed", "start", "end", "label", "feedback"),
    [
        ("", date(2025, 12, 2), TODAY, "the last 12 months", False),
        ("with feedback", date(2025, 12, 2), TODAY, "the last 12 months", True),
        ("since 2026-09-01", date(2026, 9, 1), TODAY, "since 1 September 2026", False),
        ("since sep 1 with feedback", date(2026, 9, 1), TODAY, "since 1 September 2026", True),
        ("since 1 march", date(2026, 3, 1), TODAY, "since 1 March 2026", False),
        ("since dec 5", date(2025, 12, 5), TODAY, "since 5 December 2025", False),
        ("last 3 months", date(2026, 9, 2), TODAY, "the last 3 months", False),
        ("Last month", date(2026, 11, 2), TODAY, "the last month", False),
        ("past 2 weeks", date(2026, 11, 18), TODAY, "the last 2 weeks", False),
        ("last 10 days", date(2026, 11, 22), TODAY, "the last 10 days", False),
        ("last year", date(2025, 12, 2), TODAY, "the last year", False),
        (
            "from 2026-01-05 to 2026-07-20 including feedback",
            date(2026, 1, 5),
            date(2026, 7, 20),
            "5 January 2026 to 20 July 2026",
            True,
        ),
        ("since monday", date(2026, 11, 30), TODAY, "since 30 November 2026", False),
    ],
)
def test_periods_teachers_type(
    typed: str, start: date, end: date, label: str, feedback: bool
) -> None:
    assert parse_period(typed, TODAY) == Period(start, end, label, feedback)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("since tomorrow", "still to come"),
        ("since 2027-01-01", "still to come"),
        ("since 2015-01-01", "more than 10 years ago"),
        ("from 2026-05-01 to 2026-04-01", "comes before"),
        ("last 0 months", "from 1 to 120"),
        ("last 500 months", "from 1 to 120"),
        ("last few weeks", "from 1 to 120"),
        ("Ana Lopez", "only ever your own"),
        ("since", "couldn't read"),
        ("since 31/02/2026", "couldn't read"),
    ],
)
def test_periods_refused_with_what_works(typed: str, problem: str) -> None:
    with pytest.raises(ParseError) as refused:
        parse_period(typed, TODAY)
    assert problem in str(refused.value)


def test_a_date_without_a_year_is_its_latest_occurrence_even_on_29_february() -> None:
    assert parse_past_date("29 feb", date(2028, 3, 1)) == date(2028, 2, 29)
    assert parse_past_date("29 feb", date(2028, 2, 28)) == date(2027, 2, 28)
    assert parse_past_date("today", TODAY) == TODAY
    assert parse_past_date("yesterday", TODAY) == date(2026, 11, 30)


def test_an_export_buttons_period_is_read_never_trusted() -> None:
    assert parse_token("2026-09-01..2026-12-01+feedback", TODAY) == (
        date(2026, 9, 1),
        date(2026, 12, 1),
        True,
    )
    for forged in (
        "2026-09-01..2026-12-02",  # ends tomorrow
        "2026-12-01..2026-09-01",
        "2010-01-01..2026-12-01",
        "2026-09-01..2026-12-01+feedback;member=7",
        "2026-02-30..2026-12-01",
        "",
    ):
        assert parse_token(forged, TODAY) is None, forged
