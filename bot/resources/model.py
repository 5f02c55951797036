"""The shared library's records, as the core reasons about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Mark(StrEnum):
    HELPFUL = "helpful"
    UNHELPFUL = "unhelpful"


class ShownIn(StrEnum):
    """Where a member was shown a resource; surfacing never offers one they have seen anywhere."""

    SEARCH = "search"
    REFLECTION = "reflection"
    CHECKIN = "checkin"
    PAIRING = "pairing"
    PROFILE = "profile"
    SUGGESTED = "suggested"
    """Offered through another feature's hook (a check-in, a saved reflection)."""


@dataclass
class Resource:
    workspace_id: int
    title: str
    id: int | None = None
    url: str | None = None
    normalized_url: str | None = None
    note: str = ""
    subject: str | None = None
    grade_band: str | None = None
    tags: list[str] = field(default_factory=list)
    source_kind: str = "peer"
    shared_by_member_id: int | None = None
    """The first sharer; everyone who shared the same link is in ``sharers``."""
    sharers: tuple[str, ...] = ()
    """Display names of everyone who shared it, first sharer first."""
    helpful_count: int = 0
    unhelpful_count: int = 0
    created_at: datetime | None = None
    removed_at: datetime | None = None
    removed_by_member_id: int | None = None


@dataclass(frozen=True)
class ResourceQuery:
    """One search: stemmed terms (``bot.resources.terms.query_terms``) and the filters around them."""

    terms: tuple[str, ...] = ()
    subject: str | None = None
    grade_band: str | None = None
    tag: str | None = None
    """A tag slug (``classroom-management``)."""
    program_ids: tuple[int, ...] = ()
    """Resources pinned for these programs rank higher."""
    fresh_for_member: int | None = None
    """Leave out what this member shared, was shown before, or marked unhelpful (surfacing)."""
    min_score: int = 1
    limit: int = 5
    term_weights: tuple[int, ...] = ()
    """A whole-number weight per term, 1 when missing: surfacing counts the moment above the goals."""
    match_all: bool = False
    """Every term must match (a typed search; when nothing has them all, any term will do)."""


@dataclass(frozen=True)
class ResourceHit:
    resource: Resource
    score: int
    """Integer relevance (see ``storage.repositories.resources_search``): identical on every database,
    ties broken by id."""
    pinned: bool = False


@dataclass(frozen=True)
class HelpfulCount:
    """A resource and the helpful marks it got in a period: what the weekly digest lists."""

    resource: Resource
    helpful: int
