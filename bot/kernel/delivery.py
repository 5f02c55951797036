"""The delivery worker: takes due messages from the outbox and hands each to its platform's messenger.

A message is claimed (leased) before it is sent and marked sent right after its own send, with the
platform's message id, so a copy killed between the two is the only window for a repeat: at most one
message per delivery thread of that copy. Recording is retried with back-off when the database is
briefly away (a cut connection repeats nothing), and a thread whose claim failed half-way hands its
claims straight back, so nothing waits for its lease. The lease makes a dead copy's messages come
back to the queue instead of being lost. A message that was in flight when its copy died comes back
``in_flight``: a messenger that can ask the platform (``already_sent``) finds it if it got through;
otherwise it is sent again and the delivery log says it may have been sent twice. Failures are retried
with exponential back-off (or the platform's Retry-After) up to ``max_attempts``, then marked failed
for the coordinator to see.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

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
RECORD_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0, 2.0, 5.0, 5.0, 5.0, 5.0, 5.0)
"""Seconds between attempts to record what happened (about 40 s in all): a database connection cut
for a moment must not leave a sent row in ``sending`` until its lease runs out and it goes again."""

T = TypeVar("T")


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lost_lease: int = 0
    found_sent: int = 0
    """In flight when their copy died, and found on the platform: marked sent, not sent again."""
    maybe_twice: int = 0
    """In flight when their copy died, on a platform that cannot tell: sent again, so they may
    have been sent twice."""

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.lost_lease

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.lost_lease += other.lost_lease
        self.found_sent += other.found_sent
        self.maybe_twice += other.maybe_twice


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
        """``write()``, tried again on any error for a while: what it records already happened
        (on the platform, or in this thread's hands), so giving up early would send it twice."""
        for wait in RECORD_WAITS:
            try:
                return write()
            except Exception as exc:
                log.warning("could not record %s (%s); trying again in %.2f s", what, exc, wait)
                self._sleep(wait)
        return write()

    def run_once(self) -> DeliveryReport:
        """Deliver what is due now, one batch per platform we can send to."""
        report = DeliveryReport()
        for platform, messenger in self.messengers.items():
            for item in self._claim(platform):
                result = self._already_sent(messenger, item, report)
                if result is None:
                    try:
                        result = messenger.send(item, message_from_dict(item.payload))
                    except Exception as exc:  # a messenger bug must not stop the rest of the batch
                        log.exception("messenger %s crashed on outbox item %s", platform, item.id)
                        result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
                self._record(item, result, report)
        return report

    def _claim(self, platform: Platform) -> list[OutboxItem]:
        """This thread's next batch. A claim that failed half-way (the connection cut after the
        database took the rows) leaves rows this thread never saw in ``sending``: they are handed
        straight back instead of waiting out the lease. Safe, because every send this thread made
        is recorded before it claims again."""
        try:
            return self.queue.claim(
                self.clock.now(),
                limit=self.batch_size,
                worker_id=self.worker_id,
                lease=self.lease,
                platform=platform,
            )
        except Exception:
            self._recorded(
                f"the claims of {self.worker_id}",  # not translated: a log line's subject
                lambda: self.queue.release_claims(self.worker_id, self.clock.now(), unsent=True),
            )
            raise

    def _already_sent(
        self, messenger: Messenger, item: OutboxItem, report: DeliveryReport
    ) -> SendResult | None:
        """A message back from a copy that died may have reached the platform unrecorded.

        A messenger that can look a message up by its idempotency key (``already_sent(item)``
        returning the platform's message id or None) is asked first, so a crash between send and
        mark never sends twice; a retry is asked too (its files may have failed after its post).
        Where the platform cannot tell, a message that was in flight is sent again, counted and
        logged as one that may have been sent twice.
        """
        lookup = getattr(messenger, "already_sent", None)
        if lookup is None:
            if item.in_flight:
                report.maybe_twice += 1
                log.warning(
                    "outbox item %s (%s) was in flight when its copy stopped and %s cannot say "
                    "whether it arrived: sending it again, so it may have been sent twice",
                    item.id,
                    item.idempotency_key,
                    item.platform.value,
                )
            return None
        if item.attempts <= 1 and not item.in_flight:
            return None  # a first attempt cannot have been sent before
        found = lookup(item)
        if not found:
            return None
        report.found_sent += 1
        return SendResult(ok=True, platform_message_id=str(found))

    def drain(self, max_rounds: int = 1000) -> DeliveryReport:
        """Run until nothing is due now (the demo, the console and tests)."""
        total = DeliveryReport()
        for _ in range(max_rounds):
            report = self.run_once()
            total.add(report)
            if report.handled == 0 or (report.sent == 0 and report.failed == 0):
                break
        return total

    def _record(self, item: OutboxItem, result: SendResult, report: DeliveryReport) -> None:
        item_id, attempts = item.id, item.attempts
        now = self.clock.now()
        if result.ok:
            message_id = result.platform_message_id
            if self._recorded(
                f"outbox item {item_id} as sent",  # not translated: a log line's subject
                lambda: self.queue.mark_sent(item_id, self.worker_id, message_id, now),
            ):
                report.sent += 1
            else:
                report.lost_lease += 1
                log.warning("outbox item %s was sent after its lease ran out", item_id)
            return
        error = result.error or "unknown error"  # not translated: stored for operators
        if result.permanent or attempts >= self.max_attempts:
            self._recorded(
                f"outbox item {item_id} as failed",  # not translated: a log line's subject
                lambda: self.queue.mark_failed(item_id, self.worker_id, error, now),
            )
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
        next_at = now + self.backoff(attempts, result)
        self._recorded(
            f"outbox item {item_id} for a retry",  # not translated: a log line's subject
            lambda: self.queue.mark_retry(item_id, self.worker_id, error, next_at),
        )
        report.retried += 1

    def backoff(self, attempts: int, result: SendResult) -> timedelta:
        if result.retry_after is not None:
            return timedelta(seconds=max(result.retry_after, 0.0))
        delay: timedelta = min(BASE_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)
        return delay * (0.8 + 0.4 * self._random.random())
