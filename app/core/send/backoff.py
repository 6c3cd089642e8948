"""Server push-back: how long to wait (Backoff) and how fast to go on (RateLearner).

A server that refuses above a hidden rate (Postfix anvil's `450 4.7.1 Error: too much mail`,
Exim's `451 Sender rate exceeds 20 messages per 10s`, a `421 Try again later`) wants two
things: a pause that lets its window drain, and then a pace just under its limit. A fixed
minute and a halved rate (what Herald did before) cost 4-21x the ideal time. So:

- The wait starts at a couple of seconds and grows by half only while the server keeps
  refusing with nothing accepted in between (capped, with jitter so parallel lanes do not
  return in step); any acceptance starts it afresh. Half, not double: the window draining is
  found with less overshoot (against Postfix's fixed 6 s window, 2 + 4 s with jitter often
  missed it by a little and then waited 8 s more; and the rate measured on resuming, a lower
  bound over that span, read too low by as much). After a push-back one message probes
  first; the other lanes follow its answer (RateLimiter, PROBE_HOLD).
- The pace is measured, not guessed: when the server accepts again after refusing, the
  messages it accepted before refusing, over the time from the first of them until now, are
  what it really lets through (that span covers its window draining); a refusal with nothing
  accepted before it bounds the rate from above. Herald paces at that, never above the pace
  that was just refused, and then probes upward (quickly far below the refused pace, a couple
  of per cent per ten messages near it), so it settles just under the limit and holds it.
"""

from __future__ import annotations

import random
from collections import deque


class Backoff:
    """Exponential backoff with jitter, capped: base, 1.5x base, 2.25x base ... up to `cap`."""

    def __init__(
        self,
        *,
        base: float = 2.0,
        factor: float = 1.5,
        cap: float = 120.0,
        jitter: float = 0.25,
        rng: random.Random | None = None,
    ) -> None:
        if not (base > 0 and factor >= 1 and cap >= base and 0 <= jitter < 1):
            raise ValueError("backoff settings out of range")
        self._base = base
        self._factor = factor
        self._cap = cap
        self._jitter = jitter
        self._rng = rng if rng is not None else random.Random()
        self.failures = 0  # push-backs in a row with nothing accepted in between
        self._start = base  # the first wait of the current run of push-backs

    def next_delay(self, first: float | None = None) -> float:
        """Seconds to wait after one more push-back. `first` (when shorter than the base)
        starts a new run of push-backs from there: once the server's rate is known, one or
        two of its intervals is enough for its window to free a place."""
        self.failures += 1
        if self.failures == 1:
            self._start = self._base if first is None else max(0.05, min(self._base, first))
        delay = min(self._cap, self._start * self._factor ** (self.failures - 1))
        # Jitter only shortens the wait (lanes and senders do not come back in step), so the
        # first push-back never costs more than `base`.
        return delay * (1.0 - self._rng.uniform(0.0, self._jitter))

    def reset(self) -> None:
        self.failures = 0


class RateLearner:
    """The server's sustainable rate, learned from what it accepted between push-backs.

    Rates are messages per second. `rate` is None until the server first pushes back: until
    then only the user's own limits pace the send.

    The estimate, when the server accepts again after refusing: for every tail of the batch
    it accepted before refusing (the last k messages, k >= `probe_every`), k divided by the
    time from the first of them until now. The server's window drained within that time, so
    each is a lower bound of its rate; the best of them is the estimate. A long tail measures
    a long window (Exim's 20 per 10 s) and a short tail a short one (10 per second), without
    knowing which the server uses. Never above `margin` times the pace that was refused.
    """

    def __init__(
        self,
        *,
        margin: float = 0.9,
        probe_every: int = 10,
        fast_probe: float = 1.15,
        slow_probe: float = 1.02,
        floor: float = 1 / 60,
        memory: int = 2000,
    ) -> None:
        if not (0 < margin < 1 and probe_every >= 1 and slow_probe >= 1 and fast_probe >= 1):
            raise ValueError("rate learner settings out of range")
        self._margin = margin
        self._probe_every = probe_every
        self._fast = fast_probe
        self._slow = slow_probe
        self._floor = floor
        self.rate: float | None = None
        self.ceiling: float | None = None  # the pace the server last refused
        self.pushbacks = 0
        self.measured = False  # `rate` comes from what the server accepted, not a guess
        self._batch: deque[float] = deque(maxlen=memory)  # acceptances since the last push-back
        self._pending: list[float] | None = None  # the batch to estimate from on resuming
        self._last: list[float] | None = None  # the batch before the last push-back
        self._quiet = 0  # accepted since the rate last changed
        self._still_refused: float | None = None  # a refusal with nothing accepted before it

    def accepted(self, now: float) -> None:
        """The server accepted one message at monotonic time `now`."""
        if self._pending is not None:
            self._estimate(self._pending, now)
            self._pending = None
            self._quiet = 0
        self._batch.append(now)
        self._quiet += 1
        if self.rate is None:
            return
        share = self.rate / self.ceiling if self.ceiling else 0.0
        # Far below the pace last refused (or only a burst was refused), climb quickly; closer,
        # by a tenth; near it, a couple of per cent, so a refusal comes rarely and overshoots
        # little.
        if share >= 0.8:
            step, every = self._slow, self._probe_every
        else:
            step = self._fast if share < 0.5 else min(self._fast, 1.1)
            every = max(1, self._probe_every // 2)
        if self._quiet >= every:
            self._quiet = 0
            self.rate *= step

    def _estimate(self, batch: list[float], now: float) -> None:
        n = len(batch)
        shortest = min(n, self._probe_every)

        def best_until(end: float) -> float:
            return max(k / max(end - batch[n - k], 1e-3) for k in range(shortest, n + 1))

        best = best_until(now)
        refused = self._still_refused
        self._still_refused = None
        if refused is not None and refused > batch[-1]:
            # The server still refused at `refused`, so its window had not drained by then:
            # measured up to that moment the same batch bounds its rate from above. Climbing
            # stops short of that bound (a long window would only refuse a whole window late).
            upper = best_until(refused)
            self.ceiling = upper if self.ceiling is None else min(self.ceiling, upper)
        if self.ceiling is not None:
            best = min(best, self._margin * self.ceiling)
        self.rate = max(self._floor, best)
        self.measured = True

    def pushback(self, now: float, pace: float | None) -> None:
        """The server refused at `now` while Herald paced at `pace` (None: unpaced)."""
        self.pushbacks += 1
        if not self._batch:
            self._still_refused = now  # its window has not drained yet
            return
        batch = list(self._batch)
        self._batch.clear()
        if len(batch) < self._probe_every and self._last is not None:
            # Refused again soon after resuming: the server's window had not emptied of the
            # faster sending before, so this says nothing new about the pace. One longer
            # batch measures the server's rate; a short one would read far too low.
            batch = self._last + batch
        else:
            recent = batch[-self._probe_every :]
            sent_at = (len(recent) - 1) / max(recent[-1] - recent[0], 1e-3)
            used = min(pace, sent_at) if pace is not None else sent_at  # the pace really used
            self.ceiling = used
            self.rate = max(self._floor, self._margin * used)
        self._pending = self._last = batch
        self._quiet = 0
