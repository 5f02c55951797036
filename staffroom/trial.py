"""Simulated time for a trial at the console: the periodic jobs run as the scheduler would run them.

``/tick`` in ``staffroom chat --clock ...`` moves a ``ManualClock`` forward. On the way, each job
runs on its own interval (never more often than ``FINEST``), and what they queue is delivered at the
moment it was due, so a check-in sent "at 15:30 on Tuesday" says so in the inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.scheduler import Scheduler

FINEST = timedelta(minutes=5)
"""The check-in planner asks every minute in production; five minutes is as punctual as a person at
a terminal can notice, and plays a week five times faster."""


class TrialTime:
    def __init__(self, clock: ManualClock, scheduler: Scheduler, worker: DeliveryWorker) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.worker = worker
        start = clock.now()
        self._next = {name: start for name in scheduler.jobs}

    def run_due(self) -> int:
        """Run every job whose turn has come at the clock's time, then deliver."""
        now = self.clock.now()
        for name, at in self._next.items():
            if at <= now:
                self.scheduler.run_job(name)
                every = max(self.scheduler.jobs[name].every, FINEST)
                self._next[name] = max(at + every, now + every)
        return self.worker.drain().sent

    def advance(self, target: datetime) -> int:
        """Move to ``target`` through every moment a job falls due; the messages sent on the way."""
        sent = 0
        while self.clock.now() < target:
            self.clock.set(min(min(self._next.values()), target))
            sent += self.run_due()
        return sent
