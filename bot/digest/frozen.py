"""A closed week's check-in figures are read once and then kept: every later read sees the same.

Recomputing a past week on every read would let two reads give one teacher away: a late answer, or a
teacher moved from mentee to mentor, changes the figures by exactly that person. So the first read after
a week has closed (in the program's time zone) stores its figures, whole program and per role, and
every digest, format and command afterwards shows those. A week still open is counted live; nothing
shows it to a coordinator but an explicit ``digest --week`` for it.

The program's own questions follow the same rule: a late answer, a changed answer or a forget-me
after the week closed would otherwise move a count or a spread by exactly one teacher's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import TypeVar

from bot.digest.model import CheckinFigures, FrozenWeek, QuestionFigures
from bot.digest.ports import DigestQueries
from bot.digest.weeks import Week
from bot.kernel.domain import Program

T = TypeVar("T")


def is_closed(week: Week, program: Program, now: datetime) -> bool:
    return now >= week.bounds(program.timezone)[1]


def week_figures(
    queries: DigestQueries, program: Program, weeks: Sequence[Week], now: datetime
) -> dict[str, FrozenWeek]:
    """Each week's figures: frozen ones as stored, closed ones frozen now, open ones counted live."""
    assert program.id is not None
    pid = program.id

    def live(labels: list[str]) -> dict[str, FrozenWeek]:
        totals = queries.checkin_weeks(pid, labels)
        return {
            w: FrozenWeek(totals.get(w, CheckinFigures()), tuple(queries.checkins_by_role(pid, w)))
            for w in labels
        }

    return _read_or_freeze(
        program,
        weeks,
        now,
        partial(queries.frozen_weeks, pid),
        live,
        partial(queries.freeze_week, pid),
    )


def question_figures(
    queries: DigestQueries, program: Program, weeks: Sequence[Week], now: datetime
) -> dict[str, list[QuestionFigures]]:
    """Each week's question figures: frozen as stored, closed ones frozen now, open ones live."""
    assert program.id is not None
    pid = program.id

    def live(labels: list[str]) -> dict[str, list[QuestionFigures]]:
        counted = queries.question_weeks(pid, labels)
        return {w: counted.get(w, []) for w in labels}

    return _read_or_freeze(
        program,
        weeks,
        now,
        partial(queries.frozen_questions, pid),
        live,
        partial(queries.freeze_questions, pid),
    )


def _read_or_freeze(
    program: Program,
    weeks: Sequence[Week],
    now: datetime,
    frozen: Callable[[list[str]], dict[str, T]],
    live: Callable[[list[str]], dict[str, T]],
    freeze: Callable[[str, T, datetime], None],
) -> dict[str, T]:
    labels = [w.label for w in weeks]
    found = frozen(labels)
    missing = [w for w in weeks if w.label not in found]
    if not missing:
        return found
    counted = live([w.label for w in missing])
    froze = False
    for week in missing:
        found[week.label] = counted[week.label]
        if is_closed(week, program, now):
            freeze(week.label, counted[week.label], now)
            froze = True
    if froze:  # another copy may have frozen a week first: its figures are the ones that stand
        found.update(frozen(labels))
    return found
