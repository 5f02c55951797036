"""The growth record's figures: one member's rows across features, aggregated in the database.

Five statements whatever the history's length, each bound to the workspace and to the one member the
core names. Statuses are read as stored strings rather than through another feature's enums, so a
feature can change how it words its answers without this file changing with it.

Each statement is built once, with bound parameters for the workspace, the member and the period:
building one with the ORM costs more than running it (Home asks for all five every time it is
opened), and a statement built once is compiled once too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import BindParameter, Executable

from bot.growth.model import (
    Activity,
    ConfidencePoint,
    Meetings,
    ObservationEntry,
    ObservationRole,
    StudyEntry,
    StudyRole,
)
from storage.models.checkins import CheckinRow
from storage.models.members import MemberRow
from storage.models.observations import ObservationFeedbackRow, ObservationRequestRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.programs import ProgramRow
from storage.models.reflections import ReflectionRow
from storage.models.resources import ResourceMarkRow, ResourceSharerRow
from storage.models.study import StudyCycleRow, StudyMemberRow, StudyNoteRow

AGREED = ("confirmed", "done")
"""Observations someone agreed to: the ones that belong in a record of what happened."""
ANSWERED = "answered"
HELPFUL = "helpful"
PRIVATE = "private"
MET_ANSWERS = ("met", "not_yet", "cant")
"""The stored "did you meet?" answers; no answer yet is NULL."""

WS: BindParameter[int] = bindparam("ws")
MEMBER: BindParameter[int] = bindparam("member")
SINCE: BindParameter[datetime] = bindparam("since")
UNTIL: BindParameter[datetime] = bindparam("until")
"""Every statement's parameters: the workspace, the member, and the period (``since`` included)."""


@lru_cache(maxsize=32)
def _confidence(edges: int) -> Executable:
    """Average confidence by goal and step, for ``edges`` edges (``edges - 1`` steps): ``edge_0`` to
    ``edge_{edges - 1}``, oldest first."""
    c = CheckinRow
    inner: list[BindParameter[datetime]] = [bindparam(f"edge_{i}") for i in range(1, edges - 1)]
    step: ColumnElement[int] = (
        case(*[(c.answered_at < edge, i) for i, edge in enumerate(inner)], else_=len(inner))
        if inner
        else literal(0)
    )
    return (
        select(c.goal, step.label("step"), func.avg(c.confidence), func.count())
        .where(
            c.workspace_id == WS,
            c.member_id == MEMBER,
            c.status == ANSWERED,
            c.confidence.is_not(None),
            c.answered_at >= bindparam("edge_0"),
            c.answered_at < bindparam(f"edge_{edges - 1}"),
        )
        .group_by(c.goal, "step")
    )


def _observations() -> Executable:
    r, f = ObservationRequestRow, ObservationFeedbackRow
    requester, observer = aliased(MemberRow), aliased(MemberRow)
    lessons = (r.workspace_id == WS, r.starts_at >= SINCE, r.starts_at < UNTIL)
    # One side each, so each reads its own index rather than every lesson of the period.
    mine = union_all(
        select(r.id).where(*lessons, r.requester_id == MEMBER),
        select(r.id).where(*lessons, r.observer_id == MEMBER),
    )
    return (
        select(
            r.requester_id,
            r.starts_at,
            r.ends_at,
            r.focus,
            requester.display_name,
            observer.display_name,
            f.id,
            f.strengths,
            f.suggestions,
        )
        # By primary key: the lessons are this workspace's, and so are their people.
        .join(requester, requester.id == r.requester_id)
        .outerjoin(observer, observer.id == r.observer_id)
        .outerjoin(f, and_(f.request_id == r.id, f.workspace_id == WS))
        .where(r.id.in_(mine), r.status.in_(AGREED))  # ids of this workspace only
        .order_by(r.starts_at, r.id)
    )


def _activity() -> Executable:
    rf, ck, sh, mk = ReflectionRow, CheckinRow, ResourceSharerRow, ResourceMarkRow

    def counted(*where: ColumnElement[bool], table: type = rf) -> ColumnElement[int]:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    reflection = (
        rf.workspace_id == WS,
        rf.member_id == MEMBER,
        rf.is_draft.is_(False),
        rf.created_at >= SINCE,
        rf.created_at < UNTIL,
    )
    mine = select(sh.resource_id).where(sh.workspace_id == WS, sh.member_id == MEMBER)
    marks = (mk.workspace_id == WS, mk.mark == HELPFUL, mk.marked_at >= SINCE)
    return select(
        counted(*reflection),
        counted(*reflection, rf.checkin_id.is_not(None)),
        counted(*reflection, rf.visibility != PRIVATE),
        counted(
            ck.workspace_id == WS,
            ck.member_id == MEMBER,
            ck.status == ANSWERED,
            ck.answered_at >= SINCE,
            ck.answered_at < UNTIL,
            table=ck,
        ),
        counted(
            sh.workspace_id == WS,
            sh.member_id == MEMBER,
            sh.shared_at >= SINCE,
            sh.shared_at < UNTIL,
            table=sh,
        ),
        counted(
            *marks,
            mk.marked_at < UNTIL,
            mk.member_id != MEMBER,
            mk.resource_id.in_(mine),
            table=mk,
        ),
        counted(*marks, mk.marked_at < UNTIL, mk.member_id == MEMBER, table=mk),
    )


