"""The fake unit of work: one transaction over the in-memory database, and the workspace-bound scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from bot.kernel.domain import Workspace
from tests.support.fakes.core import (
    WORKSPACES,
    FakeInboundLog,
    FakeMembers,
    FakeMemberships,
    FakeOutbox,
    FakePrograms,
    FakeWorkspaces,
)
from tests.support.fakes.digest import FakeDigestQueries
from tests.support.fakes.empty import EmptyLibrary, NoGrowthHistory, NoObservations, NoStudies
from tests.support.fakes.features import (
    FakeCalendar,
    FakeCheckins,
    FakePairings,
    FakePrivacy,
    FakeReflections,
)
from tests.support.fakes.tables import InMemoryDatabase, Transaction

Now = Callable[[], datetime]


class FakeScope:
    """``bot.kernel.ports.Scope`` over one transaction; every repository is bound to one workspace."""

    def __init__(self, tx: Transaction, workspace: Workspace, now: Now) -> None:
        self.workspace_id = workspace.id
        self.members = FakeMembers(tx, workspace.id, now)
        self.programs = FakePrograms(tx, workspace.id, now)
        self.memberships = FakeMemberships(tx, workspace.id, now)
        self.outbox = FakeOutbox(tx, workspace)
        self.outbox_bulk = self.outbox
        """The bulk writer is the outbox itself: callers of either name write the same rows."""
        self.inbound = FakeInboundLog(tx, workspace.id)
        self.pairing = FakePairings(tx, workspace.id)
        self.checkins = FakeCheckins(tx, workspace.id)
        self.reflections = FakeReflections(tx, workspace.id, now)
        self.calendar = FakeCalendar(tx, workspace.id, now)
        self.privacy = FakePrivacy(tx, workspace.id)
        self.resources = EmptyLibrary()
        self.observations = NoObservations(now)
        self.digest = FakeDigestQueries(tx, workspace.id)
        self.growth = NoGrowthHistory()
        self.study = NoStudies()


class FakeUnitOfWork:
    """Commits only when told to; leaving the block without a commit discards everything written."""

    def __init__(self, db: InMemoryDatabase, now: Now) -> None:
        self._db = db
        self._now = now
        self._tx: Transaction | None = None

    @property
    def _transaction(self) -> Transaction:
        if self._tx is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._tx

    @property
    def workspaces(self) -> FakeWorkspaces:
        return FakeWorkspaces(self._transaction, self._now)

    def __enter__(self) -> Self:
        self._tx = self._db.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._transaction.rollback()
        self._tx = None

    def scope(self, workspace_id: int) -> FakeScope:
        workspace = self._transaction.get(WORKSPACES, workspace_id)
        if workspace is None:
            raise LookupError(f"no workspace {workspace_id}")
        return FakeScope(self._transaction, workspace, self._now)

    def commit(self) -> None:
        self._transaction.commit()

    def rollback(self) -> None:
        self._transaction.rollback()


class FakeUnitOfWorkFactory:
    """``bot.kernel.ports.UnitOfWorkFactory``; ``db`` is what a test inspects afterwards."""

    def __init__(self, db: InMemoryDatabase | None = None, now: Now | None = None) -> None:
        self.db = db if db is not None else InMemoryDatabase()
        self._now: Now = now or (lambda: datetime.now(UTC))

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.db, self._now)
