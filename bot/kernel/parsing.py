"""Forgiving parsers for what people type: lists, time zones, years, dates.

Dates and weekdays are read in English and Spanish alike, whatever language the person speaks ("5 jan",
"5 de enero", "friday", "el viernes", "tomorrow", "pasado mañana", "2 weeks", "3 días"): a Spanish
speaker on an English client, or the other way round, is understood all the same. Accents are optional.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.kernel.domain import WEEKDAYS
from bot.kernel.i18n import N_, _, folded, weekday_name, when

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RELATIVE = re.compile(
    r"^(?:(?:for|in|en|durante|por|dentro)\s+)?(\d{1,3})\s*"
    r"(day|days|d|week|weeks|w|dia|dias|semana|semanas|sem)$"
)
_LEADING = re.compile(
    r"^(?:until|till|on|this|next|coming|hasta|el|la|este|esta|proximo|proxima)\s+"
)
"""Words before a future date that change nothing: "until friday", "el próximo lunes"."""
_TRAILING = re.compile(r"\s+(?:que viene|proximo|proxima)$")
"""Words after one: "lunes que viene", "viernes próximo"."""
_LEADING_PAST = re.compile(r"^(?:since|from|last|desde|el|la|este|esta)\s+")
_TRAILING_PAST = re.compile(r"\s+(?:pasado|pasada)$")

_SPANISH_DAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_SPANISH_WORDS = {
    # months, to the English abbreviations the date parser reads
    "enero": "jan", "ene": "jan", "febrero": "feb", "marzo": "mar", "abril": "apr", "abr": "apr",
    "mayo": "may", "junio": "jun", "julio": "jul", "agosto": "aug", "ago": "aug",
    "septiembre": "sep", "setiembre": "sep", "sept": "sep", "set": "sep", "octubre": "oct",
    "noviembre": "nov", "diciembre": "dec", "dic": "dec",
    # weekdays written out or abbreviated ("mar" is left alone: it is also March)
    "lunes": "mon", "lun": "mon", "martes": "tue", "miercoles": "wed", "mie": "wed",
    "jueves": "thu", "jue": "thu", "viernes": "fri", "vie": "fri", "sabado": "sat", "sab": "sat",
    "domingo": "sun", "dom": "sun",
}  # fmt: skip
_FILLER = frozenset({"de", "del"})
"""Words inside a Spanish date that the date parser does without ("5 de enero de 2027")."""

FUTURE_EXAMPLES = N_("2026-12-01, 5 jan, friday or 2 weeks")
PAST_EXAMPLES = N_("2026-09-01, 1 sep or monday")

MAX_ITEM = 120
MAX_ITEMS = 12


class ParseError(ValueError):
    """A value someone typed that we could not understand; the text says how to write it."""


class DateInPast(ParseError):
    """A date that could be read, but is before the first day allowed; ``day`` is the date read."""

    def __init__(self, message: str, day: date) -> None:
        super().__init__(message)
        self.day = day


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
                _("“{item}…” is too long; keep each item under {most} characters").format(
                    item=item[:30], most=MAX_ITEM
                )
            )
        seen.setdefault(item.lower(), item)
    if len(seen) > MAX_ITEMS:
        raise ParseError(
            _("that is {n} items; {most} at most, please").format(n=len(seen), most=MAX_ITEMS)
        )
    return list(seen.values())


def parse_timezone(value: str) -> str:
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParseError(
            _(
                "“{name}” is not a time zone I know; use a name like Europe/London or "
                "America/Chicago"
            ).format(name=name)
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
        raise ParseError(_("years of experience should be a whole number from 0 to 60"))
    return years


def parse_email(value: str) -> str:
    text = value.strip()
    if not _EMAIL.match(text) or len(text) > 320:
        raise ParseError(_("“{text}” doesn't look like an e-mail address").format(text=text))
    return text.lower()


def weekday_index(word: str) -> int | None:
    """Monday is 0: an English weekday by its first three letters ("thu", "Thursday"), or a Spanish
    one written out or by three letters or more ("mié", "miercoles", "sáb"); None for anything else."""
    key = folded(word).rstrip(".")
    if key[:3] in WEEKDAYS:
        return WEEKDAYS.index(key[:3])
    if len(key) >= 3 and key.isalpha():
        for index, name in enumerate(_SPANISH_DAYS):
            if name.startswith(key):
                return index
    return None


def parse_weekday(value: str) -> int:
    index = weekday_index(value)
    if index is None:
        days = [weekday_name(i, short=True).lower().rstrip(".") for i in range(7)]
        raise ParseError(
            _("“{value}” is not a weekday; use {days} or {last}").format(
                value=value, days=", ".join(days[:-1]), last=days[-1]
            )
        )
    return index


def parse_clock_time(value: str) -> time:
    text = value.strip().lower().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if not match:
        raise ParseError(
            _("“{value}” is not a time; write it like 15:30 or 3:30pm").format(value=value)
        )
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half == "pm" and hour < 12:
        hour += 12
    if half == "am" and hour == 12:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ParseError(_("“{value}” is not a time of day").format(value=value))
    return time(hour, minute)


def _cleaned(value: str, leading: re.Pattern[str], trailing: re.Pattern[str]) -> str:
    """What a person typed as a date, in the English words the rest reads: lower case, accents
    dropped, the words around a date that change nothing taken off ("el", "que viene"), Spanish
    month and day names as English abbreviations and "de" left out ("5 de enero" -> "5 jan")."""
    text = " ".join(folded(value).split())
    while leading.match(text):
        text = leading.sub("", text, count=1)
    text = trailing.sub("", text)
    if text in ("pasado manana", "hoy", "manana", "ayer", "anteayer"):
        return {
            "pasado manana": "day after tomorrow",
            "hoy": "today",
            "manana": "tomorrow",
            "ayer": "yesterday",
            "anteayer": "day before yesterday",
        }[text]  # not translated: the English the parser reads, not words for people
    words = [_SPANISH_WORDS.get(w, w) for w in text.split() if w not in _FILLER]
    return " ".join(words)


def parse_future_date(value: str, today: date) -> date:
    """A date on or after ``today`` from what a teacher would type, in English or Spanish.

    Accepts ISO dates, "5 jan", "jan 5", "5 de enero", "tomorrow", "mañana", "pasado mañana", "friday",
    "el viernes", "próximo lunes", "lunes que viene", "2 weeks", "3 días". A date without a year means
    its next occurrence, so "pause until jan 5" in December means next January.
    """
    text = _cleaned(value, _LEADING, _TRAILING)
    if not text:
        raise ParseError(_("which date? e.g. 2026-12-01, jan 5, friday or 2 weeks"))
    if text == "today":
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    if text == "day after tomorrow":
        return today + timedelta(days=2)
    relative = _RELATIVE.match(text)
    if relative:
        amount = int(relative.group(1))
        unit_days = 7 if relative.group(2)[0] in "ws" else 1
        return today + timedelta(days=amount * unit_days)
    weekday = weekday_index(text) if text.isalpha() else None
    if weekday is not None:
        ahead = (weekday - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    parsed, has_year = _written_date(text, value, today, _(FUTURE_EXAMPLES))
    if not has_year and parsed < today:
        parsed = parsed.replace(year=parsed.year + 1)
    if parsed < today:
        raise DateInPast(
            _("{date} is in the past; pick a date from today on").format(
                date=when(parsed, "day_year")
            ),
            parsed,
        )
    return parsed


def parse_past_date(value: str, today: date) -> date:
    """A date on or before ``today``: where a look back starts ("since sep 1", "desde el 1 de
    septiembre", "el lunes", "ayer").

    The mirror of ``parse_future_date``: a date without a year means its latest occurrence, so "since
    sep 1" typed in December means this September, and typed in June last September.
    """
    text = _cleaned(value, _LEADING_PAST, _TRAILING_PAST)
    if not text:
        raise ParseError(_("which date? e.g. 2026-09-01, 1 sep or monday"))
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "day before yesterday":
        return today - timedelta(days=2)
    if text in ("tomorrow", "day after tomorrow"):
        raise ParseError(_("tomorrow is still to come; pick a date up to today"))
    weekday = weekday_index(text) if text.isalpha() else None
    if weekday is not None:
        back = (today.weekday() - weekday) % 7 or 7
        return today - timedelta(days=back)
    parsed, has_year = _written_date(text, value, today, _(PAST_EXAMPLES))
    if not has_year and parsed > today:
        try:
            parsed = parsed.replace(year=parsed.year - 1)
        except ValueError:  # 29 February, a year earlier
            parsed = date(parsed.year - 1, 2, 28)
    if parsed > today:
        raise ParseError(
            _("{date} is still to come; pick a date up to today").format(
                date=when(parsed, "day_year")
            )
        )
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
        raise ParseError(
            _("I couldn't read “{value}” as a date; try {examples}").format(
                value=value.strip(), examples=examples
            )
        ) from None
    return parsed, bool(re.search(r"\b\d{4}\b", text))
