"""RateLimiter: every window, pacing accuracy, concurrency, spacing, bandwidth, clock jumps."""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import itertools
import random

import pytest

from app.core.send.clock import FakeClock, SystemClock
from app.core.send.history import SendHistory
from app.core.send.limiter import WINDOW_GUARD, Limits, RateError, RateLimiter, parse_rate


async def send_all(
    limiter: RateLimiter,
    clock: FakeClock | SystemClock,
    messages: int,
    *,
    workers: int = 1,
    recipients: int = 1,
    size: int = 0,
) -> list[float]:
    """Admission times of `messages` acquisitions made by `workers` concurrent tasks."""
    times: list[float] = []
    queue = list(range(messages))

    async def worker() -> None:
        while queue:
            queue.pop()
            await limiter.acquire(recipients, size)
            times.append(clock.monotonic())
            await asyncio.sleep(0)  # a real engine awaits the server here

    await asyncio.gather(*(worker() for _ in range(workers)))
    return sorted(times)


def max_in_window(times: list[float], length: float, per_event: int = 1) -> int:
    """Most events in any half-open window [t, t + length); a worst window starts at an event."""
    return max((bisect.bisect_left(times, t + length) - i) * per_event for i, t in enumerate(times))


def mean_rate(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0])


# -- parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "window", "count"),
    [
        ("10/s", "second", 10),
        ("600/min", "minute", 600),
        ("500/h", "hour", 500),
        ("2000/day", "day", 2000),
        (" 30 / mins ", "minute", 30),
        ("5/hours", "hour", 5),
        ("7/sec", "second", 7),
    ],
)
def test_parse_rate_reads_count_and_window(text: str, window: str, count: int) -> None:
    rate = parse_rate(text)
    assert (rate.window, rate.count) == (window, count)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("10", "e.g. 10/s"),
        ("ten/s", "e.g. 10/s"),
        ("10/week", "unknown period 'week'"),
        ("10/ms", "unknown period 'ms'"),
        ("0/min", "at least 1"),
        ("-5/s", "e.g. 10/s"),
    ],
)
def test_parse_rate_explains_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(RateError) as info:
        parse_rate(text)
    assert fragment in str(info.value)
    assert text in str(info.value)


def test_from_rates_sets_windows_and_keeps_the_stricter_duplicate() -> None:
    limits = Limits.from_rates(["10/s", "500/h", "8/s", "2000/day"], min_interval=0.5)
    assert limits == Limits(per_second=8, per_hour=500, per_day=2000, min_interval=0.5)


def test_limits_reject_nonsense_values() -> None:
    with pytest.raises(ValueError, match="per_minute"):
        Limits(per_minute=0)
    with pytest.raises(ValueError, match="negative"):
        Limits(min_interval=-1)
    with pytest.raises(ValueError, match="bandwidth"):
        Limits(bandwidth_kbps=0)


# -- accuracy ----------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 4])
async def test_ten_per_second_for_30_s_is_within_2_percent_and_never_overfills_a_second(
    workers: int,
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    times = await send_all(limiter, clock, 301, workers=workers)
    # full windows cost exactly the guard (10 ms per second): the mean stays within 2 %
    assert times[-1] - times[0] == pytest.approx(30.0 * (1 + WINDOW_GUARD), abs=0.01)
    assert mean_rate(times) == pytest.approx(10.0, rel=0.02)
    assert max_in_window(times, 1.0) <= 10


async def test_six_hundred_per_minute_holds_every_60_s_window_and_second_spacing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_minute=600), clock)
    times = await send_all(limiter, clock, 1500, workers=4)
    assert max_in_window(times, 60.0) <= 600
    assert max_in_window(times, 1.0) <= 11  # paced evenly, not 600 at once
    assert mean_rate(times) == pytest.approx(10.0, rel=0.02)


async def test_all_windows_hold_together_with_multi_recipient_messages() -> None:
    clock = FakeClock()
    limits = Limits(per_second=20, per_minute=300, per_hour=1000)
    limiter = RateLimiter(limits, clock)
    times = await send_all(limiter, clock, 400, workers=3, recipients=3)
    assert max_in_window(times, 1.0, per_event=3) <= 20
    assert max_in_window(times, 60.0, per_event=3) <= 300
    assert max_in_window(times, 3600.0, per_event=3) <= 1000
    # 1000 per hour = 333 messages of 3; the 334th waits for the first to leave the hour
    assert times[333] - times[0] >= 3600.0


