"""One sending budget per platform workspace, shared by every thread, process and running copy.

A platform limits what one workspace receives, whoever sends it. Slack keeps chat.postMessage's
workspace-wide limit to itself: all an app learns is ``429`` with ``Retry-After`` once it has gone
over; the Bot Connector answers Teams tenants the same way. Pacing each thread, or each process, on
its own lets N copies send N times the rate, and lets the other threads go on posting while one of
them waits out a ``Retry-After``. So the budget lives in the database (``storage.repositories.
rate_budgets``: a row per platform and workspace) and every send takes its slot from there:

- **Slots.** Each send reserves the next slot (``1 / rate`` after the previous one) in one short
  locked write, then sleeps until it comes. Without a learnt rate (and no configured ceiling) sends
  go unpaced until the platform first says 429.
- **Pauses.** A 429 pauses the whole workspace until its ``Retry-After`` has passed: no slot is
  given before then, and a sender that slept towards a slot looks once more before it posts, so no
  post leaves while a pause stands (only posts already on the wire can arrive during one).
- **Learning.** At a 429 the rate becomes a little under what got through in the last second (the
  budget counts the posts its senders report accepted, in one-second windows: slots given say
  what was tried, and a sender that fell behind its slots would make the platform's limit look
  lower than it is), then creeps up by a small fraction of itself a
  second while senders queue for slots, until the next 429: each 429 costs a whole pause, so it
  should be rare. A first estimate (taken in the first burst) is probed upwards quickly. A rate is
  forgotten after ten idle minutes, so one afternoon's limit does not slow next week's fan-out.

The arithmetic is here, beside the senders; the database only makes each change atomic. Clocks are
wall clocks (seconds since the epoch) because several machines share one budget; the clock and the
sleep are injected, so tests drive them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from storage.repositories.rate_budgets import BudgetState

log = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], None]

MAX_BLOCK = 16
UNPACED_BLOCK = 8
"""Slots reserved at once while unpaced: they only count sends and look for a pause."""
STALE_LOOK_S = 0.04
"""A look for a pause whose read began longer ago than this is taken again before a post goes on it."""
STALE_LOOK_TRIES = 3
DATABASE_WAITS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
"""Seconds between tries of a budget write that failed: a connection cut for a moment (a
failover, ``pg_terminate_backend``) costs a retry on a fresh connection, not the send."""


class RateBudgets(Protocol):
    """Where budgets live: ``SqlRateBudgets`` (every copy) or ``MemoryRateBudgets`` (one process)."""

    def change(self, platform: str, workspace: str, change: Callable[[BudgetState], T]) -> T: ...

    def read(self, platform: str, workspace: str) -> BudgetState: ...

    def pause(self, platform: str, workspace: str, until: float) -> None: ...


class MemoryRateBudgets:
    """Budgets in this process only: for a messenger built without a database (a trial, a test)."""

    def __init__(self) -> None:
        self._states: dict[tuple[str, str], BudgetState] = {}
        self._lock = threading.Lock()

    def change(self, platform: str, workspace: str, change: Callable[[BudgetState], T]) -> T:
        with self._lock:
            state = self._states.setdefault((platform, workspace), BudgetState())
            return change(state)

    def read(self, platform: str, workspace: str) -> BudgetState:
        with self._lock:
            return replace(self._states.get((platform, workspace), BudgetState()))

    def pause(self, platform: str, workspace: str, until: float) -> None:
        with self._lock:
            state = self._states.setdefault((platform, workspace), BudgetState())
            state.paused_until = max(state.paused_until, until)
            state.next_at = max(state.next_at, until)


@dataclass(frozen=True)
class PacingPolicy:
    ceiling: float | None = None
    """Messages a second never to exceed (a known limit); ``None`` learns it from 429s alone."""
    decrease: float = 0.95
    """What a 429 multiplies what got through by. What got through in the second before a 429
    includes the platform's burst allowance, so the limit itself is a few percent below it."""
    steady_decrease: float = 0.965
    """The same for a 429 that came while the rate climbed back or crept (not while probing): the
    pace had only just passed what the platform takes from senders whose posts arrive a little
    unevenly, and a 5 % cut left the pace some 6 % under the limit for the rest of a fan-out."""
    probe_growth_per_s: float = 0.2
    """How fast the rate grows while probing a first estimate (or one taken while little got
    through): this fraction of itself, each second, while senders queue for slots. Fast enough to
    find a limit well above it within a few seconds; a probe's 429 then costs one pause."""
    growth_per_s: float = 0.005
    """The same after the 429 that ended a probe. The second before it climbed steeply, so what
    got through in it may understate the limit by several percent: the rate climbs back within
    seconds, to a 429 whose estimate is taken at a steady pace."""
    settled_growth_per_s: float = 0.0005
    """The same once a 429 came at a steady pace (the limit is known to a few percent): slow,
    because each 429 pauses every copy for its Retry-After, a few percent of a fan-out's time.
    At 0.05 %/s the pace stays within a few percent of the limit for a minute or more between
    pauses; a limit that rises is found again within minutes."""
    stalled_share: float = 0.5
    """A 429 after a second in which less than this share of the pace got through probes."""
    floor: float = 1.0
    """The slowest it will ever go, messages a second."""
    window_s: float = 1.0
    """How far back "what got through" looks, and how long later 429s are taken as the same one."""
    forget_after_s: float = 600.0
    """Idle this long, a workspace goes back to unpaced (or to the ceiling)."""
    block_s: float = 0.02
    """Seconds of slots a process reserves at once for its threads (0: one at a time)."""


