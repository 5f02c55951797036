"""Pairing rounds, their groups, coordinators' rules and who met: the SQL side of ``bot.pairing``.

Bound to one workspace: every query filters on it, so a round can never see another school's people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.pairing.model import Pair, pair_key
from bot.pairing.ports import NEVER_MET, MetStatus, PairingRecord, RoundRecord, Rule, RuleKind
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow, PairingRuleRow
from storage.sql import insert_ignoring_conflict, insert_many_ignoring_conflicts


def _round(row: PairingRoundRow) -> RoundRecord:
    return RoundRecord(
        id=row.id,
        program_id=row.program_id,
        number=row.number,
        score=row.score,
        seed=row.seed,
        published_at=row.published_at,
    )


class SqlPairings:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def last_round(self, program_id: int) -> RoundRecord | None:
        row = self._s.scalars(
            select(PairingRoundRow)
            .where(
                PairingRoundRow.workspace_id == self._ws, PairingRoundRow.program_id == program_id
            )
            .order_by(PairingRoundRow.number.desc())
            .limit(1)
        ).first()
        return _round(row) if row else None

    def hold_round(self, round_id: int) -> None:
        # PostgreSQL: a row lock until commit. SQLite: every transaction already began with
        # BEGIN IMMEDIATE (storage.db), so writers take turns and FOR UPDATE is not rendered.
        self._s.execute(
            select(PairingRoundRow.id)
            .where(PairingRoundRow.workspace_id == self._ws, PairingRoundRow.id == round_id)
            .with_for_update()
        )

    def create_round(
        self, program_id: int, number: int, *, score: float, seed: int, now: datetime
    ) -> RoundRecord | None:
        inserted = insert_ignoring_conflict(
            self._s,
            PairingRoundRow.__table__,  # type: ignore[arg-type]
            {
                "workspace_id": self._ws,
                "program_id": program_id,
                "number": number,
                "status": "published",
                "score": score,
                "seed": seed,
                "created_at": now,
                "published_at": now,
            },
        )
        if not inserted:
            return None
        row = self._s.scalars(
            select(PairingRoundRow).where(
                PairingRoundRow.workspace_id == self._ws,
                PairingRoundRow.program_id == program_id,
                PairingRoundRow.number == number,
            )
        ).one()
        return _round(row)

    def add_pairing(
        self,
        round_record: RoundRecord,
        members: Sequence[tuple[int, str]],
        *,
        reason: str,
        score: float,
        now: datetime,
    ) -> PairingRecord:
        row = PairingRow(
            workspace_id=self._ws,
            round_id=round_record.id,
            program_id=round_record.program_id,
            reason=reason,
            score=score,
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        self._s.add_all(
            PairingMemberRow(workspace_id=self._ws, pairing_id=row.id, member_id=m, role=role)
            for m, role in members
        )
        return PairingRecord(
            id=row.id,
            round_id=row.round_id,
            program_id=row.program_id,
            members=tuple(members),
            reason=reason,
            score=score,
            met_status=None,
        )

    def add_pairings(
        self,
        round_record: RoundRecord,
        groups: Sequence[tuple[Sequence[tuple[int, str]], str, float]],
        *,
        now: datetime,
    ) -> list[PairingRecord]:
        """A round's groups in a few statements (RETURNING gives each its id), not a flush each."""
        records: list[PairingRecord] = []
        for start in range(0, len(groups), 2000):
            part = groups[start : start + 2000]
            rows = [
                {
                    "workspace_id": self._ws,
                    "round_id": round_record.id,
                    "program_id": round_record.program_id,
                    "reason": reason,
                    "score": score,
                    "created_at": now,
                }
                for _members, reason, score in part
            ]
            ids = list(
                self._s.execute(
                    insert(PairingRow).returning(PairingRow.id, sort_by_parameter_order=True),
                    rows,
                ).scalars()
            )
            # The bulk writer: on PostgreSQL one array a column, not four placeholders a person
            # (the pairings are new, so no row is ever skipped as already there).
            insert_many_ignoring_conflicts(
                self._s,
                PairingMemberRow.__table__,  # type: ignore[arg-type]
                [
                    {"workspace_id": self._ws, "pairing_id": pid, "member_id": m, "role": role}
                    for pid, (members, _reason, _score) in zip(ids, part, strict=True)
                    for m, role in members
                ],
            )
            records += [
                PairingRecord(
                    id=pid,
                    round_id=round_record.id,
                    program_id=round_record.program_id,
                    members=tuple(members),
                    reason=reason,
                    score=score,
                    met_status=None,
                )
                for pid, (members, reason, score) in zip(ids, part, strict=True)
            ]
        return records

    def _records(self, rows: Sequence[PairingRow]) -> list[PairingRecord]:
        if not rows:
            return []
        members: dict[int, list[tuple[int, str]]] = {}
        for m in self._s.scalars(
            select(PairingMemberRow)
            .where(
                PairingMemberRow.workspace_id == self._ws,
                PairingMemberRow.pairing_id.in_([r.id for r in rows]),
            )
            .order_by(PairingMemberRow.id)
        ):
            members.setdefault(m.pairing_id, []).append((m.member_id, m.role))
        return [
            PairingRecord(
                id=r.id,
                round_id=r.round_id,
                program_id=r.program_id,
                members=tuple(members.get(r.id, [])),
                reason=r.reason,
                score=r.score,
                met_status=r.met_status,
            )
            for r in rows
        ]

    def pairings(self, round_id: int) -> list[PairingRecord]:
        rows = self._s.scalars(
            select(PairingRow)
            .where(PairingRow.workspace_id == self._ws, PairingRow.round_id == round_id)
            .order_by(PairingRow.id)
        ).all()
        return self._records(rows)

    def pairing(self, pairing_id: int) -> PairingRecord | None:
        row = self._s.get(PairingRow, pairing_id)
        if row is None or row.workspace_id != self._ws:
            return None
        return self._records([row])[0]

    def pairing_of(self, round_id: int, member_id: int) -> PairingRecord | None:
        # By the member's few pairings, never by the round's thousands.
        row = self._s.scalars(
            select(PairingRow)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id + 0 == round_id,
                PairingRow.id.in_(
                    select(PairingMemberRow.pairing_id).where(
                        PairingMemberRow.workspace_id == self._ws,
                        PairingMemberRow.member_id == member_id,
                    )
                ),
            )
            .order_by(PairingRow.id)
            .limit(1)
        ).first()
        return self._records([row])[0] if row is not None else None

    def recent_pairs(self, program_id: int, rounds: int) -> set[Pair]:
        if rounds <= 0:
            return set()
        round_ids = list(
            self._s.scalars(
                select(PairingRoundRow.id)
                .where(
                    PairingRoundRow.workspace_id == self._ws,
                    PairingRoundRow.program_id == program_id,
                )
                .order_by(PairingRoundRow.number.desc())
                .limit(rounds)
            )
        )
        if not round_ids:
            return set()
        rows = self._s.execute(
            select(PairingMemberRow.pairing_id, PairingMemberRow.member_id)
            .join(PairingRow, PairingRow.id == PairingMemberRow.pairing_id)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id.in_(round_ids),
                (PairingRow.met_status.is_(None)) | (PairingRow.met_status.not_in(NEVER_MET)),
            )
        ).all()
        groups: dict[int, list[int]] = {}
        for pairing_id, member_id in rows:
            groups.setdefault(pairing_id, []).append(member_id)
        return {
            pair_key(a, b)
            for members in groups.values()
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        }

    def set_met(self, pairing_id: int, status: MetStatus) -> None:
        row = self._s.get(PairingRow, pairing_id)
        if row is not None and row.workspace_id == self._ws:
            row.met_status = status.value

    def met_asked(self, pairing_ids: Sequence[int]) -> set[tuple[int, int]]:
        if not pairing_ids:
            return set()
        rows = self._s.execute(
            select(PairingMemberRow.pairing_id, PairingMemberRow.member_id).where(
                PairingMemberRow.workspace_id == self._ws,
                PairingMemberRow.pairing_id.in_(list(pairing_ids)),
                PairingMemberRow.met_asked_at.is_not(None),
            )
        )
        return {(int(p), int(m)) for p, m in rows}

    def record_met_asked(self, asks: Sequence[tuple[int, int]], now: datetime) -> None:
        for pairing_id, member_id in asks:
            self._s.execute(
                update(PairingMemberRow)
                .where(
                    PairingMemberRow.workspace_id == self._ws,
                    PairingMemberRow.pairing_id == pairing_id,
                    PairingMemberRow.member_id == member_id,
                    PairingMemberRow.met_asked_at.is_(None),
                )
                .values(met_asked_at=now)
            )

    def _pairing_ids_of(self, member_id: int) -> list[int]:
        return list(
            self._s.scalars(
                select(PairingMemberRow.pairing_id).where(
                    PairingMemberRow.workspace_id == self._ws,
                    PairingMemberRow.member_id == member_id,
                )
            )
        )

    def for_member(self, member_id: int) -> list[tuple[RoundRecord, PairingRecord]]:
        ids = self._pairing_ids_of(member_id)
        if not ids:
            return []
        rows = self._s.scalars(
            select(PairingRow)
            .where(PairingRow.workspace_id == self._ws, PairingRow.id.in_(ids))
            .order_by(PairingRow.id)
        ).all()
        rounds = {
            r.id: _round(r)
            for r in self._s.scalars(
                select(PairingRoundRow).where(
                    PairingRoundRow.workspace_id == self._ws,
                    PairingRoundRow.id.in_({r.round_id for r in rows}),
                )
            )
        }
        return [(rounds[p.round_id], p) for p in self._records(rows)]

    def erase_reasons(self, member_id: int) -> int:
        ids = self._pairing_ids_of(member_id)
        if not ids:
            return 0
        rows = self._s.scalars(
            select(PairingRow).where(PairingRow.workspace_id == self._ws, PairingRow.id.in_(ids))
        ).all()
        for row in rows:
            row.reason = ""
        return len(rows)

    def rules(self, program_id: int) -> list[Rule]:
        rows = self._s.scalars(
            select(PairingRuleRow)
            .where(PairingRuleRow.workspace_id == self._ws, PairingRuleRow.program_id == program_id)
            .order_by(PairingRuleRow.id)
        )
        return [
            Rule(
                id=r.id,
                program_id=r.program_id,
                kind=RuleKind(r.kind),
                member_a=r.member_a_id,
                member_b=r.member_b_id,
                round_number=r.round_number,
            )
            for r in rows
        ]

    def add_rule(
        self,
        program_id: int,
        kind: RuleKind,
        member_a: int,
        member_b: int,
        *,
        round_number: int | None,
        created_by: int | None,
        now: datetime,
    ) -> Rule:
        row = PairingRuleRow(
            workspace_id=self._ws,
            program_id=program_id,
            kind=kind.value,
            member_a_id=member_a,
            member_b_id=member_b,
            round_number=round_number,
            created_by_member_id=created_by,
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return Rule(row.id, program_id, kind, member_a, member_b, round_number)
