"""Job leases: at most one running copy runs a periodic job in each interval (``bot.kernel.ports.JobLeases``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from storage.models import JobLeaseRow
from storage.sql import insert_ignoring_conflict


class SqlJobLeases:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def take(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Hold ``name`` until ``until`` if nobody else holds it now; True when this copy may run it.

        One statement decides (an UPDATE guarded by the old lease, or the first INSERT), so two
        copies asking at the same moment cannot both win, on SQLite or PostgreSQL.
        """
        with self._sessions() as session, session.begin():
            taken = session.execute(
                update(JobLeaseRow)
                .where(
                    JobLeaseRow.name == name,
                    or_(JobLeaseRow.until <= now, JobLeaseRow.holder == holder),
                )
                .values(holder=holder, until=until)
                .returning(JobLeaseRow.name)
            ).first()
            if taken is not None:
                return True
            return insert_ignoring_conflict(
                session,
                JobLeaseRow.__table__,  # type: ignore[arg-type]
                {"name": name, "holder": holder, "until": until},
            )
