"""The engine against the fault server's copies of real servers' hidden limits
(tests/support/server_limits.py), on fake time: everyone delivered once, nobody failed.
The fake time taken against the ideal N / allowed rate is printed (issue 9's learning backoff
is what brings it down; these tests hold the part that must never break: no loss, no
duplicate, no failure for throttling)."""

from __future__ import annotations

from collections import Counter

from app.core.send.clock import FakeClock
from tests.core.send.engine_support import Campaign, address, engine, run
from tests.support.server_limits import (
    postfix_connection_count_limit,
    postfix_message_rate_limit,
)


def _delivered_once(campaign: Campaign, server) -> None:
    assert campaign.counts() == {"sent": len(campaign.rows)}
    assert Counter(server.recipients()) == Counter(address(r) for r in campaign.rows)


async def test_postfix_message_rate_limit_hidden_from_herald(tmp_path, smtp_server_factory):
    clock = FakeClock()
    server = await smtp_server_factory(clock=clock.monotonic)
    anvil = postfix_message_rate_limit(server, 20, per=10.0)
    campaign = Campaign(tmp_path, 60)
    began = clock.monotonic()
    await run(engine(campaign, server, clock=clock), timeout=60)
    _delivered_once(campaign, server)
    elapsed = clock.monotonic() - began
    print(f"\nPostfix 20/10 s, 60 messages: {elapsed:.0f} s fake time (ideal 20 s), "
          f"{anvil.refused} refusals")  # fmt: skip


async def test_postfix_connection_count_limit_below_the_connections(tmp_path, smtp_server_factory):
    clock = FakeClock()
    server = await smtp_server_factory(clock=clock.monotonic)
    postfix_connection_count_limit(server, 2)
    campaign = Campaign(tmp_path, 30)
    began = clock.monotonic()
    await run(engine(campaign, server, clock=clock, connections=4), timeout=60)
    _delivered_once(campaign, server)
    assert server.max_concurrent <= 4
    print(f"\nPostfix 2 connections, --connections 4, 30 messages: "
          f"{clock.monotonic() - began:.0f} s fake time")  # fmt: skip
