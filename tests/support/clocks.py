"""A clock for end-to-end tests of the real CLI: waits are skipped, and counted, not slept."""

from __future__ import annotations

import asyncio
import threading

from app.core.send.clock import SystemClock


class SkippingClock(SystemClock):
    """Monotonic time that moves only when something sleeps: `sleep(s)` returns at once,
    having moved the clock on by `s`. So how long a send *would* take is exact and
    independent of machine load, while sockets, files and the wall clock stay real.

    Read from other threads too (a threaded test server stamps arrivals with `monotonic`).
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += seconds
                self.sleeps.append(seconds)
        await asyncio.sleep(0)  # still let the other tasks run, as a real sleep would
