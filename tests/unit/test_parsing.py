from __future__ import annotations

from datetime import date, time

import pytest

from bot.kernel.parsing import (
    ParseError,
    parse_clock_time,
    parse_future_date,
    parse_timezone,
    parse_years,
    split_list,
)

TODAY = date(2026, 12, 10)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-18", date(2026, 12, 18)),
        ("until 2026-12-18", date(2026, 12, 18)),
        ("tomorrow", date(2026, 12, 11)),
        ("friday", date(2026, 12, 11)),
        ("thursday", date(2026, 12, 17)),  # today's weekday means next week's
        ("2 weeks", date(2026, 12, 24)),
        ("10 days", date(2026, 12, 20)),
        ("jan 5", date(2027, 1, 5)),  # no year: the next one
        ("5 jan", date(2027, 1, 5)),
        ("18/12/2026", date(2026, 12, 18)),  # day first, as most schools write it
    ],
)
def test_forgiving_future_dates(text: str, expected: date) -> None:
    assert parse_future_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2026-12-01", "someday", ""])
def test_past_or_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(ParseError):
        parse_future_date(text, TODAY)


def test_lists_are_deduplicated_and_trimmed() -> None:
    assert split_list(" Maths, physics;maths |  Art ") == ["Maths", "physics", "Art"]
    with pytest.raises(ParseError):
        split_list(",".join(str(i) for i in range(20)))


def test_time_zone_years_and_clock_time() -> None:
    assert parse_timezone("America/Chicago") == "America/Chicago"
    with pytest.raises(ParseError, match="not a time zone"):
        parse_timezone("Moon/Base")
    assert parse_years("12") == 12
    with pytest.raises(ParseError):
        parse_years("61")
    assert parse_clock_time("3:30pm") == time(15, 30)
    assert parse_clock_time("15.45") == time(15, 45)
    with pytest.raises(ParseError):
        parse_clock_time("25:00")
