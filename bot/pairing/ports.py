"""What the pairing engine needs from storage: rounds, their groups, the rules, and who met.

Bound to one workspace like every repository (see ``bot.kernel.ports.Scope``): pairs never cross workspaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.pairing.model import Pair


class RuleKind(StrEnum):
    PIN = "pin"
    """Put these two together in the next round."""
    FORBID = "forbid"
    """Not these two in the next round."""
    DO_NOT_PAIR = "do_not_pair"
    """Never these two, in any round."""


class MetStatus(StrEnum):
    MET = "met"
    NOT_YET = "not_yet"
    CANT = "cant"


NEVER_MET = (MetStatus.NOT_YET.value, MetStatus.CANT.value)
"""Answers that keep a pair out of the history rule: they may be matched again soon."""


@dataclass(frozen=True)
class RoundRecord:
    id: int
    program_id: int
    number: int
    score: float | None
    seed: int | None
    published_at: datetime | None


@dataclass(frozen=True)
class PairingRecord:
    id: int
    round_id: int
    program_id: int
    members: tuple[tuple[int, str], ...]
    """(member id, role) for each person: ``mentor``, ``mentee`` or ``peer``."""
    reason: str
    score: float | None
    met_status: str | None

    @property
    def member_ids(self) -> tuple[int, ...]:
        return tuple(m for m, _ in self.members)


@dataclass(frozen=True)
class Rule:
    id: int
    program_id: int
    kind: RuleKind
    member_a: int
    member_b: int
    round_number: int | None


class PairingRepository(Protocol):
    def last_round(self, program_id: int) -> RoundRecord | None: ...

    def hold_round(self, round_id: int) -> None:
        """Hold the round until this unit of work ends; another unit of work holding it waits.

        Re-matches in one round take turns this way, so two people pressing *Find someone now* at
        the same moment cannot both be given a mentor's last place, or the same free peer.
        """
        ...

    def create_round(
        self, program_id: int, number: int, *, score: float, seed: int, now: datetime
    ) -> RoundRecord | None:
        """A published round; None (and nothing written) if that number exists (another worker won)."""
        ...

    def add_pairing(
        self,
        round_record: RoundRecord,
        members: Sequence[tuple[int, str]],
        *,
        reason: str,
        score: float,
        now: datetime,
    ) -> PairingRecord: ...

    def add_pairings(
        self,
        round_record: RoundRecord,
        groups: Sequence[tuple[Sequence[tuple[int, str]], str, float]],
        *,
        now: datetime,
    ) -> list[PairingRecord]:
        """``add_pairing`` for a whole round: (members with roles, reason, score) each, in order."""
        ...

    def pairings(self, round_id: int) -> list[PairingRecord]: ...

    def pairing(self, pairing_id: int) -> PairingRecord | None: ...

    def pairing_of(self, round_id: int, member_id: int) -> PairingRecord | None:
        """The member's pairing in that round (the first, should there be two), or None: one
        pairing found by the member, not every pairing of a district's round."""
        ...

    def recent_pairs(self, program_id: int, rounds: int) -> set[Pair]:
        """Pairs from the last ``rounds`` published rounds, except those who said they never met."""
        ...

    def set_met(self, pairing_id: int, status: MetStatus) -> None: ...

    def met_asked(self, pairing_ids: Sequence[int]) -> set[tuple[int, int]]:
        """(pairing id, member id) of everyone already asked "did you meet?" about these pairings."""
        ...

    def record_met_asked(self, asks: Sequence[tuple[int, int]], now: datetime) -> None:
        """Note that each (pairing id, member id) was asked now; the first time stands."""
        ...

    def for_member(self, member_id: int) -> list[tuple[RoundRecord, PairingRecord]]:
        """Every pairing the member was in, oldest first: for their data export."""
        ...

    def erase_reasons(self, member_id: int) -> int:
        """Blank the stored reasons of the member's pairings (they name them): for forget-me."""
        ...

    def rules(self, program_id: int) -> list[Rule]: ...

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
    ) -> Rule: ...
