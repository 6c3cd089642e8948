"""Rate accuracy through the whole engine: real journal, real transport, real loopback server.

The limiter alone is measured in test_limiter.py; here the same promise is checked where it
matters, on the server's side: the order and (fake-clock) time at which messages arrive. The
server stamps each stored message with the test's FakeClock, so "30 s" of sending costs about a
second of real time. The clock lets the loop settle for many turns before it jumps, so a
loopback exchange in flight finishes before fake time moves (with a real clock it takes a
millisecond, not the 0.1 s jump to the next sleeper). The real clock is covered by
benchmarks/bench_throughput.py.
"""

from __future__ import annotations

import bisect
from collections import Counter
from pathlib import Path

import pytest

from app.core.send.clock import FakeClock
from app.core.send.limiter import Limits
from tests.core.send.engine_support import Campaign, address, engine, run

SETTLE = 400  # loop turns before fake time jumps: enough for a loopback MAIL..dot exchange


def max_in_window(times: list[float], length: float) -> int:
    """Most arrivals in any half-open window [t, t + length); a worst window starts at one."""
    return max(bisect.bisect_left(times, t + length) - i for i, t in enumerate(times))


@pytest.mark.parametrize("connections", [1, 4])
async def test_ten_per_second_for_30_s_arrive_within_2_percent_and_never_11_in_a_second(
    tmp_path: Path, smtp_server_factory, connections: int
):
    clock = FakeClock(settle_rounds=SETTLE)
    server = await smtp_server_factory(clock=clock.monotonic)
    campaign = Campaign(tmp_path, 301)  # 300 intervals of 0.1 s: a 30 s run
    finished = await run(
        engine(
            campaign, server, clock=clock, limits=Limits(per_second=10), connections=connections
        ),
        timeout=60,
    )
    assert finished.counts["sent"] == 301
    assert Counter(server.recipients()) == Counter(address(r) for r in campaign.rows)
    if connections > 1:
        assert len({m.connection for m in server.messages}) == connections
    times = server.received_at
    assert times == sorted(times)
    assert 29.5 <= times[-1] - times[0] <= 31.0
    mean = (len(times) - 1) / (times[-1] - times[0])
    assert mean == pytest.approx(10.0, rel=0.02)
    assert max_in_window(times, 1.0) <= 10


async def test_six_hundred_per_minute_over_four_connections_holds_every_minute(
    tmp_path: Path, smtp_server_factory
):
    clock = FakeClock(settle_rounds=SETTLE)
    server = await smtp_server_factory(clock=clock.monotonic)
    campaign = Campaign(tmp_path, 700)
    finished = await run(
        engine(campaign, server, clock=clock, limits=Limits(per_minute=600), connections=4),
        timeout=60,
    )
    assert finished.counts["sent"] == 700
    times = server.received_at
    assert max_in_window(times, 60.0) <= 600
    assert max_in_window(times, 1.0) <= 11  # spread over the minute, not 600 at once
    mean = (len(times) - 1) / (times[-1] - times[0])
    assert mean == pytest.approx(10.0, rel=0.02)
