"""The scheduler: APScheduler with its job store in our database, every registered job, our clock."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from adapters.console.messenger import ConsoleMessenger
from bot.features import REGISTRY
from bot.kernel.domain import Platform
from bot.kernel.feature import PeriodicJob
from bot.kernel.ports import UnitOfWorkFactory
from bot.kernel.scheduler import Scheduler
from staffroom.bootstrap import Staffroom
from staffroom.cli import main
from staffroom.runtime import SCHEDULER_TABLE, make_scheduler, start_background
from storage.models.base import Base
from tests.checkins.helpers import outbox, plan, setup_program, user_id
from tests.conftest import Person
from tests.storage.test_schema import include_name

pytestmark = pytest.mark.postgres  # APScheduler's job store lives in the database


def stored_job_ids(app: Staffroom) -> list[str]:
    with app.engine.connect() as conn:
        return sorted(conn.execute(text(f"SELECT id FROM {SCHEDULER_TABLE}")).scalars())


def test_every_registered_job_is_stored_once_and_a_restart_replaces_it(app: Staffroom) -> None:
    names = sorted([*(job.name for job in app.bot.registry.jobs), "storage.statistics"])
    assert "checkins.plan" in names
    for _restart in range(2):
        scheduler = make_scheduler(app)
        scheduler.start()
        try:
            assert scheduler.scheduled_ids() == names
        finally:
            scheduler.stop()
    assert stored_job_ids(app) == names


def test_the_job_table_is_apschedulers_and_not_a_schema_difference(app: Staffroom) -> None:
    scheduler = make_scheduler(app)
    scheduler.start()
    scheduler.stop()
    assert SCHEDULER_TABLE in inspect(app.engine).get_table_names()
    with app.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []


def test_jobs_run_with_the_injected_clock_and_a_failing_job_is_contained(
    app: Staffroom,
) -> None:
    seen: list[datetime] = []

    def record(_uow: UnitOfWorkFactory, now: datetime) -> object:
        seen.append(now)
        return len(seen)

    def broken(_uow: UnitOfWorkFactory, _now: datetime) -> object:
        raise RuntimeError("boom")

    scheduler = Scheduler(
        app.uow_factory,
        app.clock,
        [
            PeriodicJob("test.record", record, timedelta(minutes=5)),
            PeriodicJob("test.broken", broken, timedelta(minutes=5)),
        ],
    )
    results = scheduler.run_all()
    app.clock.advance(timedelta(hours=3))  # type: ignore[attr-defined]
    scheduler.run_job("test.record")
    assert seen == [app.clock.now() - timedelta(hours=3), app.clock.now()]
    assert results == {"test.record": 1, "test.broken": None}
    assert scheduler.failures == {"test.record": 0, "test.broken": 1}
    assert scheduler.runs == {"test.record": 2, "test.broken": 0}


def test_of_two_running_copies_one_runs_each_job_an_interval(app: Staffroom) -> None:
    """Copies share the database; the lease, not luck, decides which one runs the planner."""
    from storage.db import make_session_factory
    from storage.repositories.kernel import SqlJobLeases

    ran: list[str] = []

    def copy(holder: str) -> Scheduler:
        def record(_uow: UnitOfWorkFactory, _now: datetime) -> object:
            ran.append(holder)
            return None

        return Scheduler(
            app.uow_factory,
            app.clock,
            [PeriodicJob("test.plan", record, timedelta(minutes=1))],
            leases=SqlJobLeases(make_session_factory(app.engine)),
            holder=holder,
        )

    a, b = copy("host-a"), copy("host-b")
    a.run_scheduled("test.plan")
    app.clock.advance(timedelta(seconds=20))  # type: ignore[attr-defined]
    b.run_scheduled("test.plan")  # fired in the same interval: a holds it
    app.clock.advance(timedelta(seconds=40))  # type: ignore[attr-defined]
    a.run_scheduled("test.plan")
    b.run_scheduled("test.plan")
    assert ran == ["host-a", "host-a"]
    assert b.skipped == {"test.plan": 2}
    app.clock.advance(timedelta(minutes=2))  # type: ignore[attr-defined]
    b.run_scheduled("test.plan")  # host-a died: its lease ran out, and b takes over
    assert ran == ["host-a", "host-a", "host-b"]
    a.run_scheduled("test.plan")
    assert ran[-1] == "host-b"
    a.run_job("test.plan")  # a direct run (tests, `worker --once`) is not a fired one: no lease
    assert ran == ["host-a", "host-a", "host-b", "host-a"]


def test_duplicate_job_names_are_refused(app: Staffroom) -> None:
    job = PeriodicJob("same", lambda _u, _n: None, timedelta(minutes=1))
    with pytest.raises(ValueError, match="same"):
        Scheduler(app.uow_factory, app.clock, [job, job])


def test_start_background_runs_the_planner_and_delivers_through_the_outbox(
    app: Staffroom, person: Person
) -> None:
    """APScheduler fires the planner at start; the delivery loop sends the check-in once."""
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London"}, settings="day=mon time=09:30"
    )
    app.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    delivered = threading.Event()

    class Recording(ConsoleMessenger):
        def send(self, item, message):  # type: ignore[no-untyped-def]
            result = super().send(item, message)
            if item.idempotency_key.startswith("checkin:"):
                delivered.set()
            return result

    messenger = Recording(quiet=True)
    background = start_background(
        app, messengers={Platform.CONSOLE: messenger}, poll_seconds=0.05, worker_id="bg"
    )
    try:
        assert delivered.wait(60), "the check-in was never delivered"
    finally:
        background.stop()
    assert not background.scheduler.running
    checkins_sent = [d for d in messenger.delivered if "check-in" in d.text]
    assert [d.recipient_user_id for d in checkins_sent] == [user_id("Ana Lopez")]
    (row,) = outbox(app, "checkin:")
    assert row.status == "sent"


def test_delivery_threads_share_a_fan_out_and_a_restart_takes_back_what_it_held(
    app: Staffroom, person: Person
) -> None:
    """A copy named by STAFFROOM_WORKER_ID died holding messages; its successor sends them now.

    Without taking them back they would wait out their two-minute lease and this test would fail.
    """
    teachers = {f"Teacher {n}": "Europe/London" for n in range(9)}
    setup_program(app, person, teachers=teachers, settings="day=mon time=09:30")
    app.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    assert plan(app).sent == 9
    held = app.queue.claim(
        app.clock.now(),
        limit=4,
        worker_id="pod-7-2",
        lease=timedelta(minutes=2),
        platform=Platform.CONSOLE,
    )
    assert len(held) == 4  # ...and then the copy called pod-7 was killed
    messenger = ConsoleMessenger(quiet=True)
    background = start_background(
        app,
        messengers={Platform.CONSOLE: messenger},
        jobs=[],
        poll_seconds=0.05,
        worker_id="pod-7",
        threads=3,
    )
    try:
        assert [w.worker_id for w in background.workers] == ["pod-7-0", "pod-7-1", "pod-7-2"]
        for _ in range(200):
            if all(row.status == "sent" for row in outbox(app, "checkin:")):
                break
            threading.Event().wait(0.05)
    finally:
        background.stop()
    rows = outbox(app, "checkin:")
    assert [row.status for row in rows] == ["sent"] * 9
    received = sorted(d.recipient_user_id for d in messenger.delivered if "check-in" in d.text)
    assert received == sorted(user_id(name) for name in teachers)  # each once
    assert background.delivered == 9


def test_worker_once_runs_every_job_and_delivers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    assert main(["worker", "--once"]) == 0
    out = capsys.readouterr().out
    assert f"ran {len(REGISTRY.jobs) + 1} job(s)" in out  # the features' and the storage's upkeep
    assert "checkins.plan" in out


def test_staffroom_worker_runs_until_sigterm_and_stops_cleanly(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    staffroom = [sys.executable, "-m", "staffroom.cli"]
    subprocess.run([*staffroom, "db", "upgrade"], env=env, cwd=tmp_path, check=True)
    worker = subprocess.Popen(
        [*staffroom, "worker", "--poll", "0.1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        first = worker.stdout.readline()
        assert "scheduled job(s)" in first and "checkins.plan" in first
        worker.send_signal(signal.SIGTERM)
        rest = worker.communicate(timeout=60)[0]
    finally:
        if worker.poll() is None:  # never leave a worker running after a failed test
            worker.kill()
            worker.wait()
    assert worker.returncode == 0
    assert "stopped after delivering 0 message(s)" in rest
