"""Building a teacher's growth record from the few figures storage aggregates, and the hours rule.

The hours are an estimate a teacher can defend, stated in the record itself so whoever reads it
knows how it was made: each reflection about 10 minutes (a check-in's or one written on its own),
each observation whose lesson has taken place about an hour on either side (the lesson, the
conversation, the feedback), each lesson-study cycle whose research lesson has taken place about two
hours (planning together, the lesson, the debrief), and each pairing answered "we met" about 30
minutes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.growth.model import (
    Bucket,
    ConfidencePoint,
    GrowthRecord,
    Hours,
    ObservationEntry,
    Period,
    StudyEntry,
)
from bot.growth.period import months_before
from bot.kernel.domain import Member
from bot.kernel.i18n import _, number, when
from bot.kernel.ports import Scope

REFLECTION_MINUTES = 10
OBSERVATION_MINUTES = 60
MEETING_MINUTES = 30
STUDY_MINUTES = 120


def hours_rule() -> str:
    """How the hours are estimated, stated in the record itself."""
    return _(
        "Estimated hours: each reflection ≈ {reflection} min, each observation that took "
        "place ≈ {observation} h (observing or being observed), each lesson-study "
        "cycle whose research lesson took place ≈ {study} h (planning, the lesson, the "
        "debrief), each pairing you answered “we met” ≈ {meeting} min. An estimate from what "
        "Staffroom recorded, not a measurement."
    ).format(
        reflection=REFLECTION_MINUTES,
        observation=OBSERVATION_MINUTES // 60,
        study=STUDY_MINUTES // 60,
        meeting=MEETING_MINUTES,
    )


LESSON_TAUGHT = frozenset({"debrief", "revise", "reteach", "done"})
"""Phases a cycle reaches only once its research lesson has been taught."""
MAX_STEPS = 13
"""The trend shows at most this many steps: months, or several months each over a long period. A
year that starts on any day but the first touches 13 calendar months, so the default stays monthly."""


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def buckets(period: Period, tz: ZoneInfo) -> tuple[Bucket, ...]:
    """Calendar months of the period (the first and last cut to it), merged into at most
    ``MAX_STEPS`` steps so a long look back still reads at a glance."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    size = -(-months // MAX_STEPS)
    first = period.start.replace(day=1)
    found = []
    for index in range(0, months, size):
        opens = max(months_before(first, -index), period.start)
        closes = min(months_before(first, -(index + size)), period.end + timedelta(days=1))
        last_day = closes - timedelta(days=1)
        month = when(opens, "month_year")
        label = month if size == 1 else f"{month}–{when(last_day, 'month_year')}"
        found.append(Bucket(label, local_midnight(opens, tz), local_midnight(closes, tz)))
    return tuple(found)


def build_record(repos: Scope, member: Member, period: Period, now: datetime) -> GrowthRecord:
    """The record for ``member``, who is always the person asking (``bot.growth.chat``)."""
    assert member.id is not None
    tz = ZoneInfo(member.timezone)
    steps = buckets(period, tz)
    since, until = steps[0].starts_at, steps[-1].ends_at
    growth = repos.growth
    confidence = growth.confidence(member.id, [steps[0].starts_at, *(b.ends_at for b in steps)])
    observations = growth.observations(member.id, since, until, with_feedback=period.with_feedback)
    activity = growth.activity(member.id, since, until)
    meetings = growth.meetings(member.id, since, until)
    studies = growth.studies(member.id, since, until)
    held = sum(1 for o in observations if o.ends_at <= now)
    studied = sum(1 for s in studies if lesson_took_place(s, now.astimezone(tz).date()))
    met = sum(m.met for m in meetings)
    hours = Hours(
        reflections=activity.reflections * REFLECTION_MINUTES / 60,
        observations=held * OBSERVATION_MINUTES / 60,
        meetings=met * MEETING_MINUTES / 60,
        studies=studied * STUDY_MINUTES / 60,
    )
    return GrowthRecord(
        name=member.display_name,
        period=period,
        made_at=now,
        timezone=member.timezone,
        goals=tuple(member.goals),
        buckets=steps,
        confidence=tuple(confidence),
        observations=tuple(observations),
        activity=activity,
        meetings=tuple(meetings),
        hours=hours,
        observations_held=held,
        studies=tuple(studies),
        studies_held=studied,
        trend_goals=_trend_goals(member.goals, confidence),
    )


def lesson_took_place(entry: StudyEntry, today: date) -> bool:
    """Taught once the cycle has moved past teaching, or once its day is over."""
    return entry.lesson_on is not None and (entry.phase in LESSON_TAUGHT or entry.lesson_on < today)


def _trend_goals(goals: list[str], points: list[ConfidencePoint]) -> tuple[str | None, ...]:
    """Current goals first, in their order (the focus on top), then earlier goals, latest first."""
    rated = {p.goal for p in points}
    latest: dict[str | None, int] = {}
    for p in points:
        latest[p.goal] = max(latest.get(p.goal, -1), p.bucket)
    current = [g for g in goals if g in rated]
    earlier = sorted(rated - set(current), key=lambda g: (-latest[g], g or ""))
    return (*current, *earlier)


def series(record: GrowthRecord, goal: str | None) -> list[ConfidencePoint | None]:
    """One goal's average confidence at each step of the trend; None where it was not rated."""
    by_step = {p.bucket: p for p in record.confidence if p.goal == goal}
    return [by_step.get(i) for i in range(len(record.buckets))]


def trend_words(record: GrowthRecord, goal: str | None) -> str:
    """ "2.5 → 4.0 (up 1.5)": the first and latest steps this goal was rated in."""
    rated = [p for p in series(record, goal) if p is not None]
    if not rated:
        return ""
    first, latest = rated[0], rated[-1]
    if len(rated) == 1:
        return number(latest.average, digits=1)
    change = latest.average - first.average
    if change > 0.05:
        words = _("{first} → {latest} (up {by})")
    elif change < -0.05:
        words = _("{first} → {latest} (down {by})")
    else:
        words = _("{first} → {latest} (steady)")
    return words.format(
        first=number(first.average, digits=1),
        latest=number(latest.average, digits=1),
        by=number(abs(change), digits=1),
    )


def took_place(entry: ObservationEntry, now: datetime) -> bool:
    return entry.ends_at <= now


def hours_text(hours: float) -> str:
    return f"{number(hours, digits=1)} h"
