"""The delivery worker: takes due messages from the outbox and hands each to its platform's messenger.

A message is claimed (leased) before it is sent and marked sent right after, so a crash between the
two is the only window for a repeat; the lease makes a dead worker's messages come back to the queue
instead of being lost. Failures are retried with exponential back-off (or the platform's Retry-After)
up to ``max_attempts``, then marked failed for the coordinator to see.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar, runtime_checkable

from bot.kernel.clock import Clock
from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.messages import message_from_dict
from bot.kernel.ports import DeliveryQueue, Messenger, SendResult

log = logging.getLogger(__name__)

FailureHook = Callable[[OutboxItem, str], None]
"""Called once for each message given up on (the delivery-failure report tells the coordinator, through the outbox)."""
UnreachableHook = Callable[[OutboxItem], None]
"""Called when the platform says the recipient cannot be messaged at all."""

BASE_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(hours=1)
RECORD_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2)
"""Seconds between attempts to record a send that already happened: a database connection cut for
a moment must not leave the row in ``sending`` until its lease runs out and it goes out again."""

T = TypeVar("T")


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lost_lease: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.lost_lease


@runtime_checkable
class BatchRecording(Protocol):
    """A queue that records many outcomes in one transaction (``SqlDeliveryQueue`` does)."""

    def mark_sent_many(
        self, sent: list[tuple[int, str | None]], worker_id: str, now: datetime
    ) -> int:
        """Mark (item id, platform message id) pairs sent; returns how many this worker still held."""
        ...

    def mark_retry_many(self, retry: list[tuple[int, str, datetime]], worker_id: str) -> None:
        """Put (item id, error, next attempt) back in the queue."""
        ...


class DeliveryWorker:
    def __init__(
        self,
        queue: DeliveryQueue,
        messengers: Mapping[Platform, Messenger],
        clock: Clock,
        *,
        worker_id: str,
        max_attempts: int = 8,
        lease: timedelta = timedelta(minutes=2),
        batch_size: int = 10,
        jitter: random.Random | None = None,
        on_failure: FailureHook | None = None,
        on_unreachable: UnreachableHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.queue = queue
        self.messengers = dict(messengers)
        self.clock = clock
        self.worker_id = worker_id
        self.max_attempts = max_attempts
        self.lease = lease
        self.batch_size = batch_size
        self._random = jitter or random.Random()
        self.on_unreachable = on_unreachable
        self.on_failure = on_failure
        self._sleep = sleep

    def _recorded(self, what: str, write: Callable[[], T]) -> T:
        """``write()``, tried again on any error for a few seconds: what it records already
        happened on the platform, so giving up early would send it twice."""
        for wait in RECORD_WAITS:
            try:
                return write()
            except Exception:
                log.warning("could not record %s; trying again in %.2f s", what, wait)
                self._sleep(wait)
        return write()

    def run_once(self) -> DeliveryReport:
        """Deliver what is due now, one batch per platform we can send to."""
        report = DeliveryReport()
        for platform, messenger in self.messengers.items():
            items = self.queue.claim(
                self.clock.now(),
                limit=self.batch_size,
                worker_id=self.worker_id,
                lease=self.lease,
                platform=platform,
            )
            batched = self._batched(messenger)
            outcomes: list[tuple[OutboxItem, SendResult]] = []
            for item in items:
                try:
                    result = self._already_sent(messenger, item) or messenger.send(
                        item, message_from_dict(item.payload)
                    )
                except Exception as exc:  # a messenger bug must not stop the rest of the batch
                    log.exception("messenger %s crashed on outbox item %s", platform, item.id)
                    result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
                if batched:
                    outcomes.append((item, result))
                else:
                    self._record(item, result, report)
            if outcomes:
                self._record_batch(outcomes, report)
        return report

    def _batched(self, messenger: Messenger) -> bool:
        """Record a whole batch in one transaction when a crash before recording cannot duplicate.

        That holds when the messenger can find a message it already sent (``already_sent``) and the
        queue can record many at once: a retry then finds what got through instead of resending it.
        Otherwise each message is recorded right after it is sent, the smallest window for a repeat.
        """
        return hasattr(messenger, "already_sent") and isinstance(self.queue, BatchRecording)

    def _record_batch(
        self, outcomes: list[tuple[OutboxItem, SendResult]], report: DeliveryReport
    ) -> None:
        assert isinstance(self.queue, BatchRecording)
        now = self.clock.now()
        sent = [(item.id, result.platform_message_id) for item, result in outcomes if result.ok]
        retry = [
            (item.id, result.error or "unknown error", now + self.backoff(item.attempts, result))
            for item, result in outcomes
            if not result.ok and not result.permanent and item.attempts < self.max_attempts
        ]
        if sent:
            queue = self.queue
            marked = self._recorded(
                f"{len(sent)} sent messages",
                lambda: queue.mark_sent_many(sent, self.worker_id, now),
            )
            report.sent += marked
            report.lost_lease += len(sent) - marked
        if retry:
            self.queue.mark_retry_many(retry, self.worker_id)
            report.retried += len(retry)
        for item, result in outcomes:
            if not result.ok and (result.permanent or item.attempts >= self.max_attempts):
                self._record(item, result, report)

    @staticmethod
    def _already_sent(messenger: Messenger, item: OutboxItem) -> SendResult | None:
        """A retried message may have reached the platform before its worker died unrecorded.

        A messenger that can look a message up by its idempotency key (``already_sent(item)`` returning
        the platform's message id or None) is asked first, so a crash between send and mark never
        sends twice. Only retries are checked: a first attempt cannot have been sent before.
        """
        if item.attempts <= 1:
            return None
        lookup = getattr(messenger, "already_sent", None)
        if lookup is None:
            return None
        found = lookup(item)
        return SendResult(ok=True, platform_message_id=str(found)) if found else None

    def drain(self, max_rounds: int = 1000) -> DeliveryReport:
        """Run until nothing is due now (the demo, the console and tests)."""
        total = DeliveryReport()
        for _ in range(max_rounds):
            report = self.run_once()
            total.sent += report.sent
            total.retried += report.retried
            total.failed += report.failed
            total.lost_lease += report.lost_lease
            if report.handled == 0 or (report.sent == 0 and report.failed == 0):
                break
        return total

    def _record(self, item: OutboxItem, result: SendResult, report: DeliveryReport) -> None:
        item_id, attempts = item.id, item.attempts
        now = self.clock.now()
        if result.ok:
            message_id = result.platform_message_id
            if self._recorded(
                f"outbox item {item_id} as sent",
                lambda: self.queue.mark_sent(item_id, self.worker_id, message_id, now),
            ):
                report.sent += 1
            else:
                report.lost_lease += 1
                log.warning("outbox item %s was sent after its lease ran out", item_id)
            return
        error = result.error or "unknown error"
        if result.permanent or attempts >= self.max_attempts:
            self.queue.mark_failed(item_id, self.worker_id, error, now)
            report.failed += 1
            if result.unreachable and self.on_unreachable is not None:
                try:
                    self.on_unreachable(item)
                except Exception:  # marking is bookkeeping; it must never stop delivery
                    log.exception("could not mark the recipient of outbox item %s", item_id)
            log.warning(
                "giving up on outbox item %s after %s attempt(s): %s", item_id, attempts, error
            )
            if self.on_failure is not None:
                try:
                    self.on_failure(item, error)
                except Exception:  # reporting a failure must never stop delivery of the rest
                    log.exception("could not report the failure of outbox item %s", item_id)
            return
        self.queue.mark_retry(item_id, self.worker_id, error, now + self.backoff(attempts, result))
        report.retried += 1

    def backoff(self, attempts: int, result: SendResult) -> timedelta:
        if result.retry_after is not None:
            return timedelta(seconds=max(result.retry_after, 0.0))
        delay: timedelta = min(BASE_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)
        return delay * (0.8 + 0.4 * self._random.random())
