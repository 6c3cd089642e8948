"""The rate learner against simulated servers: any window length, a few push-backs, then it holds.

No network here: a sliding-window server in a few lines (what Postfix anvil and Exim's
ratelimit do), the real RateLimiter on the injected clock, and a seeded jitter, so each case is
exact and quick. The engine-level version with the real fault server is test_engine_throttle.
"""

from __future__ import annotations

import random
from collections import deque

import pytest

from app.core.send.clock import FakeClock
from app.core.send.contracts import Action, Scope, Verdict
from app.core.send.limiter import Limits, RateLimiter

PUSHBACK = Verdict(Action.THROTTLE, Scope.ACCOUNT, "450 4.7.1 Error: too much mail")
SEND_TIME = 0.005  # seconds one message takes on the wire


class SlidingWindowServer:
    def __init__(self, cap: int, window: float) -> None:
        self.cap, self.window = cap, window
        self.accepted: deque[float] = deque()
        self.times: list[float] = []

    def offer(self, now: float) -> bool:
        while self.accepted and self.accepted[0] <= now - self.window:
            self.accepted.popleft()
        if len(self.accepted) >= self.cap:
            return False
        self.accepted.append(now)
        self.times.append(now)
        return True


class FixedWindowServer(SlidingWindowServer):
    """Postfix anvil's way: a count that starts afresh one window after its first event."""

    def __init__(self, cap: int, window: float) -> None:
        super().__init__(cap, window)
        self.started = -1e9
        self.count = 0

    def offer(self, now: float) -> bool:
        if now - self.started >= self.window:
            self.started, self.count = now, 0
        if self.count >= self.cap:
            return False
        self.count += 1
        self.times.append(now)
        return True


async def send_all(server: SlidingWindowServer, messages: int, seed: int) -> tuple[float, list]:
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock, rng=random.Random(seed))
    began = clock.monotonic()
    refusals: list[int] = []  # how many were delivered when each refusal came
    delivered = 0
    while delivered < messages:
        await limiter.acquire(1, 0)
        clock.advance(SEND_TIME)
        if server.offer(clock.monotonic()):
            delivered += 1
            limiter.on_success()
        else:
            refusals.append(delivered)
            limiter.on_pushback(PUSHBACK)
    return clock.monotonic() - began, refusals


@pytest.mark.parametrize(
    ("cap", "window"), [(10, 1.0), (20, 1.0), (20, 10.0), (100, 60.0), (3, 1.0), (12, 6.0)]
)
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", [SlidingWindowServer, FixedWindowServer])
async def test_settles_just_under_any_hidden_rate_within_a_few_pushbacks(
    cap: int, window: float, seed: int, kind: type[SlidingWindowServer]
):
    server = kind(cap, window)
    messages = 400
    took, refusals = await send_all(server, messages, seed)

    rate = cap / window
    assert took <= 1.3 * messages / rate
    assert len(refusals) * 100 / messages <= 5
    # it holds: the second half runs just under the limit, with at most a refusal or two
    half = server.times[messages // 2 :]
    held = (len(half) - 1) / (half[-1] - half[0])
    assert 0.8 * rate <= held <= rate * 1.02
    assert sum(1 for d in refusals if d >= messages // 2) <= 5  # 2.5 per 100
