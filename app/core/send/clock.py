"""Clocks for the send engine: the real one, and a fake one that lets tests skip the waiting.

The limiter and the engine only ever ask a `Clock` (see contracts) for time and sleep through it,
so a test can run "30 seconds" of sending in a few milliseconds with `FakeClock`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import time

UTC = dt.UTC


class SystemClock:
    """The real clocks: `time.monotonic` for pacing, aware UTC `now` for things stored on disk."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """A manual clock whose `sleep` advances time instead of waiting.

    Semantics (the part tests rely on):

    - `monotonic()` and `now()` only move when a test calls `advance`/`set_wall`, or when
      sleepers are woken. `advance(s)` moves both clocks; `set_wall(t)` moves only the wall
      clock, to simulate the user (or NTP) changing the system time.
    - `await sleep(s)` registers a wake-up at `monotonic() + s` and suspends. A background
      driver lets every runnable task run first (it yields to the event loop `settle_rounds`
      times), then advances both clocks to the EARLIEST pending wake-up and wakes that sleeper
      (and any due at the same instant). So concurrent sleepers wake in deadline order, and a
      task that woke up and sleeps again for less than another sleeper's remaining time goes
      first, exactly as with real time, without any real waiting.
    - Tasks blocked on real I/O (sockets) do not hold fake time back: if nothing runnable is
      left within `settle_rounds` loop iterations, time jumps. Tests mixing a FakeClock with
      loopback servers should not assert on elapsed fake time across I/O.
    - `sleep(0)` (or negative) just yields once.
    """

    def __init__(
        self,
        *,
        monotonic: float = 1000.0,
        wall: dt.datetime | None = None,
        settle_rounds: int = 20,
    ) -> None:
        self._mono = monotonic
        self._wall = wall if wall is not None else dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        if self._wall.tzinfo is None:
            raise ValueError("FakeClock wall time must be timezone-aware")
        self._settle_rounds = settle_rounds
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> dt.datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Move both clocks forward (time passing normally)."""
        if seconds < 0:
            raise ValueError("time only moves forward; use set_wall to jump the wall clock")
        self._mono += seconds
        self._wall += dt.timedelta(seconds=seconds)

    def set_wall(self, when: dt.datetime) -> None:
        """Jump the wall clock only (a user or NTP changing the system time)."""
        if when.tzinfo is None:
            raise ValueError("wall time must be timezone-aware")
        self._wall = when

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (self._mono + seconds, next(self._seq), future))
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive())
        await future

    async def _drive(self) -> None:
        while self._sleepers:
            for _ in range(self._settle_rounds):
                await asyncio.sleep(0)  # let every runnable task reach its next await
            if not self._sleepers:
                break
            deadline = self._sleepers[0][0]
            if deadline > self._mono:
                self.advance(deadline - self._mono)
            while self._sleepers and self._sleepers[0][0] <= self._mono:
                _, _, future = heapq.heappop(self._sleepers)
                if not future.done():  # a cancelled sleeper is simply dropped
                    future.set_result(None)
