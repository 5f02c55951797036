"""Reading a one-line observation request, forgivingly, and checking the lesson it names.

``observe thu 10:15-11:00 focus: questioning "Year 9 algebra, group work"`` becomes a date, a start and
an end in the teacher's own time zone, a focus and a class. Whatever is understood is always shown back
for confirmation before anyone is asked, so a forgiving reading costs nothing when it guesses wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.parsing import ParseError, parse_clock_time, parse_future_date
from bot.observations.model import (
    FOCUS_ALIASES,
    FOCUS_AREAS,
    MAX_LESSON,
    MAX_QUESTION,
    MAX_WEEKS_AHEAD,
)

_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
_RANGE = re.compile(rf"(?<![\w:/.-])({_TIME})\s*(?:-|–|—|to|until|till)\s*({_TIME})(?![\w:])", re.I)
_KEYS = (
    "focus",
    "class",
    "subject",
    "look for",
    "look-for",
    "lookfor",
    "look fors",
    "look-fors",
    "question",
)
_KEY = re.compile(r"\b(focus|class|subject|look[\s-]?fors?|question)\s*[:=]\s*", re.I)
_QUOTED = re.compile(r"[\"“”']([^\"“”']+)[\"“”']")
_DATE_PREFIX = re.compile(r"^(?:on|this|next|coming|the)\s+", re.I)

MAX_CLASS = 200
MAX_LOOK_FORS_TEXT = 600
MAX_FOCUS = 120


@dataclass(frozen=True)
class LessonRequest:
    day: date
    start: time
    end: time
    focus: str
    class_name: str = ""
    subject: str | None = None
    look_fors: str = ""
    question: str = ""


def normalise_focus(text: str) -> str:
    """One of the program's focus areas when it is recognisably one, otherwise the teacher's own words."""
    cleaned = " ".join(text.strip().strip(".").split())
    if not cleaned:
        raise ParseError(
            "what should the observer focus on? e.g. "
            + ", ".join(FOCUS_AREAS)
            + ", or your own words"
        )
    if len(cleaned) > MAX_FOCUS:
        raise ParseError(f"please keep the focus under {MAX_FOCUS} characters")
    lowered = cleaned.lower()
    if lowered in FOCUS_AREAS:
        return lowered
    if lowered in FOCUS_ALIASES:
        return FOCUS_ALIASES[lowered]
    for area in FOCUS_AREAS:
        if lowered.startswith(area[:6]):
            return area
    return cleaned


def parse_lesson_date(text: str, today: date) -> date:
    """Dates as teachers say them: "thu", "next thursday", "on 3 dec", "tomorrow", "2026-12-03".

    "next thu" and "this thu" both mean the coming Thursday (today's is "today"); the confirmation
    shows the full date, so an unexpected reading is caught before anything is sent.
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    while _DATE_PREFIX.match(cleaned):
        cleaned = _DATE_PREFIX.sub("", cleaned, count=1)
    if not cleaned:
        raise ParseError("which day is the lesson? e.g. thu, next tuesday, 3 dec or 2026-12-03")
    try:
        return parse_future_date(cleaned, today)
    except ParseError as exc:
        if "in the past" in str(exc):
            raise ParseError(
                f"{_past_date(cleaned, today)} is in the past; I can only arrange observations of "
                "lessons still to come"
            ) from None
        raise ParseError(
            f"I couldn't read “{text.strip()}” as a day; try thu, next tuesday, 3 dec or 2026-12-03"
        ) from None


def _past_date(text: str, today: date) -> str:
    try:
        return datetime.fromisoformat(text).date().strftime("%A %d %B %Y")
    except ValueError:
        return f"“{text}”"


def parse_time_range(text: str) -> tuple[time, time]:
    match = _RANGE.search(text)
    if not match:
        raise ParseError("when does the lesson start and end? e.g. 10:15-11:00")
    start, end = parse_clock_time(match.group(1)), parse_clock_time(match.group(2))
    # "1-2pm" means 13:00-14:00: a bare start takes the end's afternoon when that keeps it earlier.
    if "pm" in match.group(2).lower() and not re.search(r"am|pm", match.group(1), re.I):
        afternoon = time(start.hour + 12, start.minute) if start.hour < 12 else start
        if afternoon < end:
            start = afternoon
    return start, end


def parse_request_line(text: str, today: date) -> LessonRequest:
    """The whole line after ``observe``. Raises ``ParseError`` naming the first thing it could not read."""
    rest = text.strip()
    quoted = [m.group(1).strip() for m in _QUOTED.finditer(rest)]
    rest = _QUOTED.sub(" ", rest)
    fields: dict[str, str] = {}
    pieces = _KEY.split(rest)
    head = pieces[0]
    for key, value in zip(pieces[1::2], pieces[2::2], strict=False):
        name = "look_fors" if key.lower().startswith("look") else key.lower()
        fields[name] = " ".join(value.split()).strip(" ,;")
    range_match = _RANGE.search(head)
    if range_match is None:
        # The time may have been typed after a key ("focus: questioning 10:15-11:00"): look everywhere.
        for name, value in list(fields.items()):
            found = _RANGE.search(value)
            if found:
                fields[name] = (value[: found.start()] + value[found.end() :]).strip(" ,;")
                head = head + " " + found.group(0)
                range_match = _RANGE.search(head)
                break
    if range_match is None:
        raise ParseError("when does the lesson start and end? e.g. `observe thu 10:15-11:00`")
    start, end = parse_time_range(range_match.group(0))
    day_text = (head[: range_match.start()] + " " + head[range_match.end() :]).strip(" ,;")
    day = parse_lesson_date(day_text, today)
    focus = normalise_focus(fields.get("focus", ""))
    class_name = fields.get("class") or (quoted[0] if quoted else "")
    look_fors = fields.get("look_fors") or (quoted[1] if len(quoted) > 1 else "")
    if len(class_name) > MAX_CLASS:
        raise ParseError(f"please keep the class description under {MAX_CLASS} characters")
    if len(look_fors) > MAX_LOOK_FORS_TEXT:
        raise ParseError(f"please keep what to look for under {MAX_LOOK_FORS_TEXT} characters")
    question = fields.get("question", "")
    if len(question) > MAX_QUESTION:
        raise ParseError(f"please keep your question under {MAX_QUESTION} characters")
    subject = fields.get("subject") or None
    return LessonRequest(day, start, end, focus, class_name, subject, look_fors, question)


def lesson_window(
    day: date, start: time, end: time, timezone: str, now: datetime
) -> tuple[datetime, datetime]:
    """The lesson as aware datetimes, refused with a clear reason when it cannot be observed."""
    if end <= start:
        raise ParseError(
            f"the lesson ends ({end:%H:%M}) before it starts ({start:%H:%M}); "
            "write the start first, e.g. 10:15-11:00"
        )
    zone = ZoneInfo(timezone)
    starts_at = datetime.combine(day, start, tzinfo=zone)
    ends_at = datetime.combine(day, end, tzinfo=zone)
    if ends_at - starts_at > MAX_LESSON:
        hours = int(MAX_LESSON.total_seconds() // 3600)
        raise ParseError(
            f"{start:%H:%M}-{end:%H:%M} is longer than {hours} hours; is that one lesson? "
            "Ask for one lesson at a time"
        )
    if starts_at <= now:
        raise ParseError(
            f"{starts_at:%A %d %B %H:%M} has already passed; I can only arrange observations of "
            "lessons still to come"
        )
    last_day = now.astimezone(zone).date() + timedelta(weeks=MAX_WEEKS_AHEAD)
    if day > last_day:
        raise ParseError(
            f"{starts_at:%A %d %B %Y} is more than {MAX_WEEKS_AHEAD} weeks ahead; timetables change, "
            f"so ask again nearer the time (any day up to {last_day:%A %d %B})"
        )
    return starts_at, ends_at


_FREE_ITEM = re.compile(rf"^\s*([a-z]+)\s+({_TIME}\s*(?:-|–|—|to)\s*{_TIME})\s*$", re.I)


def parse_free_periods(text: str) -> list[tuple[int, time, time]]:
    """``mon 10:15-11:00, thu 13:00-14:00`` -> weekly free periods in the teacher's own time."""
    from bot.kernel.parsing import parse_weekday

    items = [p for p in re.split(r"[,;\n]", text) if p.strip()]
    if not items:
        raise ParseError("which free periods? e.g. `free add mon 10:15-11:00, thu 13:00-14:00`")
    periods = []
    for item in items:
        match = _FREE_ITEM.match(item)
        if not match:
            raise ParseError(
                f"I couldn't read “{item.strip()}”; write a weekday and a time range, like mon 10:15-11:00"
            )
        weekday = parse_weekday(match.group(1))
        start, end = parse_time_range(match.group(2))
        if end <= start:
            raise ParseError(f"in “{item.strip()}” the period ends before it starts")
        periods.append((weekday, start, end))
    return periods
