"""Signed Slack requests already let in, so a replay within the window has no second effect.

One short transaction per request on the acknowledgement path: an insert that a primary key turns
into a no-op for a signature seen before, and now and then a delete of rows past the window.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from storage.models.platform import SlackSeenRequestRow
from storage.sql import insert_ignoring_conflict

KEEP_SECONDS = 10 * 60
"""Twice Slack's five-minute window: an older signature is refused for its timestamp anyway."""
PRUNE_EVERY_SECONDS = 60.0


class SqlSeenRequests:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        self._pruned_at = 0.0
        self._lock = threading.Lock()

    def first_time(self, signature: str, timestamp: int) -> bool:
        """Record ``signature``; True if no copy of the server had recorded it before."""
        with self._sessions.begin() as session:
            first = insert_ignoring_conflict(
                session,
                SlackSeenRequestRow.__table__,  # type: ignore[arg-type]
                {"signature": signature[:80], "request_timestamp": timestamp},
            )
        self._prune()
        return first

    def _prune(self) -> None:
        now = self._clock()
        with self._lock:
            if now - self._pruned_at < PRUNE_EVERY_SECONDS:
                return
            self._pruned_at = now
        with self._sessions.begin() as session:
            _delete_older(session, int(now) - KEEP_SECONDS)


def _delete_older(session: Session, horizon: int) -> None:
    session.execute(
        delete(SlackSeenRequestRow).where(SlackSeenRequestRow.request_timestamp < horizon)
    )
