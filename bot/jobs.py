"""The periodic work each feature needs done (pairing rounds, check-ins, observation follow-ups, digests).

Features register a ``PeriodicJob`` here; the scheduler (APScheduler, issue 6) runs every registered job
on its interval with the clock it is given, so tests drive each job with a clock they control. A job must
be idempotent: several running copies of Staffroom may run the same job at the same minute, and the
outbox's idempotency keys are what make the result exactly-once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ports import UnitOfWorkFactory

JobFunction = Callable[[UnitOfWorkFactory, datetime], object]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    """Stable id: the scheduler's job id, so restarts replace rather than duplicate the job."""
    run: JobFunction
    every: timedelta


def periodic_jobs() -> list[PeriodicJob]:
    """Every feature's periodic job. Imported lazily so each feature's module loads only when needed."""
    jobs: list[PeriodicJob] = []
    # Each feature appends its jobs in its own section.
    # pairing (issue 5)
    from bot.pairing.rounds import run_due_pairing_rounds

    jobs.append(PeriodicJob("pairing.rounds", run_due_pairing_rounds, timedelta(minutes=15)))

    # check-ins and reflections (issue 6)
    from bot.checkins import send_due_checkins

    jobs.append(PeriodicJob("checkins.plan", send_due_checkins, every=timedelta(minutes=1)))

    # peer observation (issue 7)
    from bot.observations.jobs import advance_observation_requests

    jobs.append(
        PeriodicJob("observations.advance", advance_observation_requests, timedelta(minutes=15))
    )

    # resources (issue 8): no job of its own; check-ins sent by the scheduler offer resources.
    from bot.resources import hooks as resource_hooks

    resource_hooks.register()

    # digest (issue 9)
    from bot.digest.service import send_digests

    jobs.append(PeriodicJob("digest.send", send_digests, timedelta(minutes=15)))

    return jobs
