"""Check-ins, reflections, the school calendar and the privacy queries, each bound to one workspace."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.calendar.model import CalendarEntry, CalendarKind
from bot.checkins.model import Checkin, CheckinStatus
from bot.kernel.domain import Member, OutboxStatus, Workspace
from bot.kernel.messages import Message, message_to_dict
from bot.reflections.model import Reflection, Visibility
from storage.models import (
    CheckinRow,
    OutboxRow,
    PairingMemberRow,
    ReflectionRow,
    SchoolCalendarRow,
)
from storage.sql import insert_ignoring_conflict

Now = Callable[[], datetime]


def _checkin(row: CheckinRow) -> Checkin:
    return Checkin(
        id=row.id,
        program_id=row.program_id,
        member_id=row.member_id,
        week=row.week,
        due_at=row.due_at,
        status=CheckinStatus(row.status),
        sent_at=row.sent_at,
        answered_at=row.answered_at,
        confidence=row.confidence,
        reminder_sent_at=row.reminder_sent_at,
        snoozed_at=row.snoozed_at,
    )


def _reflection(row: ReflectionRow) -> Reflection:
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


def _entry(row: SchoolCalendarRow) -> CalendarEntry:
    return CalendarEntry(
        id=row.id,
        kind=CalendarKind(row.kind),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        label=row.label,
        program_id=row.program_id,
    )


class SqlCheckins:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def _row(self, checkin_id: int) -> CheckinRow | None:
        row = self._s.get(CheckinRow, checkin_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def get(self, checkin_id: int) -> Checkin | None:
        row = self._row(checkin_id)
        return _checkin(row) if row else None

    def for_weeks(self, program_id: int, weeks: Iterable[str]) -> dict[tuple[int, str], Checkin]:
        rows = self._s.scalars(
            select(CheckinRow).where(
                CheckinRow.workspace_id == self._ws,
                CheckinRow.program_id == program_id,
                CheckinRow.week.in_(list(weeks)),
            )
        )
        return {(r.member_id, r.week): _checkin(r) for r in rows}

    def add(self, checkin: Checkin) -> Checkin | None:
        values: dict[str, Any] = {
            "workspace_id": self._ws,
            "program_id": checkin.program_id,
            "member_id": checkin.member_id,
            "week": checkin.week,
            "status": checkin.status.value,
            "due_at": checkin.due_at,
            "sent_at": checkin.sent_at,
            "answered_at": checkin.answered_at,
            "confidence": checkin.confidence,
            "reminder_sent_at": checkin.reminder_sent_at,
            "snoozed_at": checkin.snoozed_at,
        }
        if not insert_ignoring_conflict(self._s, CheckinRow.__table__, values):  # type: ignore[arg-type]
            return None
        row = self._s.scalars(
            select(CheckinRow).where(
                CheckinRow.program_id == checkin.program_id,
                CheckinRow.member_id == checkin.member_id,
                CheckinRow.week == checkin.week,
            )
        ).one()
        return _checkin(row)

    def add_many(self, checkins: Sequence[Checkin]) -> dict[tuple[int, str], Checkin]:
        if not checkins:
            return {}
        rows = [
            {
                "workspace_id": self._ws,
                "program_id": c.program_id,
                "member_id": c.member_id,
                "week": c.week,
                "status": c.status.value,
                "due_at": c.due_at,
                "sent_at": c.sent_at,
                "answered_at": c.answered_at,
                "confidence": c.confidence,
                "reminder_sent_at": c.reminder_sent_at,
                "snoozed_at": c.snoozed_at,
            }
            for c in checkins
        ]
        self._s.execute(_insert_ignoring(self._s, CheckinRow.__table__), rows)  # type: ignore[arg-type]
        program_ids = {c.program_id for c in checkins}
        stored = self._s.scalars(
            select(CheckinRow).where(
                CheckinRow.workspace_id == self._ws,
                CheckinRow.program_id.in_(program_ids),
                CheckinRow.member_id.in_({c.member_id for c in checkins}),
                CheckinRow.week.in_({c.week for c in checkins}),
            )
        )
        wanted = {(c.program_id, c.member_id, c.week) for c in checkins}
        return {
            (r.member_id, r.week): _checkin(r)
            for r in stored
            if (r.program_id, r.member_id, r.week) in wanted
        }

    def save(self, checkin: Checkin) -> None:
        row = self._row(checkin.id) if checkin.id is not None else None
        if row is None:
            raise LookupError(f"check-in {checkin.id} is not in this workspace")
        row.status = checkin.status.value
        row.due_at = checkin.due_at
        row.sent_at = checkin.sent_at
        row.answered_at = checkin.answered_at
        row.confidence = checkin.confidence
        row.reminder_sent_at = checkin.reminder_sent_at
        row.snoozed_at = checkin.snoozed_at
        self._s.flush()

    def for_member(self, member_id: int, limit: int = 52) -> list[Checkin]:
        rows = self._s.scalars(
            select(CheckinRow)
            .where(CheckinRow.workspace_id == self._ws, CheckinRow.member_id == member_id)
            .order_by(CheckinRow.due_at.desc(), CheckinRow.id.desc())
            .limit(limit)
        )
        return [_checkin(r) for r in rows]

    def open_since(self, since: datetime) -> list[Checkin]:
        rows = self._s.scalars(
            select(CheckinRow)
            .where(
                CheckinRow.workspace_id == self._ws,
                CheckinRow.status.in_([CheckinStatus.SENT.value, CheckinStatus.SNOOZED.value]),
                CheckinRow.due_at >= since,
            )
            .order_by(CheckinRow.id)
        )
        return [_checkin(r) for r in rows]

    def for_program(self, program_id: int, since: datetime | None = None) -> list[Checkin]:
        query = select(CheckinRow).where(
            CheckinRow.workspace_id == self._ws, CheckinRow.program_id == program_id
        )
        if since is not None:
            query = query.where(CheckinRow.due_at >= since)
        return [_checkin(r) for r in self._s.scalars(query.order_by(CheckinRow.id))]


def _insert_ignoring(session: Session, table: Table) -> Insert:
    """A many-row INSERT that skips rows a unique constraint already holds (an executemany)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


