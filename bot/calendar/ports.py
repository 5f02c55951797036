"""The school calendar's repository; bound to one workspace."""

from __future__ import annotations

from typing import Protocol

from bot.calendar.model import CalendarEntry


class CalendarRepository(Protocol):
    def add(self, entry: CalendarEntry) -> CalendarEntry: ...

    def remove(self, entry_id: int) -> bool: ...

    def for_program(self, program_id: int | None) -> list[CalendarEntry]:
        """Entries for this program plus the workspace-wide ones (program None: workspace-wide only)."""
        ...
