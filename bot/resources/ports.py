"""What the resource library needs from storage: one workspace's shelf, searchable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.resources.model import HelpfulCount, Mark, Resource, ResourceHit, ResourceQuery, ShownIn


class ResourceRepository(Protocol):
    def get(self, resource_id: int) -> Resource | None:
        """Also a removed one (``removed_at`` set): callers decide what a removed resource means."""
        ...

    def by_normalized_url(self, normalized_url: str) -> Resource | None: ...

    def add(self, resource: Resource, sharer_id: int, now: datetime) -> Resource:
        """Store a new resource with its first sharer; the search index follows in the same transaction."""
        ...

    def save(self, resource: Resource) -> None:
        """Write back title, note, tags, subject, grade, kind and removal; the index follows."""
        ...

    def add_sharer(self, resource_id: int, member_id: int, now: datetime) -> bool:
        """Credit another sharer; False when they had already shared it."""
        ...

    def remove_sharer(self, resource_id: int, member_id: int) -> bool: ...

    def sharer_ids(self, resource_id: int) -> list[int]: ...

    def shared_by(self, member_id: int) -> list[Resource]:
        """What this member shared (and is still in the library), newest first."""
        ...

    def is_empty(self) -> bool:
        """Nothing was ever shared in this workspace: no search can find anything."""
        ...

    def search(self, query: ResourceQuery) -> list[ResourceHit]:
        """Best matches first: the same results in the same order on every supported database."""
        ...

    def search_many(self, queries: Sequence[ResourceQuery]) -> list[list[ResourceHit]]:
        """``search`` for each query, in order, with the same answers: many questions at once (every
        introduction of a round) ranked from one read of the library instead of one search each."""
        ...

    def mark(self, resource_id: int, member_id: int, mark: Mark, now: datetime) -> Mark | None:
        """Record a member's helpful/unhelpful mark (one per member, changeable); returns the old one."""
        ...

    def mark_of(self, resource_id: int, member_id: int) -> Mark | None: ...

    def record_shown(
        self,
        member_id: int,
        resource_ids: Sequence[int],
        where: ShownIn,
        now: datetime | None = None,
    ) -> None:
        """Remember that a member saw these, so surfacing never offers them again.

        ``now`` defaults to the unit of work's clock, for callers that are not handed one.
        """
        ...

    def record_shown_many(
        self, shown: Sequence[tuple[int, int]], where: ShownIn, now: datetime
    ) -> None:
        """``record_shown`` for many (member id, resource id) at once: one statement."""
        ...

    def seen_by(
        self, member_ids: Sequence[int], resource_ids: Sequence[int]
    ) -> set[tuple[int, int]]:
        """The (member id, resource id) of these that surfacing must not offer: shown before, marked,
        or shared by the member."""
        ...

    def marks_by(self, member_id: int) -> list[tuple[Resource, Mark]]:
        """Every mark this member made, oldest first (their data export)."""
        ...

    def forget_views(self, member_id: int) -> int:
        """Erase what this member was shown (forget-me); their marks stay as anonymous counts."""
        ...

    def pin(self, program_id: int, resource_id: int, member_id: int, now: datetime) -> bool: ...

    def unpin(self, program_id: int, resource_id: int) -> bool: ...

    def pinned(self, program_ids: Sequence[int]) -> list[Resource]:
        """Live resources pinned for any of these programs, most recently pinned first."""
        ...

    def most_helpful(self, since: datetime, until: datetime, limit: int = 3) -> list[HelpfulCount]:
        """Live resources with the most helpful marks made in [since, until): the digest's list.

        Ties go to the resource marked helpful most recently, then the lower id.
        """
        ...
