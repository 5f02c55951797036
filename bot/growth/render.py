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
from bot.growth.record import HOURS_RULE, hours_text, took_place, trend_words
from bot.kernel.messages import Actions, Block, Button, Context, Message, Section, said
from bot.study.model import PHASE_WORDS, Phase

EXPORT_ACTION = "growth.export"
GENERAL = "your teaching in general (no goal set)"
ROLE_WORDS = {
    "mentee": "with your mentor",
    "mentor": "with your mentee(s)",
    "peer": "with your group",
}


def local_day(moment: datetime, timezone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(timezone)):%a %d %b %Y}"


def is_general(goal: str | None) -> bool:
    """A rating given before the teacher set any goal: about their teaching, not an earlier goal."""
    return not goal or goal == NO_GOAL


def goal_name(goal: str | None) -> str:
    return GENERAL if is_general(goal) else str(goal)


def observation_line(entry: ObservationEntry, record: GrowthRecord) -> str:
    """Without the feedback unless it was asked for; never a look-for rating."""
    when = local_day(entry.starts_at, record.timezone)
    who = said(entry.colleague) if entry.colleague else "a colleague"
    if entry.role is ObservationRole.RECEIVED:
        what = f"{who} observed your lesson"
    else:
        what = f"you observed {who}'s lesson"
    if not took_place(entry, record.made_at):
        state = "coming up"
    elif entry.feedback_given:
        state = "feedback given"
    else:
        state = "feedback not written yet"
    line = f"• {when}: {what}, focus *{said(entry.focus)}* ({state})"
    if entry.strengths:
        line += f"\n    Strengths: {said(entry.strengths)}"
    for step in entry.next_steps:
        line += f"\n    Next step: {said(step)}"
    return line


def study_words(entry: StudyEntry, quote: Callable[[str], str] = str) -> str:
    """What the teacher did in a cycle, in plain words; ``quote`` marks the focus, a colleague's
    words, for the renderer (chat passes ``said``; the page escapes the whole line)."""
    if entry.role is StudyRole.TAUGHT:
        what = f"taught the research lesson on {short_day(entry.lesson_on)}"
    elif entry.role is StudyRole.OBSERVED:
        what = f"observed the research lesson on {short_day(entry.lesson_on)}"
        what += f", watching {quote(entry.focus)}" if entry.focus else ""
    else:
        what = "are planning the lesson with the group"
    if entry.notes:
        what += f"; {plural(entry.notes, 'note')} on what students did"
    if entry.revised:
        what += "; proposed a revision"
    return what


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def study_phase(entry: StudyEntry) -> str:
    return PHASE_WORDS.get(Phase(entry.phase), entry.phase)


def short_day(day: date | None) -> str:
    return f"{day:%a %d %b %Y}" if day else "a day to be booked"


def study_line(entry: StudyEntry) -> str:
    return f"• *{said(entry.name)}*: you {study_words(entry, said)} ({study_phase(entry)})"


def meetings_line(m: Meetings) -> str:
    place = ROLE_WORDS.get(m.role, "")
    answers = [f"met {m.met}"]
    answers += [f"not yet {m.not_yet}"] if m.not_yet else []
    answers += [f"couldn't {m.cant}"] if m.cant else []
    answers += [f"no answer {m.unanswered}"] if m.unanswered else []
    rounds = "pairing" if m.pairings == 1 else "pairings"
    return f"• {said(m.program)} {place}: {m.pairings} {rounds}, " + ", ".join(answers)


def summary_fields(record: GrowthRecord) -> tuple[tuple[str, str], ...]:
    a = record.activity
    received = sum(1 for o in record.observations if o.role is ObservationRole.RECEIVED)
    given = len(record.observations) - received
    return (
        ("Observations", f"{received} of your lessons, {given} of colleagues'"),
        ("Reflections", f"{a.reflections} ({a.reflections_after_checkin} after a check-in)"),
        ("Check-ins answered", str(a.checkins_answered)),
        (
            "Lesson study",
            f"{plural(len(record.studies), 'cycle')}, {record.studies_held} with the lesson taught",
        ),
        ("Meetings", f"{sum(m.met for m in record.meetings)} pairings met"),
        (
            "Resources",
            f"{a.resources_shared} shared, marked helpful {plural(a.helpful_marks_received, 'time')}",
        ),
        ("Estimated hours", hours_text(record.hours.total)),
    )


def record_message(record: GrowthRecord) -> Message:
    blocks: list[Block] = [
        Section(f"*Your growth record: {record.period.label}*"),
        Section(fields=summary_fields(record)),
        Section("*Goals and confidence*\n" + _goals(record)),
        Section(
            "*Observations*\n"
            + ("\n".join(observation_line(o, record) for o in record.observations) or "None yet.")
        ),
        Section(
            "*Lesson study*\n"
            + ("\n".join(study_line(s) for s in record.studies) or "No lesson-study cycles yet.")
        ),
        Section(
            "*Meetings with your mentor or group*\n"
            + ("\n".join(meetings_line(m) for m in record.meetings) or "No pairings yet.")
        ),
        Section(
            "*Resources*\n"
            f"You shared {record.activity.resources_shared}; colleagues marked them helpful "
            f"{plural(record.activity.helpful_marks_received, 'time')}; you marked "
            f"{record.activity.resources_found_helpful} helpful yourself."
        ),
        Context(HOURS_RULE),
        Context(
            "Only you can produce this record. "
            + (
                "It includes the feedback colleagues wrote you."
                if record.period.with_feedback
                else "Feedback text is left out; add `with feedback` to include it."
            )
        ),
        Actions(
            (
                Button(
                    "Download (HTML + CSV)",
                    EXPORT_ACTION,
                    record.period.token(),
                    style="primary",
                    description="Download your growth record as a printable page and a CSV file",
                ),
            )
        ),
    ]
    return Message(text=f"Your growth record: {record.period.label}", blocks=tuple(blocks))


def _goals(record: GrowthRecord) -> str:
    lines = []
    for i, goal in enumerate(record.goals):
        star = "★ " if i == 0 else ""
        trend = trend_words(record, goal)
        lines.append(
            f"• {star}{said(goal)}: "
            + (f"confidence {trend}" if trend else "no confidence ratings in this period")
        )
    for earlier in record.trend_goals:
        if earlier not in record.goals:
            when = "" if is_general(earlier) else " (earlier)"
            lines.append(
                f"• {said(goal_name(earlier))}{when}: confidence {trend_words(record, earlier)}"
            )
    return "\n".join(lines) or "No goals yet: `goals add …` sets one."
