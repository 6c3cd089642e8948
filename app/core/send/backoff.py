"""Server push-back: how long to wait (Backoff) and how fast to go on (RateLearner).

A server that refuses above a hidden rate (Postfix anvil's `450 4.7.1 Error: too much mail`,
Exim's `451 Sender rate exceeds 20 messages per 10s`, a `421 Try again later`) wants two
things: a pause that lets its window drain, and then a pace just under its limit. A fixed
minute and a halved rate (what Herald did before) cost 4-21x the ideal time. So:

- The wait starts at a couple of seconds and doubles only while the server keeps refusing
  with nothing accepted in between (capped, with jitter so parallel lanes do not return in
  step); any acceptance starts it afresh.
- The pace is measured, not guessed: when the server refuses after accepting a batch, the
  batch size over the time from its first acceptance until the server accepts again is what
  the server really lets through (that span covers the server's window draining). Herald
  paces at that, never above the pace that was just refused, and then probes upward slowly
  (a few per cent every ten acceptances), so it settles just under the limit and holds it.
"""

from __future__ import annotations

import random
from collections import deque


class Backoff:
    """Exponential backoff with jitter, capped: base, 2x base, 4x base ... up to `cap`."""

    def __init__(
        self,
        *,
        base: float = 2.0,
        factor: float = 2.0,
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
        spread = self._jitter * delay
        return max(0.0, delay + self._rng.uniform(-spread, spread))

    def reset(self) -> None:
        self.failures = 0


class RateLearner:
    """The server's sustainable rate, learned from what it accepted between push-backs.

    Rates are messages per second. `rate` is None until the server first pushes back: until
    then only the user's own limits pace the send.
    """

    def __init__(
        self,
        *,
        margin: float = 0.9,
        probe_every: int = 10,
        fast_probe: float = 1.1,
        slow_probe: float = 1.02,
        floor: float = 1 / 60,
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
        self._batch = 0  # accepted since the last push-back
        self._batch_first = 0.0  # when the first of them was accepted
        self._pending: tuple[int, float] | None = None  # batch to estimate from on resuming
        self._quiet = 0  # accepted since the rate last changed
        self._recent: deque[float] = deque(maxlen=probe_every)  # the last acceptances

    def accepted(self, now: float) -> None:
        """The server accepted one message at monotonic time `now`."""
        if self._pending is not None:
            count, first = self._pending
            self._pending = None
            span = now - first
            if span > 0:
                # The server let `count` through from `first` until now (its window drained
                # meanwhile): at least that is its rate. The refused pace bounds it from
                # above; when the two are close, just under the refused pace is the better
                # guess (the batch may have been sent slower while probing upward).
                estimate = count / span
                if self.ceiling is not None:
                    under = self._margin * self.ceiling
                    estimate = max(estimate, under) if self.ceiling <= 2 * estimate else estimate
                    estimate = min(estimate, under)
                self.rate = max(self._floor, estimate)
                self.measured = True
            self._quiet = 0
        if self._batch == 0:
            self._batch_first = now
        self._batch += 1
        self._recent.append(now)
        self._quiet += 1
        if self.rate is None:
            return
        near = self.ceiling is not None and self.rate >= 0.8 * self.ceiling
        # Far below the pace last refused, climb back quickly; near it, a couple of per cent.
        if self._quiet >= (self._probe_every if near else max(1, self._probe_every // 2)):
            self._quiet = 0
            self.rate *= self._slow if near else self._fast

    def pushback(self, now: float, pace: float | None) -> None:
        """The server refused at `now` while Herald paced at `pace` (None: unpaced)."""
        self.pushbacks += 1
        if self._batch == 0:
            return  # still refusing after the last push-back: its window has not drained
        recent = self._recent
        sent_at = (len(recent) - 1) / max(recent[-1] - recent[0], 1e-3) if len(recent) > 1 else 1e3
        used = min(pace, sent_at) if pace is not None else sent_at  # the pace really used
        self.ceiling = used
        self.rate = max(self._floor, self._margin * used)
        self._pending = (self._batch, self._batch_first)
        self._batch = 0
        self._quiet = 0
