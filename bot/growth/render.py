"""The growth record in chat: the same sections as the exported page, short enough to read there.

Everything a person wrote (goals, a focus, colleagues' names, feedback) is wrapped in ``said`` so
every renderer shows it as the characters it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.checkins.message import NO_GOAL
from bot.growth.model import (
    GrowthRecord,
    Meetings,
    ObservationEntry,
    ObservationRole,
    StudyEntry,
    StudyRole,
)
from bot.growth.record import hours_rule, hours_text, took_place, trend_words
from bot.kernel.i18n import N_, _, ngettext, when
from bot.kernel.messages import Actions, Block, Button, Context, Message, Section, said
from bot.study.model import PHASE_WORDS, Phase

EXPORT_ACTION = "growth.export"
GENERAL = N_("your teaching in general (no goal set)")
ROLE_WORDS = {
    "mentee": N_("with your mentor"),
    "mentor": N_("as a mentor"),
    "peer": N_("with your group"),
}
"""Where a program's pairings put the teacher, shown as ``_(ROLE_WORDS[role])``."""


def local_day(moment: datetime, timezone: str) -> str:
    """ "Thu 26 Nov 2026" / "jue 26 nov 2026", on the teacher's own calendar."""
    return when(moment.astimezone(ZoneInfo(timezone)), "short_year")


def is_general(goal: str | None) -> bool:
    """A rating given before the teacher set any goal: about their teaching, not an earlier goal."""
    return not goal or goal == NO_GOAL


def goal_name(goal: str | None) -> str:
    return _(GENERAL) if is_general(goal) else str(goal)


def observation_status(entry: ObservationEntry, record: GrowthRecord) -> str:
    if not took_place(entry, record.made_at):
        return _("coming up")
    return _("feedback given") if entry.feedback_given else _("feedback not written yet")


def observation_line(entry: ObservationEntry, record: GrowthRecord) -> str:
    """Without the feedback unless it was asked for; never a look-for rating."""
    who = said(entry.colleague) if entry.colleague else _("a colleague")
    if entry.role is ObservationRole.RECEIVED:
        what = _("{who} observed your lesson").format(who=who)
    else:
        what = _("you observed {who}'s lesson").format(who=who)
    line = _("• {date}: {what}, focus *{focus}* ({status})").format(
        date=local_day(entry.starts_at, record.timezone),
        what=what,
        focus=said(entry.focus),
        status=observation_status(entry, record),
    )
    if entry.strengths:
        line += "\n    " + _("Strengths: {text}").format(text=said(entry.strengths))
    for step in entry.next_steps:
        line += "\n    " + _("Next step: {text}").format(text=said(step))
    return line


def study_words(entry: StudyEntry, quote: Callable[[str], str] = str) -> str:
    """What the teacher did in a cycle, in plain words that follow "you"; ``quote`` marks the focus,
    a colleague's words, for the renderer (chat passes ``said``; the page escapes the whole line)."""
    day = short_day(entry.lesson_on)
    if entry.role is StudyRole.TAUGHT:
        what = (
            _("taught the research lesson on {day}").format(day=day)
            if day
            else _("taught the research lesson on a day to be booked")
        )
    elif entry.role is StudyRole.OBSERVED:
        what = (
            _("observed the research lesson on {day}").format(day=day)
            if day
            else _("observed the research lesson on a day to be booked")
        )
        what += _(", watching {focus}").format(focus=quote(entry.focus)) if entry.focus else ""
    else:
        what = _("are planning the lesson with the group")
    if entry.notes:
        what += ngettext(
            "; {n} note on what students did", "; {n} notes on what students did", entry.notes
        ).format(n=entry.notes)
    if entry.revised:
        what += _("; proposed a revision")
    return what


def study_phase(entry: StudyEntry) -> str:
    words = PHASE_WORDS.get(Phase(entry.phase))
    return _(words) if words else entry.phase


def short_day(day: date | None) -> str:
    """ "Thu 26 Nov 2026", or "" for a lesson not booked yet."""
    return when(day, "short_year") if day else ""


def study_line(entry: StudyEntry) -> str:
    return _("• *{name}*: you {what} ({phase})").format(
        name=said(entry.name), what=study_words(entry, said), phase=study_phase(entry)
    )


