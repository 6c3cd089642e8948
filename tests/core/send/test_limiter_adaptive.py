"""RateLimiter push-back: short backoff, the learned rate, slow probing, pauses as told, quotas."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from app.core.send.clock import FakeClock
from app.core.send.contracts import Action, Scope, Verdict
from app.core.send.limiter import PROBE_HOLD, Limits, RateLimiter

THROTTLE = Verdict(Action.THROTTLE, Scope.ACCOUNT, "421 4.7.0 Try again later")


async def gaps_of(limiter: RateLimiter, clock: FakeClock, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await limiter.acquire(1, 0)
        times.append(clock.monotonic())
    return [b - a for a, b in itertools.pairwise(times)]


async def test_the_first_pushback_waits_seconds_and_grows_only_while_refusals_go_on() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock, rng=random.Random(7))
    await limiter.acquire(1, 0)
    limiter.on_success()
    waits = []
    for _ in range(8):
        until = limiter.on_pushback(THROTTLE)
        assert until is not None
        waits.append(until - clock.monotonic())
        clock.advance(waits[-1])
    assert 1.5 <= waits[0] <= 2.0  # seconds, not a minute
    assert all(b > a for a, b in itertools.pairwise(waits[:6]))  # 2, 3, 4.5 ... with jitter
    assert max(waits) <= 120  # capped
    limiter.on_success()  # the server accepted again: the next push-back starts short
    until = limiter.on_pushback(THROTTLE)
    assert until is not None and until - clock.monotonic() <= 2.0


async def test_the_rate_is_what_the_server_accepted_until_it_accepted_again() -> None:
    """A burst of 20 accepted, then refusals until the server's 10 s window drains: the
    learned pace is 20 per 10 s, whatever the burst's own speed was."""
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock)
    start = clock.monotonic()
    for _ in range(20):
        await limiter.acquire(1, 0)
        limiter.on_success()
    limiter.on_pushback(THROTTLE)
    clock.advance(10.0 - (clock.monotonic() - start))
    await limiter.acquire(1, 0)
    limiter.on_success()
    assert limiter.learned_rate == pytest.approx(2.0)
    assert limiter.current_rate == pytest.approx(2.0)
    gaps = await gaps_of(limiter, clock, 5)
    assert gaps[1:] == pytest.approx([0.5] * 3)


async def test_after_a_refusal_the_pace_stays_under_the_refused_pace() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    await gaps_of(limiter, clock, 30)
    for _ in range(30):
        limiter.on_success()
    limiter.on_pushback(THROTTLE)
    assert limiter.learned_rate is not None and limiter.learned_rate <= 9.0 + 1e-9
    assert limiter.current_rate == pytest.approx(limiter.learned_rate)
    assert limiter.factor == pytest.approx(limiter.learned_rate / 10)


async def test_quiet_successes_probe_upward_slowly_near_the_refused_pace() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    await gaps_of(limiter, clock, 10)
    for _ in range(10):
        limiter.on_success()
    limiter.on_pushback(THROTTLE)
    clock.advance(3.0)
    limiter.on_success()
    learned = limiter.learned_rate
    assert learned is not None
    rates = []
    for _ in range(100):
        clock.advance(1 / learned)
        limiter.on_success()
        rates.append(limiter.learned_rate)
    assert rates == sorted(rates)  # only upward while the server accepts
    steps = [b / a for a, b in itertools.pairwise([learned, *rates]) if b != a]
    assert 10 <= len(steps) <= 20  # one step per five acceptances far off, ten near
    refused_at = 10.0
    for before, step in zip([learned, *sorted(set(rates))], steps, strict=False):
        # quicker far below the pace that was refused, a couple of per cent near it
        share = before / refused_at
        assert step <= (1.02 if share >= 0.8 else 1.1 if share >= 0.5 else 1.25) + 1e-9
    assert limiter.current_rate is not None and limiter.current_rate <= 10.0


