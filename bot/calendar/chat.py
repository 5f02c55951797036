"""The school calendar: holidays and term dates, so nothing is sent on a day school is out.

A program's calendar is its own entries plus the workspace-wide ones (entered without ``program=``).
A day is a teaching day when it is one of the program's school days (Monday to Friday unless the
program says otherwise), inside a term (when any term is entered at all), and in no holiday.
Coordinators keep it with the ``calendar`` verb.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.calendar.model import CalendarEntry, CalendarKind
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, program_named, record_id
from bot.kernel.domain import WEEKDAYS, Program
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _, ngettext, number, weekday_name, when
from bot.kernel.messages import Context, Message, Section, text_message
from bot.kernel.parsing import ParseError, parse_future_date, whole_number

DEFAULT_SCHOOL_DAYS = frozenset(range(5))  # Monday to Friday
MAX_SPAN_DAYS = 400

VERB = Verb(
    "calendar",
    N_(
        "calendar [show] [program=NAME] | holiday FROM [TO] [name=LABEL] [program=NAME] | "
        "term FROM TO [name=LABEL] [program=NAME] | remove N | "
        "set program=NAME [school_days=mon,tue,...] [quiet_hours=20:00-07:00] [grace_hours=6]"
    ),
    N_("Holidays and term dates: no check-ins are sent on days school is out."),
    coordinator_only=True,
    examples=(
        N_('calendar holiday 2026-12-21 2027-01-01 name="Winter break"'),
        N_('calendar term 2027-01-04 2027-03-26 name="Spring term" program="Year 9 PLC"'),
        "calendar remove 3",  # not translated: a command as typed, nothing to translate
        N_('calendar set program="Year 9 PLC" school_days=mon,tue,wed,thu quiet_hours=19:00-07:30'),
    ),
)
KINDS = {CalendarKind.HOLIDAY: N_("holiday"), CalendarKind.TERM: N_("term")}
"""A kind as a list of entries shows it (``3. holiday: ...``)."""


@dataclass(frozen=True)
class SchoolCalendar:
    entries: tuple[CalendarEntry, ...] = ()
    school_days: frozenset[int] = DEFAULT_SCHOOL_DAYS

    @property
    def terms(self) -> tuple[CalendarEntry, ...]:
        return tuple(e for e in self.entries if e.kind is CalendarKind.TERM)

    def holiday_on(self, day: date) -> CalendarEntry | None:
        return next(
            (
                e
                for e in self.entries
                if e.kind is CalendarKind.HOLIDAY and e.starts_on <= day <= e.ends_on
            ),
            None,
        )

    def is_teaching_day(self, day: date) -> bool:
        if day.weekday() not in self.school_days:
            return False
        if self.holiday_on(day) is not None:
            return False
        terms = self.terms
        return not terms or any(t.starts_on <= day <= t.ends_on for t in terms)


def school_days(program: Program) -> frozenset[int]:
    """``program.settings["school_days"]``: weekday numbers or names; Monday to Friday by default."""
    raw = program.settings.get("school_days")
    if not raw:
        return DEFAULT_SCHOOL_DAYS
    days: set[int] = set()
    for item in raw if isinstance(raw, list) else str(raw).split(","):
        text = str(item).strip().lower()[:3]
        number = whole_number(text, 0, 6)
        if number is not None:
            days.add(number)
        elif text in WEEKDAYS:
            days.add(WEEKDAYS.index(text))
    return frozenset(days) or DEFAULT_SCHOOL_DAYS


def for_program(entries: Iterable[CalendarEntry], program: Program) -> SchoolCalendar:
    return SchoolCalendar(tuple(entries), school_days(program))


# --- the `calendar` verb ------------------------------------------------------------------------


def calendar(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    action = cmd.args[0].lower() if cmd.args else "show"
    program = _program(ctx, cmd.options.get("program"))
    if action == "show":
        return [_show(ctx, program)]
    ctx.require_coordinator()
    if action in ("holiday", "term"):
        return [_add(ctx, CalendarKind(action), cmd, program)]
    if action == "set":
        if program is None:
            raise usage_error("calendar", _("Which program? Add program=NAME."))
        return [_set(ctx, program, cmd.options)]
    if action == "remove":
        entry = record_id(cmd.args[1]) if len(cmd.args) == 2 else None
        if entry is None:
            raise usage_error("calendar", _("Which entry? Give its number from `calendar`."))
        if not ctx.repos.calendar.remove(entry):
            raise UserError(
                _("There is no calendar entry {number}. Type `calendar` to see them.").format(
                    number=cmd.args[1]
                )
            )
        return [text_message(_("Removed calendar entry {number}.").format(number=cmd.args[1]))]
    raise usage_error("calendar", _("I don't know `calendar {action}`.").format(action=action))


def _program(ctx: Ctx, name: str | None) -> Program | None:
    return program_named(ctx, name) if name else None


def _parse_day(text: str, today: date) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return parse_future_date(text, today)
    except ParseError as exc:
        raise usage_error(
            "calendar",
            _("I couldn't read the date “{text}”: {problem}.").format(text=text, problem=exc),
        ) from None


def _add(ctx: Ctx, kind: CalendarKind, cmd: ParsedCommand, program: Program | None) -> Message:
    dates = [a for a in cmd.args[1:] if a != ".."]
    if len(dates) == 1 and ".." in dates[0]:
        dates = dates[0].split("..", 1)
    term = kind is CalendarKind.TERM
    if not dates or len(dates) > 2 or (term and len(dates) != 2):
        raise usage_error(
            "calendar",
            _("A term needs a first and a last day.")
            if term
            else _("A holiday needs a day, or a first and last day."),
        )
    today = ctx.local_today()
    starts = _parse_day(dates[0], today)
    ends = _parse_day(dates[-1], today)
    if ends < starts:
        backwards = (
            _("The term ends ({ends}) before it starts ({starts}).")
            if term
            else _("The holiday ends ({ends}) before it starts ({starts}).")
        )
        raise UserError(
            backwards.format(
                ends=when(ends, "day_month_year"), starts=when(starts, "day_month_year")
            )
        )
    if (ends - starts).days > MAX_SPAN_DAYS:
        raise UserError(
            _("That term is longer than a school year; please check the dates.")
            if term
            else _("That holiday is longer than a school year; please check the dates.")
        )
    label = cmd.options.get("name", "").strip()[:120]
    entry = ctx.repos.calendar.add(
        CalendarEntry(
            kind=kind,
            starts_on=starts,
            ends_on=ends,
            label=label,
            program_id=program.id if program else None,
        )
    )
    where = _("for {program}").format(program=program.name) if program else _("for every program")
    added = (
        _("Added term {number}: {span} {where}. No check-ins go out on days school is out.")
        if term
        else _("Added holiday {number}: {span} {where}. No check-ins go out on days school is out.")
    )
    return text_message(added.format(number=entry.id, span=_labelled(entry), where=where))


def _span(entry: CalendarEntry) -> str:
    if entry.starts_on == entry.ends_on:
        return when(entry.starts_on, "short_year")
    return _("{first} to {last}").format(
        first=when(entry.starts_on, "short_year"), last=when(entry.ends_on, "short_year")
    )


def _labelled(entry: CalendarEntry) -> str:
    """The dates, and the entry's own name after them when it has one."""
    return f"{_span(entry)} ({entry.label})" if entry.label else _span(entry)