async def test_hourly_cap_waits_and_on_wait_names_the_window_and_time() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_hour=50), clock)
    first = clock.monotonic()
    for _ in range(50):
        await limiter.acquire(1, 0)
    calls: list[tuple[float, str]] = []
    await limiter.acquire(1, 0, on_wait=lambda until, why: calls.append((until, why)))
    assert clock.monotonic() == pytest.approx(first + 3600.0 + WINDOW_GUARD)
    [(until, why)] = calls
    assert until == clock.monotonic()
    assert why.startswith("hourly limit of 50 reached; resuming at ")
    assert limiter.to_wall(until).astimezone().strftime("%H:%M:%S") in why


async def test_full_daily_cap_waits_instead_of_raising_and_reports_until_when() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=5, per_day=20), clock)
    first = clock.monotonic()
    await send_all(limiter, clock, 20)
    calls: list[tuple[float, str]] = []
    await limiter.acquire(1, 0, on_wait=lambda until, why: calls.append((until, why)))
    assert clock.monotonic() == pytest.approx(first + 86400.0)
    assert calls and calls[0][0] == pytest.approx(first + 86400.0)
    assert "daily limit of 20 reached" in calls[0][1]


async def test_message_larger_than_the_cap_goes_alone_once_the_window_is_empty() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    await limiter.acquire(3, 0)
    three_at = clock.monotonic()
    await asyncio.wait_for(limiter.acquire(12, 0), timeout=5)  # no deadlock
    assert clock.monotonic() >= three_at + 1.0
    big_at = clock.monotonic()
    await limiter.acquire(1, 0)
    assert clock.monotonic() >= big_at + 1.0  # nothing else shares its second
    assert limiter.sent_in_window("second") == 1


async def test_short_routine_pacing_waits_do_not_call_on_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_minute=30), clock)  # one every 2 s: routine, not news
    calls: list[str] = []
    for _ in range(10):
        await limiter.acquire(1, 0, on_wait=lambda _until, why: calls.append(why))
    assert calls == []
    assert clock.monotonic() > 1000.0 + 15


# -- spacing and bandwidth ---------------------------------------------------------------


async def test_min_interval_with_seeded_jitter_spaces_messages_reproducibly() -> None:
    async def gaps(seed: int) -> list[float]:
        clock = FakeClock()
        limits = Limits(min_interval=2.0, jitter=1.5)
        limiter = RateLimiter(limits, clock, rng=random.Random(seed))
        times = await send_all(limiter, clock, 30, workers=2)
        return [b - a for a, b in itertools.pairwise(times)]

    first, again, other = await gaps(7), await gaps(7), await gaps(8)
    assert all(2.0 <= gap <= 3.5 + 1e-9 for gap in first)
    assert first == again
    assert first != other
    assert max(first) - min(first) > 0.5  # the jitter really varies


async def test_bandwidth_cap_limits_bytes_per_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(bandwidth_kbps=100), clock)
    start = clock.monotonic()
    size = 50 * 1024
    times = await send_all(limiter, clock, 21, workers=2, size=size)
    # one second of burst is in the bucket at start; after it 100 KB/s exactly
    assert times[-1] - start == pytest.approx((21 * size - 100 * 1024) / (100 * 1024))
    big_start = clock.monotonic()
    await limiter.acquire(1, 400 * 1024)  # bigger than the bucket: still admitted
    await limiter.acquire(1, 1024)
    assert clock.monotonic() - big_start >= 3.0  # the debt of the big message is paid first


# -- clocks ------------------------------------------------------------------------------


@pytest.mark.parametrize("jump_hours", [-1, 1])
async def test_wall_clock_jump_mid_run_causes_no_burst(tmp_path, jump_hours: int) -> None:
    clock = FakeClock()
    history = SendHistory(tmp_path / "h.sqlite3")
    limiter = RateLimiter(Limits(per_second=10, per_hour=100), clock, history)
    first = clock.monotonic()
    times = await send_all(limiter, clock, 60)
    clock.set_wall(clock.now() + dt.timedelta(hours=jump_hours))
    times += await send_all(limiter, clock, 60)
    assert max_in_window(times, 1.0) <= 10
    assert max_in_window(times, 3600.0) <= 100
    assert times[100] >= first + 3600.0  # the hour did not reopen with the wall clock
    history.close()


async def test_real_clock_paces_ten_per_second_for_two_seconds() -> None:
    clock = SystemClock()
    limiter = RateLimiter(Limits(per_second=10), clock)
    times = await send_all(limiter, clock, 21, workers=2)
    assert times[-1] - times[0] == pytest.approx(2.0, rel=0.05)
    assert max_in_window(times, 1.0) <= 10
