"""What runs in the background of a Staffroom process: the scheduler and the delivery threads."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.kernel.delivery import DeliveryWorker
from bot.kernel.domain import Platform
from bot.kernel.feature import PeriodicJob
from bot.kernel.ports import Messenger
from bot.kernel.scheduler import Scheduler

if TYPE_CHECKING:
    pass
from staffroom.bootstrap import Staffroom, default_worker_id, platform_messengers

SCHEDULER_TABLE = "apscheduler_jobs"
"""APScheduler's job store table: created by APScheduler itself, left out of our migrations."""


class Background:
    """The scheduler and the delivery threads running in this process; ``stop()`` ends both."""

    def __init__(
        self,
        scheduler: Scheduler,
        workers: DeliveryWorker | list[DeliveryWorker],
        *,
        poll_seconds: float,
    ) -> None:
        import threading

        self.scheduler = scheduler
        self.workers = workers if isinstance(workers, list) else [workers]
        self.poll_seconds = poll_seconds
        self._delivered = [0] * len(self.workers)
        self._stopping = threading.Event()
        self._fan_out = threading.Event()
        # Several threads: a fan-out spends its time waiting on the platform's answers, and one
        # thread would send a week's check-ins one round trip at a time.
        self._threads = [
            threading.Thread(
                target=self._deliver_forever,
                args=(index,),
                name=f"staffroom-delivery-{index}",
                daemon=True,
            )
            for index in range(len(self.workers))
        ]

    @property
    def delivered(self) -> int:
        return sum(self._delivered)

    def start(self) -> Background:
        self.scheduler.start()
        for thread in self._threads:
            thread.start()
        return self

    def _deliver_forever(self, index: int) -> None:
        """Send what is due; when nothing is, wait a moment (or until stopped) and look again.

        While the outbox is quiet only the first thread looks, and it wakes the others when it
        finds a full batch (a fan-out): an idle copy costs one query a poll, not one per thread,
        which on SQLite is the difference between a quiet database and writers queueing for it.
        """
        log = logging.getLogger("staffroom.delivery")
        worker = self.workers[index]
        while not self._stopping.is_set():
            if index > 0 and not self._fan_out.is_set():
                self._fan_out.wait(timeout=1.0)  # the timeout: a stop is never missed
                continue
            try:
                report = worker.run_once()  # one batch a round, so stop() never waits long
                self._delivered[index] += report.sent
                busy = report.sent > 0 or report.failed > 0
            except Exception:  # the database may be briefly away; keep the loop alive
                log.exception("delivery round failed; trying again shortly")
                report, busy = None, False
            if index == 0 and report is not None:
                if report.handled >= worker.batch_size:
                    self._fan_out.set()
                elif report.handled == 0:
                    self._fan_out.clear()
            if not busy:
                self._stopping.wait(self.poll_seconds)

    def stop(self) -> None:
        """Stop taking new work, let the messages in hand finish, and stop the scheduler."""
        self._stopping.set()
        self._fan_out.set()  # wake the threads waiting for a fan-out, so they see the stop
        for thread in self._threads:
            if thread.is_alive():
                thread.join()
        self.scheduler.stop()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


STATISTICS_EVERY = timedelta(minutes=15)


GC_THRESHOLDS = (20_000, 20, 20)
"""Collect the youngest objects after 20,000 allocations (CPython's default is 700)."""


def settle_for_serving() -> None:
    """Take what start-up made out of the garbage collector's way before the first request.

    A request for a district's digest makes tens of thousands of short-lived objects. With CPython's
    defaults the collector ran some fifteen times a request and, every few requests, walked every
    object the imports had left (130,000 of them), which put up to a quarter of a second on one
    request in ten. Frozen, start-up's objects are never walked again, and a larger first
    generation clears a request's garbage in a pass or two. Nothing is held longer: every object
    that becomes garbage is still collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def storage_jobs(app: Staffroom) -> list[PeriodicJob]:
    """The database's own upkeep, beside the features' jobs: no feature owns it."""
    from storage.statistics import refresh_statistics

    def statistics(_uow_factory: object, _now: object) -> list[str]:
        return refresh_statistics(app.engine)

    return [PeriodicJob("storage.statistics", statistics, STATISTICS_EVERY)]


def make_scheduler(app: Staffroom, jobs: list[PeriodicJob] | None = None) -> Scheduler:
    """APScheduler over every registered periodic job and the storage's upkeep, its job store in
    our own database."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from storage.db import make_session_factory
    from storage.repositories.kernel import SqlJobLeases

    jobstore = SQLAlchemyJobStore(engine=app.engine, tablename=SCHEDULER_TABLE)
    _create_jobstore_table(jobstore, app.engine)
    return Scheduler(
        app.uow_factory,
        app.clock,
        [*app.bot.registry.jobs, *storage_jobs(app)] if jobs is None else jobs,
        jobstore=jobstore,
        leases=SqlJobLeases(make_session_factory(app.engine)),
        holder=app.settings.worker_id or default_worker_id(),
        settings=app.settings,
    )


def _create_jobstore_table(jobstore: Any, engine: Any) -> None:
    """APScheduler's job table, made before APScheduler looks for it.

    Its own "create if missing" is a look then a create, so copies starting together race: on
    PostgreSQL the second CREATE fails on the table's type and that copy never starts. The one
    that loses here finds the table made by the one that won, which is all it needed.
    """
    from sqlalchemy.exc import DBAPIError

    try:
        jobstore.jobs_t.create(engine, checkfirst=True)
    except DBAPIError:
        logging.getLogger("staffroom.scheduler").info(
            "another copy made the scheduler's table at the same moment"
        )


def start_background(
    app: Staffroom,
    *,
    messengers: dict[Platform, Messenger] | None = None,
    jobs: list[PeriodicJob] | None = None,
    poll_seconds: float = 1.0,
    worker_id: str | None = None,
    threads: int | None = None,
) -> Background:
    """Start the scheduler (every periodic job) and the delivery worker loop; ``.stop()`` ends both.

    ``staffroom worker`` runs only this; ``staffroom serve slack|teams`` runs it beside the web app.
    Delivery goes through every platform these settings reach (``platform_messengers``), and a message
    given up on is reported to the workspace's coordinators through the outbox.
    """
    from bot.kernel.delivery_failures import report_to_coordinators

    chosen = messengers if messengers is not None else platform_messengers(app)
    base_id = worker_id or app.settings.worker_id
    stable = base_id is not None
    base_id = base_id or default_worker_id()
    on_failure = report_to_coordinators(app.uow_factory, app.clock)
    release = getattr(app.queue, "release_claims", None) if stable else None
    workers = []
    for index in range(max(1, threads or app.settings.delivery_threads)):
        thread_id = f"{base_id}-{index}"
        if release is not None:
            # The same name after a restart: what it held when it died is due again now, and the
            # messenger's already_sent finds whatever got through before the crash.
            taken_back = release(thread_id, app.clock.now())
            if taken_back:
                logging.getLogger("staffroom.delivery").info(
                    "%s took back %s message(s) from before its restart", thread_id, taken_back
                )
        worker = app.worker(chosen, worker_id=thread_id)
        worker.on_failure = on_failure
        workers.append(worker)
    return Background(make_scheduler(app, jobs), workers, poll_seconds=poll_seconds).start()
