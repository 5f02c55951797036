"""The adaptive pacer, driven by a clock the test controls (no real waiting)."""

from __future__ import annotations

import pytest

from adapters.pacing import AdaptivePacer, Pacers, PacingPolicy


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def pacer(time: FakeTime, **policy: float | None) -> AdaptivePacer:
    return AdaptivePacer(PacingPolicy(**policy), clock=time.clock, sleep=time.sleep)  # type: ignore[arg-type]


def send(p: AdaptivePacer, time: FakeTime, count: int, every: float) -> None:
    for _ in range(count):
        p.acquire()
        p.succeeded()
        time.now += every


def test_it_does_not_slow_anything_down_until_the_platform_says_too_fast() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 50, 0.001)
    assert p.rate is None
    assert time.slept == []


def test_a_429_sets_the_pace_a_little_under_what_got_through() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)  # 200 a second for half a second
    p.rate_limited()
    assert p.rate == pytest.approx(180, rel=0.02)


def test_callers_are_spaced_evenly_at_the_pace() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=100.0)
    for _ in range(3):
        p.acquire()  # three threads arriving at once
    assert time.slept == pytest.approx([0.01, 0.02])


def test_the_429s_of_requests_already_in_flight_cut_only_once() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=200.0)
    send(p, time, 200, 0.005)
    p.rate_limited()
    after_first = p.rate
    time.now += 0.05
    p.rate_limited()
    p.rate_limited()
    assert p.rate == after_first
    time.now += 1.0
    p.rate_limited()
    assert p.rate is not None and after_first is not None and p.rate < after_first


def test_the_pace_creeps_back_up_but_never_past_a_known_ceiling() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=200.0, growth_per_s=0.1)
    send(p, time, 150, 1 / 150)
    p.rate_limited()
    assert p.rate == pytest.approx(135, rel=0.02)
    send(p, time, 135, 1 / 135)  # one second at the new pace
    assert p.rate == pytest.approx(148.5, rel=0.02)
    send(p, time, 2000, 1 / 200)
    assert p.rate == 200.0


def test_it_never_stops_altogether() -> None:
    time = FakeTime()
    p = pacer(time, ceiling=50.0, floor=2.0)
    for _ in range(60):
        time.now += 1.5
        p.rate_limited()
    assert p.rate == 2.0


def test_a_process_that_got_almost_nothing_through_starts_slow_and_doubles() -> None:
    time = FakeTime()
    p = pacer(time, min_evidence=10)
    send(p, time, 5, 0.19)  # another process holds the limit: 5 got through in a second
    p.rate_limited()
    assert p.rate == pytest.approx(4.5, rel=0.06)  # 5 in 0.95 s, less a tenth
    send(p, time, 5, 1 / 4.5)  # a second at that pace
    assert p.rate is not None and 7.0 <= p.rate <= 9.0


def test_a_quiet_spell_does_not_inflate_the_rate() -> None:
    time = FakeTime()
    p = pacer(time)
    send(p, time, 100, 0.005)
    p.rate_limited()
    learnt = p.rate
    send(p, time, 40, 0.5)  # a reply every half second, far below the pace
    assert p.rate == learnt


def test_a_pace_is_forgotten_after_a_while_without_429s() -> None:
    time = FakeTime()
    p = pacer(time, forget_after_s=30.0)
    send(p, time, 100, 0.005)
    p.rate_limited()
    assert p.rate is not None
    time.now += 31
    p.acquire()
    assert p.rate is None


def test_each_key_has_its_own_pacer() -> None:
    pacers = Pacers(lambda: AdaptivePacer(PacingPolicy(ceiling=5.0)))
    assert pacers.for_key("xoxb-a") is pacers.for_key("xoxb-a")
    assert pacers.for_key("xoxb-a") is not pacers.for_key("xoxb-b")
