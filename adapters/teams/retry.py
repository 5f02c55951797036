"""The Bot Connector's refusals, read once for the messenger and for direct replies alike.

A reply to what someone just typed is tried again in place after a ``429`` (or a passing ``5xx``),
as the connector's ``Retry-After`` says, for as long as the person can be kept waiting; past that
the caller queues it to the outbox (``bot.kernel.later``), so the answer is late, never lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

REPLY_ATTEMPTS = 4
MAX_REPLY_WAIT = 8.0
"""Seconds a reply may wait in all: the person is looking at the chat."""


def status_of(exc: BaseException) -> tuple[int | None, float | None]:
    """HTTP status and Retry-After (seconds) of a failed Bot Connector call, if it was one."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    retry_after: float | None = None
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    if raw is not None:
        try:
            retry_after = max(float(raw), 0.0)
        except ValueError:
            retry_after = None
    return (int(status) if status else None), retry_after


def passing(status: int | None) -> bool:
    return status == 429 or (status is not None and 500 <= status < 600)


Throttled = Callable[[float], Awaitable[None]]
"""Told of a 429's ``Retry-After`` (the tenant's shared budget pauses for it and waits it out)."""


async def with_retries(
    call: Callable[[], Awaitable[T]], what: str, *, throttled: Throttled | None = None
) -> T:
    """``call()``, again after each 429 or 5xx for as long as ``Retry-After`` asks, within
    ``MAX_REPLY_WAIT`` seconds in all; the last refusal is raised. A 429 is handed to
    ``throttled`` when given (the next ``call()`` then waits in the shared budget) instead of
    being slept out here."""
    waited = 0.0
    for attempt in range(1, REPLY_ATTEMPTS + 1):
        try:
            return await call()
        except Exception as exc:
            status, retry_after = status_of(exc)
            pause = retry_after if retry_after is not None else 0.5 * attempt
            if status == 429 and throttled is not None:
                await throttled(pause)
            if not passing(status) or attempt == REPLY_ATTEMPTS or waited + pause > MAX_REPLY_WAIT:
                raise
            log.info("Teams refused %s with %s; trying again in %.1f s", what, status, pause)
            if status != 429 or throttled is None:
                await asyncio.sleep(pause)
            waited += pause
    raise AssertionError("unreachable")  # pragma: no cover