class SqlBulkOutbox:
    def __init__(self, session: Session, workspace: Workspace) -> None:
        self._s = session
        self._ws = workspace

    def enqueue_many(self, messages: Sequence[tuple[Member, Message, str]], now: datetime) -> None:
        if not messages:
            return
        rows = [
            {
                "workspace_id": self._ws.id,
                "platform": self._ws.platform.value,
                "recipient_member_id": member.id,
                "recipient_user_id": member.platform_user_id,
                "idempotency_key": key,
                "payload": message_to_dict(message),
                "status": OutboxStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for member, message, key in messages
        ]
        self._s.execute(_insert_ignoring(self._s, OutboxRow.__table__), rows)  # type: ignore[arg-type]


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
        return _reflection(row) if row else None

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
        return _reflection(row)

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
        return [_reflection(r) for r in rows]

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
        return [_reflection(r) for r in rows]

    def counts(self, program_id: int | None = None) -> dict[str, int]:
        query = select(ReflectionRow.visibility, func.count()).where(
            ReflectionRow.workspace_id == self._ws, ReflectionRow.is_draft.is_(False)
        )
        if program_id is not None:
            query = query.where(ReflectionRow.program_id == program_id)
        found = {v: int(n) for v, n in self._s.execute(query.group_by(ReflectionRow.visibility))}
        return {v.value: found.get(v.value, 0) for v in Visibility}


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
        return _entry(row)

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
        return [_entry(r) for r in rows]


class SqlPrivacy:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def partners(self, member_id: int) -> list[int]:
        mine = select(PairingMemberRow.pairing_id).where(
            PairingMemberRow.workspace_id == self._ws, PairingMemberRow.member_id == member_id
        )
        rows = self._s.scalars(
            select(PairingMemberRow.member_id)
            .where(
                PairingMemberRow.workspace_id == self._ws,
                PairingMemberRow.pairing_id.in_(mine),
                PairingMemberRow.member_id != member_id,
            )
            .distinct()
        )
        return sorted(rows)

    def messages_for(self, member_id: int) -> list[dict[str, object]]:
        rows = self._s.scalars(
            select(OutboxRow)
            .where(OutboxRow.workspace_id == self._ws, OutboxRow.recipient_member_id == member_id)
            .order_by(OutboxRow.id)
        )
        return [
            {
                "text": r.payload.get("text", ""),
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            }
            for r in rows
        ]

    def cancel_pending_for(self, member_id: int) -> int:
        """Drop what was never delivered and blank the text of what was (it was about them)."""
        self._s.execute(
            update(OutboxRow)
            .where(
                OutboxRow.workspace_id == self._ws,
                OutboxRow.recipient_member_id == member_id,
                OutboxRow.status.in_(["sent", "sending"]),
            )
            .values(payload={"text": "(erased at the member's request)", "blocks": []})
        )
        result = self._s.execute(
            delete(OutboxRow).where(
                OutboxRow.workspace_id == self._ws,
                OutboxRow.recipient_member_id == member_id,
                OutboxRow.status.in_(["pending", "failed"]),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def delete_reflections(self, member_id: int) -> int:
        result = self._s.execute(
            delete(ReflectionRow).where(
                ReflectionRow.workspace_id == self._ws, ReflectionRow.member_id == member_id
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
