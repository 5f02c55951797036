"""The school calendar a program follows: holidays and terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CalendarKind(StrEnum):
    HOLIDAY = "holiday"
    TERM = "term"


@dataclass(frozen=True)
class CalendarEntry:
    kind: CalendarKind
    starts_on: date
    ends_on: date
    label: str = ""
    program_id: int | None = None
    """None: the whole workspace (every program)."""
    id: int | None = None
