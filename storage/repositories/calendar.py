"""The school calendar, bound to one workspace: holidays and terms, per program or for all."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendar.model import CalendarEntry, CalendarKind
from storage.models.calendar import SchoolCalendarRow
from storage.types import Now


def entry_from_row(row: SchoolCalendarRow) -> CalendarEntry:
    return CalendarEntry(
        id=row.id,
        kind=CalendarKind(row.kind),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        label=row.label,
        program_id=row.program_id,
    )


class SqlCalendar:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    def add(self, entry: CalendarEntry) -> CalendarEntry:
        row = SchoolCalendarRow(
            workspace_id=self._ws,
            program_id=entry.program_id,
            kind=entry.kind.value,
            starts_on=entry.starts_on,
            ends_on=entry.ends_on,
            label=entry.label,
            created_at=self._now(),
        )
        self._s.add(row)
        self._s.flush()
        return entry_from_row(row)

    def remove(self, entry_id: int) -> bool:
        row = self._s.get(SchoolCalendarRow, entry_id)
        if row is None or row.workspace_id != self._ws:
            return False
        self._s.delete(row)
        self._s.flush()
        return True

    def for_program(self, program_id: int | None) -> list[CalendarEntry]:
        query = select(SchoolCalendarRow).where(SchoolCalendarRow.workspace_id == self._ws)
        if program_id is None:
            query = query.where(SchoolCalendarRow.program_id.is_(None))
        else:
            query = query.where(
                (SchoolCalendarRow.program_id.is_(None))
                | (SchoolCalendarRow.program_id == program_id)
            )
        rows = self._s.scalars(query.order_by(SchoolCalendarRow.starts_on, SchoolCalendarRow.id))
        return [entry_from_row(r) for r in rows]
