"""Rate budgets kept where every copy sees them: a row per platform workspace, changed atomically.

A platform limits what one workspace (a Slack team, a Teams tenant) receives, whoever sends it: the
threads of one copy, the ``--workers`` processes beside it and the other copies behind the load
balancer. So the next free slot, the learnt rate and any ``Retry-After`` pause live in one row, and
each change reads and writes it under a lock: ``SELECT ... FOR UPDATE`` on PostgreSQL, the
``BEGIN IMMEDIATE`` write transaction on SQLite. What the change *is* (how a rate is learnt) is the
caller's: this module only makes it atomic, so the policy stays beside the adapters that send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from storage.models.kernel import RateBudgetRow

T = TypeVar("T")


@dataclass
class BudgetState:
    """One budget as a change sees it; times are seconds since the epoch."""

    next_at: float = 0.0
    rate: float | None = None
    probing: bool = False
    paused_until: float = 0.0
    last_cut_at: float | None = None
    window_start: float = 0.0
    window_count: int = 0
    previous_count: int = 0


_FIELDS = tuple(f.name for f in fields(BudgetState))


class SqlRateBudgets:
    """The rate budgets in the database an engine reaches (the process's one engine)."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._postgres = engine.dialect.name == "postgresql"

    def change(self, platform: str, workspace: str, change: Callable[[BudgetState], T]) -> T:
        """Run ``change`` on the budget with no other copy changing it meanwhile; keep what it set."""
        with self._sessions() as session, session.begin():
            row = self._locked(session, platform, workspace)
            state = BudgetState(**{name: getattr(row, name) for name in _FIELDS})
            result = change(state)
            for name in _FIELDS:
                setattr(row, name, getattr(state, name))
        return result

    def read(self, platform: str, workspace: str) -> BudgetState:
        """The budget as it stands, without a lock: a sender's last look for a pause."""
        with self._sessions() as session:
            row = session.get(RateBudgetRow, (platform, workspace))
            if row is None:
                return BudgetState()
            return BudgetState(**{name: getattr(row, name) for name in _FIELDS})

    def _locked(self, session: Session, platform: str, workspace: str) -> RateBudgetRow:
        query = (
            select(RateBudgetRow)
            .where(RateBudgetRow.platform == platform, RateBudgetRow.workspace == workspace)
            .with_for_update()
        )
        row = session.scalars(query).one_or_none()
        if row is not None:
            return row
        # First use: two copies may arrive together, so the row is made "if absent", then locked.
        insert = pg_insert if self._postgres else sqlite_insert
        session.execute(
            insert(RateBudgetRow)
            .values(platform=platform, workspace=workspace, **_defaults())
            .on_conflict_do_nothing()
        )
        return session.scalars(query.execution_options(populate_existing=True)).one()


def _defaults() -> dict[str, object]:
    state = BudgetState()
    return {name: getattr(state, name) for name in _FIELDS}