async def test_a_per_connection_limit_changes_neither_the_rate_nor_the_others_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    for _ in range(10):
        await limiter.acquire(1, 0)
        limiter.on_success()
    lane_only = Verdict(Action.THROTTLE, Scope.CONNECTION, "450 MI:DMC per connection")
    assert limiter.on_pushback(lane_only) is None
    assert limiter.learned_rate is None and limiter.current_rate == 10.0


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


async def pushed_back_at_ten_per_second(clock: FakeClock) -> RateLimiter:
    """20 accepted at the user's 10/s, then an account-wide push-back."""
    limiter = RateLimiter(Limits(per_second=10), clock, rng=random.Random(3))
    for _ in range(20):
        await limiter.acquire(1, 0)
        limiter.on_success()
    limiter.on_pushback(THROTTLE)
    return limiter


async def test_after_a_pushback_one_probe_goes_first_and_the_others_follow_its_answer() -> None:
    """Three lanes waiting out a push-back: when the wait ends one message probes the server;
    the others are admitted once it is answered, not beside it (a window that has not drained
    then refuses one message, not three)."""
    clock = FakeClock()
    limiter = await pushed_back_at_ten_per_second(clock)
    until = limiter.paused_until
    assert until is not None
    admitted: list[float] = []

    async def lane() -> None:
        await limiter.acquire(1, 0)
        admitted.append(clock.monotonic())

    lanes = [asyncio.ensure_future(lane()) for _ in range(3)]
    while not admitted:
        await clock.sleep(0.1)
    await clock.sleep(0.5)  # the probe's answer takes a while; nobody else goes meanwhile
    assert len(admitted) == 1 and admitted[0] >= until
    answered = clock.monotonic()
    limiter.on_success()
    await asyncio.gather(*lanes)
    assert len(admitted) == 3 and min(admitted[1:]) == pytest.approx(answered)


async def test_a_probe_whose_answer_never_comes_holds_the_others_two_seconds_at_most() -> None:
    clock = FakeClock()
    limiter = await pushed_back_at_ten_per_second(clock)
    until = limiter.paused_until
    assert until is not None
    admitted: list[float] = []

    async def lane() -> None:
        await limiter.acquire(1, 0)
        admitted.append(clock.monotonic())

    await asyncio.gather(lane(), lane())  # the probe's row went back unanswered (a lost line)
    assert admitted[0] == pytest.approx(until)
    assert admitted[1] == pytest.approx(until + PROBE_HOLD)


async def test_a_probe_given_back_unsent_lets_the_others_go_at_once() -> None:
    # e.g. its lane found every connection seat taken: no answer will come
    clock = FakeClock()
    limiter = await pushed_back_at_ten_per_second(clock)
    until = limiter.paused_until
    assert until is not None
    await limiter.acquire(1, 0)
    limiter.on_unsent()
    await limiter.acquire(1, 0)
    second = clock.monotonic()
    assert second < until + 0.2  # the pace's step, not the probe's hold
    # ... and that one is the probe now: a third waits for its answer
    await limiter.acquire(1, 0)
    assert clock.monotonic() == pytest.approx(second + PROBE_HOLD)


async def test_an_answer_arriving_during_the_wait_is_not_the_server_accepting_again() -> None:
    """Two lanes: one refused, the other's message (sent before) accepted a moment later.
    That acceptance neither measures a rate from milliseconds nor restarts the backoff."""
    clock = FakeClock()
    limiter = await pushed_back_at_ten_per_second(clock)
    first = limiter.paused_until
    assert first is not None
    first_wait = first - clock.monotonic()
    clock.advance(0.01)
    limiter.on_success()  # the other lane's message, in flight when the refusal came
    clock.advance(first - clock.monotonic())
    await limiter.acquire(1, 0)
    until = limiter.on_pushback(THROTTLE)  # still refused: the wait grows, not 0.05 s
    assert until is not None and until - clock.monotonic() > first_wait >= 1.5
