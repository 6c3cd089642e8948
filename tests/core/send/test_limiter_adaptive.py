"""RateLimiter push-back: halve on push-back, pause as told, recover slowly, quota reopening."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from app.core.send.clock import FakeClock
from app.core.send.contracts import Action, Scope, Verdict
from app.core.send.limiter import Limits, RateLimiter

THROTTLE = Verdict(Action.THROTTLE, Scope.ACCOUNT, "421 4.7.0 Try again later")


async def gaps_of(limiter: RateLimiter, clock: FakeClock, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await limiter.acquire(1, 0)
        times.append(clock.monotonic())
    return [b - a for a, b in itertools.pairwise(times)]


async def test_pushback_halves_the_effective_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    await gaps_of(limiter, clock, 5)
    limiter.on_pushback(THROTTLE)
    assert limiter.factor == 0.5
    assert limiter.current_rate == pytest.approx(5.0)
    gaps = await gaps_of(limiter, clock, 12)
    assert gaps[2:] == pytest.approx([0.2] * 9)


async def test_repeated_pushback_stops_at_the_floor() -> None:
    limiter = RateLimiter(Limits(per_second=16), FakeClock())
    for _ in range(10):
        limiter.on_pushback(THROTTLE)
    assert limiter.factor == pytest.approx(1 / 16)
    assert limiter.current_rate == pytest.approx(1.0)


async def test_pause_seconds_block_every_acquisition_until_then() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    await limiter.acquire(1, 0)
    told = Verdict(Action.THROTTLE, Scope.ACCOUNT, "451 DT:SPM retry later", pause_seconds=120)
    limiter.on_pushback(told)
    until = clock.monotonic() + 120
    assert limiter.paused_until == pytest.approx(until)
    calls: list[tuple[float, str]] = []

    async def worker() -> float:
        await limiter.acquire(1, 0, on_wait=lambda u, why: calls.append((u, why)))
        return clock.monotonic()

    admitted = await asyncio.gather(worker(), worker(), worker())
    assert min(admitted) >= until
    assert calls[0][0] == pytest.approx(until)
    assert "451 DT:SPM" in calls[0][1] and "resuming at" in calls[0][1]
    assert limiter.paused_until is None


async def test_quiet_successes_restore_the_factor_step_by_step_never_above_the_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    limiter.on_pushback(THROTTLE)
    limiter.on_pushback(THROTTLE)
    assert limiter.factor == 0.25
    for _ in range(19):
        limiter.on_success()
    assert limiter.factor == 0.25  # one short of a quiet run
    limiter.on_success()
    assert limiter.factor == pytest.approx(0.3125)
    seen = []
    for _ in range(400):
        limiter.on_success()
        seen.append(limiter.factor)
    assert seen == sorted(seen)
    assert max(seen) == 1.0
    assert limiter.current_rate == pytest.approx(10.0)
    times = []
    for _ in range(50):
        await limiter.acquire(1, 0)
        times.append(clock.monotonic())
    assert (len(times) - 1) / (times[-1] - times[0]) <= 10.0 + 1e-9


async def test_success_during_a_run_resets_nothing_but_pushback_resets_the_quiet_run() -> None:
    limiter = RateLimiter(Limits(per_second=10), FakeClock())
    limiter.on_pushback(THROTTLE)
    for _ in range(15):
        limiter.on_success()
    limiter.on_pushback(THROTTLE)
    for _ in range(15):
        limiter.on_success()
    assert limiter.factor == 0.25


async def test_pushback_without_a_user_rate_paces_at_half_the_observed_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_day=1000), clock)
    assert limiter.current_rate is None
    for _ in range(30):  # 2 per second for 15 s, by the caller's own pace
        await limiter.acquire(1, 0)
        clock.advance(0.5)
    limiter.on_pushback(THROTTLE)
    assert limiter.current_rate == pytest.approx(1.0, rel=0.1)
    gaps = await gaps_of(limiter, clock, 6)
    assert min(gaps[1:]) == pytest.approx(1.0, rel=0.1)


async def test_quota_reopens_when_the_oldest_send_of_the_day_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    first = clock.monotonic()
    for _ in range(5):
        await limiter.acquire(1, 0)
    clock.advance(3600)
    quota = Verdict(Action.PAUSE_QUOTA, Scope.ACCOUNT, "550 5.4.5 Daily user sending limit")
    assert limiter.quota_reopens_at() == pytest.approx(first + 86400)
    limiter.on_pushback(quota)
    assert limiter.factor == 1.0  # a quota is not a rate problem
    assert limiter.paused_until == pytest.approx(first + 86400)
    await limiter.acquire(1, 0)
    assert clock.monotonic() == pytest.approx(first + 86400)


async def test_quota_pause_implied_by_the_reply_wins_over_history() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock)
    await limiter.acquire(1, 0)
    sfq = Verdict(Action.PAUSE_QUOTA, Scope.ACCOUNT, "451 MI:SFQ", pause_seconds=900)
    assert limiter.quota_reopens_at(sfq) == pytest.approx(clock.monotonic() + 900)
    assert RateLimiter(Limits(), clock).quota_reopens_at() == pytest.approx(
        clock.monotonic() + 86400
    )
