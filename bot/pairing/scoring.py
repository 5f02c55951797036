"""What a good match is: a weighted score a program can tune, computed for a whole roster at once.

Defaults, and why:

* ``subject`` 3.0: advice is most usable from someone who teaches the same thing.
* ``grade`` 2.0: the same grade band means the same stage of child development and the same exams.
* ``goals`` 4.0, the largest: the point of mentoring is that one person's strengths meet the other's
  goals ("help with classroom management" meets "good at behaviour"). For peers, shared goals count too.
* ``availability`` 1.5: overlapping working hours (time zones) make a live conversation possible;
  smaller than the rest because most of Staffroom is asynchronous anyway.
* ``school`` 1.0, applied as the program asks (``school=same`` for coaching on local context,
  ``school=different`` for fresh perspectives, ``any`` ignores it).
* ``experience`` 1.0 (mentoring only): more years between mentor and mentee, up to ten, is better.

A program picks a ``focus`` preset (``balanced``, ``subject``, ``grade``, ``cross_subject``,
``cross_school``) and may override any weight (``pair tune "Year 9 PLC" goals=6``). Cross-subject
groups make the subject weight negative: sharing a subject then counts against a match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray

from bot.pairing.model import Candidate, SchoolPreference
from bot.pairing.topics import TOPICS, topics_of

WORKDAY_HOURS = 9.0
"""Hours in a teacher's working day; two people overlap by this minus the gap between their clocks."""
EXPERIENCE_SPAN = 10.0


@dataclass(frozen=True)
class Weights:
    subject: float = 3.0
    grade: float = 2.0
    goals: float = 4.0
    availability: float = 1.5
    school: float = 1.0
    experience: float = 1.0
    school_preference: SchoolPreference = SchoolPreference.ANY

    @property
    def best_edge(self) -> float:
        """The highest score one pair can reach: what a repeat penalty must outweigh."""
        return sum(
            abs(float(getattr(self, f.name))) for f in fields(self) if f.name != "school_preference"
        )


FOCUS_PRESETS: dict[str, Weights] = {
    "balanced": Weights(),
    "subject": Weights(subject=5.0, grade=2.0),
    "grade": Weights(subject=2.0, grade=5.0),
    "cross_subject": Weights(subject=-3.0, grade=1.0),
    "cross_school": Weights(school=3.0, school_preference=SchoolPreference.DIFFERENT),
}
TUNABLE = ("subject", "grade", "goals", "availability", "school", "experience")


def weights_from_settings(settings: Mapping[str, Any]) -> Weights:
    """The program's focus preset with any weights it overrides; unknown keys are ignored."""
    base = FOCUS_PRESETS.get(str(settings.get("focus", "balanced")), Weights())
    overrides: dict[str, Any] = {
        k: float(settings[k]) for k in TUNABLE if isinstance(settings.get(k), int | float)
    }
    if settings.get("school_preference") in {p.value for p in SchoolPreference}:
        overrides["school_preference"] = SchoolPreference(str(settings["school_preference"]))
    return replace(base, **overrides)


