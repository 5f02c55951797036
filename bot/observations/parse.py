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

from bot.kernel.i18n import LANGUAGES, _, clock, folded, ngettext, speaking, when
from bot.kernel.parsing import (
    DateInPast,
    ParseError,
    parse_clock_time,
    parse_future_date,
    parse_weekday,
)
from bot.observations.model import (
    FOCUS_ALIASES,
    FOCUS_AREAS,
    MAX_LESSON,
    MAX_QUESTION,
    MAX_WEEKS_AHEAD,
)

_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
_RANGE = re.compile(
    rf"(?<![\w:/.-])({_TIME})\s*(?:-|–|—|to|until|till|a|hasta)\s*({_TIME})(?![\w:])", re.I
)
_KEYS = (
    "focus",
    "class",
    "subject",
    "look for",  # not translated: a key a teacher types
    "look-for",
    "lookfor",
    "look fors",  # not translated: a key a teacher types
    "look-fors",
    "question",
)
_KEY = re.compile(
    r"\b(focus|enfoque|foco|class|clase|grupo|subject|materia|asignatura|look[\s-]?fors?|observar"
    r"|question|pregunta)\s*[:=]\s*",
    re.I,
)
_SPANISH_KEYS = {  # not translated: keys a Spanish-speaking teacher types, read as the English ones
    "enfoque": "focus",
    "foco": "focus",
    "clase": "class",
    "grupo": "class",
    "materia": "subject",
    "asignatura": "subject",
    "observar": "look_fors",
    "pregunta": "question",
}
_QUOTED = re.compile(r"[\"“”']([^\"“”']+)[\"“”']")
_DATE_PREFIX = re.compile(r"^(?:on|this|next|coming|the|el|este|pr[oó]ximo)\s+", re.I)

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
            _("what should the observer focus on? e.g. {areas}, or your own words").format(
                areas=", ".join(FOCUS_AREAS)
            )
        )
    if len(cleaned) > MAX_FOCUS:
        raise ParseError(_("please keep the focus under {most} characters").format(most=MAX_FOCUS))
    lowered = cleaned.lower()
    if lowered in FOCUS_AREAS:
        return lowered
    if lowered in FOCUS_ALIASES:
        return FOCUS_ALIASES[lowered]
    plain = folded(lowered)
    if plain in FOCUS_ALIASES:
        return FOCUS_ALIASES[plain]
    for area in FOCUS_AREAS:
        for language in LANGUAGES:
            with speaking(language):
                if folded(_(area)) == plain:
                    return area
    for area in FOCUS_AREAS:
        if lowered.startswith(area[:6]):
            return area
    return cleaned


