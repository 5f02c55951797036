"""Exactly-once through the real Slack messenger: a worker killed after Slack accepted a message, but
before recording it, does not post it again on restart (it finds it by the key in the message metadata).
Slack's Web API is played by the fan-out benchmark's local server."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest

from adapters.slack.messenger import SlackMessenger
from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.domain import Member, OutboxItem, Platform
from bot.kernel.messages import Message, text_message
from bot.kernel.ports import SendResult
from staffroom.bootstrap import Staffroom

pytestmark = pytest.mark.postgres  # exactly-once rests on the database's constraints

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "fanout.py"


@pytest.fixture(scope="module")
def fanout() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fanout_benchmark", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fanout_benchmark"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def slack(fanout: ModuleType) -> Iterator[tuple[object, str]]:
    fake = fanout.FakeSlack(rate=10_000)
    server = fanout.serve(fake)
    try:
        yield fake, f"http://127.0.0.1:{server.port}/api/"
    finally:
        server.shutdown()


class Killed(BaseException):
    pass


class DiesAfter:
    """The real messenger, in a process that dies right after the n-th message reached Slack."""

    platform = Platform.SLACK

    def __init__(self, inner: SlackMessenger, n: int) -> None:
        self.inner, self.n, self.count = inner, n, 0

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        result = self.inner.send(item, message)
        self.count += 1
        if self.count == self.n:
            raise Killed()
        return result

    def already_sent(self, item: OutboxItem) -> str | None:
        return self.inner.already_sent(item)


def test_a_killed_worker_does_not_post_twice_to_slack(
    app: Staffroom, clock: ManualClock, slack: tuple[object, str], fanout: ModuleType
) -> None:
    fake, url = slack
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.SLACK, "T1", "School")
        repos = uow.scope(ws.id)
        for i in range(6):
            member = repos.members.add(
                Member(workspace_id=ws.id, platform_user_id=f"U{i}", display_name=f"T{i}")
            )
            repos.outbox.enqueue(member, text_message(f"hello {i}"), f"hello:{i}", clock.now())
        uow.commit()
    messenger = SlackMessenger(token=fanout.TOKEN, base_url=url)
    first = DeliveryWorker(
        app.queue, {Platform.SLACK: DiesAfter(messenger, 4)}, clock, worker_id="a", batch_size=3
    )
    with pytest.raises(Killed):
        first.drain()
    assert sum(fake.received.values()) == 4  # type: ignore[attr-defined]
    clock.advance(timedelta(minutes=3))  # the dead worker's lease runs out
    second = DeliveryWorker(app.queue, {Platform.SLACK: messenger}, clock, worker_id="b")
    report = second.drain()
    assert report.sent == 3  # the 4th (found in Slack, not posted again), the 5th and the 6th
    assert dict(fake.received) == {f"hello:{i}": 1 for i in range(6)}  # type: ignore[attr-defined]
    assert fake.history_calls >= 1  # type: ignore[attr-defined]
