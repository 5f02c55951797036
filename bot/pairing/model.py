"""Plain data the pairing engine works on: who can be paired, the rules, and what a round proposes.

Nothing here touches the database or a chat platform, so the solver can be tested and benchmarked on
hand-made rosters of five people or synthetic districts of ten thousand alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Mode(StrEnum):
    MENTORING = "mentoring"
    PEER = "peer"


class SchoolPreference(StrEnum):
    ANY = "any"
    SAME = "same"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Candidate:
    """One person who may be paired this round, with what matters for a good match."""

    member_id: int
    name: str
    role: str = "peer"
    """``mentor``, ``mentee`` or ``peer``."""
    subjects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    school: str | None = None
    timezone: str = "UTC"
    years: int | None = None
    goals: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    capacity: int = 1
    """Mentees a mentor can take this round (mentors only)."""


@dataclass(frozen=True)
class Skipped:
    """Someone in the program who is deliberately not paired this round (paused, left, unreachable)."""

    member_id: int
    name: str
    why: str
    """Why, as a code the pairing rounds put in words: ``left``, ``paused``, ``unreachable`` or
    ``not_started``."""
    until: date | None = None
    """The day a pause ends, when ``why`` is ``paused`` and it has an end."""


Pair = tuple[int, int]


def pair_key(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Constraints:
    """The hard rules of one round.

    ``recent`` holds pairs that met in the last K rounds: avoided while any other choice exists.
    ``forbidden`` holds do-not-pair pairs and the coordinator's forbids: never, whatever it costs.
    ``pins`` are pairs the coordinator fixed before publishing.
    """

    recent: frozenset[Pair] = frozenset()
    forbidden: frozenset[Pair] = frozenset()
    pins: tuple[Pair, ...] = ()


@dataclass(frozen=True)
class Group:
    """A pair, a trio or a group of four, as proposed or published."""

    member_ids: tuple[int, ...]
    score: float
    reason: str = ""
    mentor_id: int | None = None
    pinned: bool = False
    repeat: bool = False
    """True only when the roster left no other choice than someone from a recent round."""

    @property
    def kind(self) -> str:
        if self.mentor_id is not None:
            return "mentoring"
        return {2: "pair", 3: "trio"}.get(len(self.member_ids), "group")


@dataclass(frozen=True)
class Unmatched:
    member_id: int
    name: str
    why: str
    """Told to the person, and listed for the coordinator: never a silent drop. Marked text (``N_``),
    put in the reader's language where it is shown."""


@dataclass
class Proposal:
    """What a round would publish: the groups with their reasons, and everyone left out, with why."""

    mode: Mode
    groups: list[Group] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seed: int = 0

    @property
    def score(self) -> float:
        return round(sum(g.score for g in self.groups), 2)

    @property
    def repeats(self) -> int:
        return sum(1 for g in self.groups if g.repeat)