def _meetings() -> Executable:
    pm, p, rd, pg = PairingMemberRow, PairingRow, PairingRoundRow, ProgramRow
    return (
        select(pg.name, pm.role, p.met_status, func.count())
        .select_from(pm)
        .join(p, and_(p.id == pm.pairing_id, p.workspace_id == WS))
        .join(rd, and_(rd.id == p.round_id, rd.workspace_id == WS))
        .join(pg, and_(pg.id == p.program_id, pg.workspace_id == WS))
        .where(
            pm.workspace_id == WS,
            pm.member_id == MEMBER,
            rd.published_at >= SINCE,
            rd.published_at < UNTIL,
        )
        .group_by(pg.name, pm.role, p.met_status)
    )


def _studies() -> Executable:
    c, m, n = StudyCycleRow, StudyMemberRow, StudyNoteRow
    notes = (
        select(func.count())
        .where(n.workspace_id == WS, n.cycle_id == c.id, n.member_id == MEMBER)
        .scalar_subquery()
    )
    return (
        select(c, m.focus, m.revision, notes)
        .select_from(m)
        # By the member's rows, never by workspace: ``+ 0`` keeps SQLite, which has no
        # statistics, from walking every cycle of the school to find this teacher's few.
        .join(c, and_(c.id == m.cycle_id, c.workspace_id + 0 == WS))
        .where(
            m.workspace_id == WS,
            m.member_id == MEMBER,
            c.created_at < UNTIL,
            or_(c.created_at >= SINCE, c.lesson_on >= bindparam("since_day")),
        )
        .order_by(c.id)
    )


OBSERVATIONS, ACTIVITY, MEETINGS, STUDIES = _observations(), _activity(), _meetings(), _studies()


class SqlGrowth:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def _period(self, member_id: int, since: datetime, until: datetime) -> dict[str, Any]:
        return {"ws": self._ws, "member": member_id, "since": since, "until": until}

    def confidence(self, member_id: int, bounds: Sequence[datetime]) -> list[ConfidencePoint]:
        if len(bounds) < 2:
            return []
        edges = {f"edge_{i}": edge for i, edge in enumerate(bounds)}
        rows = self._s.execute(
            _confidence(len(bounds)), {"ws": self._ws, "member": member_id, **edges}
        )
        points = [
            ConfidencePoint(goal=goal, bucket=int(s), average=float(avg), answers=int(n))
            for goal, s, avg, n in rows
        ]
        return sorted(points, key=lambda p: (p.goal or "", p.bucket))

    def observations(
        self, member_id: int, since: datetime, until: datetime, *, with_feedback: bool
    ) -> list[ObservationEntry]:
        rows = self._s.execute(OBSERVATIONS, self._period(member_id, since, until))
        found = []
        for requester_id, starts, ends, focus, theirs, observers, fb, strengths, steps in rows:
            received = requester_id == member_id
            share = received and with_feedback and fb is not None
            found.append(
                ObservationEntry(
                    role=ObservationRole.RECEIVED if received else ObservationRole.GIVEN,
                    starts_at=starts,
                    ends_at=ends,
                    focus=focus,
                    colleague=(observers or "") if received else theirs,
                    feedback_given=fb is not None,
                    strengths=strengths if share else "",
                    next_steps=tuple(s for s in (steps or []) if s) if share else (),
                )
            )
        return found

    def activity(self, member_id: int, since: datetime, until: datetime) -> Activity:
        row = self._s.execute(ACTIVITY, self._period(member_id, since, until)).one()
        return Activity(*(int(n or 0) for n in row))

    def meetings(self, member_id: int, since: datetime, until: datetime) -> list[Meetings]:
        rows = self._s.execute(MEETINGS, self._period(member_id, since, until))
        tally: dict[tuple[str, str], dict[str, int]] = {}
        for program, role, answer, n in rows:
            counts = tally.setdefault((program, role), {})
            key = answer if answer in MET_ANSWERS else "unanswered"
            counts[key] = counts.get(key, 0) + int(n)
        return [
            Meetings(program=program, role=role, **counts)
            for (program, role), counts in sorted(tally.items())
        ]

    def studies(self, member_id: int, since: datetime, until: datetime) -> list[StudyEntry]:
        rows = self._s.execute(
            STUDIES, {**self._period(member_id, since, until), "since_day": since.date()}
        )
        return [
            StudyEntry(
                name=cycle.name,
                role=_study_role(cycle, member_id),
                phase=cycle.phase,
                started_at=cycle.created_at,
                lesson_on=cycle.lesson_on,
                focus=focus,
                notes=int(count or 0),
                revised=bool(revision),
            )
            for cycle, focus, revision, count in rows
        ]


def _study_role(cycle: StudyCycleRow, member_id: int) -> StudyRole:
    if cycle.teacher_id == member_id:
        return StudyRole.TAUGHT
    return StudyRole.OBSERVED if cycle.lesson_on is not None else StudyRole.PLANNED