def _show(ctx: Ctx, program: Program | None) -> Message:
    entries = ctx.repos.calendar.for_program(program.id if program else None)
    title = (
        _("School calendar for {program}").format(program=program.name)
        if program
        else _("School calendar")
    )
    if not entries:
        weekdays = f"{weekday_name(0, short=True)}-{weekday_name(4, short=True)}"
        return text_message(
            _(
                "{title}: no holidays or terms yet, so check-ins go out every school day "
                "({weekdays}). Add one with `calendar holiday FROM TO name=...`."
            ).format(title=title, weekdays=weekdays)
        )
    lines = [
        f"{e.id}. {_(KINDS[e.kind])}: {_labelled(e)}"
        + ("" if e.program_id is None else " " + _("[this program]"))
        for e in entries
    ]
    text = f"{title}:\n" + "\n".join(lines)
    return Message(
        text=text,
        blocks=(Section(text), Context(_("Remove one with `calendar remove N`."))),
    )


SETTABLE = ("school_days", "quiet_hours", "grace_hours")


def _set(ctx: Ctx, program: Program, options: dict[str, str]) -> Message:
    """A program's school days, quiet hours and misfire grace; all checked before anything changes."""
    from datetime import time as clock_time

    wanted = {k: v for k, v in options.items() if k != "program"}
    unknown = sorted(set(wanted) - set(SETTABLE))
    if unknown or not wanted:
        settable = ", ".join(SETTABLE)
        raise usage_error(
            "calendar",
            _("I can set {settable}, not {unknown}.").format(
                settable=settable, unknown=", ".join(unknown)
            )
            if unknown
            else _("I can set {settable}.").format(settable=settable),
        )
    settings = dict(program.settings)
    if "school_days" in wanted:
        days = [d.strip().lower()[:3] for d in wanted["school_days"].split(",") if d.strip()]
        if not days or any(d not in WEEKDAYS for d in days):
            raise usage_error(
                "calendar", _("school_days are weekday names, e.g. mon,tue,wed,thu,fri.")
            )
        settings["school_days"] = [WEEKDAYS.index(d) for d in days]
    if "quiet_hours" in wanted:
        try:
            start, end = (
                clock_time.fromisoformat(p.strip()) for p in wanted["quiet_hours"].split("-", 1)
            )
        except ValueError:
            raise usage_error("calendar", _("quiet_hours look like 20:00-07:00.")) from None
        if start == end:
            raise usage_error("calendar", _("quiet hours need a start and a different end."))
        settings["quiet_hours"] = f"{start:%H:%M}-{end:%H:%M}"
    if "grace_hours" in wanted:
        raw = wanted["grace_hours"]
        if not raw.replace(".", "", 1).isdigit() or not 0 < float(raw) <= 48:
            raise usage_error("calendar", _("grace_hours is a number of hours from 0.5 to 48."))
        settings["misfire_grace_hours"] = float(raw)
    program.settings = settings
    ctx.repos.programs.save(program)
    day_names = ", ".join(weekday_name(d, short=True) for d in sorted(school_days(program)))
    grace = float(settings.get("misfire_grace_hours", 6))
    return text_message(
        ngettext(
            "{program}: school days {days}; quiet hours {quiet}; a check-in missed during "
            "downtime is sent up to {hours} hour late.",
            "{program}: school days {days}; quiet hours {quiet}; a check-in missed during "
            "downtime is sent up to {hours} hours late.",
            1 if grace == 1 else 2,
        ).format(
            program=program.name,
            days=day_names,
            quiet=settings.get("quiet_hours", "20:00-07:00"),
            hours=number(grace),
        )
    )
