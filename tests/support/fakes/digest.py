"""The digest's check-in figures over the fakes: what ``checkins`` and the frozen weeks read.

Only the check-in counts are here (the rest of the digest reads observations, resources and pairings,
which the unit tier does not hold); every other question raises, like the empty stand-ins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn

from bot.checkins.model import Checkin
from bot.digest.model import CheckinFigures, FrozenWeek, GroupCheckins
from bot.kernel.domain import ProgramRole
from tests.support.fakes.core import MEMBERSHIPS
from tests.support.fakes.features import CHECKINS, SUPPORT
from tests.support.fakes.tables import Transaction

FROZEN = "frozen_week_figures"


def _figures(rows: list[Checkin]) -> CheckinFigures:
    sent = [c for c in rows if c.sent_at is not None]
    answered = [c for c in rows if c.answered_at is not None]
    rated = [c for c in answered if c.confidence is not None]
    return CheckinFigures(
        sent=len(sent),
        answered=len(answered),
        confidence_sum=sum(c.confidence or 0 for c in rated),
        confidence_count=len(rated),
        people=len({c.member_id for c in sent}),
    )


class FakeDigestQueries:
    def __init__(self, tx: Transaction, workspace_id: int) -> None:
        self._tx = tx
        self._ws = workspace_id

    def __getattr__(self, name: str) -> Any:
        def not_here(*_args: Any, **_kwargs: Any) -> NoReturn:
            raise NotImplementedError(f"the unit tier's digest has check-in figures only ({name})")

        return not_here

    def _checkins(self, program_id: int, week: str) -> list[Checkin]:
        return [
            r.item
            for r in self._tx.scan(CHECKINS)
            if r.workspace_id == self._ws
            and r.item.program_id == program_id
            and r.item.week == week
        ]

    def checkin_weeks(self, program_id: int, weeks: Sequence[str]) -> dict[str, CheckinFigures]:
        found = {w: self._checkins(program_id, w) for w in weeks}
        return {w: _figures(rows) for w, rows in found.items() if rows}

    def checkins_by_role(self, program_id: int, week: str) -> list[GroupCheckins]:
        roles = {
            r.item.member_id: r.item.role
            for r in self._tx.scan(MEMBERSHIPS)
            if r.workspace_id == self._ws and r.item.program_id == program_id
        }
        by_role: dict[str, list[Checkin]] = {}
        for checkin in self._checkins(program_id, week):
            role = roles.get(checkin.member_id)
            if role is not None and role is not ProgramRole.COORDINATOR:
                by_role.setdefault(role.value, []).append(checkin)
        return [GroupCheckins(role, _figures(rows)) for role, rows in sorted(by_role.items())]

    def support_requests(self, program_id: int, start: datetime, end: datetime) -> int:
        teachers = {
            r.item.member_id
            for r in self._tx.scan(MEMBERSHIPS)
            if r.workspace_id == self._ws
            and r.item.program_id == program_id
            and r.item.role is not ProgramRole.COORDINATOR
        }
        return sum(
            1
            for r in self._tx.scan(SUPPORT)
            if r.workspace_id == self._ws
            and r.item.member_id in teachers
            and start <= r.item.created_at < end
        )

    def frozen_weeks(self, program_id: int, weeks: Sequence[str]) -> dict[str, FrozenWeek]:
        found = {w: self._tx.get(FROZEN, (self._ws, program_id, w)) for w in weeks}
        return {w: f for w, f in found.items() if f is not None}

    def freeze_week(self, program_id: int, week: str, figures: FrozenWeek, now: datetime) -> None:
        key = (self._ws, program_id, week)
        if self._tx.get(FROZEN, key) is None:
            self._tx.put(FROZEN, key, figures)
