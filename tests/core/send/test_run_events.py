"""The journal's events table records the run's turning points, not only "started"."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.journal import EventKind
from app.core.send.clock import FakeClock
from app.core.send.events import Sent, Throttled
from app.core.send.limiter import Limits
from tests.core.send.engine_support import Campaign, engine, run


def kinds(campaign: Campaign) -> list[str]:
    return [str(e.kind) for e in campaign.journal.events()]


async def test_pause_resume_wait_cancel_and_a_resumed_finish_are_all_journalled(
    tmp_path: Path, smtp_server
):
    campaign = Campaign(tmp_path, 8)
    clock = FakeClock()
    # three an hour at up to one a second: the fourth waits the best part of an hour, a wait
    # the limiter announces (routine pacing is not)
    limits = Limits(per_second=1, per_hour=3)
    send = engine(campaign, smtp_server, clock=clock, limits=limits)

    def steer(event: object) -> None:
        if isinstance(event, Sent) and event.row == 2:
            send.pause()
        if isinstance(event, Throttled):
            send.cancel()

    send.subscribe(steer)
    task = asyncio.create_task(run(send))
    while send.paused is None:
        await asyncio.sleep(0.01)
    send.resume()
    first = await task
    assert first.cancelled
    assert kinds(campaign) == ["started", "paused", "resumed", "throttled", "cancelled"]
    assert "limit of 3 reached" in campaign.journal.events()[3].detail  # the wait says why

    second = await run(engine(campaign, smtp_server))
    assert second.counts["sent"] == 8
    events = campaign.journal.events()
    assert [str(e.kind) for e in events[-2:]] == ["started", "finished"]
    assert events[-2].detail.startswith("resumed: ")
    assert "sent 8" in events[-1].detail and events[-1].kind == EventKind.FINISHED
