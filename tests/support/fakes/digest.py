"""The digest's check-in figures over the fakes: what ``checkins`` and the frozen weeks read.

Only the check-in counts are here (the rest of the digest reads observations, resources and pairings,
which the unit tier does not hold); every other question raises, like the empty stand-ins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn

from bot.checkins.model import Answer, Checkin
from bot.digest.model import CheckinFigures, FrozenWeek, GroupCheckins, QuestionFigures
from bot.kernel.domain import ProgramRole
from tests.support.fakes.core import MEMBERSHIPS
from tests.support.fakes.features import ANSWERS, CHECKINS, SUPPORT
from tests.support.fakes.tables import Transaction

FROZEN = "frozen_week_figures"
FROZEN_QUESTIONS = "frozen_question_figures"


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

    def question_weeks(
        self, program_id: int, weeks: Sequence[str]
    ) -> dict[str, list[QuestionFigures]]:
        week_of = {
            r.item.id: r.item.week for r in self._tx.scan(CHECKINS) if r.workspace_id == self._ws
        }
        asked: dict[str, dict[tuple[str, str], list[Answer]]] = {}
        for r in self._tx.scan(ANSWERS):
            a: Answer = r.item
            week = week_of.get(a.checkin_id)
            if r.workspace_id != self._ws or a.program_id != program_id or week not in weeks:
                continue
            key = (a.template or a.question, a.kind)
            asked.setdefault(week, {}).setdefault(key, []).append(a)
        found: dict[str, list[QuestionFigures]] = {}
        for week, questions in asked.items():
            for (question, kind), answers in sorted(
                questions.items(), key=lambda item: min(a.position for a in item[1])
            ):
                spread: dict[str, int] = {}
                for a in answers if kind != "text" else []:
                    spread[a.value] = spread.get(a.value, 0) + 1
                order = (
                    sorted(spread.items())
                    if kind == "scale"
                    else sorted(spread.items(), key=lambda i: (-i[1], i[0]))
                )
                found.setdefault(week, []).append(
                    QuestionFigures(
                        question,
                        kind,
                        len(answers),
                        len({a.member_id for a in answers}),
                        tuple(order),
                    )
                )
        return found

    def frozen_questions(
        self, program_id: int, weeks: Sequence[str]
    ) -> dict[str, list[QuestionFigures]]:
        found = {w: self._tx.get(FROZEN_QUESTIONS, (self._ws, program_id, w)) for w in weeks}
        return {w: list(f) for w, f in found.items() if f is not None}

    def freeze_questions(
        self, program_id: int, week: str, figures: Sequence[QuestionFigures], now: datetime
    ) -> None:
        key = (self._ws, program_id, week)
        if self._tx.get(FROZEN_QUESTIONS, key) is None:
            self._tx.put(FROZEN_QUESTIONS, key, tuple(figures))
