"""Speaking each teacher's language: gettext catalogs (Babel's convention), the language a message is
being written in, and dates, times and numbers formatted for it.

The language is a context variable rather than a parameter: a handler answers in its actor's language,
and a message for somebody else is written inside ``speaking(their language)``, so the hundreds of
functions that build text need no extra argument. A message is rendered when it is queued, in its
recipient's language, and stored as the words they will read.

Strings are marked with ``_`` (``ngettext`` where a number decides the form) and extracted by
``pybabel extract`` (see ``babel.cfg``); a string kept at module level is marked with ``N_`` and
translated where it is used, since the language is not known at import.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

DOMAIN = "staffroom"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
"""The languages with a complete catalog, by code, each named in itself (a menu a person can read)."""

_speaking: ContextVar[str] = ContextVar("staffroom_language", default=SOURCE_LANGUAGE)
_default = [SOURCE_LANGUAGE]
"""The workspace default (``STAFFROOM_DEFAULT_LANGUAGE``), set once where the process is put together."""


def use_default_language(language: str) -> None:
    """What ``speaking(None)`` means in this process: for someone who has neither chosen nor been
    told by their platform."""
    _default[0] = supported(language) or SOURCE_LANGUAGE


def default_language() -> str:
    return _default[0]


@cache
def supported(tag: str | None) -> str | None:
    """The language we speak for a platform's or a person's tag (``es-MX``, ``es_ES``, ``Spanish``,
    ``español``), or None when we have no catalog for it. Cached: it is asked on every request and
    for every recipient, of the few tags a school's clients send."""
    if not tag:
        return None
    cleaned = tag.strip().replace("_", "-").lower()
    code = cleaned.split("-", 1)[0]
    if code in LANGUAGES:
        return code
    for known, own_name in LANGUAGES.items():
        english = Locale.parse(known).get_display_name("en") or ""
        if folded(cleaned) in (folded(own_name), folded(english)):
            return known
    return None


def folded(text: str) -> str:
    """Text as typed words are compared: lower case, without accents ("Reflexión" -> "reflexion"),
    since people type Spanish on keyboards that make accents a chore."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog (English has one too, empty until a school wants its own wording)."""
    try:
        return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])
    except FileNotFoundError:
        return gettext.NullTranslations()


def current_language() -> str:
    return _speaking.get()


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Write everything inside in ``language`` (the workspace default when None or unknown)."""
    chosen = supported(language) or _default[0]
    token = _speaking.set(chosen)
    try:
        yield chosen
    finally:
        _speaking.reset(token)


def _(message: str) -> str:
    """``message`` in the language being spoken."""
    return _catalog(_speaking.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence that ``n`` takes in the language being spoken (Spanish has two forms,
    other languages more: never build a plural by adding an "s")."""
    return _catalog(_speaking.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` where the same English word needs different translations ("May" the month)."""
    return _catalog(_speaking.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for extraction without translating it: for module-level text, translated by
    ``_`` where it is shown."""
    return message


# --- dates, times and numbers -------------------------------------------------------------------

_PATTERNS: dict[str, dict[str, str]] = {
    # "Tuesday 01 December" / "martes 1 de diciembre"
    "day": {
        "en": "EEEE dd MMMM",  # not translated: a CLDR pattern
        "es": "EEEE d 'de' MMMM",  # not translated: a CLDR pattern
    },
    "day_year": {
        "en": "EEEE dd MMMM yyyy",  # not translated: a CLDR pattern
        "es": "EEEE d 'de' MMMM 'de' yyyy",  # not translated: a CLDR pattern
    },
    # "Tue 01 Dec" / "mar 1 dic"
    "short": {
        "en": "EEE dd MMM",  # not translated: a CLDR pattern
        "es": "EEE d MMM",  # not translated: a CLDR pattern
    },
    "short_year": {
        "en": "EEE dd MMM yyyy",  # not translated: a CLDR pattern
        "es": "EEE d MMM yyyy",  # not translated: a CLDR pattern
    },
    # "01 Dec" / "1 dic"
    "day_month": {
        "en": "dd MMM",  # not translated: a CLDR pattern
        "es": "d MMM",  # not translated: a CLDR pattern
    },
    "day_month_year": {
        "en": "dd MMM yyyy",  # not translated: a CLDR pattern
        "es": "d MMM yyyy",  # not translated: a CLDR pattern
    },
    # "1 December 2026" / "1 de diciembre de 2026"
    "long_date": {
        "en": "d MMMM yyyy",  # not translated: a CLDR pattern
        "es": "d 'de' MMMM 'de' yyyy",  # not translated: a CLDR pattern
    },
    # "Dec 2026" / "dic 2026"
    "month_year": {
        "en": "MMM yyyy",  # not translated: a CLDR pattern
        "es": "MMM yyyy",  # not translated: a CLDR pattern
    },
    "month_name_year": {
        "en": "MMMM yyyy",  # not translated: a CLDR pattern
        "es": "MMMM 'de' yyyy",  # not translated: a CLDR pattern
    },
    # "Tuesday" / "martes"
    "weekday": {"en": "EEEE", "es": "EEEE"},
    "weekday_short": {"en": "EEE", "es": "EEE"},
}
DateStyle = str


def when(moment: date | datetime, style: DateStyle = "day") -> str:
    """A date in the words of the language being spoken; ``style`` names one of the shapes above."""
    language = _speaking.get()
    patterns = _PATTERNS[style]
    pattern = patterns.get(language, patterns[SOURCE_LANGUAGE])
    day = moment.date() if isinstance(moment, datetime) else moment
    return babel_dates.format_date(day, pattern, locale=language)


def clock(moment: time | datetime) -> str:
    """A time of day, on the 24-hour clock schools timetable by ("08:30")."""
    value = moment.time() if isinstance(moment, datetime) else moment
    return f"{value:%H:%M}"


def weekday_name(index: int, *, short: bool = False) -> str:
    """Monday is 0, as in ``date.weekday()``."""
    names = Locale.parse(_speaking.get()).days["format"]["abbreviated" if short else "wide"]
    return str(names[index])


def number(value: int | float, *, digits: int | None = None) -> str:
    """``1,234`` in English, ``1234``/``12.345`` in Spanish: the separators a reader expects.
    ``digits`` fixes the places after the point (an average of 3.70 reads "3.7", "3,7")."""
    if digits is None:
        return babel_numbers.format_decimal(value, locale=_speaking.get())
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return babel_numbers.format_decimal(
        round(value, digits), format=pattern, locale=_speaking.get()
    )


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` ("a, b y c"): names or topics as one phrase."""
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list, "Ben, Cy and Dee".
    return _("{names} and {last}").format(names=", ".join(items[:-1]), last=items[-1])


def percent(ratio: float) -> str:
    """A share as a whole percentage ("83 %" in Spanish, "83%" in English)."""
    return babel_numbers.format_percent(ratio, locale=_speaking.get())
