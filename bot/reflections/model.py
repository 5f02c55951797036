"""A teacher's reflection and who may read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Visibility(StrEnum):
    PRIVATE = "private"  # only me (the default)
    MENTOR = "mentor"  # my mentor or my peer group
    WALL = "wall"  # the program's shared wall, anonymously


@dataclass
class Reflection:
    member_id: int
    went_well: str = ""
    try_next: str = ""
    tag: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    is_draft: bool = False
    program_id: int | None = None
    checkin_id: int | None = None
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


SHARED_KEY = "reflection-shared:"
"""The outbox key's start for a reflection shared with a reader: ``reflection-shared:<id>:<reader>``."""
