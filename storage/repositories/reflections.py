"""Reflections, bound to one workspace: a member's own, and what they chose to share."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.reflections.model import Reflection, Visibility
from storage.models.reflections import ReflectionRow
from storage.types import Now


def reflection_from_row(row: ReflectionRow) -> Reflection:
    return Reflection(
        id=row.id,
        member_id=row.member_id,
        program_id=row.program_id,
        checkin_id=row.checkin_id,
        went_well=row.went_well,
        try_next=row.try_next,
        tag=row.tag,
        visibility=Visibility(row.visibility),
        is_draft=row.is_draft,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlReflections:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    def _row(self, reflection_id: int) -> ReflectionRow | None:
        row = self._s.get(ReflectionRow, reflection_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def get(self, reflection_id: int) -> Reflection | None:
        row = self._row(reflection_id)
        return reflection_from_row(row) if row else None

    @staticmethod
    def _fill(row: ReflectionRow, reflection: Reflection) -> None:
        row.program_id = reflection.program_id
        row.checkin_id = reflection.checkin_id
        row.went_well = reflection.went_well
        row.try_next = reflection.try_next
        row.tag = reflection.tag
        row.visibility = reflection.visibility.value
        row.is_draft = reflection.is_draft

    def add(self, reflection: Reflection) -> Reflection:
        now = self._now()
        row = ReflectionRow(
            workspace_id=self._ws, member_id=reflection.member_id, created_at=now, updated_at=now
        )
        self._fill(row, reflection)
        self._s.add(row)
        self._s.flush()
        return reflection_from_row(row)

    def save(self, reflection: Reflection) -> None:
        row = self._row(reflection.id) if reflection.id is not None else None
        if row is None or row.member_id != reflection.member_id:
            raise LookupError(f"reflection {reflection.id} is not this member's")
        self._fill(row, reflection)
        row.updated_at = self._now()
        self._s.flush()

    def delete(self, reflection_id: int) -> bool:
        row = self._row(reflection_id)
        if row is None:
            return False
        self._s.delete(row)
        self._s.flush()
        return True

    def for_member(self, member_id: int) -> list[Reflection]:
        rows = self._s.scalars(
            select(ReflectionRow)
            .where(ReflectionRow.workspace_id == self._ws, ReflectionRow.member_id == member_id)
            .order_by(ReflectionRow.created_at.desc(), ReflectionRow.id.desc())
        )
        return [reflection_from_row(r) for r in rows]

    def shared(self, visibility: Visibility, program_id: int | None = None) -> list[Reflection]:
        query = select(ReflectionRow).where(
            ReflectionRow.workspace_id == self._ws,
            ReflectionRow.visibility == visibility.value,
            ReflectionRow.is_draft.is_(False),
        )
        if program_id is not None:
            query = query.where(ReflectionRow.program_id == program_id)
        rows = self._s.scalars(
            query.order_by(ReflectionRow.created_at.desc(), ReflectionRow.id.desc())
        )
        return [reflection_from_row(r) for r in rows]

    def counts(self, program_id: int | None = None) -> dict[str, int]:
        query = select(ReflectionRow.visibility, func.count()).where(
            ReflectionRow.workspace_id == self._ws, ReflectionRow.is_draft.is_(False)
        )
        if program_id is not None:
            query = query.where(ReflectionRow.program_id == program_id)
        found = {v: int(n) for v, n in self._s.execute(query.group_by(ReflectionRow.visibility))}
        return {v.value: found.get(v.value, 0) for v in Visibility}
