"""The outbox: idempotency keys, leases, and what several workers may and may not do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.domain import Member, OutboxItem, Platform
from bot.kernel.messages import Message, text_message
from bot.kernel.ports import SendResult
from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow
from tests.conftest import fetch_all

pytestmark = pytest.mark.postgres  # the repositories' SQL, held to one contract on both databases

LEASE = timedelta(minutes=2)


def seed(app: Staffroom, n: int = 3) -> list[Member]:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "local", "local")
        repos = uow.scope(ws.id)
        people = [
            repos.members.add(
                Member(workspace_id=ws.id, platform_user_id=f"u{i}", display_name=f"T{i}")
            )
            for i in range(n)
        ]
        for p in people:
            assert repos.outbox.enqueue(p, text_message("hello"), f"hello:{p.id}", app.clock.now())
        assert not repos.outbox.enqueue(
            people[0], text_message("again"), f"hello:{people[0].id}", app.clock.now()
        )
        uow.commit()
    return people


def test_an_idempotency_key_is_written_once(app: Staffroom) -> None:
    seed(app)
    rows = fetch_all(app, OutboxRow)
    assert len(rows) == 3
    assert all(r.payload["text"] == "hello" for r in rows)


def test_a_batch_is_written_by_the_same_rule_and_skips_used_keys(app: Staffroom) -> None:
    people = seed(app)
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "local", "local")
        batch = [(people[0], text_message("hello again"), f"hello:{people[0].id}")]
        batch += [(p, text_message("news"), f"news:{p.id}") for p in people[1:]]
        assert uow.scope(ws.id).outbox.enqueue_many(batch, app.clock.now()) == 2
        assert uow.scope(ws.id).outbox.enqueue_many([], app.clock.now()) == 0
        uow.commit()
    texts = sorted((r.idempotency_key, r.payload["text"]) for r in fetch_all(app, OutboxRow))
    assert texts == sorted(
        [(f"hello:{p.id}", "hello") for p in people]
        + [(f"news:{p.id}", "news") for p in people[1:]]
    )


def test_claims_are_exclusive_until_the_lease_runs_out(app: Staffroom, clock: ManualClock) -> None:
    seed(app)
    first = app.queue.claim(clock.now(), limit=2, worker_id="a", lease=LEASE)
    second = app.queue.claim(clock.now(), limit=10, worker_id="b", lease=LEASE)
    assert len(first) == 2 and len(second) == 1
    assert not {i.id for i in first} & {i.id for i in second}
    assert app.queue.mark_sent(second[0].id, "b", "ok", clock.now())
    clock.advance(LEASE + timedelta(seconds=1))  # worker a died holding two rows
    taken_over = app.queue.claim(clock.now(), limit=10, worker_id="c", lease=LEASE)
    assert {i.id for i in taken_over} == {i.id for i in first}
    assert not app.queue.mark_sent(first[0].id, "a", "late", clock.now())  # a lost its lease
    assert app.queue.mark_sent(first[0].id, "c", "ok", clock.now())


class Flaky:
    platform = Platform.CONSOLE

    def __init__(self, failures: int, *, retry_after: float | None = None) -> None:
        self.failures = failures
        self.retry_after = retry_after
        self.sent: list[str] = []

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        if self.failures > 0:
            self.failures -= 1
            return SendResult(ok=False, retry_after=self.retry_after, error="429 rate limited")
        self.sent.append(item.idempotency_key)
        return SendResult(ok=True, platform_message_id=f"m{item.id}")


def test_rate_limited_sends_wait_for_retry_after_then_go_once(
    app: Staffroom, clock: ManualClock
) -> None:
    seed(app, 1)
    messenger = Flaky(failures=1, retry_after=30)
    worker = DeliveryWorker(app.queue, {Platform.CONSOLE: messenger}, clock, worker_id="w")
    assert worker.run_once().retried == 1
    clock.advance(timedelta(seconds=29))
    assert worker.run_once().handled == 0  # not due yet
    clock.advance(timedelta(seconds=2))
    assert worker.run_once().sent == 1
    assert worker.run_once().handled == 0
    assert len(messenger.sent) == 1
    (row,) = fetch_all(app, OutboxRow)
    assert (row.status, row.attempts, row.platform_message_id) == ("sent", 2, f"m{row.id}")


def test_a_message_that_keeps_failing_is_marked_failed_after_the_bound(
    app: Staffroom, clock: ManualClock
) -> None:
    seed(app, 1)
    worker = DeliveryWorker(
        app.queue, {Platform.CONSOLE: Flaky(failures=99)}, clock, worker_id="w", max_attempts=3
    )
    for _ in range(3):
        worker.run_once()
        clock.advance(timedelta(hours=2))
    (row,) = fetch_all(app, OutboxRow)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "429" in (row.last_error or "")
