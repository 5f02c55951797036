"""The repository the reflections feature asks; bound to one workspace."""

from __future__ import annotations

from typing import Protocol

from bot.reflections.model import Reflection, Visibility


class ReflectionRepository(Protocol):
    def get(self, reflection_id: int) -> Reflection | None: ...

    def add(self, reflection: Reflection) -> Reflection: ...

    def save(self, reflection: Reflection) -> None: ...

    def delete(self, reflection_id: int) -> bool: ...

    def for_member(self, member_id: int) -> list[Reflection]:
        """Newest first."""
        ...

    def shared(self, visibility: Visibility, program_id: int | None = None) -> list[Reflection]:
        """Non-draft reflections with this visibility, newest first."""
        ...

    def counts(self, program_id: int | None = None) -> dict[str, int]:
        """Counts by visibility (never text): what a coordinator may see."""
        ...
