"""The outbox as the delivery worker sees it: claim due rows, then record what happened.

A claim is a lease: the row is ``sending`` for this worker until ``claimed_until``. A worker that dies
mid-send leaves a lease that runs out, and the row is claimed again; a worker that outlived its lease
cannot mark the row, because every update checks ``claimed_by``. On PostgreSQL, ``FOR UPDATE SKIP
LOCKED`` lets several workers claim side by side without waiting on each other.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.kernel.domain import OutboxItem, OutboxStatus, Platform
from storage.models.kernel import OutboxRow, WorkspaceRow
from storage.single_statements import single_statements


def outbox_item_from_row(
    row: OutboxRow | Row[Any], workspace_external_id: str = "", *, in_flight: bool = False
) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        workspace_id=row.workspace_id,
        platform=Platform(row.platform),
        recipient_user_id=row.recipient_user_id,
        recipient_member_id=row.recipient_member_id,
        idempotency_key=row.idempotency_key,
        payload=dict(row.payload),
        attempts=row.attempts,
        workspace_external_id=workspace_external_id,
        in_flight=in_flight,
    )


def _due(now: datetime) -> ColumnElement[bool]:
    """Pending and due, or claimed by a worker whose lease ran out: what a claim would take now."""
    return or_(
        and_(OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == OutboxStatus.SENDING.value, OutboxRow.claimed_until < now),
    )


@dataclass(frozen=True)
class Backlog:
    """What waits to be delivered right now, for a health check: a worker that is not running
    shows up here long before a teacher notices a missing check-in."""

    due: int
    oldest_due_since: datetime | None = None
    oldest_platform: str | None = None
    oldest_attempts: int = 0
    oldest_last_error: str | None = None


_OUTBOX: Table = OutboxRow.__table__  # type: ignore[assignment]


def _finishing(**values: object) -> Any:
    """One way of recording a message this worker holds, built once: a statement on the table, not
    the ORM, because it runs after every send and the ORM's bulk update (compiling it, matching it
    against the session's objects) cost more than the send's own round trips."""
    return (
        update(_OUTBOX)
        .where(
            _OUTBOX.c.id == bindparam("item_id"),
            _OUTBOX.c.claimed_by == bindparam("worker_id"),
            _OUTBOX.c.status == OutboxStatus.SENDING.value,
        )
        .values(claimed_until=None, **values)
    )


_MARK_SENT = _finishing(
    status=OutboxStatus.SENT.value,
    sent_at=bindparam("now"),
    platform_message_id=bindparam("message_id"),
    last_error=None,
)
_MARK_RETRY = _finishing(
    status=OutboxStatus.PENDING.value,
    next_attempt_at=bindparam("next_at"),
    last_error=bindparam("error"),
)
_MARK_FAILED = _finishing(status=OutboxStatus.FAILED.value, last_error=bindparam("error"))


def _leasable(now: datetime, ids: list[int], platform: Platform | None, *columns: Any) -> Any:
    """``columns`` of those of ``ids`` a claim may take now: still due, in an active workspace."""
    query = (
        select(*columns)
        .join(WorkspaceRow, WorkspaceRow.id == OutboxRow.workspace_id)
        .where(OutboxRow.id.in_(ids), _due(now), WorkspaceRow.active.is_(True))
    )
    if platform is not None:
        query = query.where(OutboxRow.platform == platform.value)
    return query


def _leased(worker_id: str, now: datetime, lease: timedelta) -> dict[str, Any]:
    """What a claim writes on each row it takes."""
    return {
        "status": OutboxStatus.SENDING.value,
        "claimed_by": worker_id,
        "claimed_until": now + lease,
        "attempts": OutboxRow.attempts + 1,
    }


LOOK_AHEAD = 50
"""Claims' worth of due rows one look at the backlog lines up for this process's threads."""
LINEUP_FRESH = timedelta(seconds=2)
"""How long a line-up is used before the backlog is looked at again."""


@dataclass
class _Lineup:
    ids: deque[int]
    taken_at: datetime


class SqlDeliveryQueue:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._single = single_statements(sessions.kw["bind"])
        self._postgres = self._single.dialect.name == "postgresql"
        self._lineups: dict[str, _Lineup] = {}
        self._lineup_lock = threading.Lock()

    def claim(
        self,
        now: datetime,
        *,
        limit: int,
        worker_id: str,
        lease: timedelta,
        platform: Platform | None = None,
    ) -> list[OutboxItem]:
        """Up to ``limit`` due messages, leased to ``worker_id``, oldest due first.

        Finding the oldest due rows means reading every due row and sorting them (the index orders
        them by due time, not by id as well), which a fan-out of 10,000 made cost tens of
        milliseconds a claim: more than the sends themselves. So one look lines up ``LOOK_AHEAD``
        claims' worth of them for this process's threads, and each claim then locks its share of
        that line-up by primary key, skipping rows another copy took meanwhile. A line-up is looked
        at again once used up or ``LINEUP_FRESH`` old, so a row that comes due meanwhile waits at
        most that long behind the rows already lined up (behind which it was due anyway).
        """
        taken: list[OutboxItem] = []
        looked = False
        while len(taken) < limit:
            ids, fresh = self._lined_up(now, platform, limit - len(taken), limit, looked)
            looked = looked or fresh
            if not ids:
                if looked:
                    break
                continue  # the line-up ran out: one look at the backlog for the rest
            taken.extend(self._lock(now, ids, worker_id, lease, platform))
        return taken

    def _lined_up(
        self, now: datetime, platform: Platform | None, count: int, limit: int, looked: bool
    ) -> tuple[list[int], bool]:
        """The next ``count`` ids lined up for ``platform`` and whether this took a fresh look;
        only one look per claim, so rows another copy keeps taking cannot hold a claim up."""
        key = platform.value if platform is not None else ""
        with self._lineup_lock:
            lineup = self._lineups.get(key)
            fresh = False
            if lineup is None or not lineup.ids or now - lineup.taken_at > LINEUP_FRESH:
                if looked:
                    return [], False
                lineup = _Lineup(deque(self._look(now, platform, limit * LOOK_AHEAD)), now)
                self._lineups[key] = lineup
                fresh = True
            return [lineup.ids.popleft() for _ in range(min(count, len(lineup.ids)))], fresh

    def _look(self, now: datetime, platform: Platform | None, count: int) -> list[int]:
        """The ids of the ``count`` oldest due rows: the one read of the whole backlog."""
        query = (
            select(OutboxRow.id)
            .join(WorkspaceRow, WorkspaceRow.id == OutboxRow.workspace_id)
            .where(_due(now), WorkspaceRow.active.is_(True))
        )
        if platform is not None:
            query = query.where(OutboxRow.platform == platform.value)
        query = query.order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(count)
        with self._single.connect() as conn:
            return list(conn.execute(query).scalars())

    def _lock(
        self,
        now: datetime,
        ids: list[int],
        worker_id: str,
        lease: timedelta,
        platform: Platform | None,
    ) -> list[OutboxItem]:
        """Lease those of ``ids`` still due that no other claim holds, reading them by primary key."""
        if self._postgres:
            return self._lock_in_one_statement(now, ids, worker_id, lease, platform)
        candidates = _leasable(now, ids, platform, OutboxRow.id, OutboxRow.status).order_by(
            OutboxRow.next_attempt_at, OutboxRow.id
        )
        with self._sessions() as session, session.begin():
            found = session.execute(candidates).all()
            if not found:
                return []
            ids = [row_id for row_id, _ in found]
            # Rows still ``sending``: a worker held them mid-send when it died or its lease ran out.
            was_sending = {
                row_id for row_id, status in found if status == OutboxStatus.SENDING.value
            }
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), _due(now))
                .values(_leased(worker_id, now, lease))
            )
            rows = session.execute(
                select(OutboxRow, WorkspaceRow.external_id)
                .join(WorkspaceRow, WorkspaceRow.id == OutboxRow.workspace_id)
                .where(
                    OutboxRow.id.in_(ids),
                    OutboxRow.claimed_by == worker_id,
                    OutboxRow.status == OutboxStatus.SENDING.value,
                )
                .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            ).all()
            return [
                outbox_item_from_row(row, external, in_flight=row.id in was_sending)
                for row, external in rows
            ]

    def _lock_in_one_statement(
        self,
        now: datetime,
        ids: list[int],
        worker_id: str,
        lease: timedelta,
        platform: Platform | None,
    ) -> list[OutboxItem]:
        """``_lock`` on PostgreSQL: the rows locked, leased and read back in one statement, which
        commits on its own. Its three statements and their transaction were, on a district's
        fan-out, as much database time as the ten sends they claimed for."""
        locked = (
            _leasable(
                now,
                ids,
                platform,
                OutboxRow.id,
                OutboxRow.status.label("was"),
                WorkspaceRow.external_id.label("workspace_external_id"),
            )
            .with_for_update(skip_locked=True, of=OutboxRow)
            .cte("picked")
        )
        lease_them = (
            update(_OUTBOX)
            .where(_OUTBOX.c.id == locked.c.id)
            .values(_leased(worker_id, now, lease))
            .returning(*_OUTBOX.c, locked.c.was, locked.c.workspace_external_id)
        )
        with self._single.begin() as conn:
            rows = sorted(conn.execute(lease_them), key=lambda r: (r.next_attempt_at, r.id))
        return [
            outbox_item_from_row(
                row,
                row.workspace_external_id,
                in_flight=row.was == OutboxStatus.SENDING.value,
            )
            for row in rows
        ]

    def backlog(self, now: datetime) -> Backlog:
        """Every workspace's due, unsent messages (as ``claim`` sees them), and the one waiting longest.

        A message waits from its ``next_attempt_at`` (pending) or from when its lease ran out (a
        worker died holding it). Inactive workspaces are left out: nothing is sent there on purpose.
        """
        since = case(
            (OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.next_attempt_at),
            else_=OutboxRow.claimed_until,
        )
        waiting = (
            select(OutboxRow)
            .join(WorkspaceRow, WorkspaceRow.id == OutboxRow.workspace_id)
            .where(_due(now), WorkspaceRow.active.is_(True))
        )
        with self._sessions() as session:
            count = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
            if not count:
                return Backlog(due=0)
            row = session.scalars(waiting.order_by(since, OutboxRow.id).limit(1)).one()
            return Backlog(
                due=count,
                oldest_due_since=(
                    row.next_attempt_at
                    if row.status == OutboxStatus.PENDING.value
                    else row.claimed_until
                ),
                oldest_platform=row.platform,
                oldest_attempts=row.attempts,
                oldest_last_error=row.last_error,
            )

    def _finish(self, statement: Any, item_id: int, worker_id: str, **values: object) -> bool:
        with self._single.begin() as conn:
            result = conn.execute(statement, {"item_id": item_id, "worker_id": worker_id, **values})
            return bool(getattr(result, "rowcount", 0))

    def mark_sent(
        self, item_id: int, worker_id: str, platform_message_id: str | None, now: datetime
    ) -> bool:
        return self._finish(_MARK_SENT, item_id, worker_id, now=now, message_id=platform_message_id)

    def mark_retry(
        self, item_id: int, worker_id: str, error: str, next_attempt_at: datetime
    ) -> None:
        self._finish(_MARK_RETRY, item_id, worker_id, next_at=next_attempt_at, error=error[:2000])

    def mark_failed(self, item_id: int, worker_id: str, error: str, now: datetime) -> None:
        self._finish(_MARK_FAILED, item_id, worker_id, error=error[:2000])

    def release_claims(self, worker_id: str, now: datetime, *, unsent: bool = False) -> int:
        """Hand back what this worker holds, due again at once.

        A restarted worker (a stable worker id) takes back what its earlier life held: those rows
        come back ``in_flight``, for the messenger to check with the platform. ``unsent``: the
        worker knows it never sent them (its claim failed half-way), so they are plain pending
        rows again, their attempt not counted.
        """
        values: dict[str, Any] = (
            {
                "status": OutboxStatus.PENDING.value,
                "claimed_by": None,
                "claimed_until": None,
                "next_attempt_at": now,
                "attempts": OutboxRow.attempts - 1,
            }
            if unsent
            else {"claimed_until": now - timedelta(microseconds=1)}
        )
        with self._sessions() as session, session.begin():
            result = session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.claimed_by == worker_id,
                    OutboxRow.status == OutboxStatus.SENDING.value,
                )
                .values(**values)
            )
            return int(getattr(result, "rowcount", 0) or 0)
