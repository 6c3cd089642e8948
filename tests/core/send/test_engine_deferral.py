"""One recipient deferred (greylisting, a busy mailbox) waits alone; an account-level refusal
stops the send once and fails nobody; NetEase's daily quota pauses instead of failing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.send.clock import FakeClock
from app.core.send.events import Deferred, Failed, Paused, Sent, Stopped, Throttled
from tests.core.send.engine_support import Campaign, address, engine, of_type, run

GREYLISTED = "451 4.7.1 Greylisted, try again later"


async def test_a_greylisted_address_waits_alone_and_goes_on_its_second_try(
    tmp_path: Path, smtp_server
):
    campaign = Campaign(tmp_path, 8)
    grey = address(4)
    smtp_server.on("rcpt", GREYLISTED, address=grey, times=1)
    events: list = []
    clock = FakeClock()
    began = clock.now()
    finished = await run(engine(campaign, smtp_server, clock=clock, events=events))

    assert finished.counts["sent"] == 8 and finished.counts.get("failed", 0) == 0
    (deferred,) = of_type(events, Deferred)
    assert deferred.address == grey and deferred.row == 4
    assert (deferred.next_attempt_at - deferred.at).total_seconds() >= 60  # with its backoff
    assert not of_type(events, Paused) and not of_type(events, Throttled)  # nobody else waits
    sent = [e.address for e in of_type(events, Sent)]
    assert sent[-1] == grey  # the others went on before its next attempt
    others = [e for e in of_type(events, Sent) if e.address != grey]
    assert all(e.at == began for e in others)  # at once: no campaign-wide hold
    assert Counter(smtp_server.recipients()) == Counter(address(r) for r in campaign.rows)


@pytest.mark.parametrize("reply", [GREYLISTED, "450 4.2.0 Mailbox busy"])
async def test_a_recipient_deferred_past_its_retry_budget_fails_with_the_reason(
    tmp_path: Path, smtp_server, reply: str
):
    campaign = Campaign(tmp_path, 12)
    stuck = address(3)
    smtp_server.on("rcpt", reply, address=stuck)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events, max_attempts=3))

    assert finished.counts["sent"] == 11 and finished.counts["failed"] == 1
    deferred = of_type(events, Deferred)
    assert [d.attempt for d in deferred] == [1, 2]
    assert all(d.address == stuck for d in deferred)
    (failed,) = of_type(events, Failed)
    assert failed.address == stuck and "Gave up after 3 attempts" in failed.reason
    assert reply.split(" ", 1)[1] in failed.text
    assert not of_type(events, Paused)  # one slow address is no reason to pause the campaign


@pytest.mark.parametrize(
    ("stage", "reply"),
    [
        ("rcpt", "554 5.7.1 Access denied"),
        ("rcpt", "554 5.7.1 <reader2@example.org>: Relay access denied"),
        ("rcpt", "530 5.7.0 Authentication required"),
        ("mail", "530 5.7.0 Authentication required"),
        ("mail", "550 5.7.1 Access denied"),
    ],
)
@pytest.mark.parametrize("connections", [1, 3])
async def test_an_account_refusal_stops_once_and_every_row_stays_pending(
    tmp_path: Path, smtp_server, stage: str, reply: str, connections: int
):
    campaign = Campaign(tmp_path, 10)
    smtp_server.on(stage, reply)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events, connections=connections))

    (stopped,) = of_type(events, Stopped)
    assert stopped.reason.startswith(
        "The server refuses to relay for this account: sign in or check the account"
    )
    assert stopped.code == int(reply[:3])
    assert not of_type(events, Failed)
    assert finished.counts.get("failed", 0) == 0 and finished.counts["pending"] == 10
    assert finished.stopped == stopped.reason
    assert smtp_server.message_count == 0


@pytest.mark.parametrize(
    "reply", ["554 5.5.0 MI:STC 163 smtp3 daily quota", "550 RP:TRC 163 smtp3 recipients today"]
)
async def test_netease_daily_quota_pauses_until_it_reopens_and_fails_nobody(
    tmp_path: Path, smtp_server, reply: str
):
    campaign = Campaign(tmp_path, 6)
    stage = "mail" if "MI:" in reply else "rcpt"
    smtp_server.on(stage, reply, nth=4, times=1)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events))

    (paused,) = of_type(events, Paused)
    assert "quota" in paused.reason and paused.until is not None
    hours = (paused.until - paused.at).total_seconds() / 3600
    assert 23 <= hours <= 24  # the rolling day of this account's sends reopens
    assert not of_type(events, Failed)
    assert finished.counts["sent"] == 6 and finished.counts.get("failed", 0) == 0
    assert Counter(smtp_server.recipients()) == Counter(address(r) for r in campaign.rows)
