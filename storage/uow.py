"""The unit of work: one transaction, and the workspace-bound repositories inside it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from bot.kernel.domain import Workspace
from storage.models.kernel import WorkspaceRow
from storage.repositories.calendar import SqlCalendar
from storage.repositories.checkins import SqlCheckins
from storage.repositories.digest import SqlDigestQueries
from storage.repositories.growth import SqlGrowth
from storage.repositories.kernel import SqlInboundLog, SqlWorkspaces, workspace_from_row
from storage.repositories.members import SqlMembers
from storage.repositories.observations import SqlObservations
from storage.repositories.outbox import SqlOutbox
from storage.repositories.pairing import SqlPairings
from storage.repositories.privacy import SqlPrivacy
from storage.repositories.programs import SqlMemberships, SqlPrograms
from storage.repositories.reflections import SqlReflections
from storage.repositories.resources import SqlResources
from storage.repositories.study import SqlStudy
from storage.types import Now


class SqlScope:
    def __init__(self, session: Session, workspace: Workspace, now: Now) -> None:
        self.workspace_id = workspace.id
        self.members = SqlMembers(session, workspace.id, now)
        self.programs = SqlPrograms(session, workspace.id, now)
        self.memberships = SqlMemberships(session, workspace.id, now)
        self.outbox = SqlOutbox(session, workspace)
        self.inbound = SqlInboundLog(session, workspace.id)
        self.pairing = SqlPairings(session, workspace.id)
        self.checkins = SqlCheckins(session, workspace.id)
        self.reflections = SqlReflections(session, workspace.id, now)
        self.calendar = SqlCalendar(session, workspace.id, now)
        self.privacy = SqlPrivacy(session, workspace.id)
        self.observations = SqlObservations(session, workspace.id, now)
        self.resources = SqlResources(session, workspace.id, now)
        self.digest = SqlDigestQueries(session, workspace.id)
        self.growth = SqlGrowth(session, workspace.id)
        self.study = SqlStudy(session, workspace.id, now)


class SqlUnitOfWork:
    """Commits only when told to; leaving the block without a commit rolls everything back."""

    def __init__(self, sessions: sessionmaker[Session], now: Now) -> None:
        self._sessions = sessions
        self._now = now
        self._session: Session | None = None
        self._workspaces: SqlWorkspaces | None = None

    @property
    def workspaces(self) -> SqlWorkspaces:
        if self._workspaces is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._workspaces

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._sessions()
        self._workspaces = SqlWorkspaces(self._session, self._now)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self._session = None
            self._workspaces = None

    def scope(self, workspace_id: int) -> SqlScope:
        row = self.session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise LookupError(f"no workspace {workspace_id}")
        return SqlScope(self.session, workspace_from_row(row), self._now)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, sessions: sessionmaker[Session], now: Now) -> None:
        self._sessions = sessions
        self._now = now

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions, self._now)
