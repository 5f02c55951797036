"""Lesson study's cycles, members and notes, bound to one workspace."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.study.model import Cycle, Note, Phase, Plan, StudyMember
from storage.models.study import StudyCycleRow, StudyMemberRow, StudyNoteRow
from storage.types import Now

_DUE = {
    Phase.PLAN: "plan_due",
    Phase.TEACH: "teach_due",
    Phase.DEBRIEF: "debrief_due",
    Phase.REVISE: "revise_due",
    Phase.RETEACH: "reteach_due",
}


def _cycle(row: StudyCycleRow) -> Cycle:
    return Cycle(
        id=row.id,
        name=row.name,
        starter_id=row.starter_id,
        timezone=row.timezone,
        phase=Phase(row.phase),
        due={phase: getattr(row, column) for phase, column in _DUE.items()},
        plan=Plan(
            question=row.question,
            goal=row.goal,
            students_do=row.students_do,
            watch_for=row.watch_for,
            link=row.plan_link,
        ),
        plan_by=row.plan_by,
        teacher_id=row.teacher_id,
        lesson_on=row.lesson_on,
        period=row.period,
        class_name=row.class_name,
        nudged=tuple(Phase(p) for p in row.nudged.split(",") if p),
        debriefed_at=row.debriefed_at,
        created_at=row.created_at,
    )


def _fill(row: StudyCycleRow, cycle: Cycle) -> None:
    row.name = cycle.name
    row.starter_id = cycle.starter_id
    row.timezone = cycle.timezone
    row.phase = cycle.phase.value
    for phase, column in _DUE.items():
        setattr(row, column, cycle.due[phase])
    row.question = cycle.plan.question
    row.goal = cycle.plan.goal
    row.students_do = cycle.plan.students_do
    row.watch_for = cycle.plan.watch_for
    row.plan_link = cycle.plan.link
    row.plan_by = cycle.plan_by
    row.teacher_id = cycle.teacher_id
    row.lesson_on = cycle.lesson_on
    row.period = cycle.period
    row.class_name = cycle.class_name
    row.nudged = ",".join(p.value for p in cycle.nudged)
    row.debriefed_at = cycle.debriefed_at


def _member(row: StudyMemberRow) -> StudyMember:
    return StudyMember(
        id=row.id,
        cycle_id=row.cycle_id,
        member_id=row.member_id,
        focus=row.focus,
        revision=row.revision,
        revised_at=row.revised_at,
    )


def _note(row: StudyNoteRow) -> Note:
    return Note(
        id=row.id,
        cycle_id=row.cycle_id,
        member_id=row.member_id,
        text=row.text,
        created_at=row.created_at,
    )


class SqlStudy:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    def add_cycle(self, cycle: Cycle, member_ids: Collection[int]) -> Cycle:
        row = StudyCycleRow(workspace_id=self._ws, created_at=self._now())
        _fill(row, cycle)
        self._s.add(row)
        self._s.flush()
        self._s.add_all(
            StudyMemberRow(workspace_id=self._ws, cycle_id=row.id, member_id=m)
            for m in dict.fromkeys(member_ids)
        )
        self._s.flush()
        return _cycle(row)

    def get_cycle(self, cycle_id: int, *, lock: bool = False) -> Cycle | None:
        C = StudyCycleRow
        query = select(C).where(C.workspace_id == self._ws, C.id == cycle_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = self._s.scalars(query).first()
        return _cycle(row) if row else None

    def save_cycle(self, cycle: Cycle) -> None:
        row = self._s.get(StudyCycleRow, cycle.id) if cycle.id is not None else None
        if row is None or row.workspace_id != self._ws:
            raise LookupError(f"lesson study {cycle.id} is not in this workspace")
        _fill(row, cycle)
        self._s.flush()

    def cycles(self, phases: Collection[Phase]) -> list[Cycle]:
        C = StudyCycleRow
        rows = self._s.scalars(
            select(C)
            .where(C.workspace_id == self._ws, C.phase.in_([p.value for p in phases]))
            .order_by(C.id)
        )
        return [_cycle(r) for r in rows]

    def cycles_of(self, member_id: int) -> list[Cycle]:
        C, M = StudyCycleRow, StudyMemberRow
        rows = self._s.scalars(
            select(C)
            .join(M, M.cycle_id == C.id)
            .where(C.workspace_id == self._ws, M.workspace_id == self._ws, M.member_id == member_id)
            .order_by(C.id)
        )
        return [_cycle(r) for r in rows]

    def members(self, cycle_id: int) -> list[StudyMember]:
        M = StudyMemberRow
        rows = self._s.scalars(
            select(M).where(M.workspace_id == self._ws, M.cycle_id == cycle_id).order_by(M.id)
        )
        return [_member(r) for r in rows]

    def save_member(self, member: StudyMember) -> None:
        row = self._s.get(StudyMemberRow, member.id) if member.id is not None else None
        if row is None or row.workspace_id != self._ws:
            raise LookupError(f"lesson-study member {member.id} is not in this workspace")
        row.focus = member.focus
        row.revision = member.revision
        row.revised_at = member.revised_at
        self._s.flush()

    def add_note(self, note: Note) -> Note:
        row = StudyNoteRow(
            workspace_id=self._ws,
            cycle_id=note.cycle_id,
            member_id=note.member_id,
            text=note.text,
            created_at=self._now(),
        )
        self._s.add(row)
        self._s.flush()
        return _note(row)

    def notes(self, cycle_id: int) -> list[Note]:
        N = StudyNoteRow
        rows = self._s.scalars(
            select(N).where(N.workspace_id == self._ws, N.cycle_id == cycle_id).order_by(N.id)
        )
        return [_note(r) for r in rows]

    def notes_by(self, member_id: int) -> list[Note]:
        N = StudyNoteRow
        rows = self._s.scalars(
            select(N).where(N.workspace_id == self._ws, N.member_id == member_id).order_by(N.id)
        )
        return [_note(r) for r in rows]

    def forget_member(self, member_id: int) -> None:
        N, M, C = StudyNoteRow, StudyMemberRow, StudyCycleRow
        self._s.execute(delete(N).where(N.workspace_id == self._ws, N.member_id == member_id))
        self._s.execute(delete(M).where(M.workspace_id == self._ws, M.member_id == member_id))
        for column in (C.starter_id, C.teacher_id, C.plan_by):
            self._s.execute(
                update(C)
                .where(C.workspace_id == self._ws, column == member_id)
                .values({column.key: None})
                .execution_options(synchronize_session=False)
            )
        self._s.flush()
