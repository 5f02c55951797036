"""When a teacher's confidence counts as falling: their last three answers, given within six weeks,
each lower than the one before.

Six weeks because a trend with a term's gap in it is not a trend; three answers because two are a
bad week. The rule is applied when an answer is written (``storage.repositories.confidence_trend``)
and kept on the check-in, so the digest reads the few who are falling instead of working out every
teacher's trend on every view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from itertools import pairwise

from bot.checkins.schedule import iso_week, week_monday

WINDOW_WEEKS = 6
ANSWERS = 3


def week_shifted(week: str, weeks: int) -> str:
    """The ISO week ``weeks`` after ``week`` (before it when negative)."""
    return iso_week(week_monday(week) + timedelta(weeks=weeks))


def falling_weeks(answers: Iterable[tuple[str, int]]) -> set[str]:
    """Of a teacher's answers in one program, ``(week, confidence)``, the weeks whose answer ends a
    fall: it and the two answers before it lie within ``WINDOW_WEEKS`` and each is lower than the
    one before."""
    ordered: Sequence[tuple[str, int]] = sorted(answers)
    found: set[str] = set()
    for i in range(ANSWERS - 1, len(ordered)):
        run = ordered[i - ANSWERS + 1 : i + 1]
        week = run[-1][0]
        if run[0][0] < week_shifted(week, -(WINDOW_WEEKS - 1)):
            continue
        if all(a[1] > b[1] for a, b in pairwise(run)):
            found.add(week)
    return found
