"""Exactly-once delivery of a fan-out: crashes mid-send, a restart, two workers racing, give-ups reported."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from adapters.console.messenger import ConsoleMessenger
from bot.checkins import planner as checkins_module
from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.delivery_failures import report_to_coordinators
from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.messages import Message
from bot.kernel.ports import SendResult
from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from tests.checkins.helpers import checkins, outbox, plan, setup_program, user_id
from tests.conftest import Person, fetch_all

pytestmark = pytest.mark.postgres  # claims and leases (SKIP LOCKED on PostgreSQL)

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
LEASE = timedelta(minutes=2)


class Killed(BaseException):
    """The process dying: not an Exception, so nothing in the worker catches it."""


class Platform_:
    """A platform that remembers every message by its idempotency key, as Slack keeps message metadata."""

    platform = Platform.CONSOLE

    def __init__(self, *, die_after: int | None = None, latency: float = 0.0) -> None:
        self.latency = latency  # a real platform's round trip, so two workers interleave
        self.received: list[str] = []
        self.die_after = die_after
        self.lock = threading.Lock()

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            self.received.append(item.idempotency_key)
            if self.die_after is not None and len(self.received) > self.die_after:
                raise Killed()  # the platform has it; the worker dies before marking it sent
        return SendResult(ok=True, platform_message_id=f"m-{item.id}")

    def already_sent(self, item: OutboxItem) -> str | None:
        with self.lock:
            return f"m-{item.id}" if item.idempotency_key in self.received else None


def school(app: Staffroom, person: Person, n: int) -> None:
    setup_program(app, person, teachers={f"Teacher {i:02d}": "Europe/London" for i in range(n)})


def test_a_worker_killed_mid_fan_out_resumes_without_sending_anything_twice(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    school(app, person, 12)
    clock.set(DUE)
    assert plan(app).sent == 12
    platform = Platform_(die_after=5)
    first = DeliveryWorker(
        app.queue, {Platform.CONSOLE: platform}, clock, worker_id="first", batch_size=4
    )
    with pytest.raises(Killed):
        first.drain()
    assert len(platform.received) == 6  # the sixth reached the platform, unrecorded
    platform.die_after = None
    clock.advance(LEASE + timedelta(seconds=1))  # the dead worker's lease runs out
    restarted = DeliveryWorker(app.queue, {Platform.CONSOLE: platform}, clock, worker_id="second")
    restarted.drain()
    received = Counter(platform.received)
    assert len(received) == 12 and set(received.values()) == {1}
    assert {r.status for r in outbox(app, "checkin:")} == {"sent"}


def test_a_planner_killed_mid_fan_out_plans_the_rest_once_on_restart(
    app: Staffroom, person: Person, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    school(app, person, 7)
    clock.set(DUE)
    monkeypatch.setattr(checkins_module, "BATCH", 2)
    commits = 0
    real_factory = app.uow_factory

    def dying_factory() -> object:
        uow = real_factory()
        original = uow.commit

        def commit() -> None:
            nonlocal commits
            commits += 1
            if commits == 3:
                raise Killed()
            original()

        uow.commit = commit  # type: ignore[method-assign]
        return uow

    with pytest.raises(Killed):
        checkins_module.send_due_checkins(dying_factory, clock.now())  # type: ignore[arg-type]
    assert 0 < len(outbox(app, "checkin:")) < 7
    clock.advance(timedelta(minutes=1))
    plan(app)
    plan(app)
    assert len(outbox(app, "checkin:")) == 7
    assert len(checkins(app)) == 7


def test_two_workers_share_the_outbox_on_postgresql(
    app: Staffroom, person: Person, clock: ManualClock, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one worker; the race is PostgreSQL's (FOR UPDATE SKIP LOCKED)")
    school(app, person, 40)
    clock.set(DUE)
    assert plan(app).sent == 40
    platform = Platform_(latency=0.005)
    start = threading.Barrier(2)
    reports = []

    def run(worker_id: str) -> None:
        worker = DeliveryWorker(
            app.queue, {Platform.CONSOLE: platform}, clock, worker_id=worker_id, batch_size=3
        )
        start.wait()
        reports.append(worker.drain())

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    received = Counter(platform.received)
    assert len(received) == 40 and set(received.values()) == {1}
    assert sum(r.sent for r in reports) == 40
    assert all(r.sent > 0 for r in reports), "both workers should have taken a share"


class Gone:
    platform = Platform.CONSOLE

    def __init__(
        self, user: str, *, error: str = "user_not_found", unreachable: bool = False
    ) -> None:
        self.user = user
        self.failure = SendResult(ok=False, permanent=True, error=error, unreachable=unreachable)

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        if item.recipient_user_id == self.user:
            return self.failure
        return SendResult(ok=True, platform_message_id=f"m-{item.id}")


def ana_and_ben_due(app: Staffroom, person: Person, clock: ManualClock) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    clock.set(DUE)
    assert plan(app).sent == 2


def test_a_message_given_up_on_is_reported_to_the_coordinator_once(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    ana_and_ben_due(app, person, clock)
    hook = report_to_coordinators(app.uow_factory, clock)
    worker = DeliveryWorker(
        app.queue,
        {Platform.CONSOLE: Gone(user_id("Ana Lopez"))},
        clock,
        worker_id="w",
        on_failure=hook,
    )
    report = worker.drain()
    assert (report.sent, report.failed) == (2, 1)  # Ben's check-in and the report to Cora
    (failed,) = [r for r in outbox(app, "checkin:") if r.status == "failed"]
    assert failed.recipient_user_id == user_id("Ana Lopez")
    (note,) = outbox(app, "delivery-failed:")
    assert note.recipient_user_id == user_id("Cora Coordinator") and note.status == "sent"
    assert "Ana Lopez" in note.payload["text"] and "check-in" not in note.payload["text"]
    hook(
        OutboxItem(
            failed.id,
            failed.workspace_id,
            Platform.CONSOLE,
            failed.recipient_user_id,
            failed.idempotency_key,
            {},
            8,
            failed.recipient_member_id,
        ),
        "again",
    )
    assert len(outbox(app, "delivery-failed:")) == 1


def test_someone_the_platform_cannot_reach_is_skipped_until_they_write_again(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    """A deactivated account is not sent a check-in every week; their next message brings them back."""
    ana_and_ben_due(app, person, clock)
    deactivated = Gone(user_id("Ana Lopez"), error="account_inactive", unreachable=True)
    app.worker({Platform.CONSOLE: deactivated}, worker_id="w").drain()
    reachable = {m.display_name: m.reachable for m in fetch_all(app, MemberRow)}
    assert reachable["Ana Lopez"] is False and reachable["Ben Okafor"] is True

    clock.set(DUE + timedelta(days=7))
    assert plan(app).sent == 1  # only Ben: Ana is not written to while unreachable
    person("Ana Lopez").type("help")  # her account is back and she writes to Staffroom
    assert {m.display_name: m.reachable for m in fetch_all(app, MemberRow)}["Ana Lopez"]


def test_a_restarted_worker_with_the_same_id_takes_its_claims_back_at_once(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    school(app, person, 6)
    clock.set(DUE)
    assert plan(app).sent == 6
    platform = Platform_(die_after=2)
    with pytest.raises(Killed):
        DeliveryWorker(
            app.queue, {Platform.CONSOLE: platform}, clock, worker_id="host-1", batch_size=6
        ).drain()
    platform.die_after = None
    assert app.queue.claim(clock.now(), limit=10, worker_id="other", lease=LEASE) == []
    # Each send is recorded right after it: two were marked sent, the third reached the platform
    # unrecorded, and the three after it were never sent. All four come back at once.
    assert app.queue.release_claims("host-1", clock.now()) == 4
    report = DeliveryWorker(
        app.queue, {Platform.CONSOLE: platform}, clock, worker_id="host-1"
    ).drain()
    assert (report.found_sent, report.sent, report.maybe_twice) == (1, 4, 0)
    received = Counter(platform.received)
    assert len(received) == 6 and set(received.values()) == {1}


class CutConnection:
    """The real queue, but the first ``cuts`` writes that record a send fail as a cut connection would."""

    def __init__(self, queue: object, cuts: int) -> None:
        self._queue = queue
        self.cuts = cuts

    def __getattr__(self, name: str) -> object:
        return getattr(self._queue, name)

    def mark_sent(self, *args: object, **kwargs: object) -> bool:
        if self.cuts:
            self.cuts -= 1
            raise ConnectionError("server closed the connection unexpectedly")
        return self._queue.mark_sent(*args, **kwargs)  # type: ignore[attr-defined,no-any-return]


def test_a_cut_connection_while_recording_a_send_sends_nothing_twice(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    school(app, person, 3)
    app.clock.set(DUE)  # type: ignore[attr-defined]
    assert plan(app).sent == 3
    queue = CutConnection(app.queue, cuts=2)
    waits: list[float] = []
    worker = DeliveryWorker(
        queue,  # type: ignore[arg-type]
        {Platform.CONSOLE: messenger},
        app.clock,
        worker_id="w",
        sleep=waits.append,
    )
    assert worker.drain().sent == 3
    assert len(messenger.delivered) == 3  # each check-in once: none left in "sending" to repeat
    assert waits == [0.05, 0.1]
    assert {r.status for r in outbox(app, "checkin:")} == {"sent"}
