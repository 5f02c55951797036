"""Fakes of the feature repositories the core's own flows need: check-ins, reflections, the school
calendar, privacy and pairing. Same queries, same order, same None cases as their SQL twins."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.calendar.model import CalendarEntry
from bot.checkins.model import Answer, Checkin, CheckinStatus, SupportRequest
from bot.kernel.domain import ProgramRole
from bot.pairing.model import Pair, pair_key
from bot.pairing.ports import NEVER_MET, MetStatus, PairingRecord, RoundRecord, Rule, RuleKind
from bot.privacy.redaction import pattern, rewrite
from bot.reflections.model import Reflection, Visibility
from tests.support.fakes.core import MEMBERS, MEMBERSHIPS, OUTBOX, PROGRAMS, OutboxRow, Owned
from tests.support.fakes.tables import Transaction, stored, utc

Now = Callable[[], datetime]

CHECKINS = "checkins"
ANSWERS = "checkin_answers"
SUPPORT = "support_requests"
REFLECTIONS = "reflections"
CALENDAR = "calendar"
ROUNDS = "pairing_rounds"
PAIRINGS = "pairings"
MET_ASKED = "pairing_met_asked"
RULES = "pairing_rules"

ERASED = {"text": "(erased at the member's request)", "blocks": []}


def _mine(tx: Transaction, table: str, workspace_id: int) -> list[Any]:
    return [r.item for r in tx.scan(table) if r.workspace_id == workspace_id]


class FakeCheckins:
    def __init__(self, tx: Transaction, workspace_id: int) -> None:
        self._tx = tx
        self._ws = workspace_id

    def _all(self) -> list[Checkin]:
        return _mine(self._tx, CHECKINS, self._ws)

    def get(self, checkin_id: int) -> Checkin | None:
        row = self._tx.get(CHECKINS, checkin_id)
        return stored(row.item) if row is not None and row.workspace_id == self._ws else None

    def for_weeks(
        self,
        program_id: int,
        weeks: Iterable[str],
        *,
        member_ids: Collection[int] | None = None,
        open_only: bool = False,
    ) -> dict[tuple[int, str], Checkin]:
        wanted = set(weeks)

        def still_open(c: Checkin) -> bool:
            return c.status is CheckinStatus.SNOOZED or (
                c.status is CheckinStatus.SENT
                and c.reminder_sent_at is None
                and c.answered_at is None
            )

        return {
            (c.member_id, c.week): stored(c)
            for c in self._all()
            if c.program_id == program_id
            and c.week in wanted
            and (member_ids is None or c.member_id in member_ids)
            and (not open_only or still_open(c))
        }

    def _existing(self, checkin: Checkin) -> Checkin | None:
        """``uq_checkins_program_member_week`` holds in every workspace at once, like the SQL one."""
        for row in self._tx.scan(CHECKINS):
            c: Checkin = row.item
            if (c.program_id, c.member_id, c.week) == (
                checkin.program_id,
                checkin.member_id,
                checkin.week,
            ):
                return c
        return None

    def _insert(self, checkin: Checkin) -> Checkin:
        row = stored(dataclasses.replace(checkin, id=self._tx.next_id(CHECKINS)))
        self._tx.put(CHECKINS, row.id, Owned(self._ws, row))
        return row

    def add(self, checkin: Checkin) -> Checkin | None:
        if self._existing(checkin) is not None:
            return None
        return stored(self._insert(checkin))

    def add_many(self, checkins: Sequence[Checkin]) -> dict[tuple[int, str], Checkin]:
        out: dict[tuple[int, str], Checkin] = {}
        for checkin in checkins:
            row = self._existing(checkin) or self._insert(checkin)
            if self.get(row.id or 0) is not None:  # the SQL re-read is bound to the workspace
                out[(row.member_id, row.week)] = stored(row)
        return out

    def save(self, checkin: Checkin) -> None:
        before = self.get(checkin.id) if checkin.id is not None else None
        if before is None:
            raise LookupError(f"check-in {checkin.id} is not in this workspace")
        row = dataclasses.replace(
            before,
            status=checkin.status,
            due_at=checkin.due_at,
            sent_at=checkin.sent_at,
            answered_at=checkin.answered_at,
            confidence=checkin.confidence,
            reminder_sent_at=checkin.reminder_sent_at,
            snoozed_at=checkin.snoozed_at,
            goal=checkin.goal,
        )
        self._tx.put(CHECKINS, checkin.id, Owned(self._ws, stored(row)))

    def for_member(self, member_id: int, limit: int = 52) -> list[Checkin]:
        rows = [c for c in self._all() if c.member_id == member_id]
        rows.sort(key=lambda c: (c.due_at, c.id), reverse=True)
        return [stored(c) for c in rows[:limit]]

    def open_since(self, since: datetime) -> list[Checkin]:
        open_ = (CheckinStatus.SENT, CheckinStatus.SNOOZED)
        return [stored(c) for c in self._all() if c.status in open_ and c.due_at >= since]

    def for_program(self, program_id: int, since: datetime | None = None) -> list[Checkin]:
        return [
            stored(c)
            for c in self._all()
            if c.program_id == program_id and (since is None or c.due_at >= since)
        ]

    def programs_to_plan(self, now: datetime) -> list[tuple[int, int | None]]:
        """Every active program, every run: the fake keeps no wake times, which only ever skip runs."""
        return sorted(
            (p.id, None)
            for p in self._tx.scan(PROGRAMS)
            if p.workspace_id == self._ws and p.active and p.id is not None
        )

    def sleep_until(self, program_id: int, generation: int | None, wake: datetime) -> bool:
        return False

    def taken_elsewhere(
        self, program_id: int, member_ids: Collection[int], weeks: Iterable[str]
    ) -> set[tuple[int, str]]:
        wanted, ids = set(weeks), set(member_ids)
        return {
            (c.member_id, c.week)
            for c in self._all()
            if c.program_id != program_id and c.member_id in ids and c.week in wanted
        }

    def mentors(self, program_id: int) -> dict[int, list[str]]:
        result: dict[int, list[str]] = {
            m.member_id: []
            for m in _mine(self._tx, MEMBERSHIPS, self._ws)
            if m.program_id == program_id and m.role is ProgramRole.MENTOR
        }
        rounds = [
            r
            for r in _mine(self._tx, ROUNDS, self._ws)
            if r.program_id == program_id and r.published_at is not None
        ]
        if not rounds:
            return result
        latest = max(r.id for r in rounds)
        for pairing in _mine(self._tx, PAIRINGS, self._ws):
            if pairing.round_id != latest:
                continue
            roles = dict(pairing.members)
            mentees = [m for m, role in pairing.members if role == ProgramRole.MENTEE.value]
            for mentor_id in (m for m, role in roles.items() if role == ProgramRole.MENTOR.value):
                for mentee_id in mentees:
                    row = self._tx.get(MEMBERS, mentee_id)
                    words = row.display_name.split() if row is not None else []
                    result.setdefault(mentor_id, []).append(words[0] if words else "your mentee")
        return {k: sorted(v) for k, v in result.items()}

    def groups(self, program_id: int) -> dict[int, list[str]]:
        rounds = [
            r.id
            for r in _mine(self._tx, ROUNDS, self._ws)
            if r.program_id == program_id and r.published_at is not None
        ]
        result: dict[int, list[str]] = {}
        for pairing in _mine(self._tx, PAIRINGS, self._ws):
            if not rounds or pairing.round_id != max(rounds):
                continue
            for member_id, role in pairing.members:
                if role != ProgramRole.PEER.value:
                    continue
                for other_id, _role in pairing.members:
                    row = self._tx.get(MEMBERS, other_id)
                    if other_id == member_id or row is None or row.status == "opted_out":
                        continue
                    words = row.display_name.split()
                    result.setdefault(member_id, []).append(words[0] if words else "a colleague")
        return {k: sorted(v) for k, v in result.items()}

    def save_answers(self, checkin_id: int, answers: Sequence[Answer]) -> None:
        positions = {a.position for a in answers}
        for row in list(self._tx.scan(ANSWERS)):
            a: Answer = row.item
            if (
                row.workspace_id == self._ws
                and a.checkin_id == checkin_id
                and a.position in positions
            ):
                self._tx.delete(ANSWERS, a.id)
        for answer in answers:
            new = dataclasses.replace(answer, id=self._tx.next_id(ANSWERS))
            self._tx.put(ANSWERS, new.id, Owned(self._ws, stored(new)))

    def answers(self, member_id: int, checkin_id: int | None = None) -> list[Answer]:
        rows = [
            stored(a)
            for a in _mine(self._tx, ANSWERS, self._ws)
            if a.member_id == member_id and checkin_id in (None, a.checkin_id)
        ]
        return sorted(rows, key=lambda a: (-a.checkin_id, a.position))

    def forget_answers(self, member_id: int) -> int:
        gone = 0
        for table in (ANSWERS, SUPPORT):
            for row in list(self._tx.scan(table)):
                if row.workspace_id == self._ws and row.item.member_id == member_id:
                    self._tx.delete(table, row.item.id)
                    gone += 1
        return gone

    def add_support(self, request: SupportRequest) -> None:
        new = dataclasses.replace(request, id=self._tx.next_id(SUPPORT))
        self._tx.put(SUPPORT, new.id, Owned(self._ws, stored(new)))

    def support_requests(self, member_id: int) -> list[SupportRequest]:
        rows = [r for r in _mine(self._tx, SUPPORT, self._ws) if r.member_id == member_id]
        return sorted((stored(r) for r in rows), key=lambda r: r.id or 0)


class FakeReflections:
    def __init__(self, tx: Transaction, workspace_id: int, now: Now) -> None:
        self._tx = tx
        self._ws = workspace_id
        self._now = now

    def _all(self) -> list[Reflection]:
        return _mine(self._tx, REFLECTIONS, self._ws)

    def get(self, reflection_id: int) -> Reflection | None:
        row = self._tx.get(REFLECTIONS, reflection_id)
        return stored(row.item) if row is not None and row.workspace_id == self._ws else None

    def add(self, reflection: Reflection) -> Reflection:
        now = self._now()
        row = stored(
            dataclasses.replace(
                reflection, id=self._tx.next_id(REFLECTIONS), created_at=now, updated_at=now
            )
        )
        self._tx.put(REFLECTIONS, row.id, Owned(self._ws, row))
        return stored(row)

    def save(self, reflection: Reflection) -> None:
        before = self.get(reflection.id) if reflection.id is not None else None
        if before is None or before.member_id != reflection.member_id:
            raise LookupError(f"reflection {reflection.id} is not this member's")
        row = dataclasses.replace(reflection, created_at=before.created_at, updated_at=self._now())
        self._tx.put(REFLECTIONS, reflection.id, Owned(self._ws, stored(row)))

    def delete(self, reflection_id: int) -> bool:
        if self.get(reflection_id) is None:
            return False
        self._tx.delete(REFLECTIONS, reflection_id)
        return True

    @staticmethod
    def _newest_first(rows: list[Reflection]) -> list[Reflection]:
        rows.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return [stored(r) for r in rows]

    def for_member(self, member_id: int) -> list[Reflection]:
        return self._newest_first([r for r in self._all() if r.member_id == member_id])

    def shared(self, visibility: Visibility, program_id: int | None = None) -> list[Reflection]:
        return self._newest_first(
            [
                r
                for r in self._all()
                if r.visibility is visibility
                and not r.is_draft
                and (program_id is None or r.program_id == program_id)
            ]
        )

    def counts(self, program_id: int | None = None) -> dict[str, int]:
        counted = {v.value: 0 for v in Visibility}
        for r in self._all():
            if not r.is_draft and (program_id is None or r.program_id == program_id):
                counted[r.visibility.value] += 1
        return counted


class FakeCalendar:
    def __init__(self, tx: Transaction, workspace_id: int, now: Now) -> None:
        self._tx = tx
        self._ws = workspace_id
        self._now = now

    def add(self, entry: CalendarEntry) -> CalendarEntry:
        row = dataclasses.replace(entry, id=self._tx.next_id(CALENDAR))
        self._tx.put(CALENDAR, row.id, Owned(self._ws, row))
        return row

    def remove(self, entry_id: int) -> bool:
        row = self._tx.get(CALENDAR, entry_id)
        if row is None or row.workspace_id != self._ws:
            return False
        self._tx.delete(CALENDAR, entry_id)
        return True

    def for_program(self, program_id: int | None) -> list[CalendarEntry]:
        entries: list[CalendarEntry] = [
            e
            for e in _mine(self._tx, CALENDAR, self._ws)
            if e.program_id is None or (program_id is not None and e.program_id == program_id)
        ]
        return sorted(entries, key=lambda e: (e.starts_on, e.id))


class FakePrivacy:
    def __init__(self, tx: Transaction, workspace_id: int) -> None:
        self._tx = tx
        self._ws = workspace_id

    def partners(self, member_id: int) -> list[int]:
        pairings: list[PairingRecord] = _mine(self._tx, PAIRINGS, self._ws)
        return sorted(
            {
                other
                for p in pairings
                if member_id in p.member_ids
                for other in p.member_ids
                if other != member_id
            }
        )

    def _addressed_to(self, member_id: int) -> list[OutboxRow]:
        return [
            r
            for r in self._tx.scan(OUTBOX)
            if r.workspace_id == self._ws and r.recipient_member_id == member_id
        ]

    def messages_for(self, member_id: int) -> list[dict[str, object]]:
        return [
            {
                "text": r.payload.get("text", ""),
                "status": r.status.value,
                "created_at": r.created_at.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            }
            for r in self._addressed_to(member_id)
        ]

    def cancel_pending_for(self, member_id: int) -> int:
        """Drop what was never delivered and blank the text of what was (it was about them)."""
        dropped = 0
        for r in self._addressed_to(member_id):
            if r.status.value in ("sent", "sending"):
                self._tx.put(OUTBOX, r.id, dataclasses.replace(r, payload=dict(ERASED)))
            elif r.status.value in ("pending", "failed"):
                self._tx.delete(OUTBOX, r.id)
                dropped += 1
        return dropped

    def erase_keyed(self, key_prefix: str) -> int:
        dropped = 0
        for r in self._tx.scan(OUTBOX):
            if r.workspace_id != self._ws or not r.idempotency_key.startswith(key_prefix):
                continue
            if r.status.value in ("sent", "sending"):
                self._tx.put(OUTBOX, r.id, dataclasses.replace(r, payload=dict(ERASED)))
            elif r.status.value in ("pending", "failed"):
                self._tx.delete(OUTBOX, r.id)
                dropped += 1
        return dropped

    def redact_outbox(
        self, identity: Sequence[str], names: Sequence[str], words: Sequence[str]
    ) -> int:
        who, said, name_pattern = pattern(identity), pattern(words), pattern(names)
        changed = 0
        for r in self._tx.scan(OUTBOX):
            if who is None or name_pattern is None or r.workspace_id != self._ws:
                continue
            payload = rewrite(r.payload, who, name_pattern, said)
            if payload != r.payload:
                self._tx.put(OUTBOX, r.id, dataclasses.replace(r, payload=payload))
                changed += 1
        return changed

    def platform_records(self, user_id: str) -> list[dict[str, object]]:
        return []

    def forget_platform_user(self, user_id: str) -> None:
        """The fakes keep no platform records."""

    def readdress(self, member_id: int, user_id: str) -> None:
        for r in self._addressed_to(member_id):
            self._tx.put(OUTBOX, r.id, dataclasses.replace(r, recipient_user_id=user_id))

    def delete_reflections(self, member_id: int) -> int:
        gone = [
            r.item.id
            for r in self._tx.scan(REFLECTIONS)
            if r.workspace_id == self._ws and r.item.member_id == member_id
        ]
        for reflection_id in gone:
            self._tx.delete(REFLECTIONS, reflection_id)
        return len(gone)


class FakePairings:
    def __init__(self, tx: Transaction, workspace_id: int) -> None:
        self._tx = tx
        self._ws = workspace_id

    def _rounds(self, program_id: int) -> list[RoundRecord]:
        rounds: list[RoundRecord] = _mine(self._tx, ROUNDS, self._ws)
        return sorted(
            (r for r in rounds if r.program_id == program_id), key=lambda r: r.number, reverse=True
        )

    def _pairings(self) -> list[PairingRecord]:
        return _mine(self._tx, PAIRINGS, self._ws)

    def last_round(self, program_id: int) -> RoundRecord | None:
        rounds = self._rounds(program_id)
        return rounds[0] if rounds else None

    def hold_round(self, round_id: int) -> None:
        """One transaction at a time is all the in-memory database runs: nothing to wait for."""

    def create_round(
        self, program_id: int, number: int, *, score: float, seed: int, now: datetime
    ) -> RoundRecord | None:
        taken = any(
            r.item.program_id == program_id and r.item.number == number
            for r in self._tx.scan(ROUNDS)
        )  # ``uq_pairing_rounds_program_number``
        if taken:
            return None
        record = RoundRecord(
            self._tx.next_id(ROUNDS), program_id, number, score, seed, published_at=utc(now)
        )
        self._tx.put(ROUNDS, record.id, Owned(self._ws, record))
        return record

    def add_pairing(
        self,
        round_record: RoundRecord,
        members: Sequence[tuple[int, str]],
        *,
        reason: str,
        score: float,
        now: datetime,
    ) -> PairingRecord:
        record = PairingRecord(
            id=self._tx.next_id(PAIRINGS),
            round_id=round_record.id,
            program_id=round_record.program_id,
            members=tuple(members),
            reason=reason,
            score=score,
            met_status=None,
        )
        self._tx.put(PAIRINGS, record.id, Owned(self._ws, record))
        return record

    def add_pairings(
        self,
        round_record: RoundRecord,
        groups: Sequence[tuple[Sequence[tuple[int, str]], str, float]],
        *,
        now: datetime,
    ) -> list[PairingRecord]:
        return [
            self.add_pairing(round_record, members, reason=reason, score=score, now=now)
            for members, reason, score in groups
        ]

    def pairings(self, round_id: int) -> list[PairingRecord]:
        return [p for p in self._pairings() if p.round_id == round_id]

    def pairing(self, pairing_id: int) -> PairingRecord | None:
        row = self._tx.get(PAIRINGS, pairing_id)
        return row.item if row is not None and row.workspace_id == self._ws else None

    def pairing_of(self, round_id: int, member_id: int) -> PairingRecord | None:
        return next((p for p in self.pairings(round_id) if member_id in p.member_ids), None)

    def recent_pairs(self, program_id: int, rounds: int) -> set[Pair]:
        if rounds <= 0:
            return set()
        round_ids = {r.id for r in self._rounds(program_id)[:rounds]}
        return {
            pair_key(a, b)
            for p in self._pairings()
            if p.round_id in round_ids and (p.met_status is None or p.met_status not in NEVER_MET)
            for i, a in enumerate(p.member_ids)
            for b in p.member_ids[i + 1 :]
        }

    def set_met(self, pairing_id: int, status: MetStatus) -> None:
        row = self._tx.get(PAIRINGS, pairing_id)
        if row is not None and row.workspace_id == self._ws:
            changed = dataclasses.replace(row.item, met_status=status.value)
            self._tx.put(PAIRINGS, pairing_id, Owned(self._ws, changed))

    def met_asked(self, pairing_ids: Sequence[int]) -> set[tuple[int, int]]:
        wanted = set(pairing_ids)
        return {
            key
            for r in self._tx.scan(MET_ASKED)
            if r.workspace_id == self._ws and (key := r.item)[0] in wanted
        }

    def record_met_asked(self, asks: Sequence[tuple[int, int]], now: datetime) -> None:
        for key in asks:
            if self._tx.get(MET_ASKED, key) is None:
                self._tx.put(MET_ASKED, key, Owned(self._ws, key))

    def for_member(self, member_id: int) -> list[tuple[RoundRecord, PairingRecord]]:
        rounds = {r.id: r for r in _mine(self._tx, ROUNDS, self._ws)}
        return [(rounds[p.round_id], p) for p in self._pairings() if member_id in p.member_ids]

    def erase_reasons(self, member_id: int) -> int:
        mine = [p for p in self._pairings() if member_id in p.member_ids]
        for p in mine:
            self._tx.put(PAIRINGS, p.id, Owned(self._ws, dataclasses.replace(p, reason="")))
        return len(mine)

    def rules(self, program_id: int) -> list[Rule]:
        rules: list[Rule] = _mine(self._tx, RULES, self._ws)
        return [r for r in rules if r.program_id == program_id]

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
        rule = Rule(self._tx.next_id(RULES), program_id, kind, member_a, member_b, round_number)
        self._tx.put(RULES, rule.id, Owned(self._ws, rule))
        return rule
