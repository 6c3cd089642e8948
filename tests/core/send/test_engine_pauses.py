"""The engine pauses, waits and stops when it should, and never fails rows for a quota."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from app.core.send.events import Paused, Resumed, Sent, Stopped, Throttled
from app.core.send.limiter import Limits
from app.core.send.transport import Security
from tests.core.send.engine_support import Campaign, address, connector, engine, of_type, run


async def test_daily_cap_reached_waits_for_the_window_instead_of_failing(
    tmp_path: Path, smtp_server
):
    campaign = Campaign(tmp_path, 5)
    events: list = []
    finished = await run(engine(campaign, smtp_server, limits=Limits(per_day=3), events=events))
    assert finished.counts["sent"] == 5 and finished.counts["failed"] == 0
    waits = [t for t in of_type(events, Throttled) if "daily" in t.reason]
    assert waits, "the wait for the daily window was not announced"
    assert (waits[0].until - waits[0].at).total_seconds() > 23 * 3600
    after_wait = [e.row for e in events[events.index(waits[0]) :] if isinstance(e, Sent)]
    assert after_wait == [5, 6]  # the first three went at once, the rest after the wait
    assert Counter(smtp_server.recipients()) == Counter(address(r) for r in campaign.rows)


async def test_quota_reply_pauses_the_campaign_with_no_connection_during_the_pause(
    tmp_path: Path, smtp_server
):
    smtp_server.on("mail", "550 5.4.5 Daily user sending limit exceeded.", nth=3, times=1)
    campaign = Campaign(tmp_path, 5)
    events: list = []
    connections_at: dict[str, int] = {}

    def watch(event) -> None:
        events.append(event)
        if isinstance(event, Paused | Resumed):
            connections_at[type(event).__name__] = smtp_server.connections
            assert smtp_server.current_connections <= 1

    send = engine(campaign, smtp_server)
    send.subscribe(watch)
    finished = await run(send)
    (paused,) = of_type(events, Paused)
    assert "daily sending limit" in paused.reason
    assert paused.until is not None and (paused.until - paused.at).total_seconds() >= 23 * 3600
    assert of_type(events, Resumed)
    assert connections_at["Paused"] == connections_at["Resumed"]  # none opened while paused
    assert finished.counts["sent"] == 5 and finished.counts["failed"] == 0
    assert Counter(smtp_server.recipients()) == Counter(address(r) for r in campaign.rows)


async def test_wrong_password_stops_the_send_after_exactly_one_login_attempt(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory(auth=("sender", "right"))
    campaign = Campaign(tmp_path, 6)
    events: list = []
    login = connector(server, username="sender", password="wrong")
    finished = await run(engine(campaign, server, connection=login, connections=3, events=events))
    assert len(server.auth_attempts) == 1
    (stopped,) = of_type(events, Stopped)
    assert stopped.code == 535
    assert "refused the login" in stopped.reason
    assert "password" in stopped.hint
    assert finished.stopped == stopped.reason
    assert finished.counts["pending"] == 6 and server.messages == []


async def test_missing_starttls_stops_with_no_auth_on_the_wire(tmp_path: Path, smtp_server_factory):
    server = await smtp_server_factory(auth=("sender", "right"))  # offers AUTH, not STARTTLS
    campaign = Campaign(tmp_path, 3)
    events: list = []
    login = connector(server, security=Security.STARTTLS, username="sender", password="right")
    finished = await run(engine(campaign, server, connection=login, connections=2, events=events))
    assert server.commands_named("AUTH") == []
    assert server.connections == 1
    (stopped,) = of_type(events, Stopped)
    assert "STARTTLS" in stopped.text and stopped.hint
    assert finished.counts["pending"] == 3


async def test_same_content_rejected_three_times_pauses_as_content_rejected(
    tmp_path: Path, smtp_server
):
    smtp_server.on("message", "554 DT:SPM 163 smtp10, content rejected as spam")
    campaign = Campaign(tmp_path, 8)
    events: list = []
    send = engine(campaign, smtp_server, events=events)
    send.subscribe(lambda e: send.cancel() if isinstance(e, Paused) else None)
    finished = await run(send)
    (paused,) = of_type(events, Paused)
    assert "content rejected" in paused.reason and paused.until is None
    assert finished.counts["failed"] == 3 and finished.counts["pending"] == 5
    assert finished.paused == paused.reason


async def test_ten_temporary_failures_in_a_row_pause_the_campaign(tmp_path: Path, smtp_server):
    smtp_server.on("message", "451 4.3.0 Local error in processing")
    campaign = Campaign(tmp_path, 14)
    events: list = []
    send = engine(campaign, smtp_server, events=events)
    send.subscribe(lambda e: send.cancel() if isinstance(e, Paused) else None)
    finished = await run(send)
    (paused,) = of_type(events, Paused)
    assert paused.reason.startswith("10 failures in a row")
    assert paused.code == 451
    assert finished.counts["deferred"] == 10 and finished.counts["sent"] == 0
    assert finished.counts["pending"] == 4


async def test_a_greeting_refused_again_and_again_backs_off_then_pauses_with_no_row_failed(
    tmp_path: Path, smtp_server
):
    """NetEase-style `421 HL:IFC` at every greeting: one connection per implied wait (5 min),
    never a reconnect storm; after ten in a row the campaign pauses, every row still pending."""
    smtp_server.on("greeting", "421 4.7.0 HL:IFC connection rate limited")
    campaign = Campaign(tmp_path, 5)
    events: list = []
    send = engine(campaign, smtp_server, events=events)
    at_pause: list[int] = []

    def stop_on_pause(event) -> None:
        if isinstance(event, Paused):
            at_pause.append(smtp_server.connections)
            send.cancel()  # what `herald send` does: nobody is there to press resume

    send.subscribe(stop_on_pause)
    finished = await run(send)
    (paused,) = of_type(events, Paused)
    assert "10 failures in a row" in paused.reason and "too fast" in paused.reason
    waits = of_type(events, Throttled)
    gaps = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(waits)]
    assert gaps and min(gaps) >= 300  # each reconnect waits as long as the reply implies
    assert at_pause == [10] and smtp_server.connections == 10  # none after the pause
    assert finished.counts["pending"] == 5 and finished.counts["failed"] == 0
    assert smtp_server.message_count == 0
