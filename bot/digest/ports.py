"""The digest's questions to storage, as a protocol the core owns (SQL lives in storage/repositories/digest.py).

Every method is scoped to the workspace its implementation was made for, and each one reads only the week
(or the eight weeks of the trend) it is asked about: the digest's cost grows with the week's activity,
not with the program's history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Protocol, TypeVar

from bot.digest.model import (
    CheckinFigures,
    FrozenWeek,
    GroupCheckins,
    ObservationFigures,
    PairFigures,
    Person,
    QuestionFigures,
    ReflectionFigures,
    ResourceFigures,
    Theme,
)

T = TypeVar("T")


class ReadsAlongside(Protocol):
    """Runs a read of the digest's figures on a connection of its own, beside the caller's.

    A district's digest asks some twenty questions; who needs a hand is half the time and depends on
    nothing else, so the web page reads it on a second connection while its own reads the rest
    (two cores answer in the time of the slower half). What runs alongside only reads, and sees the
    database as it was when it began, like any other transaction."""

    def submit(self, workspace_id: int, read: Callable[[DigestQueries], T]) -> Future[T]: ...


class DigestQueries(Protocol):
    def program_people(self, program_id: int) -> int:
        """Members of the program other than its coordinators, whatever their status."""
        ...

    def checkin_weeks(self, program_id: int, weeks: Sequence[str]) -> dict[str, CheckinFigures]:
        """Check-ins sent, answered and their confidence, per ISO week label."""
        ...

    def checkins_by_role(self, program_id: int, week: str) -> list[GroupCheckins]:
        """The week's check-ins split by program role (mentor, mentee, peer)."""
        ...

    def frozen_weeks(self, program_id: int, weeks: Sequence[str]) -> dict[str, FrozenWeek]:
        """The figures stored for those of ``weeks`` that were frozen when they closed."""
        ...

    def freeze_week(self, program_id: int, week: str, figures: FrozenWeek, now: datetime) -> None:
        """Store a closed week's figures unless they are stored already: the first freeze stands."""
        ...

    def question_weeks(
        self, program_id: int, weeks: Sequence[str]
    ) -> dict[str, list[QuestionFigures]]:
        """The program's own questions answered in these weeks' check-ins, per week label, each
        counted by the question as its coordinator wrote it (before names were filled in), in the
        order they are asked; a text answer is counted, its words never read."""
        ...

    def frozen_questions(
        self, program_id: int, weeks: Sequence[str]
    ) -> dict[str, list[QuestionFigures]]:
        """The question figures stored for those of ``weeks`` frozen when they closed (a week
        frozen with no answers is there, empty)."""
        ...

    def freeze_questions(
        self, program_id: int, week: str, figures: Sequence[QuestionFigures], now: datetime
    ) -> None:
        """Store a closed week's question figures unless stored already: the first freeze stands."""
        ...

    def reflections(self, program_id: int, start: datetime, end: datetime) -> ReflectionFigures:
        """Reflections written (not drafts) in [start, end): counts only, never text."""
        ...

    def themes(
        self, program_id: int, start: datetime, end: datetime, min_members: int
    ) -> list[Theme]:
        """Reflection tags used by at least ``min_members`` different people in [start, end)."""
        ...

    def pairs(self, program_id: int, end: datetime) -> PairFigures:
        """How the pairs of the latest round published before ``end`` are doing."""
        ...

    def observations(
        self, program_id: int, start: datetime, end: datetime
    ) -> ObservationFigures: ...

    def resources(
        self, program_id: int, start: datetime, end: datetime, top: int
    ) -> ResourceFigures:
        """Resources the program's members shared in [start, end), and the most marked helpful."""
        ...

    def observers(self, program_id: int, start: datetime, end: datetime) -> dict[Person, int]:
        """Who observed a colleague's lesson (completed) in [start, end), and how many times."""
        ...

    def sharers(self, program_id: int, start: datetime, end: datetime) -> dict[Person, int]: ...

    def mentors_who_met(self, program_id: int, end: datetime) -> dict[Person, int]:
        """Mentors (or group members, in peer programs) whose pairs in the latest round met."""
        ...

    def quiet(self, program_id: int, weeks: Sequence[str]) -> list[Person]:
        """Active members sent a check-in in every one of ``weeks`` who answered none of them."""
        ...

    def unreachable(self, program_id: int) -> list[Person]:
        """Active members the platform says we cannot message (app removed, account gone)."""
        ...

    def unmatched(self, program_id: int, end: datetime) -> list[Person]:
        """Active members in no pair of the latest round published before ``end``."""
        ...

    def pairing_needs(self, program_id: int, end: datetime) -> list[tuple[Person, str]]:
        """Active mentees and peers left without a pairing that is going ahead in the latest round
        published before ``end``, each with why: ``unmatched`` (in none), ``couldnt_meet`` (theirs
        was called off with "We can't"), ``left_without_mentor`` (their mentor or every partner
        left or paused). Mentors are never here: a mentor's free round is not a need."""
        ...

    def not_started(self, program_id: int) -> list[tuple[Person, datetime]]:
        """Teachers added to the program (and invited) who have not joined yet, with when."""
        ...

    def falling_confidence(self, program_id: int, weeks: Sequence[str]) -> list[Person]:
        """Active members whose last three confidence answers in ``weeks`` each fell, by name."""
        ...

    def waiting_for_observer(self, program_id: int, start: datetime, end: datetime) -> list[Person]:
        """Members whose observation request was closed in [start, end) with nobody to observe."""
        ...

    def undelivered(self, program_id: int, start: datetime, end: datetime) -> list[Person]:
        """Members a message to failed for good in [start, end)."""
        ...

    def support_requests(self, program_id: int, start: datetime, end: datetime) -> int:
        """How many times the program's teachers asked for support (``support``) in [start, end):
        a count, never who, since each chose whom to tell."""
        ...

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these outbox keys were already used: lets the job skip a digest already sent."""
        ...

    def link_generation(self, program_id: int) -> int:
        """The program's web-link generation: 0 until its links are first revoked."""
        ...

    def revoke_links(self, program_id: int, now: datetime) -> int:
        """Close every web digest link of the program minted so far; the new generation."""
        ...
