"""The clocks the limiter runs on: FakeClock skips waiting but keeps the order of wake-ups."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from app.core.send.clock import FakeClock, SystemClock


async def test_fake_sleep_advances_time_without_waiting() -> None:
    clock = FakeClock(monotonic=50.0)
    wall = clock.now()
    loop = asyncio.get_running_loop()
    real_start = loop.time()
    await clock.sleep(3600)
    assert clock.monotonic() == 3650.0
    assert clock.now() == wall + dt.timedelta(hours=1)
    assert loop.time() - real_start < 1.0


async def test_concurrent_sleepers_wake_in_deadline_order_at_their_own_times() -> None:
    clock = FakeClock(monotonic=0.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, first: float, second: float) -> None:
        await clock.sleep(first)
        woke.append((name, clock.monotonic()))
        await clock.sleep(second)
        woke.append((name, clock.monotonic()))

    await asyncio.gather(sleeper("a", 5, 1), sleeper("b", 3, 10), sleeper("c", 4, 0.5))
    assert woke == [("b", 3), ("c", 4), ("c", 4.5), ("a", 5), ("a", 6), ("b", 13)]


async def test_cancelled_sleeper_does_not_stop_the_others() -> None:
    clock = FakeClock(monotonic=0.0)
    doomed = asyncio.ensure_future(clock.sleep(1))
    await asyncio.sleep(0)
    doomed.cancel()
    await clock.sleep(2)
    assert clock.monotonic() == 2


def test_set_wall_moves_only_the_wall_clock() -> None:
    clock = FakeClock(monotonic=10.0)
    clock.set_wall(clock.now() - dt.timedelta(hours=1))
    assert clock.monotonic() == 10.0
    with pytest.raises(ValueError, match="aware"):
        clock.set_wall(dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)


async def test_system_clock_gives_aware_utc_and_really_sleeps() -> None:
    clock = SystemClock()
    assert clock.now().tzinfo is dt.UTC
    start = clock.monotonic()
    await clock.sleep(0.05)
    assert clock.monotonic() - start >= 0.05
