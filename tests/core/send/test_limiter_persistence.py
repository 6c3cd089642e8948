"""RateLimiter with a SendHistory: caps continue across a restart, on the same file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.send.clock import FakeClock
from app.core.send.history import SendHistory
from app.core.send.limiter import WINDOW_GUARD, Limits, RateLimiter


async def test_daily_cap_continues_after_a_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    first_wall, first_mono = clock.now(), clock.monotonic()
    with SendHistory.for_account("Sender@Example.com", "smtp.example.com", tmp_path) as history:
        limiter = RateLimiter(Limits(per_second=50, per_day=500), clock, history)
        for _ in range(400):
            await limiter.acquire(1, 0)
    clock.advance(2 * 3600)  # quit, come back two hours later

    with SendHistory.for_account("sender@example.com", "SMTP.example.com", tmp_path) as history:
        limiter = RateLimiter(Limits(per_second=50, per_day=500), clock, history)
        assert limiter.sent_in_window("day") == 400
        calls: list[tuple[float, str]] = []
        start = clock.monotonic()
        admitted_before_wait = 0
        while not calls:
            await limiter.acquire(1, 0, on_wait=lambda u, why: calls.append((u, why)))
            if not calls:
                admitted_before_wait += 1
        assert admitted_before_wait == 100
        until, why = calls[0]
        reopens = first_wall + dt.timedelta(hours=24, seconds=WINDOW_GUARD)
        assert limiter.to_wall(until) == reopens
        assert "daily limit of 500 reached" in why
        assert reopens.astimezone().strftime("%Y-%m-%d %H:%M:%S") in why
        assert clock.monotonic() == pytest.approx(first_mono + 24 * 3600 + WINDOW_GUARD)
        assert clock.monotonic() - start > 21 * 3600
        assert history.count_since(clock.now() - dt.timedelta(hours=24)) <= 500


async def test_sends_older_than_a_day_do_not_count_after_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "acct.sqlite3"
    with SendHistory(path) as history:
        history.record(300, clock.now() - dt.timedelta(hours=25))
        history.record(40, clock.now() - dt.timedelta(minutes=30))
        limiter = RateLimiter(Limits(per_hour=50), clock, history)
        assert limiter.sent_in_window("day") == 40
        assert limiter.sent_in_window("hour") == 40
        calls: list[str] = []
        for _ in range(11):
            await limiter.acquire(1, 0, on_wait=lambda _u, why: calls.append(why))
        # ten fit; the eleventh waits for the 40 sent 30 minutes ago to leave the hour
        assert clock.monotonic() == pytest.approx(1000.0 + 30 * 60 + WINDOW_GUARD)
        assert calls and "hourly limit of 50" in calls[0]


async def test_persisted_sends_in_the_future_count_as_just_sent(tmp_path: Path) -> None:
    # The wall clock went back since the last run: those sends must not be forgotten.
    clock = FakeClock()
    with SendHistory(tmp_path / "acct.sqlite3") as history:
        history.record(10, clock.now() + dt.timedelta(hours=3))
        limiter = RateLimiter(Limits(per_hour=10), clock, history)
        assert limiter.sent_in_window("hour") == 10
        await limiter.acquire(1, 0)
        assert clock.monotonic() == pytest.approx(1000.0 + 3600 + WINDOW_GUARD)


async def test_each_admission_is_recorded_in_the_history(tmp_path: Path) -> None:
    clock = FakeClock()
    with SendHistory(tmp_path / "acct.sqlite3") as history:
        limiter = RateLimiter(Limits(), clock, history)
        await limiter.acquire(3, 100)
        await limiter.acquire(2, 100)
        since = clock.now() - dt.timedelta(seconds=1)
        assert history.count_since(since) == 5
