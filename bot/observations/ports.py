"""The repository peer observation needs; storage/repositories/observations.py implements it, bound to one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Protocol

from bot.observations.model import (
    Ask,
    CandidateFacts,
    Feedback,
    FreePeriod,
    ObservationRequest,
    Preference,
    RequestStatus,
)

Slot = tuple[int, time, time]
"""A lesson as one time zone sees it: weekday (Monday 0), local start, local end."""


class ObservationRepository(Protocol):
    # --- requests -----------------------------------------------------------------------------
    def add_request(self, request: ObservationRequest) -> ObservationRequest: ...

    def get_request(self, request_id: int) -> ObservationRequest | None: ...

    def lock_request(self, request_id: int) -> ObservationRequest | None:
        """Read it fresh and hold it (SELECT ... FOR UPDATE on PostgreSQL) until the unit of work ends.

        Every change of a request's state goes through this first, so a button press and the periodic
        job (or two presses) cannot both act on the same request: the second waits, then sees the first.
        """
        ...

    def save_request(self, request: ObservationRequest) -> None: ...

    def requests_of(
        self, member_id: int, statuses: tuple[RequestStatus, ...] | None = None
    ) -> list[ObservationRequest]:
        """Requests where the member is the requester or the observer, soonest first."""
        ...

    def requests_with_status(self, statuses: tuple[RequestStatus, ...]) -> list[ObservationRequest]:
        """What the periodic job walks: only open requests, which are few at any time."""
        ...

    def is_observing(
        self, member_id: int, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None
    ) -> bool:
        """True when the member already agreed to observe a lesson overlapping this one."""
        ...

    def status_counts(self, since: datetime) -> dict[RequestStatus, int]:
        """Requests made since then, by status: all a coordinator is shown."""
        ...

    def people_since(self, since: datetime) -> int:
        """Distinct teachers behind the requests made since then (requesters and observers)."""
        ...

    def observations_done_by(self, since: datetime, until: datetime) -> dict[int, int]:
        """Observer member id -> observations completed (feedback given) in the window, for the digest."""
        ...

    # --- asking in turn -------------------------------------------------------------------------
    def add_asks(self, request_id: int, member_ids: list[int]) -> list[Ask]: ...

    def asks_for(self, request_id: int) -> list[Ask]:
        """In asking order."""
        ...

    def get_ask(self, ask_id: int) -> Ask | None: ...

    def save_ask(self, ask: Ask) -> None: ...

    # --- finding observers ------------------------------------------------------------------------
    def member_timezones(self) -> list[str]:
        """The distinct time zones of the workspace's members (free periods are in each one's own)."""
        ...

    def candidates(
        self,
        *,
        exclude_member_id: int,
        slots: dict[str, Slot],
        starts_at: datetime,
        ends_at: datetime,
        fairness_since: datetime,
        include_undeclared: bool,
        preference: Preference,
    ) -> list[CandidateFacts]:
        """Members who could observe: a declared free period covers the lesson in their own zone
        (or, with ``include_undeclared``, they declared none at all), they are not opted out,
        unreachable, teaching or already observing then. The best ``preference.limit`` of them,
        best first in ``suggest.rank``'s order (declared free first, then partners, then score)."""
        ...

    def partners_of(self, member_id: int) -> list[tuple[int, str]]:
        """(member id, role) of the people in the member's latest pairing or group; empty without pairing data."""
        ...

    # --- free periods -----------------------------------------------------------------------------
    def free_periods(self, member_id: int) -> list[FreePeriod]: ...

    def free_periods_of(self, member_ids: Sequence[int]) -> dict[int, list[FreePeriod]]:
        """Everyone's free periods in one read (a round's introductions ask for thousands)."""
        ...

    def add_free_period(self, period: FreePeriod) -> bool:
        """False when the same period was already declared."""
        ...

    def remove_free_period(self, period_id: int, member_id: int) -> bool: ...

    def clear_free_periods(self, member_id: int) -> int: ...

    # --- feedback ---------------------------------------------------------------------------------
    def add_feedback(self, feedback: Feedback) -> Feedback: ...

    def feedback_for(self, request_id: int) -> Feedback | None: ...

    def save_feedback(self, feedback: Feedback) -> None: ...

    # --- privacy ----------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The unit of work's clock, for forget-me's hook (which is given no time)."""
        ...

    def forget_member(self, member_id: int) -> None:
        """Delete their free periods and the feedback they received; strip their requests to counts."""
        ...
