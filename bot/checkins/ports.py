"""The repository the check-ins feature asks; the SQL is in ``storage/repositories/checkins.py``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from bot.checkins.model import Answer, Checkin, SupportRequest
from bot.kernel.domain import Member
from bot.kernel.messages import Block
from bot.kernel.ports import Scope


class CheckinRepository(Protocol):
    def get(self, checkin_id: int) -> Checkin | None: ...

    def for_weeks(
        self,
        program_id: int,
        weeks: Iterable[str],
        *,
        member_ids: Collection[int] | None = None,
        open_only: bool = False,
    ) -> dict[tuple[int, str], Checkin]:
        """The program's check-ins in these weeks, by (member id, week): one query a run. Only those
        of ``member_ids`` if given; only those still open (sent with no answer or reminder yet, or
        snoozed) with ``open_only``."""
        ...

    def add(self, checkin: Checkin) -> Checkin | None:
        """Insert unless (program, member, week) exists already; None when another run got there first."""
        ...

    def add_many(self, checkins: Sequence[Checkin]) -> dict[tuple[int, str], Checkin]:
        """Insert each unless its (program, member, week) exists; every one as stored, new or not."""
        ...

    def save(self, checkin: Checkin) -> None: ...

    def for_member(self, member_id: int, limit: int = 52) -> list[Checkin]:
        """Newest first."""
        ...

    def open_since(self, since: datetime) -> list[Checkin]:
        """Sent or snoozed check-ins due after ``since``: what may need a reminder or a re-send."""
        ...

    def for_program(self, program_id: int, since: datetime | None = None) -> list[Checkin]: ...

    def programs_to_plan(self, now: datetime) -> list[tuple[int, int | None]]:
        """(program id, wake generation) of each active program whose planner wake time has come.

        Storage wakes a program (clears its wake time, bumps its generation) whenever something that
        decides a check-in's moment changes: a member's time zone, pause or consent, a membership, the
        program's settings, its calendar, a snooze.
        """
        ...

    def sleep_until(self, program_id: int, generation: int | None, wake: datetime) -> bool:
        """Skip the program until ``wake``, unless it was woken after ``generation`` was read."""
        ...

    def taken_elsewhere(
        self, program_id: int, member_ids: Collection[int], weeks: Iterable[str]
    ) -> set[tuple[int, str]]:
        """(member id, week) of these members' check-ins in these weeks in *other* programs: one
        check-in a week a person, whichever program planned it first (the earliest schedule)."""
        ...

    def mentors(self, program_id: int) -> dict[int, list[str]]:
        """Each mentor of the program by member id, with the first names of their mentees in the
        latest published round (empty before any): two queries, for a whole planner run."""
        ...

    def groups(self, program_id: int) -> dict[int, list[str]]:
        """Each peer in a group of the program's latest published round, by member id, with the
        first names of the others in it (who has left is not named): one query a planner run."""
        ...

    def save_answers(self, checkin_id: int, answers: Sequence[Answer]) -> None:
        """Keep these answers, replacing any earlier answer to the same question of this check-in."""
        ...

    def answers(self, member_id: int, checkin_id: int | None = None) -> list[Answer]:
        """The member's own answers (of one check-in if given), newest check-in first."""
        ...

    def forget_answers(self, member_id: int) -> int:
        """Erase the member's answers and support requests; how many rows went."""
        ...

    def add_support(self, request: SupportRequest) -> None: ...

    def support_requests(self, member_id: int) -> list[SupportRequest]: ...


Suggester = Callable[[Scope, Member, str], Sequence[Block]]
"""(repos, member, topic) -> at most two blocks offering what colleagues shared on the topic (a goal or
a tag). The resources feature provides one; check-ins and reflections work without it."""
