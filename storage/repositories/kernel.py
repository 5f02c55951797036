"""Workspaces, the inbound log and the job leases: what every feature leans on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.kernel.domain import Platform, Workspace
from storage.models.kernel import JobLeaseRow, ProcessedEventRow, WorkspaceRow
from storage.sql import insert_ignoring_conflict
from storage.types import Now


def workspace_from_row(row: WorkspaceRow) -> Workspace:
    return Workspace(
        id=row.id,
        platform=Platform(row.platform),
        external_id=row.external_id,
        name=row.name,
        active=row.active,
    )


class SqlWorkspaces:
    def __init__(self, session: Session, now: Now) -> None:
        self._s = session
        self._now = now
        self._found: WorkspaceRow | None = None
        """The row found last, held for the unit of work: the session keeps rows only while
        something does, and every command looks its workspace up by platform id, then by id."""

    def by_external_id(self, platform: Platform, external_id: str) -> Workspace | None:
        row = self._s.scalars(
            select(WorkspaceRow).where(
                WorkspaceRow.platform == platform.value, WorkspaceRow.external_id == external_id
            )
        ).first()
        self._found = row or self._found
        return workspace_from_row(row) if row else None

    def ensure(self, platform: Platform, external_id: str, name: str) -> Workspace:
        found = self.by_external_id(platform, external_id)
        if found:
            return found
        insert_ignoring_conflict(
            self._s,
            WorkspaceRow.__table__,  # type: ignore[arg-type]
            {
                "platform": platform.value,
                "external_id": external_id,
                "name": name or external_id,
                "active": True,
                "created_at": self._now(),
            },
        )
        created = self.by_external_id(platform, external_id)
        assert created is not None
        return created

    def set_active(self, workspace_id: int, active: bool) -> None:
        row = self._s.get(WorkspaceRow, workspace_id)
        if row is not None:
            row.active = active

    def active_ids(self) -> list[int]:
        return list(
            self._s.scalars(
                select(WorkspaceRow.id)
                .where(WorkspaceRow.active.is_(True))
                .order_by(WorkspaceRow.id)
            )
        )


class SqlInboundLog:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def first_time(self, delivery_id: str, now: datetime) -> bool:
        return insert_ignoring_conflict(
            self._s,
            ProcessedEventRow.__table__,  # type: ignore[arg-type]
            {"workspace_id": self._ws, "delivery_id": delivery_id[:255], "processed_at": now},
        )


class SqlJobLeases:
    """At most one running copy runs a periodic job in each interval (``bot.kernel.ports.JobLeases``).

    Not bound to a workspace: a job covers them all, so it opens its own short transactions.
    """

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
