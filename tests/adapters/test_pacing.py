"""The shared rate budget, driven by a clock the test controls (no real waiting): its arithmetic on
an in-process store, and two copies (two engines) sharing one workspace's budget in the database."""

from __future__ import annotations

import itertools

import pytest

from adapters.pacing import MemoryRateBudgets, PacingPolicy, RateBudgets, SharedPacer, SharedPacers


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Sleeping moves the clock on, as it would."""
        self.slept.append(seconds)
        self.now += seconds


def pacer(
    time: FakeTime, budgets: RateBudgets | None = None, workspace: str = "T1", **policy: float
) -> SharedPacer:
    return SharedPacer(
        budgets or MemoryRateBudgets(),
        "slack",
        workspace,
        PacingPolicy(**{"block_s": 0.0, **policy}),  # type: ignore[arg-type]
        clock=time.clock,
        sleep=time.sleep,
    )


def send(p: SharedPacer, time: FakeTime, count: int, every: float) -> None:
    for _ in range(count):
        p.acquire()
        p.accepted()
        time.now += every


def test_it_does_not_slow_anything_down_until_the_platform_says_too_fast() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 50, 0.001)
    assert p.rate is None
    assert time.slept == []


def test_a_429_pauses_the_workspace_for_its_retry_after() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)
    p.rate_limited(2.0)
    started = time.now
    p.acquire()
    assert time.now - started >= 2.0  # nothing leaves before the Retry-After has passed


def test_a_429_sets_the_pace_a_little_under_what_got_through() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)  # 200 a second for half a second
    p.rate_limited(0.0)
    assert p.rate == pytest.approx(190, rel=0.03)


def test_callers_are_spaced_evenly_at_the_pace() -> None:
    time = FakeTime()
    budgets = MemoryRateBudgets()
    first, second = pacer(time, budgets, ceiling=100.0), pacer(time, budgets, ceiling=100.0)
    starts = []
    for p in (first, second, first, second):
        p.acquire()
        starts.append(time.now)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == pytest.approx([0.01, 0.01, 0.01])


def test_the_429s_of_requests_already_in_flight_cut_only_once() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=200.0)
    send(p, time, 200, 0.005)
    p.rate_limited(0.0)
    after_first = p.rate
    time.now += 0.05
    p.rate_limited(0.0)
    p.rate_limited(0.0)
    assert p.rate == after_first
    time.now += 1.0
    send(p, time, 50, 0.02)  # a second at 50 a second
    p.rate_limited(0.0)
    assert p.rate is not None and after_first is not None and p.rate < after_first


def test_the_pace_creeps_back_up_but_never_past_a_known_ceiling() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=200.0, growth_per_s=0.1)
    send(p, time, 150, 1 / 150)
    p.rate_limited(0.0)
    assert p.rate == pytest.approx(142.5, rel=0.03)
    send(p, time, 400, 0.0)  # senders queue for slots: the pace is the limit, so it grows
    assert p.rate is not None and p.rate > 150
    send(p, time, 4000, 0.0)
    assert p.rate == 200.0


def test_it_never_stops_altogether() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=50.0, floor=2.0)
    for _ in range(60):
        time.now += 1.5
        p.rate_limited(0.0)
    assert p.rate == 2.0


def test_a_quiet_spell_does_not_inflate_the_rate() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)
    p.rate_limited(0.0)
    learnt = p.rate
    send(p, time, 40, 0.5)  # a reply every half second, far below the pace
    assert learnt is not None and p.rate == pytest.approx(learnt, abs=1.0)


def test_a_pace_is_forgotten_after_a_long_idle_spell() -> None:
    time = FakeTime()
    p = pacer(time, forget_after_s=600.0)
    send(p, time, 100, 0.005)
    p.rate_limited(0.0)
    assert p.rate is not None
    time.now += 601
    p.acquire()
    assert p.rate is None


def test_each_workspace_has_its_own_budget() -> None:
    time = FakeTime()
    pacers = SharedPacers(MemoryRateBudgets(), "slack", clock=time.clock, sleep=time.sleep)
    assert pacers.for_workspace("T1") is pacers.for_workspace("T1")
    pacers.for_workspace("T1").rate_limited(30.0)
    started = time.now
    pacers.for_workspace("T2").acquire()
    assert time.now == started  # another workspace's pause is not ours


def test_two_copies_on_one_database_share_one_workspace_budget(database_url: str) -> None:
    """Two engines (as two copies of the server would hold) on one database: one budget."""
    from storage.db import make_engine
    from storage.repositories.rate_budgets import SqlRateBudgets

    engines = [make_engine(database_url), make_engine(database_url)]
    try:
        time = FakeTime()
        one, two = (pacer(time, SqlRateBudgets(e), workspace="TSHARED") for e in engines)
        send(one, time, 100, 0.005)  # copy one gets 200 a second through for half a second
        one.rate_limited(1.5)  # ... then Slack says 429, Retry-After 1.5
        assert two.rate == pytest.approx(190, rel=0.03)  # copy two knows the learnt rate
        started = time.now
        two.acquire()
        assert time.now - started >= 1.5  # and waits out the pause copy one was given
        # From then on the two copies' sends are spaced as one: 1 / rate apart, whoever sends.
        starts = []
        for p in (one, two, one, two, one):
            p.acquire()
            starts.append(time.now)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= 1 / 200
        assert sum(gaps) / len(gaps) == pytest.approx(1 / 190, rel=0.05)
    finally:
        for e in engines:
            e.dispose()


def test_the_pace_is_learnt_from_what_got_through_not_from_the_slots_given() -> None:
    """Senders that fall behind their slots (a slow process) must not make the limit look low:
    only the posts the platform accepted count."""
    time = FakeTime()
    p = pacer(time)
    for i in range(200):  # 400 slots a second asked for; the platform took every other one
        p.acquire()
        if i % 2:
            p.accepted()
        time.now += 0.0025
    p.rate_limited(0.0)
    assert p.rate == pytest.approx(190, rel=0.03)


def test_after_a_probe_the_pace_climbs_back_quickly_and_once_steady_it_creeps() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)
    p.rate_limited(0.0)  # a first estimate: probe upwards
    time.now += 1.0
    send(p, time, 200, 1 / 200)
    p.rate_limited(0.0)  # the 429 that ends the probe
    after_probe = p.rate
    time.now += 1.0
    send(p, time, 2000, 0.0)  # senders queue for slots
    climbed = p.rate
    assert after_probe is not None and climbed is not None
    assert climbed > after_probe * 1.05  # within seconds of queued senders
    time.now += 1.0
    send(p, time, 200, 1 / 200)
    p.rate_limited(0.0)  # a 429 at a steady pace: the limit is known
    settled = p.rate
    send(p, time, 2000, 0.0)
    assert settled is not None and p.rate is not None
    assert settled < p.rate < settled * 1.01


class SlowFirstLook(MemoryRateBudgets):
    """A database whose first read takes a long time, during which another copy pauses."""

    def __init__(self, time: FakeTime) -> None:
        super().__init__()
        self.time = time
        self.reads = 0

    def read(self, platform: str, workspace: str) -> object:  # type: ignore[override]
        state = super().read(platform, workspace)
        self.reads += 1
        if self.reads == 1:
            self.time.now += 0.5  # the answer comes back half a second after it was read...
            super().pause(platform, workspace, self.time.now + 2.0)  # ... while 429s came in
        return state


def test_a_look_that_took_long_is_taken_again_before_a_post_goes_on_it() -> None:
    time = FakeTime()
    budgets = SlowFirstLook(time)
    p = pacer(time, budgets)  # type: ignore[arg-type]
    started = time.now
    p.acquire()
    assert budgets.reads >= 2
    assert time.now - started >= 2.0  # the pause the slow look missed was waited out


@pytest.mark.postgres
def test_a_pause_is_written_while_another_copy_holds_the_budget_locked(database_url: str) -> None:
    """A copy reserving slots holds the budget's row; a 429's pause must not queue behind it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: every write waits for it")
    import threading

    from sqlalchemy import text

    from storage.db import make_engine
    from storage.repositories.rate_budgets import SqlRateBudgets

    holder, other = make_engine(database_url), make_engine(database_url)
    try:
        budgets, theirs = SqlRateBudgets(other), SqlRateBudgets(holder)
        theirs.change("slack", "TLOCKED", lambda state: None)  # the budget's row exists
        with holder.connect() as conn:
            conn.execute(
                text("SELECT * FROM rate_budgets WHERE workspace = 'TLOCKED' FOR UPDATE")
            )  # a reservation in progress, in another copy
            done = threading.Event()
            writer = threading.Thread(
                target=lambda: (budgets.pause("slack", "TLOCKED", 1e10), done.set())
            )
            writer.start()
            assert done.wait(5.0), "the pause waited for the reservation's lock"
            assert budgets.read("slack", "TLOCKED").paused_until == 1e10
            conn.rollback()
        writer.join()
        # The pause is part of the budget every change then sees.
        assert theirs.change("slack", "TLOCKED", lambda state: state.paused_until) == 1e10
    finally:
        holder.dispose()
        other.dispose()


def test_a_429_after_the_probe_cuts_less_than_the_probe_s_own() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)
    p.rate_limited(0.0)  # the first estimate: probing
    time.now += 1.0
    send(p, time, 200, 1 / 200)
    p.rate_limited(0.0)  # ends the probe: a 5 % cut of what got through
    assert p.rate == pytest.approx(190, rel=0.03)
    time.now += 1.0
    send(p, time, 190, 1 / 190)  # a second at the climbing pace
    p.rate_limited(0.0)  # at a steady pace, just past what the platform takes
    assert p.rate == pytest.approx(190 * 0.965, rel=0.01)
