"""Stand-ins for the repositories of features the unit tier does not exercise: an empty resource
library, a school with no peer observations or lesson studies, and so no growth history to gather.

The core's own flows call into them (a check-in asks the library for suggestions, export-my-data
asks every feature for its part), so they answer "nothing stored" to every read. Anything that would
store something raises, so a unit test that wanders into those features fails loudly instead of
passing on a fake that pretends; their behaviour is tested against SQL in tests/resources and
tests/observations.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any, NoReturn

from bot.growth.model import Activity, ConfidencePoint, Meetings, ObservationEntry, StudyEntry
from bot.observations.model import Feedback, FreePeriod, ObservationRequest, RequestStatus
from bot.resources.model import HelpfulCount, Mark, Resource, ResourceHit, ResourceQuery, ShownIn
from bot.study.model import Cycle, Note, Phase, StudyMember


def _not_in_the_unit_tier(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise NotImplementedError(
        "the unit tier's fakes hold no resources or observations; test that against SQL"
    )


class EmptyLibrary:
    """A resource library nobody has shared anything in yet."""

    add = save = add_sharer = remove_sharer = mark = pin = unpin = _not_in_the_unit_tier

    def get(self, resource_id: int) -> Resource | None:
        return None

    def by_normalized_url(self, normalized_url: str) -> Resource | None:
        return None

    def sharer_ids(self, resource_id: int) -> list[int]:
        return []

    def shared_by(self, member_id: int) -> list[Resource]:
        return []

    def is_empty(self) -> bool:
        return True

    def search(self, query: ResourceQuery) -> list[ResourceHit]:
        return []

    def search_many(self, queries: Sequence[ResourceQuery]) -> list[list[ResourceHit]]:
        return [[] for _query in queries]

    def mark_of(self, resource_id: int, member_id: int) -> Mark | None:
        return None

    def record_shown(
        self,
        member_id: int,
        resource_ids: Sequence[int],
        where: ShownIn,
        now: datetime | None = None,
    ) -> None:
        if resource_ids:
            _not_in_the_unit_tier()

    def record_shown_many(
        self, shown: Sequence[tuple[int, int]], where: ShownIn, now: datetime
    ) -> None:
        if shown:
            _not_in_the_unit_tier()

    def seen_by(
        self, member_ids: Sequence[int], resource_ids: Sequence[int]
    ) -> set[tuple[int, int]]:
        return set()

    def marks_by(self, member_id: int) -> list[tuple[Resource, Mark]]:
        return []

    def forget_views(self, member_id: int) -> int:
        return 0

    def pinned(self, program_ids: Sequence[int]) -> list[Resource]:
        return []

    def most_helpful(self, since: datetime, until: datetime, limit: int = 3) -> list[HelpfulCount]:
        return []


class NoObservations:
    """A school where nobody has asked for or declared anything about peer observation."""

    add_request = save_request = add_asks = save_ask = _not_in_the_unit_tier
    add_free_period = add_feedback = save_feedback = candidates = _not_in_the_unit_tier

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now()

    def get_request(self, request_id: int) -> ObservationRequest | None:
        return None

    def lock_request(self, request_id: int) -> ObservationRequest | None:
        return None

    def requests_of(
        self, member_id: int, statuses: tuple[RequestStatus, ...] | None = None
    ) -> list[ObservationRequest]:
        return []

    def requests_with_status(self, statuses: tuple[RequestStatus, ...]) -> list[ObservationRequest]:
        return []

    def free_periods(self, member_id: int) -> list[FreePeriod]:
        return []

    def free_periods_of(self, member_ids: Sequence[int]) -> dict[int, list[FreePeriod]]:
        return {}

    def feedback_for(self, request_id: int) -> Feedback | None:
        return None

    def forget_member(self, member_id: int) -> None:
        return None


class NoGrowthHistory:
    """The growth record's figures in a unit tier that holds no observations, resources or rounds
    to gather them from: every period is empty. The record's figures are tested against SQL in
    tests/growth."""

    def confidence(self, member_id: int, bounds: Sequence[datetime]) -> list[ConfidencePoint]:
        return []

    def observations(
        self, member_id: int, since: datetime, until: datetime, *, with_feedback: bool
    ) -> list[ObservationEntry]:
        return []

    def activity(self, member_id: int, since: datetime, until: datetime) -> Activity:
        return Activity()

    def meetings(self, member_id: int, since: datetime, until: datetime) -> list[Meetings]:
        return []

    def studies(self, member_id: int, since: datetime, until: datetime) -> list[StudyEntry]:
        return []


class NoStudies:
    """A school where nobody has started a lesson study: export and forget-me find nothing. Lesson
    study itself is tested against SQL in tests/study."""

    add_cycle = save_cycle = save_member = add_note = _not_in_the_unit_tier

    def get_cycle(self, cycle_id: int, *, lock: bool = False) -> Cycle | None:
        return None

    def cycles(self, phases: Collection[Phase]) -> list[Cycle]:
        return []

    def cycles_of(self, member_id: int) -> list[Cycle]:
        return []

    def members(self, cycle_id: int) -> list[StudyMember]:
        return []

    def notes(self, cycle_id: int) -> list[Note]:
        return []

    def notes_by(self, member_id: int) -> list[Note]:
        return []

    def forget_member(self, member_id: int) -> None:
        return None
