"""Who could observe a lesson, best first, read so the cost follows the people free then, not the school.

The order is the core's (``bot.observations.suggest.rank``): declared free before unknown, the
requester's mentor or group first, then fit (subject, grades, a strength in the focus, a declared free
period), less ``FAIRNESS_WEIGHT`` for each observation given lately, then the earliest to join.

Fairness is the one part that needs other rows (a count of each candidate's recent observations), and
it only ever lowers a score. So candidates are read in order of fit alone, a page at a time, their
recent observations counted for that page only; reading stops once no unread candidate could rank
among the best ``limit``: their fit is at most the last page's, and a fit is the most a score can be.
Among 50,000 teachers that is one or two pages instead of counting every free colleague's history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    any_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from bot.kernel.domain import MemberStatus, Role
from bot.observations.model import (
    DECLARED_FREE_WEIGHT,
    FAIRNESS_WEIGHT,
    GRADE_WEIGHT,
    MAX_LESSON,
    STRENGTH_WEIGHT,
    SUBJECT_WEIGHT,
    CandidateFacts,
    Preference,
    RequestStatus,
)
from bot.observations.ports import Slot
from storage.models.members import MemberRow
from storage.models.observations import FreePeriodRow, ObservationRequestRow

BUSY = (RequestStatus.CONFIRMED.value, RequestStatus.DONE.value)
"""Statuses in which the observer has given that time to someone."""
TEACHING = (RequestStatus.ASKING.value, RequestStatus.CONFIRMED.value, RequestStatus.DONE.value)
"""Statuses in which the requester told us they teach then: they cannot observe anyone else."""
PAGE = 400
"""Candidates read at a time: a page usually settles it; a school where the best-fitting are also the
busiest observers reads another."""

M, F, R = MemberRow, FreePeriodRow, ObservationRequestRow


@dataclass(frozen=True)
class Lesson:
    exclude_member_id: int
    slots: dict[str, Slot]
    starts_at: datetime
    ends_at: datetime
    fairness_since: datetime


def matches_any(
    column: Any, needles: list[str], weight: float, dialect: str
) -> ColumnElement[float]:
    """``weight`` when the JSON list's text contains one of the (JSON-encoded) needles, else 0.

    Lists are stored as JSON text on both databases, so a case-insensitive LIKE on ``"maths"``
    matches the element "Maths" exactly, and on ``questioning`` any strength containing the word, as
    ``rank`` does. JSON text is ASCII (other letters are ``\\u`` escapes), so SQLite's own LIKE,
    which ignores ASCII case, needs no ``lower()``: there that is a Python function called for
    every candidate, most of what a search among thousands cost.
    """
    if not needles:
        return literal(0.0)
    text = cast(column, Text) if dialect == "sqlite" else func.lower(cast(column, Text))
    hits = [text.like("%" + _escape(n) + "%", escape="\\") for n in needles]
    return case((or_(*hits), weight), else_=0.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_candidates(
    session: Session,
    workspace_id: int,
    lesson: Lesson,
    *,
    include_undeclared: bool,
    preference: Preference,
) -> list[CandidateFacts]:
    dialect = session.get_bind().dialect.name
    query = _by_fit(workspace_id, lesson, include_undeclared, preference, dialect)
    limit = preference.limit
    partners = preference.partner_ids
    found: list[tuple[tuple[int, int, float, int, int], Any, int]] = []
    offset = 0
    while True:
        rows = session.execute(query.offset(offset).limit(PAGE)).all()
        lately = _observed_lately(
            session, workspace_id, [r[0] for r in rows], lesson.fairness_since
        )
        for row in rows:
            member_id, declared, row_fit = row[0], row[5], row[6]
            observed = lately.get(member_id, 0)
            key = (
                0 if declared else 1,
                0 if member_id in partners else 1,
                FAIRNESS_WEIGHT * observed - float(row_fit),
                observed,
                member_id,
            )
            found.append((key, row, observed))
        found.sort(key=lambda entry: entry[0])
        del found[limit:]
        if len(rows) < PAGE:
            break
        # The best an unread candidate could be: no fairness taken off the last fit read.
        member_id, *_, declared, row_fit = rows[-1]
        best_unread = (
            0 if declared else 1,
            0 if member_id in partners else 1,
            -float(row_fit),
            0,
            member_id,
        )
        if len(found) == limit and found[-1][0] <= best_unread:
            break
        offset += PAGE
    return [_facts(row, observed) for _, row, observed in found]


def _facts(row: Any, observed: int) -> CandidateFacts:
    """Only the few kept are parsed: lists come back as JSON text (SQLAlchemy's per-value JSON
    processing was most of the time spent for a few hundred candidates)."""
    member_id, name, subjects, grades, strengths, declared, _fit = row
    return CandidateFacts(
        member_id=member_id,
        display_name=name,
        subjects=tuple(json.loads(subjects or "[]")),
        grade_bands=tuple(json.loads(grades or "[]")),
        strengths=tuple(json.loads(strengths or "[]")),
        declared_free=bool(declared),
        observed_lately=observed,
    )


def _by_fit(
    workspace_id: int,
    lesson: Lesson,
    include_undeclared: bool,
    preference: Preference,
    dialect: str,
) -> Select[int, str, str, str, str, bool, float]:
    """Available members in the core's order without fairness: (declared, partner, fit, id)."""
    # Free periods are in each member's own time zone, and each carries it: per zone, that zone's
    # periods covering the lesson there, from the index alone, so the read starts from the people
    # free then and never from the school.
    per_zone = [
        select(F.member_id.label("member_id")).where(
            F.workspace_id == workspace_id,
            F.weekday == weekday,
            F.timezone == tz,
            F.start_time <= start,
            F.end_time >= end,
        )
        for tz, (weekday, start, end) in lesson.slots.items()
    ]
    if not per_zone:  # a lesson crossing midnight everywhere: nobody's period can cover it
        per_zone = [select(literal(0).label("member_id")).where(false())]
    free = per_zone[0] if len(per_zone) == 1 else union(*per_zone)
    declared: ColumnElement[bool] = M.id.in_(free)
    overlapping = (
        R.workspace_id == workspace_id,
        R.starts_at > lesson.starts_at - MAX_LESSON,
        R.starts_at < lesson.ends_at,
        R.ends_at > lesson.starts_at,
    )
    busy = select(R.observer_id).where(*overlapping, R.observer_id.is_not(None), R.status.in_(BUSY))
    teaching = select(R.requester_id).where(*overlapping, R.status.in_(TEACHING))
    if include_undeclared:
        # Coordinators observe only when they declared free periods: an unasked-for visit from
        # the PD lead would feel like an evaluation, which this never is.
        no_periods = ~exists(select(F.id).where(F.member_id == M.id))
        is_declared: ColumnElement[bool] = declared
        available: ColumnElement[bool] = or_(
            declared, and_(no_periods, M.role == Role.TEACHER.value)
        )
    else:
        is_declared = literal(True)
        # PostgreSQL would hash-join a few thousand ids against every member of the district; as
        # one array, computed once, they are looked up by primary key instead.
        available = (
            M.id == any_(func.array(free.scalar_subquery()))
            if dialect == "postgresql"
            else declared
        )
    fit = (
        matches_any(
            M.subjects, [json.dumps(v) for v in preference.subjects], SUBJECT_WEIGHT, dialect
        )
        + matches_any(
            M.grade_bands, [json.dumps(v) for v in preference.grades], GRADE_WEIGHT, dialect
        )
        + matches_any(
            M.strengths,
            [json.dumps(t)[1:-1] for t in preference.focus_terms],
            STRENGTH_WEIGHT,
            dialect,
        )
        + case((is_declared, DECLARED_FREE_WEIGHT), else_=0.0)
    )
    partner = M.id.in_(sorted(preference.partner_ids)) if preference.partner_ids else false()
    lesson_day = lesson.starts_at.date()
    # Lists come back as JSON text and are parsed here: SQLAlchemy's per-value JSON processing
    # was most of the time spent for a few hundred candidates.
    query = (
        select(
            M.id,
            M.display_name,
            cast(M.subjects, Text),
            cast(M.grade_bands, Text),
            cast(M.strengths, Text),
            is_declared,
            fit,
        )
        .where(
            M.workspace_id == workspace_id,
            M.id != lesson.exclude_member_id,
            M.reachable.is_(True),
            or_(
                M.status == MemberStatus.ACTIVE.value,
                and_(M.status == MemberStatus.PAUSED.value, M.paused_until < lesson_day),
            ),
            available,
            M.id.not_in(busy),
            M.id.not_in(teaching),
        )
        .order_by(case((is_declared, 0), else_=1), case((partner, 0), else_=1), fit.desc(), M.id)
    )
    return query


def _observed_lately(
    session: Session, workspace_id: int, member_ids: Sequence[int], since: datetime
) -> dict[int, int]:
    """Each of these members' observations given since ``since``: one grouped read by observer."""
    if not member_ids:
        return {}
    rows = session.execute(
        select(R.observer_id, func.count())
        .where(
            R.workspace_id == workspace_id,
            R.observer_id.in_(member_ids),
            R.starts_at >= since,
            R.status.in_(BUSY),
        )
        .group_by(R.observer_id)
    )
    return {int(member_id or 0): int(n) for member_id, n in rows}
