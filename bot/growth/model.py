"""What a teacher's growth record holds: the figures storage gathers, and the record built from them.

The record is the teacher's own evidence of professional learning (appraisal, PD hours), so it holds
what they did and what they chose to keep, never a colleague's private words: feedback text appears
only when the teacher asks for it, and look-for ratings never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True)
class Period:
    """Whole days in the teacher's own time zone, ``start`` to ``end`` inclusive."""

    start: date
    end: date
    label: str
    """How the record names it: "the last 12 months", "since 1 September 2026"."""
    with_feedback: bool = False
    """The teacher asked for the feedback they received to be written into the record."""

    def token(self) -> str:
        """What an export button carries to produce the same record again (never whose record)."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}" + (
            "+feedback" if self.with_feedback else ""
        )


@dataclass(frozen=True)
class Bucket:
    """One step of the confidence trend: a month, or several months over a long period."""

    label: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ConfidencePoint:
    goal: str | None
    """What the confidence was about when it was given; None for a check-in without a goal."""
    bucket: int
    average: float
    answers: int


class ObservationRole(StrEnum):
    RECEIVED = "received"
    """Someone observed the teacher's lesson."""
    GIVEN = "given"
    """The teacher observed a colleague's lesson."""


@dataclass(frozen=True)
class ObservationEntry:
    role: ObservationRole
    starts_at: datetime
    ends_at: datetime
    focus: str
    colleague: str
    """The observer for one received, the observed teacher for one given; "" if there is nobody."""
    feedback_given: bool
    strengths: str = ""
    """Only filled for a received observation when the teacher asked ``with feedback``."""
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    """The counts of the period, each gathered by storage in one statement."""

    reflections: int = 0
    reflections_after_checkin: int = 0
    reflections_shared: int = 0
    checkins_answered: int = 0
    resources_shared: int = 0
    helpful_marks_received: int = 0
    """Colleagues' "helpful" marks on what the teacher shared."""
    resources_found_helpful: int = 0
    """Resources the teacher marked helpful themselves."""


@dataclass(frozen=True)
class Meetings:
    """One program's pairings of the period, by the "did you meet?" answer."""

    program: str
    role: str
    met: int = 0
    not_yet: int = 0
    cant: int = 0
    unanswered: int = 0

    @property
    def pairings(self) -> int:
        return self.met + self.not_yet + self.cant + self.unanswered


class StudyRole(StrEnum):
    TAUGHT = "taught"
    """The teacher taught the group's research lesson."""
    OBSERVED = "observed"
    """The teacher observed the research lesson a colleague taught."""
    PLANNED = "planned"
    """The teacher is in the group and the lesson is not booked yet."""


@dataclass(frozen=True)
class StudyEntry:
    """A lesson-study cycle the teacher took part in: what they did in it, never the notes' words."""

    name: str
    role: StudyRole
    phase: str
    """The phase's stored name (``plan`` … ``done``); the renderers word it."""
    started_at: datetime
    lesson_on: date | None
    focus: str
    """For an observer: the students or look-for they were given to watch."""
    notes: int
    """How many notes the teacher posted about what students did."""
    revised: bool
    """The teacher proposed their one revision to the lesson."""


@dataclass(frozen=True)
class Hours:
    reflections: float
    observations: float
    meetings: float
    studies: float = 0.0

    @property
    def total(self) -> float:
        return self.reflections + self.observations + self.meetings + self.studies


@dataclass(frozen=True)
class GrowthRecord:
    name: str
    period: Period
    made_at: datetime
    timezone: str
    goals: tuple[str, ...]
    """The teacher's goals now, their focus first."""
    buckets: tuple[Bucket, ...]
    confidence: tuple[ConfidencePoint, ...]
    observations: tuple[ObservationEntry, ...]
    activity: Activity
    meetings: tuple[Meetings, ...]
    hours: Hours
    studies: tuple[StudyEntry, ...] = ()
    studies_held: int = 0
    """Lesson-study cycles whose research lesson has taken place: what the hours count."""
    observations_held: int = 0
    """Observations (either side) whose lesson has taken place: what the hours count."""
    trend_goals: tuple[str | None, ...] = field(default=())
    """The goals the trend shows, in the order it shows them: current goals first."""
