"""Peer observation's queries, every one bound to one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    delete,
    func,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from bot.observations.model import (
    Ask,
    AskStatus,
    CandidateFacts,
    Feedback,
    FreePeriod,
    ObservationRequest,
    Preference,
    RequestStatus,
    Seen,
)
from bot.observations.ports import Slot
from storage.models.members import MemberRow
from storage.models.observations import (
    FreePeriodRow,
    ObservationAskRow,
    ObservationFeedbackRow,
    ObservationRequestRow,
)
from storage.models.pairing import PairingMemberRow, PairingRow
from storage.repositories.observer_candidates import BUSY, Lesson, find_candidates
from storage.sql import insert_ignoring_conflict
from storage.types import Now


def _request(row: ObservationRequestRow) -> ObservationRequest:
    return ObservationRequest(
        id=row.id,
        workspace_id=row.workspace_id,
        requester_id=row.requester_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        timezone=row.timezone,
        focus=row.focus,
        class_name=row.class_name,
        subject=row.subject,
        look_fors=row.look_fors,
        question=row.question,
        status=RequestStatus(row.status),
        observer_id=row.observer_id,
        cancelled_by_id=row.cancelled_by_id,
        brief_sent_at=row.brief_sent_at,
        feedback_requested_at=row.feedback_requested_at,
        feedback_reminded_at=row.feedback_reminded_at,
        thanks=row.thanks,
        thanked_at=row.thanked_at,
        created_at=row.created_at,
    )


def _fill_request(row: ObservationRequestRow, r: ObservationRequest, now: datetime) -> None:
    row.requester_id = r.requester_id
    row.starts_at = r.starts_at
    row.ends_at = r.ends_at
    row.timezone = r.timezone
    row.focus = r.focus
    row.class_name = r.class_name
    row.subject = r.subject
    row.look_fors = r.look_fors
    row.question = r.question
    row.status = r.status.value
    row.observer_id = r.observer_id
    row.cancelled_by_id = r.cancelled_by_id
    row.brief_sent_at = r.brief_sent_at
    row.feedback_requested_at = r.feedback_requested_at
    row.feedback_reminded_at = r.feedback_reminded_at
    row.thanks = r.thanks
    row.thanked_at = r.thanked_at
    row.updated_at = now


def _ask(row: ObservationAskRow) -> Ask:
    return Ask(
        id=row.id,
        request_id=row.request_id,
        member_id=row.member_id,
        position=row.position,
        status=AskStatus(row.status),
        asked_at=row.asked_at,
        answered_at=row.answered_at,
    )


def _feedback(row: ObservationFeedbackRow) -> Feedback:
    return Feedback(
        id=row.id,
        request_id=row.request_id,
        observer_id=row.observer_id or 0,
        strengths=row.strengths,
        suggestions=list(row.suggestions or []),
        seen={str(k): Seen(v) for k, v in (row.look_fors_seen or {}).items()},
        shared_with_mentor=row.shared_with_mentor,
        reflection_id=row.reflection_id,
        created_at=row.created_at,
    )


class SqlObservations:
    def __init__(self, session: Session, workspace_id: int, now: Now) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now

    # --- requests -----------------------------------------------------------------------------

    def _request_row(self, request_id: int) -> ObservationRequestRow | None:
        row = self._s.get(ObservationRequestRow, request_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def add_request(self, request: ObservationRequest) -> ObservationRequest:
        now = self._now()
        row = ObservationRequestRow(workspace_id=self._ws, created_at=now)
        _fill_request(row, request, now)
        self._s.add(row)
        self._s.flush()
        return _request(row)

    def get_request(self, request_id: int) -> ObservationRequest | None:
        row = self._request_row(request_id)
        return _request(row) if row else None

    def lock_request(self, request_id: int) -> ObservationRequest | None:
        R = ObservationRequestRow
        row = self._s.scalars(
            select(R)
            .where(R.workspace_id == self._ws, R.id == request_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        return _request(row) if row else None

    def save_request(self, request: ObservationRequest) -> None:
        row = self._request_row(request.id) if request.id is not None else None
        if row is None:
            raise LookupError(f"observation request {request.id} is not in this workspace")
        _fill_request(row, request, self._now())
        self._s.flush()

    def requests_of(
        self, member_id: int, statuses: tuple[RequestStatus, ...] | None = None
    ) -> list[ObservationRequest]:
        # Asked for and given, each side found by its own index (an OR of the two walks the
        # workspace's whole history on SQLite), in one statement: the requests by id, in lesson order.
        R = ObservationRequestRow
        wanted = (R.status.in_([s.value for s in statuses]),) if statuses else ()
        sides = [
            select(R.id).where(R.workspace_id == self._ws, side == member_id, *wanted)
            for side in (R.requester_id, R.observer_id)
        ]
        query = select(R).where(R.id.in_(union_all(*sides))).order_by(R.starts_at, R.id)
        return [_request(r) for r in self._s.scalars(query)]

    def requests_with_status(self, statuses: tuple[RequestStatus, ...]) -> list[ObservationRequest]:
        R = ObservationRequestRow
        rows = self._s.scalars(
            select(R)
            .where(R.workspace_id == self._ws, R.status.in_([s.value for s in statuses]))
            .order_by(R.starts_at, R.id)
        )
        return [_request(r) for r in rows]

    def is_observing(
        self, member_id: int, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None
    ) -> bool:
        R = ObservationRequestRow
        query = select(R.id).where(
            R.workspace_id == self._ws,
            R.observer_id == member_id,
            R.status.in_(BUSY),
            R.starts_at < ends_at,
            R.ends_at > starts_at,
        )
        if exclude is not None:
            query = query.where(R.id != exclude)
        return self._s.scalars(query.limit(1)).first() is not None

    def status_counts(self, since: datetime) -> dict[RequestStatus, int]:
        R = ObservationRequestRow
        rows = self._s.execute(
            select(R.status, func.count())
            .where(R.workspace_id == self._ws, R.created_at >= since)
            .group_by(R.status)
        )
        return {RequestStatus(status): int(n) for status, n in rows}

    def people_since(self, since: datetime) -> int:
        R = ObservationRequestRow
        made = (R.workspace_id == self._ws, R.created_at >= since, R.status != "draft")
        people = union(
            select(R.requester_id.label("member_id")).where(*made),
            select(R.observer_id.label("member_id")).where(*made, R.observer_id.is_not(None)),
        ).subquery()
        return int(self._s.scalar(select(func.count()).select_from(people)) or 0)

    def observations_done_by(self, since: datetime, until: datetime) -> dict[int, int]:
        R = ObservationRequestRow
        rows = self._s.execute(
            select(R.observer_id, func.count())
            .where(
                R.workspace_id == self._ws,
                R.status == RequestStatus.DONE.value,
                R.observer_id.is_not(None),
                R.ends_at >= since,
                R.ends_at < until,
            )
            .group_by(R.observer_id)
        )
        return {int(observer): int(n) for observer, n in rows if observer is not None}

    # --- asking in turn -------------------------------------------------------------------------

    def add_asks(self, request_id: int, member_ids: list[int]) -> list[Ask]:
        for position, member_id in enumerate(member_ids):
            self._s.add(
                ObservationAskRow(
                    workspace_id=self._ws,
                    request_id=request_id,
                    member_id=member_id,
                    position=position,
                    status=AskStatus.WAITING.value,
                )
            )
        self._s.flush()
        return self.asks_for(request_id)

    def asks_for(self, request_id: int) -> list[Ask]:
        A = ObservationAskRow
        rows = self._s.scalars(
            select(A)
            .where(A.workspace_id == self._ws, A.request_id == request_id)
            .order_by(A.position, A.id)
            .execution_options(populate_existing=True)
        )
        return [_ask(r) for r in rows]

    def get_ask(self, ask_id: int) -> Ask | None:
        A = ObservationAskRow
        row = self._s.scalars(
            select(A)
            .where(A.workspace_id == self._ws, A.id == ask_id)
            .execution_options(populate_existing=True)
        ).first()
        return _ask(row) if row is not None else None

    def save_ask(self, ask: Ask) -> None:
        row = self._s.get(ObservationAskRow, ask.id) if ask.id is not None else None
        if row is None or row.workspace_id != self._ws:
            raise LookupError(f"ask {ask.id} is not in this workspace")
        row.status = ask.status.value
        row.asked_at = ask.asked_at
        row.answered_at = ask.answered_at
        self._s.flush()

    # --- finding observers ------------------------------------------------------------------------

    def member_timezones(self) -> list[str]:
        # A skip along the (workspace, time zone) index, one probe a zone: a plain DISTINCT reads
        # every member's entry on PostgreSQL, which has no skip scan, and a district has only a few.
        zones = text(
            "WITH RECURSIVE zones(tz) AS ("
            " SELECT min(timezone) FROM members WHERE workspace_id = :ws"
            " UNION ALL"
            " SELECT (SELECT min(timezone) FROM members WHERE workspace_id = :ws AND timezone > tz)"
            " FROM zones WHERE tz IS NOT NULL"
            ") SELECT tz FROM zones WHERE tz IS NOT NULL ORDER BY tz"
        )
        return [str(tz) for tz in self._s.scalars(zones, {"ws": self._ws})]

    def candidates(
        self,
        *,
        exclude_member_id: int,
        slots: dict[str, Slot],
        starts_at: datetime,
        ends_at: datetime,
        fairness_since: datetime,
        include_undeclared: bool,
        preference: Preference,
    ) -> list[CandidateFacts]:
        lesson = Lesson(exclude_member_id, slots, starts_at, ends_at, fairness_since)
        return find_candidates(
            self._s,
            self._ws,
            lesson,
            include_undeclared=include_undeclared,
            preference=preference,
        )

    def partners_of(self, member_id: int) -> list[tuple[int, str]]:
        """Everyone in the member's latest pairing or group of each program they are paired in."""
        P, G = PairingMemberRow, PairingRow
        latest = (
            select(func.max(P.pairing_id))
            .join(G, G.id == P.pairing_id)
            .where(P.workspace_id == self._ws, P.member_id == member_id)
            .group_by(G.program_id)
        )
        rows = self._s.execute(
            select(P.member_id, P.role)
            .where(P.workspace_id == self._ws, P.pairing_id.in_(latest), P.member_id != member_id)
            .order_by(P.id)
        )
        partners: dict[int, str] = {}
        for m, role in rows:
            if partners.get(int(m)) != "mentor":  # a mentor in one program stays "mentor"
                partners[int(m)] = str(role)
        return list(partners.items())

    # --- free periods -----------------------------------------------------------------------------

    def free_periods(self, member_id: int) -> list[FreePeriod]:
        F = FreePeriodRow
        rows = self._s.scalars(
            select(F)
            .where(F.workspace_id == self._ws, F.member_id == member_id)
            .order_by(F.weekday, F.start_time, F.id)
        )
        return [FreePeriod(r.member_id, r.weekday, r.start_time, r.end_time, r.id) for r in rows]

    def free_periods_of(self, member_ids: Sequence[int]) -> dict[int, list[FreePeriod]]:
        F = FreePeriodRow
        found: dict[int, list[FreePeriod]] = {}
        ids = sorted(set(member_ids))
        for start in range(0, len(ids), 1000):  # within every database's parameter limit
            rows = self._s.scalars(
                select(F)
                .where(F.workspace_id == self._ws, F.member_id.in_(ids[start : start + 1000]))
                .order_by(F.member_id, F.weekday, F.start_time, F.id)
            )
            for r in rows:
                found.setdefault(r.member_id, []).append(
                    FreePeriod(r.member_id, r.weekday, r.start_time, r.end_time, r.id)
                )
        return found

    def add_free_period(self, period: FreePeriod) -> bool:
        zone = self._s.scalar(
            select(MemberRow.timezone).where(
                MemberRow.workspace_id == self._ws, MemberRow.id == period.member_id
            )
        )
        return insert_ignoring_conflict(
            self._s,
            FreePeriodRow.__table__,  # type: ignore[arg-type]
            {
                "workspace_id": self._ws,
                "member_id": period.member_id,
                "weekday": period.weekday,
                "start_time": period.start,
                "end_time": period.end,
                "timezone": zone or "UTC",
            },
        )

    def remove_free_period(self, period_id: int, member_id: int) -> bool:
        F = FreePeriodRow
        result = self._s.execute(
            delete(F).where(F.workspace_id == self._ws, F.member_id == member_id, F.id == period_id)
        )
        return bool(getattr(result, "rowcount", 0))

    def clear_free_periods(self, member_id: int) -> int:
        F = FreePeriodRow
        result = self._s.execute(
            delete(F).where(F.workspace_id == self._ws, F.member_id == member_id)
        )
        return int(getattr(result, "rowcount", 0))

    # --- feedback ---------------------------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> Feedback:
        row = ObservationFeedbackRow(
            workspace_id=self._ws,
            request_id=feedback.request_id,
            observer_id=feedback.observer_id,
            strengths=feedback.strengths,
            suggestions=list(feedback.suggestions),
            look_fors_seen={item: seen.value for item, seen in feedback.seen.items()},
            shared_with_mentor=feedback.shared_with_mentor,
            reflection_id=feedback.reflection_id,
            created_at=self._now(),
        )
        self._s.add(row)
        self._s.flush()
        return _feedback(row)

    def feedback_for(self, request_id: int) -> Feedback | None:
        FB = ObservationFeedbackRow
        row = self._s.scalars(
            select(FB).where(FB.workspace_id == self._ws, FB.request_id == request_id)
        ).first()
        return _feedback(row) if row else None

    def save_feedback(self, feedback: Feedback) -> None:
        FB = ObservationFeedbackRow
        row = self._s.scalars(
            select(FB).where(FB.workspace_id == self._ws, FB.id == feedback.id)
        ).first()
        if row is None:
            raise LookupError(f"feedback {feedback.id} is not in this workspace")
        row.shared_with_mentor = feedback.shared_with_mentor
        row.reflection_id = feedback.reflection_id
        self._s.flush()

    # --- privacy ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._now()

    def forget_member(self, member_id: int) -> None:
        R, FB, F = ObservationRequestRow, ObservationFeedbackRow, FreePeriodRow
        own = select(R.id).where(R.workspace_id == self._ws, R.requester_id == member_id)
        self._s.execute(delete(FB).where(FB.workspace_id == self._ws, FB.request_id.in_(own)))
        self._s.execute(delete(F).where(F.workspace_id == self._ws, F.member_id == member_id))
        self._s.execute(
            update(R)
            .where(R.workspace_id == self._ws, R.requester_id == member_id)
            .values(class_name="", look_fors="", subject=None, focus="", question="", thanks="")
        )
        # Feedback they gave stays with the teacher they observed, from "a colleague".
        self._s.execute(
            update(FB)
            .where(FB.workspace_id == self._ws, FB.observer_id == member_id)
            .values(observer_id=None)
        )
        self._s.flush()
