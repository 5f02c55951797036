"""Spacing calls to a chat platform so a fan-out runs just under a rate limit nobody publishes.

Slack keeps chat.postMessage's workspace-wide limit to itself: all an app learns is ``429`` with
``Retry-After: 1`` once it has gone over. Sending flat out and sleeping on every 429 wastes most of
the limit (each 429 parks a sending thread for a second or more while the others run into the same
wall), so a check-in fan-out to 10,000 teachers reached only 60-80% of what Slack would accept.

An ``AdaptivePacer`` does what TCP does with an unknown link: it sends unpaced (or at a configured
ceiling) until the first 429, then paces at 90% of what actually got through in the last second,
grows quickly from there (slow start) until the next 429, and afterwards grows by a fifth of
itself a second and is cut to 90% of what got through at each 429 (at most once a
second: the 429s of requests already in flight say nothing new). Several worker processes sharing
one workspace each run their own pacer and settle at a fair share of the limit without talking to
each other. The message that got the 429 still waits its ``Retry-After``. It only grows while it
is the bottleneck, and forgets what it learnt after half a minute without a 429.

Why not a library: token-bucket libraries (pyrate-limiter, limits) pace to a rate you already
know; the work here is learning the rate, which is twenty lines of arithmetic around a lock.

The clock and the sleep are injected, so tests drive the pacer without waiting.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class PacingPolicy:
    ceiling: float | None = None
    """Messages a second never to exceed (a known limit); ``None`` learns it from 429s alone."""
    growth_per_s: float = 0.2
    """How fast the rate creeps back up: this fraction of itself, each second, while busy (so
    a workspace allowed 3 a second and one allowed 300 both recover in about a second)."""
    decrease: float = 0.9
    """What a 429 multiplies the rate by."""
    floor: float = 1.0
    """The slowest it will ever go, messages a second."""
    window_s: float = 1.0
    """How far back "what got through" looks, and how long 429s are ignored after a cut."""
    min_evidence: int = 10
    """Successes within the window that make a 429's estimate trustworthy. With fewer (a second
    process starting while the first already fills the limit), the pace starts from what little
    got through and doubles roughly every second until the next 429: TCP's slow start."""
    forget_after_s: float = 30.0
    """Without a 429 for this long, go back to unpaced (or the ceiling): a pace learnt during
    one burst should not slow the next one."""


class AdaptivePacer:
    """One rate-limited API (one method in one workspace), shared by every thread that calls it."""

    def __init__(
        self,
        policy: PacingPolicy | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.policy = policy or PacingPolicy()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._rate: float | None = self.policy.ceiling
        self._next_slot = 0.0
        self._last_cut: float | None = None
        self._started: float | None = None
        self._recent: deque[float] = deque()
        self._busy = False
        self._slow_start = False

    @property
    def rate(self) -> float | None:
        """Messages a second it currently allows; ``None`` while it has not been limited yet."""
        return self._rate

    def acquire(self) -> float:
        """Wait for this caller's turn; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            if self._started is None:
                self._started = now
            self._maybe_forget(now)
            if self._rate is None:
                return 0.0
            # Busy: callers arrive at least as fast as the pace, so the pace is what limits them.
            self._busy = self._next_slot + 1.0 / self._rate >= now
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self._rate
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return max(wait, 0.0)

    def succeeded(self) -> None:
        """A call got through: remember it, and let the rate grow a little if it is the limit.

        Growing only while busy keeps a quiet afternoon of replies from inflating the rate far
        past anything Slack has accepted, which would make the next fan-out start too fast.
        """
        with self._lock:
            now = self._clock()
            self._recent.append(now)
            self._trim(now)
            if self._rate is not None and self._busy:
                # r calls a second each adding `step`: the rate grows by r * step a second.
                step = 0.7 if self._slow_start else self.policy.growth_per_s
                grown = self._rate + step
                self._rate = min(grown, self.policy.ceiling) if self.policy.ceiling else grown

    def rate_limited(self) -> None:
        """The platform said 429: slow down to a little under what it has been accepting."""
        with self._lock:
            now = self._clock()
            policy = self.policy
            if self._last_cut is not None and now - self._last_cut < policy.window_s:
                return  # in-flight requests answered 429 to the same overshoot: one cut is enough
            self._trim(now)
            self._last_cut = now
            # A first 429 may come a few milliseconds in, when the platform's burst allowance
            # makes the rate look far higher than it is: never measure over less than a quarter
            # of the window.
            elapsed = min(policy.window_s, now - (self._started or now))
            accepted = len(self._recent) / max(elapsed, policy.window_s / 4)
            if self._rate is None:
                self._rate = max(policy.floor, accepted * policy.decrease)
                self._slow_start = True  # a first estimate is a floor: probe upwards quickly
                return
            # What got through, not the pace: threads waiting out a 429 send nothing, so the pace
            # can sit far above what the platform is actually taking from this process.
            previous = self._rate
            self._rate = max(policy.floor, min(previous, accepted) * policy.decrease)
            # Hardly anything got through (another process holds the limit, or our own threads
            # were waiting out 429s): the limit is likely well above this, so probe quickly.
            self._slow_start = len(self._recent) < policy.min_evidence or accepted < previous / 2

    def _maybe_forget(self, now: float) -> None:
        if self._last_cut is None or now - self._last_cut < self.policy.forget_after_s:
            return
        self._rate = self.policy.ceiling
        self._last_cut = None
        self._slow_start = False

    def _trim(self, now: float) -> None:
        horizon = now - self.policy.window_s
        while self._recent and self._recent[0] < horizon:
            self._recent.popleft()


class Pacers:
    """A pacer per key (a bot token, say), made by ``make`` on first use."""

    def __init__(self, make: Callable[[], AdaptivePacer] = AdaptivePacer) -> None:
        self._make = make
        self._pacers: dict[str, AdaptivePacer] = {}
        self._lock = threading.Lock()

    def for_key(self, key: str) -> AdaptivePacer:
        with self._lock:
            pacer = self._pacers.get(key)
            if pacer is None:
                pacer = self._make()
                self._pacers[key] = pacer
            return pacer
