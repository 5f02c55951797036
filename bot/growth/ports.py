"""What the growth record asks storage: a handful of aggregate statements over one member's rows.

Each method is one statement whatever the history's length (years of weekly check-ins stay one
``GROUP BY``), bound like every repository to one workspace, and about one member only: there is no
way to ask it for anyone the caller does not name, and the core only ever names the person asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.growth.model import Activity, ConfidencePoint, Meetings, ObservationEntry, StudyEntry


class GrowthQueries(Protocol):
    def confidence(self, member_id: int, bounds: Sequence[datetime]) -> list[ConfidencePoint]:
        """Average check-in confidence by goal and by step: ``bounds`` are the steps' edges, oldest
        first (n + 1 edges for n steps); answers outside them are not counted."""
        ...

    def observations(
        self, member_id: int, since: datetime, until: datetime, *, with_feedback: bool
    ) -> list[ObservationEntry]:
        """Agreed observations whose lesson starts in the period, on either side, oldest first; the
        feedback's text only for those the member received, and only ``with_feedback``."""
        ...

    def activity(self, member_id: int, since: datetime, until: datetime) -> Activity: ...

    def meetings(self, member_id: int, since: datetime, until: datetime) -> list[Meetings]:
        """The member's pairings in rounds published in the period, by program, role and answer."""
        ...

    def studies(self, member_id: int, since: datetime, until: datetime) -> list[StudyEntry]:
        """Lesson-study cycles the member is in that started in the period or whose research lesson
        falls in it, oldest first, with how many notes the member posted (never their text)."""
        ...