def meetings_line(m: Meetings) -> str:
    place = _(ROLE_WORDS[m.role]) if m.role in ROLE_WORDS else ""
    answers = [_("met {n}").format(n=m.met)]
    answers += [_("not yet {n}").format(n=m.not_yet)] if m.not_yet else []
    answers += [_("couldn't {n}").format(n=m.cant)] if m.cant else []
    answers += [_("no answer {n}").format(n=m.unanswered)] if m.unanswered else []
    rounds = ngettext("{n} pairing", "{n} pairings", m.pairings).format(n=m.pairings)
    return _("• {program} {place}: {pairings}, {answers}").format(
        program=said(m.program), place=place, pairings=rounds, answers=", ".join(answers)
    )


def summary_fields(record: GrowthRecord) -> tuple[tuple[str, str], ...]:
    a = record.activity
    received = sum(1 for o in record.observations if o.role is ObservationRole.RECEIVED)
    given = len(record.observations) - received
    cycles = len(record.studies)
    met = sum(m.met for m in record.meetings)
    marks = a.helpful_marks_received
    return (
        (
            _("Observations"),
            _("{received} of your lessons, {given} of colleagues'").format(
                received=received, given=given
            ),
        ),
        (
            _("Reflections"),
            _("{n} ({after} after a check-in)").format(
                n=a.reflections, after=a.reflections_after_checkin
            ),
        ),
        (_("Check-ins answered"), str(a.checkins_answered)),
        (
            _("Lesson study"),
            ngettext(
                "{n} cycle, {held} with the lesson taught",
                "{n} cycles, {held} with the lesson taught",
                cycles,
            ).format(n=cycles, held=record.studies_held),
        ),
        (_("Meetings"), ngettext("{n} pairing met", "{n} pairings met", met).format(n=met)),
        (
            _("Resources"),
            ngettext(
                "{shared} shared, marked helpful {n} time",
                "{shared} shared, marked helpful {n} times",
                marks,
            ).format(shared=a.resources_shared, n=marks),
        ),
        (_("Estimated hours"), hours_text(record.hours.total)),
    )


def record_message(record: GrowthRecord) -> Message:
    a = record.activity
    title = _("Your growth record: {period}").format(period=record.period.label)
    observations = "\n".join(observation_line(o, record) for o in record.observations)
    studies = "\n".join(study_line(s) for s in record.studies)
    meetings = "\n".join(meetings_line(m) for m in record.meetings)
    resources = ngettext(
        "You shared {shared}; colleagues marked them helpful {n} time; you marked {found} "
        "helpful yourself.",
        "You shared {shared}; colleagues marked them helpful {n} times; you marked {found} "
        "helpful yourself.",
        a.helpful_marks_received,
    ).format(shared=a.resources_shared, n=a.helpful_marks_received, found=a.resources_found_helpful)
    feedback = (
        _("It includes the feedback colleagues wrote you.")
        if record.period.with_feedback
        else _("Feedback text is left out; add `with feedback` to include it.")
    )
    blocks: list[Block] = [
        Section(_("*Your growth record: {period}*").format(period=record.period.label)),
        Section(fields=summary_fields(record)),
        Section(_("*Goals and confidence*") + "\n" + _goals(record)),
        Section(_("*Observations*") + "\n" + (observations or _("None yet."))),
        Section(_("*Lesson study*") + "\n" + (studies or _("No lesson-study cycles yet."))),
        Section(
            _("*Meetings with your mentor or group*") + "\n" + (meetings or _("No pairings yet."))
        ),
        Section(_("*Resources*") + "\n" + resources),
        Context(hours_rule()),
        Context(_("Only you can produce this record.") + " " + feedback),
        Actions(
            (
                Button(
                    _("Download (HTML + CSV)"),
                    EXPORT_ACTION,
                    record.period.token(),
                    style="primary",
                    description=_("Download your growth record as a printable page and a CSV file"),
                ),
            )
        ),
    ]
    return Message(text=title, blocks=tuple(blocks))


def _goals(record: GrowthRecord) -> str:
    lines = []
    for i, goal in enumerate(record.goals):
        star = "★ " if i == 0 else ""
        trend = trend_words(record, goal)
        named = star + said(goal)
        lines.append(
            _("• {goal}: confidence {trend}").format(goal=named, trend=trend)
            if trend
            else _("• {goal}: no confidence ratings in this period").format(goal=named)
        )
    for earlier in record.trend_goals:
        if earlier not in record.goals:
            line = (
                _("• {goal}: confidence {trend}")
                if is_general(earlier)
                else _("• {goal} (earlier): confidence {trend}")
            )
            lines.append(
                line.format(goal=said(goal_name(earlier)), trend=trend_words(record, earlier))
            )
    return "\n".join(lines) or _("No goals yet: `goals add …` sets one.")
