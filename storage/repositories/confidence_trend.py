"""Keeps ``checkins.confidence_falling`` true on exactly the answers that end a fall
(``bot.checkins.trend``), so the digest's "confidence has fallen" reads a handful of flagged rows
through ``ix_checkins_falling`` rather than ranking six weeks of a whole program's answers.

An answer changes the flags of its own week and of the five weeks after it (whose runs it may be
part of); ``refresh_member`` rewrites just those. ``refresh_program`` does a whole program, for
rows loaded in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.checkins.trend import WINDOW_WEEKS, falling_weeks, week_shifted
from storage.models.checkins import CheckinRow
from storage.sql import chunks


def refresh_member(session: Session, program_id: int, member_id: int, week: str) -> None:
    """After an answer in ``week`` was given, changed or taken back."""
    reach = WINDOW_WEEKS - 1
    rows = session.execute(
        select(
            CheckinRow.id,
            CheckinRow.week,
            CheckinRow.confidence,
            CheckinRow.answered_at,
            CheckinRow.confidence_falling,
        ).where(
            CheckinRow.program_id == program_id,
            CheckinRow.member_id == member_id,
            CheckinRow.week >= week_shifted(week, -reach),
            CheckinRow.week <= week_shifted(week, reach),
        )
    ).all()
    falling = falling_weeks((w, c) for _, w, c, at, _ in rows if c is not None and at)
    for row_id, w, _, _, was in rows:
        if w >= week and (w in falling) != bool(was):
            session.execute(
                update(CheckinRow)
                .where(CheckinRow.id == row_id)
                .values(confidence_falling=w in falling)
            )


def refresh_program(session: Session, program_id: int) -> int:
    """Every flag of a program, from its answers; returns how many answers end a fall."""
    answers: dict[int, list[tuple[str, int]]] = defaultdict(list)
    ids: dict[tuple[int, str], int] = {}
    for row_id, member, week, confidence in session.execute(
        select(CheckinRow.id, CheckinRow.member_id, CheckinRow.week, CheckinRow.confidence).where(
            CheckinRow.program_id == program_id,
            CheckinRow.answered_at.is_not(None),
            CheckinRow.confidence.is_not(None),
        )
    ):
        answers[member].append((week, int(confidence or 0)))
        ids[(member, week)] = row_id
    flagged = [ids[(m, w)] for m, found in answers.items() for w in falling_weeks(found)]
    session.execute(
        update(CheckinRow)
        .where(CheckinRow.program_id == program_id, CheckinRow.confidence_falling.is_(True))
        .values(confidence_falling=False)
    )
    for part in chunks(flagged):
        _flag(session, part)
    return len(flagged)


def _flag(session: Session, ids: Iterable[int]) -> None:
    session.execute(
        update(CheckinRow).where(CheckinRow.id.in_(list(ids))).values(confidence_falling=True)
    )