def parse_lesson_date(text: str, today: date) -> date:
    """Dates as teachers say them, in English or Spanish: "thu", "next thursday", "on 3 dec",
    "tomorrow", "2026-12-03", "el jueves", "jueves que viene", "3 de dic", "mañana".

    "next thu" and "this thu" both mean the coming Thursday (today's is "today"); the confirmation
    shows the full date, so an unexpected reading is caught before anything is sent.
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    while _DATE_PREFIX.match(cleaned):
        cleaned = _DATE_PREFIX.sub("", cleaned, count=1)
    if not cleaned:
        raise ParseError(_("which day is the lesson? e.g. thu, next tuesday, 3 dec or 2026-12-03"))
    try:
        return parse_future_date(cleaned, today)
    except DateInPast as past:
        raise ParseError(
            _(
                "{date} is in the past; I can only arrange observations of lessons still to come"
            ).format(date=when(past.day, "day_year"))
        ) from None
    except ParseError:
        raise ParseError(
            _(
                "I couldn't read “{text}” as a day; try thu, next tuesday, 3 dec or 2026-12-03"
            ).format(text=text.strip())
        ) from None


def parse_time_range(text: str) -> tuple[time, time]:
    match = _RANGE.search(text)
    if not match:
        raise ParseError(_("when does the lesson start and end? e.g. 10:15-11:00"))
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
        name = _SPANISH_KEYS.get(name, name)
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
        raise ParseError(_("when does the lesson start and end? e.g. `observe thu 10:15-11:00`"))
    start, end = parse_time_range(range_match.group(0))
    day_text = (head[: range_match.start()] + " " + head[range_match.end() :]).strip(" ,;")
    day = parse_lesson_date(day_text, today)
    focus = normalise_focus(fields.get("focus", ""))
    class_name = fields.get("class") or (quoted[0] if quoted else "")
    look_fors = fields.get("look_fors") or (quoted[1] if len(quoted) > 1 else "")
    if len(class_name) > MAX_CLASS:
        raise ParseError(
            _("please keep the class description under {most} characters").format(most=MAX_CLASS)
        )
    if len(look_fors) > MAX_LOOK_FORS_TEXT:
        raise ParseError(
            _("please keep what to look for under {most} characters").format(
                most=MAX_LOOK_FORS_TEXT
            )
        )
    question = fields.get("question", "")
    if len(question) > MAX_QUESTION:
        raise ParseError(
            _("please keep your question under {most} characters").format(most=MAX_QUESTION)
        )
    subject = fields.get("subject") or None
    return LessonRequest(day, start, end, focus, class_name, subject, look_fors, question)


def lesson_window(
    day: date, start: time, end: time, timezone: str, now: datetime
) -> tuple[datetime, datetime]:
    """The lesson as aware datetimes, refused with a clear reason when it cannot be observed."""
    if end <= start:
        raise ParseError(
            _(
                "the lesson ends ({end}) before it starts ({start}); write the start first, "
                "e.g. 10:15-11:00"
            ).format(end=clock(end), start=clock(start))
        )
    zone = ZoneInfo(timezone)
    starts_at = datetime.combine(day, start, tzinfo=zone)
    ends_at = datetime.combine(day, end, tzinfo=zone)
    if ends_at - starts_at > MAX_LESSON:
        hours = int(MAX_LESSON.total_seconds() // 3600)
        raise ParseError(
            ngettext(
                "{start}-{end} is longer than {n} hour; is that one lesson? Ask for one lesson "
                "at a time",
                "{start}-{end} is longer than {n} hours; is that one lesson? Ask for one lesson "
                "at a time",
                hours,
            ).format(start=clock(start), end=clock(end), n=hours)
        )
    if starts_at <= now:
        raise ParseError(
            _(
                "{day} {time} has already passed; I can only arrange observations of lessons "
                "still to come"
            ).format(day=when(starts_at, "day"), time=clock(starts_at))
        )
    last_day = now.astimezone(zone).date() + timedelta(weeks=MAX_WEEKS_AHEAD)
    if day > last_day:
        raise ParseError(
            ngettext(
                "{day} is more than {n} week ahead; timetables change, so ask again nearer the "
                "time (any day up to {last})",
                "{day} is more than {n} weeks ahead; timetables change, so ask again nearer the "
                "time (any day up to {last})",
                MAX_WEEKS_AHEAD,
            ).format(day=when(starts_at, "day_year"), n=MAX_WEEKS_AHEAD, last=when(last_day, "day"))
        )
    return starts_at, ends_at


_FREE_ITEM = re.compile(
    rf"^\s*([^\W\d_]+\.?)\s+({_TIME}\s*(?:-|–|—|to|a|hasta)\s*{_TIME})\s*$", re.I
)


def parse_free_periods(text: str) -> list[tuple[int, time, time]]:
    """``mon 10:15-11:00, thu 13:00-14:00`` (or ``lun 10:15-11:00, jueves 13:00-14:00``) -> weekly
    free periods in the teacher's own time."""
    items = [p for p in re.split(r"[,;\n]", text) if p.strip()]
    if not items:
        raise ParseError(_("which free periods? e.g. `free add mon 10:15-11:00, thu 13:00-14:00`"))
    periods = []
    for item in items:
        match = _FREE_ITEM.match(item)
        if not match:
            raise ParseError(
                _(
                    "I couldn't read “{item}”; write a weekday and a time range, like "
                    "mon 10:15-11:00"
                ).format(item=item.strip())
            )
        weekday = parse_weekday(match.group(1))
        start, end = parse_time_range(match.group(2))
        if end <= start:
            raise ParseError(
                _("in “{item}” the period ends before it starts").format(item=item.strip())
            )
        periods.append((weekday, start, end))
    return periods
