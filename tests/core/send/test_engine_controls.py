"""Pause, resume, cancel, --limit, and the async event stream."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from app.core.send.events import Finished, Paused, Resumed, Sent, Started
from app.core.send.policy import EngineOptions
from tests.core.send.engine_support import Campaign, address, engine, of_type, run


async def test_cancel_finishes_the_message_in_flight_and_leaves_the_rest_resumable(
    tmp_path: Path, smtp_server
):
    campaign = Campaign(tmp_path, 10)
    events: list = []
    send = engine(campaign, smtp_server, events=events)
    send.subscribe(lambda e: send.cancel() if isinstance(e, Sent) and e.row == 4 else None)
    first = await run(send)
    assert first.cancelled and first.counts["sent"] == 3 and first.counts["pending"] == 7
    assert campaign.counts() == {"sent": 3, "pending": 7}

    second = await run(engine(campaign, smtp_server))
    assert second.counts["sent"] == 10 and second.sent_this_run == 7
    assert Counter(smtp_server.recipients()) == Counter(address(r) for r in campaign.rows)


async def test_pause_holds_new_messages_with_no_connection_until_resume(
    tmp_path: Path, smtp_server
):
    campaign = Campaign(tmp_path, 6)
    events: list = []
    send = engine(campaign, smtp_server, events=events)
    send.subscribe(lambda e: send.pause() if isinstance(e, Sent) and e.row == 3 else None)
    task = asyncio.create_task(run(send))
    while send.paused is None:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    assert smtp_server.message_count == 2
    assert smtp_server.current_connections == 0  # closed while paused
    send.resume()
    finished = await task
    assert finished.counts["sent"] == 6
    (paused,) = of_type(events, Paused)
    assert paused.by_user and paused.until is None
    assert of_type(events, Resumed)


async def test_limit_sends_only_that_many_and_keeps_the_rest_pending(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 8)
    finished = await run(engine(campaign, smtp_server, limit=3, connections=2))
    assert finished.counts["sent"] == 3 and finished.counts["pending"] == 5
    assert smtp_server.message_count == 3


async def test_event_stream_yields_started_to_finished(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 3)
    send = engine(campaign, smtp_server)
    stream = send.events()
    task = asyncio.create_task(run(send))
    kinds = [type(event) async for event in stream]
    await task
    assert kinds == [Started, Sent, Sent, Sent, Finished]


async def test_messages_are_rendered_on_demand_not_held(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 20)
    campaign.rendered = 0
    send = engine(campaign, smtp_server, connections=2)
    rendered_when_sent: list[int] = []
    send.subscribe(
        lambda e: rendered_when_sent.append(campaign.rendered) if isinstance(e, Sent) else None
    )
    await run(send)
    assert campaign.rendered == 20  # one render per send
    # nothing is built ahead: when the n-th message is sent, at most one more per connection
    assert all(seen <= n + 2 for n, seen in enumerate(rendered_when_sent, start=1))


def test_options_refuse_more_than_ten_connections():
    with pytest.raises(ValueError, match="connections"):
        EngineOptions(connections=11)


async def test_cancel_interrupts_a_long_wait_for_the_daily_window(tmp_path: Path, smtp_server):
    from app.core.send.events import Throttled
    from app.core.send.limiter import Limits

    campaign = Campaign(tmp_path, 4)
    send = engine(campaign, smtp_server, limits=Limits(per_day=2))
    send.subscribe(lambda e: send.cancel() if isinstance(e, Throttled) else None)
    finished = await run(send)
    assert finished.cancelled
    assert finished.counts["sent"] == 2 and finished.counts["pending"] == 2
    assert smtp_server.message_count == 2
