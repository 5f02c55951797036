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
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Float, Table, bindparam, case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models.kernel import RateBudgetPauseRow, RateBudgetRow
from storage.single_statements import single_statements

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
    settled: bool = False


_FIELDS = tuple(f.name for f in fields(BudgetState))


class SqlRateBudgets:
    """The rate budgets in the database an engine reaches (the process's one engine).

    Plain Core statements on a connection, not the ORM: a budget is changed once a send, by every
    sending thread, so its cost is the fan-out's cost."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._single = single_statements(engine)
        self._postgres = engine.dialect.name == "postgresql"
        self._pause = _pause_statement(pg_insert if self._postgres else sqlite_insert)

    def change(self, platform: str, workspace: str, change: Callable[[BudgetState], T]) -> T:
        """Run ``change`` on the budget with no other copy changing it meanwhile; keep what it set."""
        with self._engine.begin() as conn:
            state = self._locked(conn, platform, workspace)
            result = change(state)
            conn.execute(
                _UPDATE,
                {
                    "key_platform": platform,
                    "key_workspace": workspace,
                    **{name: getattr(state, name) for name in _FIELDS},
                },
            )
        return result

    def pause(self, platform: str, workspace: str, until: float) -> None:
        """Pause the budget until ``until`` (or later, if it already was) in one statement: the
        first thing a 429 writes, so every copy's next look sees it a round trip later. It goes to
        a row of its own, which no reservation holds locked."""
        with self._single.begin() as conn:
            conn.execute(
                self._pause, {"platform": platform, "workspace": workspace, "until": until}
            )

    def read(self, platform: str, workspace: str) -> BudgetState:
        """The budget as it stands, without a lock: a sender's last look for a pause."""
        with self._single.connect() as conn:
            row = conn.execute(_SELECT, _key(platform, workspace)).first()
            if row is None:  # no slot taken yet, though a reply's 429 may have paused it
                paused = conn.execute(select(_PAUSED), _key(platform, workspace)).scalar()
                return BudgetState(paused_until=paused or 0.0)
        return _state(row)

    def _locked(self, conn: Connection, platform: str, workspace: str) -> BudgetState:
        row = conn.execute(_SELECT_LOCKED, _key(platform, workspace)).first()
        if row is not None:
            return _state(row)
        # First use: two copies may arrive together, so the row is made "if absent", then locked.
        insert = pg_insert if self._postgres else sqlite_insert
        conn.execute(
            insert(_TABLE)
            .values(platform=platform, workspace=workspace, **_defaults())
            .on_conflict_do_nothing()
        )
        return _state(conn.execute(_SELECT_LOCKED, _key(platform, workspace)).one())


_TABLE: Table = RateBudgetRow.__table__  # type: ignore[assignment]
_PAUSES: Table = RateBudgetPauseRow.__table__  # type: ignore[assignment]

# Built once: every send runs one of these, and building a statement anew each time (and its
# cache key) cost more than the round trip it makes.
_PAUSED = (
    select(_PAUSES.c.paused_until)
    .where(
        _PAUSES.c.platform == bindparam("key_platform"),
        _PAUSES.c.workspace == bindparam("key_workspace"),
    )
    .scalar_subquery()
)
_SELECT = select(
    *(_TABLE.c[name] for name in _FIELDS if name != "paused_until"),
    # The later of the budget's own pause and a 429's (no pause row: a NULL, so the budget's).
    case((_TABLE.c.paused_until < _PAUSED, _PAUSED), else_=_TABLE.c.paused_until).label(
        "paused_until"
    ),
).where(
    _TABLE.c.platform == bindparam("key_platform"),
    _TABLE.c.workspace == bindparam("key_workspace"),
)
_SELECT_LOCKED = _SELECT.with_for_update(of=_TABLE)
_UPDATE = (
    update(_TABLE)
    .where(
        _TABLE.c.platform == bindparam("key_platform"),
        _TABLE.c.workspace == bindparam("key_workspace"),
    )
    .values({name: bindparam(name) for name in _FIELDS})
)


def _later(column: Any) -> Any:
    """The column or ``:until``, whichever is later (SQLite has no ``greatest``)."""
    until = bindparam("until", type_=Float)
    return case((column > until, column), else_=until)


def _pause_statement(insert: Any) -> Any:
    """Insert the pause, or keep the later of it and the one standing."""
    statement = insert(_PAUSES).values(
        platform=bindparam("platform"),
        workspace=bindparam("workspace"),
        paused_until=bindparam("until", type_=Float),
    )
    return statement.on_conflict_do_update(
        index_elements=[_PAUSES.c.platform, _PAUSES.c.workspace],
        set_={"paused_until": _later(_PAUSES.c.paused_until)},
    )


def _key(platform: str, workspace: str) -> dict[str, str]:
    return {"key_platform": platform, "key_workspace": workspace}


def _state(row: Any) -> BudgetState:
    return BudgetState(**{name: row._mapping[name] for name in _FIELDS})


def _defaults() -> dict[str, object]:
    state = BudgetState()
    return {name: getattr(state, name) for name in _FIELDS}
