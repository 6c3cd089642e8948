"""Rolling (sliding) windows and a byte bucket, on the monotonic clock.

A window counts recipients admitted in the half-open span (t - length - guard, t]: an event at
time e stops counting at e + length + guard. The small guard is there because whoever checks the
limit (a server, a benchmark) stamps each message a little after we admit it, by a varying few
milliseconds; without it the first and the eleventh message of a full 10/s window could land in
the same observed second. It costs guard/length of throughput while a window is full (1 % for
a 10 ms guard on a 1 s window) and nothing otherwise.
"""

from __future__ import annotations

from collections import deque


class RollingWindow:
    """Recipients admitted in the last `length` seconds, with an optional cap."""

    def __init__(self, name: str, length: float, cap: int | None, guard: float = 0.0) -> None:
        self.name = name
        self.length = length + guard  # the span an event keeps counting
        self.cap = cap
        self._events: deque[tuple[float, int]] = deque()
        self._total = 0

    def _expire(self, now: float) -> None:
        events = self._events
        while events and events[0][0] + self.length <= now:  # same sum as the admission time
            self._total -= events.popleft()[1]

    def add(self, when: float, count: int) -> None:
        # Events arrive in time order except persisted ones loaded at start, which come first.
        self._events.append((when, count))
        self._total += count

    def total(self, now: float) -> int:
        self._expire(now)
        return self._total

    def oldest(self, now: float) -> float | None:
        self._expire(now)
        return self._events[0][0] if self._events else None

    def earliest_admission(self, now: float, count: int) -> float:
        """The earliest time >= now at which `count` more fit under the cap.

        A request bigger than the cap itself can never fit; rather than deadlock it is admitted
        alone, once the window is completely empty.
        """
        if self.cap is None:
            return now
        self._expire(now)
        if self._total + count <= self.cap:
            return now
        if count > self.cap:  # alone, once empty
            return self._events[-1][0] + self.length if self._events else now
        # Walk from the oldest event until enough has expired to make room.
        excess = self._total + count - self.cap
        for when, n in self._events:
            excess -= n
            if excess <= 0:
                return when + self.length
        return now  # unreachable: the whole window expiring always makes room


class ByteBucket:
    """Token bucket in bytes: refills at `rate` bytes/s up to one second's worth.

    A message larger than the bucket is admitted when the bucket is full and drives it into
    debt, so the long-run byte rate still equals `rate`.
    """

    def __init__(self, rate: float, now: float) -> None:
        if rate <= 0:
            raise ValueError("bandwidth must be positive")
        self.rate = rate
        self.capacity = rate
        self._tokens = rate
        self._stamp = now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now

    def earliest_admission(self, now: float, size: int) -> float:
        self._refill(now)
        need = min(float(size), self.capacity)
        if self._tokens >= need:
            return now
        return now + (need - self._tokens) / self.rate

    def take(self, now: float, size: int) -> None:
        self._refill(now)
        self._tokens -= size