@lru_cache(maxsize=1024)
def utc_offset_hours(tz: str, now: datetime) -> float:
    try:
        offset = now.astimezone(ZoneInfo(tz)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0.0
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def overlap_hours(offset_a: float, offset_b: float) -> float:
    gap = abs(offset_a - offset_b)
    gap = min(gap, 24 - gap)
    return max(0.0, WORKDAY_HOURS - gap)


class Scorer:
    """Every candidate as rows of small arrays, so a block's score matrix is a few matrix products."""

    def __init__(self, candidates: Sequence[Candidate], weights: Weights, now: datetime) -> None:
        self.candidates = list(candidates)
        self.weights = weights
        n = len(self.candidates)
        self.index = {c.member_id: i for i, c in enumerate(self.candidates)}
        self.subjects = _one_hot([[s.lower() for s in c.subjects] for c in self.candidates])
        self.grades = _one_hot([[g.lower() for g in c.grades] for c in self.candidates])
        topic_keys = [t.key for t in TOPICS]
        goal_topics = [topics_of(c.goals) for c in self.candidates]
        strength_topics = [topics_of(c.strengths) for c in self.candidates]
        self.goal_topics = np.array(
            [[k in g for k in topic_keys] for g in goal_topics], dtype=np.float32
        ).reshape(n, len(topic_keys))
        self.strength_topics = np.array(
            [[k in s for k in topic_keys] for s in strength_topics], dtype=np.float32
        ).reshape(n, len(topic_keys))
        self.goal_counts = np.maximum(self.goal_topics.sum(axis=1), np.float32(1.0))
        schools: dict[str, int] = {}
        self.school = np.array(
            [
                schools.setdefault(c.school.strip().lower(), len(schools)) if c.school else -1
                for c in self.candidates
            ],
            dtype=np.int64,
        )
        zones: dict[str, int] = {}
        self.zone = np.array(
            [zones.setdefault(c.timezone, len(zones)) for c in self.candidates], dtype=np.int64
        )
        zone_offsets = np.array([utc_offset_hours(z, now) for z in zones], dtype=np.float64)
        self.offset = zone_offsets[self.zone] if n else np.zeros(0)
        # Overlap of working days between every two time zones in the roster (a few distinct ones).
        self.overlap = np.array(
            [[overlap_hours(a, b) / WORKDAY_HOURS for b in zone_offsets] for a in zone_offsets],
            dtype=np.float32,
        ).reshape(len(zones), len(zones))
        self.years = np.array(
            [c.years if c.years is not None else 0 for c in self.candidates], dtype=np.float32
        )

    def matrix(
        self, rows: NDArray[np.int64], cols: NDArray[np.int64], *, mentoring: bool = False
    ) -> NDArray[np.float64]:
        """Scores of every row person with every column person (rows are mentees when mentoring)."""
        w = self.weights
        f32 = np.float32
        score = np.zeros((len(rows), len(cols)), dtype=f32)
        if w.subject:
            score += (self.subjects[rows] @ self.subjects[cols].T > 0) * f32(w.subject)
        if w.grade:
            score += (self.grades[rows] @ self.grades[cols].T > 0) * f32(w.grade)
        if w.goals:
            # coverage[i, j]: the share of i's goal topics that j's strengths cover.
            coverage = self.goal_topics[rows] @ self.strength_topics[cols].T
            coverage /= self.goal_counts[rows, None]
            if mentoring:
                score += coverage * f32(w.goals)
            else:
                back = self.strength_topics[rows] @ self.goal_topics[cols].T
                back /= self.goal_counts[None, cols]
                coverage += back
                coverage *= f32(0.5)
                coverage += (self.goal_topics[rows] @ self.goal_topics[cols].T > 0) * f32(0.5)
                np.minimum(coverage, f32(1.0), out=coverage)
                score += coverage * f32(w.goals)
        if w.availability:
            score += self.overlap[self.zone[rows][:, None], self.zone[cols][None, :]] * f32(
                w.availability
            )
        if w.school and w.school_preference is not SchoolPreference.ANY:
            a, b = self.school[rows, None], self.school[None, cols]
            known = (a >= 0) & (b >= 0)
            same = known & (a == b)
            wanted = same if w.school_preference is SchoolPreference.SAME else known & (a != b)
            score += wanted * f32(w.school)
        if mentoring and w.experience:
            gap = self.years[cols][None, :] - self.years[rows][:, None]
            score += np.clip(gap, 0, EXPERIENCE_SPAN) * f32(w.experience / EXPERIENCE_SPAN)
        return score.astype(np.float64)

    def pair_scores(
        self, rows: NDArray[np.int64], cols: NDArray[np.int64], *, mentoring: bool = False
    ) -> NDArray[np.float64]:
        """The scores of ``rows[k]`` with ``cols[k]`` for every k: ``matrix``'s diagonal, without the
        matrix. The same float32 steps in the same order, so the figures agree exactly."""
        w = self.weights
        f32 = np.float32
        score = np.zeros(len(rows), dtype=f32)
        if w.subject:
            score += ((self.subjects[rows] * self.subjects[cols]).sum(axis=1) > 0) * f32(w.subject)
        if w.grade:
            score += ((self.grades[rows] * self.grades[cols]).sum(axis=1) > 0) * f32(w.grade)
        if w.goals:
            coverage = (self.goal_topics[rows] * self.strength_topics[cols]).sum(axis=1)
            coverage /= self.goal_counts[rows]
            if mentoring:
                score += coverage * f32(w.goals)
            else:
                back = (self.strength_topics[rows] * self.goal_topics[cols]).sum(axis=1)
                back /= self.goal_counts[cols]
                coverage += back
                coverage *= f32(0.5)
                shared = (self.goal_topics[rows] * self.goal_topics[cols]).sum(axis=1) > 0
                coverage += shared * f32(0.5)
                np.minimum(coverage, f32(1.0), out=coverage)
                score += coverage * f32(w.goals)
        if w.availability:
            score += self.overlap[self.zone[rows], self.zone[cols]] * f32(w.availability)
        if w.school and w.school_preference is not SchoolPreference.ANY:
            a, b = self.school[rows], self.school[cols]
            known = (a >= 0) & (b >= 0)
            same = known & (a == b)
            wanted = same if w.school_preference is SchoolPreference.SAME else known & (a != b)
            score += wanted * f32(w.school)
        if mentoring and w.experience:
            gap = self.years[cols] - self.years[rows]
            score += np.clip(gap, 0, EXPERIENCE_SPAN) * f32(w.experience / EXPERIENCE_SPAN)
        return score.astype(np.float64)

    def pair(self, a: int, b: int, *, mentoring: bool = False) -> float:
        """The score of two people by member id (``a`` is the mentee when mentoring)."""
        rows = np.array([self.index[a]], dtype=np.int64)
        cols = np.array([self.index[b]], dtype=np.int64)
        return float(self.matrix(rows, cols, mentoring=mentoring)[0, 0])

    def group(self, member_ids: Sequence[int]) -> float:
        """A group's score: its pairwise scores summed over (size - 1), so each person counts once."""
        if len(member_ids) < 2:
            return 0.0
        idx = np.array([self.index[m] for m in member_ids], dtype=np.int64)
        m = self.matrix(idx, idx)
        return float((m.sum() - np.trace(m)) / 2 / (len(member_ids) - 1))


def _one_hot(items: list[list[str]]) -> NDArray[np.float32]:
    vocab: dict[str, int] = {}
    for row in items:
        for item in row:
            vocab.setdefault(item, len(vocab))
    out = np.zeros((len(items), max(1, len(vocab))), dtype=np.float32)
    for i, row in enumerate(items):
        for item in row:
            out[i, vocab[item]] = 1.0
    return out
