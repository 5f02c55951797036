"""What lesson study asks storage; bound to one workspace like every repository."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from bot.study.model import Cycle, Note, Phase, StudyMember


class StudyRepository(Protocol):
    def add_cycle(self, cycle: Cycle, member_ids: Collection[int]) -> Cycle:
        """The cycle and its members (the starter among them), in one go."""
        ...

    def get_cycle(self, cycle_id: int, *, lock: bool = False) -> Cycle | None:
        """With ``lock``, held until this unit of work ends, so a note and the job's debrief take turns."""
        ...

    def save_cycle(self, cycle: Cycle) -> None: ...

    def cycles(self, phases: Collection[Phase]) -> list[Cycle]:
        """Every cycle of this workspace in these phases, oldest first (the job, the coordinator)."""
        ...

    def cycles_of(self, member_id: int) -> list[Cycle]:
        """The cycles the member is in, oldest first."""
        ...

    def members(self, cycle_id: int) -> list[StudyMember]:
        """In the order they joined the cycle (the starter first)."""
        ...

    def save_member(self, member: StudyMember) -> None: ...

    def add_note(self, note: Note) -> Note: ...

    def notes(self, cycle_id: int) -> list[Note]:
        """Oldest first."""
        ...

    def notes_by(self, member_id: int) -> list[Note]: ...

    def forget_member(self, member_id: int) -> None:
        """Erase the member's notes and memberships; the cycles they started or taught keep no link to them."""
        ...