def granted(state: BudgetState, now: float, policy: PacingPolicy) -> float | None:
    """Reserve the next slot: seconds until it, or ``None`` while a pause stands (nothing reserved)."""
    if state.window_start and now - state.window_start > policy.forget_after_s:
        state.rate, state.probing, state.last_cut_at, state.next_at = None, False, None, 0.0
        state.settled = False
    if state.paused_until > now:
        return None
    rate = state.rate if state.rate is not None else policy.ceiling
    if rate is None:
        return 0.0
    interval = 1.0 / rate
    busy = state.next_at + interval >= now  # senders arrive at least as fast as the pace
    slot = max(now, state.next_at)
    state.next_at = slot + interval
    if state.rate is not None and busy:
        # r slots a second, each adding `step`: the rate grows by `step` of itself a second.
        step = (
            policy.probe_growth_per_s
            if state.probing
            else policy.settled_growth_per_s
            if state.settled
            else policy.growth_per_s
        )
        grown = state.rate + step
        state.rate = min(grown, policy.ceiling) if policy.ceiling else grown
    return slot - now


def rate_limited(state: BudgetState, now: float, retry_after: float, policy: PacingPolicy) -> None:
    """The platform said 429: pause the workspace for ``retry_after`` and slow to what got through."""
    state.paused_until = max(state.paused_until, now + max(retry_after, 0.0))
    state.next_at = max(state.next_at, state.paused_until)
    if state.last_cut_at is not None and now - state.last_cut_at < policy.window_s:
        return  # posts already in flight answered 429 to the same overshoot: one cut is enough
    state.last_cut_at = now
    accepted = _accepted(state, now, policy)
    if state.rate is None:
        state.rate = max(policy.floor, accepted * policy.decrease)
        state.probing = True  # a first estimate comes from a burst: a floor, so probe upwards
        return
    previous, probed = state.rate, state.probing
    cut = policy.decrease if probed else policy.steady_decrease
    state.rate = max(policy.floor, min(previous, accepted) * cut)
    # Hardly anything got through (another sender held the limit, or a pause just ended): the
    # limit is likely well above this, so probe quickly again.
    state.probing = accepted < previous * policy.stalled_share
    state.settled = not state.probing and not probed


