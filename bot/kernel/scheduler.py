"""The scheduler: APScheduler 3 runs every periodic job (check-ins, pairing rounds, digests, ...).

APScheduler only decides *when* to wake a job; what the job does with the time comes from our own
``Clock``, so tests and the demo drive every job with a clock they control (``run_job``/``run_all``),
and production runs the same callables from APScheduler's thread with the system clock.

The jobs live in APScheduler's SQLAlchemy job store in our database (its ``apscheduler_jobs`` table,
which APScheduler creates and owns, outside our migrations). Each job's id is its ``PeriodicJob.name``
and is added with ``replace_existing``, so a restart replaces the stored job rather than adding a second.
Each job runs once as soon as the scheduler starts (they are idempotent and decide for themselves whether
anything is due), then on its interval; a misfired run is coalesced into one.

Several running copies share one job store, and each one's APScheduler fires every job. Before a fired
run, a copy takes the job's lease (``JobLeases``) for most of its interval, so one copy runs each job
an interval however many are running; a copy that dies frees its jobs when their leases end. Running a
job twice would still be safe (every job writes through idempotency keys), just wasted work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.kernel.clock import Clock
from bot.kernel.feature import PeriodicJob
from bot.kernel.ports import JobLeases, UnitOfWorkFactory
from bot.kernel.settings import Settings

log = logging.getLogger(__name__)

JOB_FUNCTION = "bot.kernel.scheduler:run_registered_job"
"""What APScheduler stores for every job: a textual reference, so the pickled job survives restarts."""

_ACTIVE: Scheduler | None = None
_ACTIVE_LOCK = threading.Lock()


def run_registered_job(name: str) -> object:
    """APScheduler's entry point: run the named job with this process's scheduler and clock."""
    with _ACTIVE_LOCK:
        scheduler = _ACTIVE
    if scheduler is None:
        log.warning("job %s fired with no scheduler running in this process; skipped", name)
        return None
    return scheduler.run_scheduled(name)


class Scheduler:
    """Our periodic jobs on APScheduler. ``jobstore`` is built by the composition root (SQLAlchemy)."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        jobs: Sequence[PeriodicJob],
        *,
        jobstore: Any = None,
        threads: int = 2,
        leases: JobLeases | None = None,
        holder: str = "",
        settings: Settings | None = None,
    ) -> None:
        names = [job.name for job in jobs]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"two periodic jobs share the name(s) {', '.join(duplicates)}")
        self.uow_factory = uow_factory
        self.clock = clock
        self.jobs = {
            job.name: job.configured(settings) if settings is not None else job for job in jobs
        }
        self._jobstore = jobstore
        self._threads = threads
        self._leases = leases
        self._holder = holder
        self.skipped: dict[str, int] = dict.fromkeys(self.jobs, 0)
        self._aps: Any = None
        self.runs: dict[str, int] = dict.fromkeys(self.jobs, 0)
        self.failures: dict[str, int] = dict.fromkeys(self.jobs, 0)

    # --- running jobs with our clock ------------------------------------------------------------

    def run_job(self, name: str) -> object:
        """Run one job now, at the injected clock's time. A failing job is logged, never raised."""
        job = self.jobs.get(name)
        if job is None:
            log.warning("no periodic job called %s in this version; skipped", name)
            return None
        try:
            result = job.run(self.uow_factory, self.clock.now())
        except Exception:
            self.failures[name] += 1
            log.exception("periodic job %s failed; it runs again on its next interval", name)
            return None
        self.runs[name] += 1
        return result

    def run_scheduled(self, name: str) -> object:
        """A run APScheduler fired: only if this copy holds the job's lease for this interval.

        The lease lasts nine tenths of the interval, so the copy that ran a job is free to run it
        again next time while the others' runs, fired a little later, find it held.
        """
        job = self.jobs.get(name)
        if job is not None and self._leases is not None:
            now = self.clock.now()
            try:
                won = self._leases.take(name, self._holder, now, now + job.every * 0.9)
            except Exception:  # the database is away: the job would fail too; let it say so
                log.exception("could not take the lease of periodic job %s", name)
                won = True
            if not won:
                self.skipped[name] += 1
                return None
        return self.run_job(name)

    def run_all(self) -> dict[str, object]:
        """Every job once, in registration order: what tests and the demo call each simulated tick."""
        return {name: self.run_job(name) for name in self.jobs}

    # --- APScheduler -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start APScheduler in a background thread with every job in the job store."""
        global _ACTIVE
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        with _ACTIVE_LOCK:
            if _ACTIVE is not None and _ACTIVE is not self:
                raise RuntimeError("a scheduler is already running in this process")
            _ACTIVE = self
        jobstores = {"default": self._jobstore} if self._jobstore is not None else {}
        aps = BackgroundScheduler(
            jobstores=jobstores,
            executors={"default": ThreadPoolExecutor(self._threads)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        first_run = datetime.now(UTC)  # APScheduler's own wake-up time; jobs read our clock
        for job in self.jobs.values():
            seconds = max(int(job.every.total_seconds()), 1)
            aps.add_job(
                JOB_FUNCTION,
                trigger="interval",
                seconds=seconds,
                args=[job.name],
                id=job.name,
                name=job.name,
                replace_existing=True,
                next_run_time=first_run,
                misfire_grace_time=seconds,
            )
        # APScheduler logs every run of every job at INFO: one line a minute a job says nothing useful.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        aps.start()
        self._aps = aps
        log.info("scheduler started with %d job(s): %s", len(self.jobs), ", ".join(self.jobs))

    @property
    def running(self) -> bool:
        return self._aps is not None and bool(self._aps.running)

    def scheduled_ids(self) -> list[str]:
        """The job ids APScheduler holds (from the job store once started)."""
        if self._aps is None:
            return []
        return sorted(job.id for job in self._aps.get_jobs())

    def stop(self, *, wait: bool = True) -> None:
        global _ACTIVE
        if self._aps is not None:
            self._aps.shutdown(wait=wait)
            self._aps = None
        with _ACTIVE_LOCK:
            if _ACTIVE is self:
                _ACTIVE = None
