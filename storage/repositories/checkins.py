"""Weekly check-ins, bound to one workspace; many at once for the planner's runs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.checkins.model import Answer, Checkin, CheckinStatus, SupportRequest
from bot.kernel.domain import MemberStatus, ProgramRole
from storage.models.checkins import CheckinAnswerRow, CheckinRow, SupportRequestRow
from storage.models.members import MemberRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.programs import MembershipRow
from storage.repositories import checkin_wakeups, confidence_trend
from storage.rows import from_row, values_of
from storage.sql import chunks, insert_ignoring_conflict, inserted_rows


def checkin_from_row(row: CheckinRow) -> Checkin:
    return from_row(Checkin, row, status=CheckinStatus(row.status))


CHANGEABLE = (
    "status",
    "due_at",
    "sent_at",
    "answered_at",
    "confidence",
    "reminder_sent_at",
    "snoozed_at",
    "goal",
)
"""What ``save`` may change: a check-in's key (program, member, ISO week) never does."""


def checkin_columns(checkin: Checkin, workspace_id: int) -> dict[str, Any]:
    """The row to insert for ``checkin``: every field but its id, the status as stored."""
    return {**values_of(checkin), "workspace_id": workspace_id, "status": checkin.status.value}


def as_stored(checkin: Checkin, checkin_id: int) -> Checkin:
    """What reading the row just inserted would give: its id, every time in UTC."""

    def utc(moment: datetime | None) -> datetime | None:
        return moment.astimezone(UTC) if moment is not None else None

    return replace(
        checkin,
        id=checkin_id,
        due_at=checkin.due_at.astimezone(UTC),
        sent_at=utc(checkin.sent_at),
        answered_at=utc(checkin.answered_at),
        reminder_sent_at=utc(checkin.reminder_sent_at),
        snoozed_at=utc(checkin.snoozed_at),
    )