def count_accepted(state: BudgetState, now: float, accepted: int, policy: PacingPolicy) -> None:
    """Count posts the platform accepted in one-second windows (the current one and the one before)."""
    age = now - state.window_start
    if age >= policy.window_s:
        state.previous_count = state.window_count if age < 2 * policy.window_s else 0
        state.window_start, state.window_count = now, 0
    state.window_count += accepted


def _accepted(state: BudgetState, now: float, policy: PacingPolicy) -> float:
    """Messages a second that got through lately: a sliding window over the two counted ones.

    With no earlier window (a first burst) it never measures over less than a quarter of a window:
    a platform's burst allowance makes a few milliseconds look far faster than the limit.
    """
    age = min(max(now - state.window_start, 0.0), policy.window_s)
    if state.previous_count:
        share = 1.0 - age / policy.window_s
        return (state.previous_count * share + state.window_count) / policy.window_s
    return state.window_count / max(age, policy.window_s / 4)


class SharedPacer:
    """One workspace's budget on one platform, as the threads of this process take from it."""

    def __init__(
        self,
        budgets: RateBudgets,
        platform: str,
        workspace: str,
        policy: PacingPolicy | None = None,
        *,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.budgets = budgets
        self.platform = platform
        self.workspace = workspace
        self.policy = policy or PacingPolicy()
        self._clock = clock
        self._sleep = sleep
        self._slots: deque[float] = deque()
        self._lock = threading.Lock()
        self._look_lock = threading.Lock()
        self._looks_begun = 0
        self._paused_until = 0.0
        self._last_look: tuple[int, float, BudgetState] | None = None
        self._accepted = 0  # posts that got through since this process last told the budget

    def accepted(self) -> None:
        """A post got through: counted in what the workspace accepted, with the next reservation."""
        with self._lock:
            self._accepted += 1

    def _take_accepted(self) -> int:
        accepted, self._accepted = self._accepted, 0
        return accepted

    @property
    def rate(self) -> float | None:
        """Messages a second the workspace is allowed now; ``None`` while unpaced."""
        state = self._database(lambda: self.budgets.read(self.platform, self.workspace))
        return state.rate if state.rate is not None else self.policy.ceiling

    def acquire(self) -> float:
        """Wait for this sender's slot, and for any pause to pass; returns the seconds waited.

        Slots are reserved a few at a time (``block_s`` of them at the current rate) and shared by
        this process's threads, so the locked write is a small part of each send; the look for a
        pause just before posting is a plain read, which never waits on a lock.
        """
        waited = 0.0
        while True:
            paused = self._paused_until - self._clock()
            if paused > 0:  # this process's own 429, before (or while) the database has it
                self._sleep(paused)
                waited += paused
                continue
            slot, pause = self._next_slot()
            now = self._clock()
            wait = (pause if slot is None else slot) - now
            if wait > 0:
                self._sleep(wait)
                waited += wait
            if slot is None:
                continue  # it was a pause: now ask for a slot
            state = self._fresh_look()
            if max(state.paused_until, self._paused_until) <= self._clock():
                return waited
            with self._lock:
                self._slots.clear()  # a 429 came in meanwhile: the slots reserved before it are void

    def _fresh_look(self) -> BudgetState:
        """A look recent enough to post on. A look is as old as the time since its read began:
        one that took long (a busy database, a starved process) would miss a pause another copy
        wrote meanwhile, so it is taken again, a few times at most."""
        for _ in range(STALE_LOOK_TRIES - 1):
            began_at, state = self._look()
            if self._clock() - began_at <= STALE_LOOK_S:
                return state
        return self._look()[1]

    def _look(self) -> tuple[float, BudgetState]:
        """The budget as a read begun after this call sees it: a sender's last look for a pause.

        The threads that wait for the same look share it: one that began after a thread asked
        saw whatever that thread's own read would have, so a copy's senders make one read where
        they would have queued eight, and each send spends its time on the platform instead.
        """
        asked = self._looks_begun
        with self._look_lock:
            last = self._last_look
            if last is not None and last[0] > asked:
                return last[1], last[2]
            self._looks_begun += 1
            began, began_at = self._looks_begun, self._clock()
            state = self._database(lambda: self.budgets.read(self.platform, self.workspace))
            self._last_look = (began, began_at, state)
            return began_at, state

    def _next_slot(self) -> tuple[float | None, float]:
        """(this sender's slot, or None and the end of the pause that stands)."""
        with self._lock:
            if self._slots:
                return self._slots.popleft(), 0.0
            slots, pause = self._database(
                lambda: self.budgets.change(self.platform, self.workspace, self._reserve)
            )
            if not slots:
                return None, pause
            self._slots.extend(slots[1:])
            return slots[0], 0.0

    def _reserve(self, state: BudgetState) -> tuple[list[float], float]:
        now = self._clock()
        rate = state.rate if state.rate is not None else self.policy.ceiling
        block_s = self.policy.block_s
        count = max(1, min(MAX_BLOCK, int(rate * block_s) if rate else UNPACED_BLOCK))
        if block_s <= 0:
            count = 1
        slots = []
        for _ in range(count):
            wait = granted(state, now, self.policy)
            if wait is None:
                break
            slots.append(now + wait)
        # Counted after the grants: the first thing granted() asks is whether the budget sat idle
        # long enough to be forgotten, which counting first would hide.
        count_accepted(state, now, self._take_accepted(), self.policy)  # under self._lock
        return slots, state.paused_until

    def rate_limited(self, retry_after: float) -> None:
        """The platform said 429 with this ``Retry-After``: every sender to the workspace waits.

        This process's senders stop at once; every copy's a round trip later (with the connection
        just cut, after a reconnect).
        """
        until = self._clock() + max(retry_after, 0.0)
        # Before anything that waits: this process's senders see it at their next look, and the
        # pause row (which no reservation locks) a round trip later in every copy. Only then the
        # reserved slots voided and the rate learnt, behind this process's and the row's locks.
        self._paused_until = max(self._paused_until, until)
        self._database(lambda: self.budgets.pause(self.platform, self.workspace, until))
        with self._lock:
            self._slots.clear()
            accepted = self._take_accepted()

        def learn(state: BudgetState) -> None:
            now = self._clock()
            count_accepted(state, now, accepted, self.policy)
            rate_limited(state, now, retry_after, self.policy)

        self._database(lambda: self.budgets.change(self.platform, self.workspace, learn))
        with self._look_lock:
            self._last_look = None  # a look from before the pause must let no one else through
        log.info(
            "%s workspace %s answered 429: every copy waits %.1f s",
            self.platform,
            self.workspace,
            retry_after,
        )

    def _database(self, call: Callable[[], T]) -> T:
        for wait in DATABASE_WAITS:
            try:
                return call()
            except Exception as exc:
                log.warning("rate budget not reachable (%s); trying again in %.2f s", exc, wait)
                self._sleep(wait)
        return call()


class SharedPacers:
    """A pacer per workspace of one platform, all on the same budgets."""

    def __init__(
        self,
        budgets: RateBudgets,
        platform: str,
        policy: PacingPolicy | None = None,
        *,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.budgets = budgets
        self.platform = platform
        self.policy = policy or PacingPolicy()
        self._clock = clock
        self._sleep = sleep
        self._pacers: dict[str, SharedPacer] = {}
        self._lock = threading.Lock()

    def for_workspace(self, workspace: str) -> SharedPacer:
        with self._lock:
            pacer = self._pacers.get(workspace)
            if pacer is None:
                pacer = SharedPacer(
                    self.budgets,
                    self.platform,
                    workspace,
                    self.policy,
                    clock=self._clock,
                    sleep=self._sleep,
                )
                self._pacers[workspace] = pacer
            return pacer
