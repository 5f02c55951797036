"""The one-line request grammar and the calendar file, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from bot.kernel.domain import Member
from bot.kernel.parsing import ParseError
from bot.observations.invite import build_ics
from bot.observations.model import ObservationRequest
from bot.observations.parse import (
    lesson_window,
    normalise_focus,
    parse_free_periods,
    parse_lesson_date,
    parse_request_line,
)

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thu", date(2026, 11, 26)),
        ("next thursday", date(2026, 11, 26)),
        ("this thu", date(2026, 11, 26)),
        ("on thursday", date(2026, 11, 26)),
        ("on the 3 dec", date(2026, 12, 3)),
        ("dec 3", date(2026, 12, 3)),
        ("2026-12-03", date(2026, 12, 3)),
        ("tomorrow", date(2026, 11, 24)),
        ("today", MONDAY),
        ("mon", date(2026, 11, 30)),
        ("5 jan", date(2027, 1, 5)),
    ],
)
def test_lesson_dates_are_read_forgivingly(text: str, expected: date) -> None:
    assert parse_lesson_date(text, MONDAY) == expected


def test_the_example_from_the_issue() -> None:
    lesson = parse_request_line(
        'thu 10:15-11:00 focus: questioning "Year 9 algebra, group work"', MONDAY
    )
    assert (lesson.day, lesson.start, lesson.end) == (date(2026, 11, 26), time(10, 15), time(11))
    assert (lesson.focus, lesson.class_name) == ("questioning", "Year 9 algebra, group work")


def test_keys_times_and_aliases() -> None:
    lesson = parse_request_line(
        "next fri 1-2pm focus: AfL class: 8C subject: Maths look for: exit tickets; hinge questions",
        MONDAY,
    )
    assert (lesson.start, lesson.end) == (time(13), time(14))
    assert lesson.focus == "assessment for learning"
    assert (lesson.class_name, lesson.subject) == ("8C", "Maths")
    assert lesson.look_fors == "exit tickets; hinge questions"
    late = parse_request_line("dec 3 focus: engagement 9.00 to 9.50", MONDAY)
    assert (late.day, late.start, late.end) == (date(2026, 12, 3), time(9), time(9, 50))


def test_the_teachers_question_is_read_from_its_key_and_kept_short() -> None:
    lesson = parse_request_line(
        "thu 10:15-11:00 question: Do the quiet students get a turn? focus: engagement", MONDAY
    )
    assert lesson.question == "Do the quiet students get a turn?"
    assert lesson.focus == "engagement"
    assert parse_request_line("thu 10:15-11:00 focus: engagement", MONDAY).question == ""
    with pytest.raises(ParseError, match="question under 300 characters"):
        parse_request_line("thu 10:15-11:00 focus: engagement question: " + "why " * 80, MONDAY)


@pytest.mark.parametrize(
    ("focus", "expected"),
    [
        ("Questioning", "questioning"),
        ("behaviour", "classroom management"),
        ("differentiation.", "differentiation"),
        ("Engagement in group work", "engagement"),
        ("transitions", "transitions"),
    ],
)
def test_focus_areas(focus: str, expected: str) -> None:
    assert normalise_focus(focus) == expected


def test_the_lesson_window_refusals() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with pytest.raises(ParseError, match="before it starts"):
        lesson_window(date(2026, 11, 26), time(11), time(10), "Europe/London", now)
    with pytest.raises(ParseError, match="already passed"):
        lesson_window(date(2026, 11, 23), time(8, 59), time(10), "Europe/London", now)
    with pytest.raises(ParseError, match="8 weeks ahead"):
        lesson_window(date(2027, 1, 19), time(8), time(9), "Europe/London", now)
    starts, ends = lesson_window(date(2026, 11, 26), time(10), time(11), "America/Chicago", now)
    assert (starts, ends) == (
        datetime(2026, 11, 26, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 17, 0, tzinfo=UTC),
    )
    with pytest.raises(ParseError, match="longer than 4 hours"):
        lesson_window(date(2026, 11, 26), time(9), time(14), "Europe/London", now)


def test_free_periods() -> None:
    assert parse_free_periods("mon 10:15-11:00, thursday 1pm-2pm") == [
        (0, time(10, 15), time(11)),
        (3, time(13), time(14)),
    ]
    with pytest.raises(ParseError):
        parse_free_periods("")


def test_the_invite_is_valid_icalendar_with_both_people() -> None:
    ana = Member(1, "U1", "Ana Lopez", id=1, email="ana@school.example", school="Hillcrest High")
    ben = Member(1, "U2", "Ben Okafor", id=2, email="ben@school.example")
    request = ObservationRequest(
        workspace_id=1,
        requester_id=1,
        id=7,
        starts_at=datetime(2026, 11, 26, 10, 15, tzinfo=UTC),
        ends_at=datetime(2026, 11, 26, 11, 0, tzinfo=UTC),
        timezone="Europe/London",
        focus="questioning",
        class_name="Year 9, algebra; group work",
        look_fors="wait time",
    )
    text = build_ics(request, ana, ben, datetime(2026, 11, 24, tzinfo=UTC))
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["uid"]) == "observation-1-7@staffroom"
    assert str(event["organizer"]) == "mailto:ana@school.example"
    assert str(event["attendee"]) == "mailto:ben@school.example"
    assert str(event["location"]) == "Hillcrest High"
    assert "Year 9, algebra; group work" in str(event["summary"])  # escaped, and read back whole
    assert "Look for: wait time" in str(event["description"])
    assert "never an evaluation" in str(event["description"])


def test_a_request_typed_in_spanish_reads_its_keys_and_focus_words() -> None:
    today = date(2026, 11, 23)  # a Monday
    typed = parse_request_line(
        "jue 10:15 a 11:00 enfoque: gestión del aula clase: 3ºB pregunta: ¿participan todos?", today
    )
    assert (typed.day, typed.focus, typed.class_name, typed.question) == (
        date(2026, 11, 26),
        "classroom management",
        "3ºB",
        "¿participan todos?",
    )
    # The Spanish name a teacher reads for a focus area is understood back, accents or not.
    assert parse_request_line("mar 9-10 foco: preguntas en el aula", today).focus == "questioning"
    assert parse_request_line("mar 9-10 foco: Evaluacion formativa", today).focus == (
        "assessment for learning"
    )
    assert parse_request_line("mar 9-10 foco: mi propia idea", today).focus == "mi propia idea"