class SqlCheckins:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def programs_to_plan(self, now: datetime) -> list[tuple[int, int | None]]:
        return checkin_wakeups.programs_to_plan(self._s, self._ws, now)

    def sleep_until(self, program_id: int, generation: int | None, wake: datetime) -> bool:
        return checkin_wakeups.sleep_until(self._s, self._ws, program_id, generation, wake)

    def _row(self, checkin_id: int) -> CheckinRow | None:
        row = self._s.get(CheckinRow, checkin_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def get(self, checkin_id: int) -> Checkin | None:
        row = self._row(checkin_id)
        return checkin_from_row(row) if row else None

    def for_weeks(
        self,
        program_id: int,
        weeks: Iterable[str],
        *,
        member_ids: Collection[int] | None = None,
        open_only: bool = False,
    ) -> dict[tuple[int, str], Checkin]:
        if member_ids is not None and not member_ids:
            return {}
        query = select(CheckinRow).where(
            CheckinRow.workspace_id == self._ws,
            CheckinRow.program_id == program_id,
            CheckinRow.week.in_(list(weeks)),
        )
        if open_only:
            query = query.where(
                or_(
                    CheckinRow.status == CheckinStatus.SNOOZED.value,
                    and_(
                        CheckinRow.status == CheckinStatus.SENT.value,
                        CheckinRow.reminder_sent_at.is_(None),
                        CheckinRow.answered_at.is_(None),
                    ),
                )
            )
        queries = (
            [query]
            if member_ids is None
            else [query.where(CheckinRow.member_id.in_(p)) for p in chunks(sorted(member_ids))]
        )
        return {
            (r.member_id, r.week): checkin_from_row(r) for q in queries for r in self._s.scalars(q)
        }

    def add(self, checkin: Checkin) -> Checkin | None:
        values = checkin_columns(checkin, self._ws)
        if not insert_ignoring_conflict(self._s, CheckinRow.__table__, values):  # type: ignore[arg-type]
            return None
        row = self._s.scalars(
            select(CheckinRow).where(
                CheckinRow.program_id == checkin.program_id,
                CheckinRow.member_id == checkin.member_id,
                CheckinRow.week == checkin.week,
            )
        ).one()
        return checkin_from_row(row)

    def add_many(self, checkins: Sequence[Checkin]) -> dict[tuple[int, str], Checkin]:
        if not checkins:
            return {}
        rows = [checkin_columns(c, self._ws) for c in checkins]
        table = CheckinRow.__table__
        inserted = inserted_rows(
            self._s,
            table,  # type: ignore[arg-type]
            rows,
            (table.c.id, table.c.program_id, table.c.member_id, table.c.week),
        )
        new_ids = {(r.program_id, r.member_id, r.week): r.id for r in inserted}
        result: dict[tuple[int, str], Checkin] = {}
        lost: list[Checkin] = []
        for c in checkins:
            new_id = new_ids.get((c.program_id, c.member_id, c.week))
            if new_id is None:
                lost.append(c)  # another run stored it first: read what it stored
            else:
                result[(c.member_id, c.week)] = as_stored(c, new_id)
        if lost:
            stored = self._s.scalars(
                select(CheckinRow).where(
                    CheckinRow.workspace_id == self._ws,
                    CheckinRow.program_id.in_({c.program_id for c in lost}),
                    CheckinRow.member_id.in_({c.member_id for c in lost}),
                    CheckinRow.week.in_({c.week for c in lost}),
                )
            )
            wanted = {(c.program_id, c.member_id, c.week) for c in lost}
            for r in stored:
                if (r.program_id, r.member_id, r.week) in wanted:
                    result[(r.member_id, r.week)] = checkin_from_row(r)
        return result

    def save(self, checkin: Checkin) -> None:
        row = self._row(checkin.id) if checkin.id is not None else None
        if row is None:
            raise LookupError(f"check-in {checkin.id} is not in this workspace")
        changed = checkin_columns(checkin, self._ws)
        answer_changed = (row.confidence, row.answered_at is None) != (
            changed["confidence"],
            changed["answered_at"] is None,
        )
        for name in CHANGEABLE:
            setattr(row, name, changed[name])
        self._s.flush()
        if answer_changed:
            confidence_trend.refresh_member(self._s, row.program_id, row.member_id, row.week)

    def for_member(self, member_id: int, limit: int = 52) -> list[Checkin]:
        rows = self._s.scalars(
            select(CheckinRow)
            .where(CheckinRow.workspace_id == self._ws, CheckinRow.member_id == member_id)
            .order_by(CheckinRow.due_at.desc(), CheckinRow.id.desc())
            .limit(limit)
        )
        return [checkin_from_row(r) for r in rows]

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
        return [checkin_from_row(r) for r in rows]

    def for_program(self, program_id: int, since: datetime | None = None) -> list[Checkin]:
        query = select(CheckinRow).where(
            CheckinRow.workspace_id == self._ws, CheckinRow.program_id == program_id
        )
        if since is not None:
            query = query.where(CheckinRow.due_at >= since)
        return [checkin_from_row(r) for r in self._s.scalars(query.order_by(CheckinRow.id))]

    def taken_elsewhere(
        self, program_id: int, member_ids: Collection[int], weeks: Iterable[str]
    ) -> set[tuple[int, str]]:
        wanted = list(weeks)
        found: set[tuple[int, str]] = set()
        for part in chunks(sorted(member_ids)):
            rows = self._s.execute(
                select(CheckinRow.member_id, CheckinRow.week).where(
                    CheckinRow.workspace_id == self._ws,
                    CheckinRow.program_id != program_id,
                    CheckinRow.member_id.in_(part),
                    CheckinRow.week.in_(wanted),
                )
            )
            found |= {(member_id, week) for member_id, week in rows}
        return found

    def _latest_round(self, program_id: int) -> Any:
        """The id of the program's latest published round, as a subquery."""
        return (
            select(func.max(PairingRoundRow.id))
            .where(
                PairingRoundRow.workspace_id == self._ws,
                PairingRoundRow.program_id == program_id,
                PairingRoundRow.published_at.is_not(None),
            )
            .scalar_subquery()
        )

    def mentors(self, program_id: int) -> dict[int, list[str]]:
        mentors = self._s.scalars(
            select(MembershipRow.member_id).where(
                MembershipRow.workspace_id == self._ws,
                MembershipRow.program_id == program_id,
                MembershipRow.role == ProgramRole.MENTOR.value,
            )
        )
        result: dict[int, list[str]] = {m: [] for m in mentors}
        latest = self._latest_round(program_id)
        mentor, mentee = PairingMemberRow.__table__.alias(), PairingMemberRow.__table__.alias()
        rows = self._s.execute(
            select(mentor.c.member_id, MemberRow.display_name)
            .join(PairingRow, PairingRow.id == mentor.c.pairing_id)
            .join(mentee, mentee.c.pairing_id == mentor.c.pairing_id)
            .join(MemberRow, MemberRow.id == mentee.c.member_id)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id == latest,
                mentor.c.role == ProgramRole.MENTOR.value,
                mentee.c.role == ProgramRole.MENTEE.value,
                MemberRow.status != MemberStatus.OPTED_OUT.value,
            )
            .order_by(MemberRow.display_name)
        )
        for mentor_id, name in rows:
            first = (name or "").split()
            result.setdefault(mentor_id, []).append(first[0] if first else "your mentee")
        return result

    def groups(self, program_id: int) -> dict[int, list[str]]:
        latest = self._latest_round(program_id)
        me, other = PairingMemberRow.__table__.alias(), PairingMemberRow.__table__.alias()
        rows = self._s.execute(
            select(me.c.member_id, MemberRow.display_name)
            .join(PairingRow, PairingRow.id == me.c.pairing_id)
            .join(
                other,
                and_(other.c.pairing_id == me.c.pairing_id, other.c.member_id != me.c.member_id),
            )
            .join(MemberRow, MemberRow.id == other.c.member_id)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id == latest,
                me.c.role == ProgramRole.PEER.value,
                MemberRow.status != MemberStatus.OPTED_OUT.value,
            )
            .order_by(MemberRow.display_name)
        )
        result: dict[int, list[str]] = {}
        for member_id, name in rows:
            first = (name or "").split()
            result.setdefault(member_id, []).append(first[0] if first else "a colleague")
        return result

    def save_answers(self, checkin_id: int, answers: Sequence[Answer]) -> None:
        self._s.execute(
            delete(CheckinAnswerRow).where(
                CheckinAnswerRow.workspace_id == self._ws,
                CheckinAnswerRow.checkin_id == checkin_id,
                CheckinAnswerRow.position.in_([a.position for a in answers]),
            )
        )
        for a in answers:
            self._s.add(
                CheckinAnswerRow(
                    **values_of(a, leave_out=("id", "checkin_id", "question")),
                    question=a.question[:200],
                    workspace_id=self._ws,
                    checkin_id=checkin_id,
                )
            )
        self._s.flush()

    def answers(self, member_id: int, checkin_id: int | None = None) -> list[Answer]:
        query = select(CheckinAnswerRow).where(
            CheckinAnswerRow.workspace_id == self._ws, CheckinAnswerRow.member_id == member_id
        )
        if checkin_id is not None:
            query = query.where(CheckinAnswerRow.checkin_id == checkin_id)
        rows = self._s.scalars(
            query.order_by(CheckinAnswerRow.checkin_id.desc(), CheckinAnswerRow.position)
        )
        return [from_row(Answer, r) for r in rows]

    def forget_answers(self, member_id: int) -> int:
        result = self._s.execute(
            delete(CheckinAnswerRow).where(
                CheckinAnswerRow.workspace_id == self._ws, CheckinAnswerRow.member_id == member_id
            )
        )
        support = self._s.execute(
            delete(SupportRequestRow).where(
                SupportRequestRow.workspace_id == self._ws,
                SupportRequestRow.member_id == member_id,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0) + int(getattr(support, "rowcount", 0) or 0)

    def add_support(self, request: SupportRequest) -> None:
        self._s.add(SupportRequestRow(**values_of(request), workspace_id=self._ws))
        self._s.flush()

    def support_requests(self, member_id: int) -> list[SupportRequest]:
        rows = self._s.scalars(
            select(SupportRequestRow)
            .where(
                SupportRequestRow.workspace_id == self._ws,
                SupportRequestRow.member_id == member_id,
            )
            .order_by(SupportRequestRow.id)
        )
        return [from_row(SupportRequest, r) for r in rows]
