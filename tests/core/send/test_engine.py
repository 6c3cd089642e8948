"""The send engine against a real scriptable SMTP server on loopback: replies and faults.

Time is a FakeClock, so backoffs of minutes and quota pauses of a day cost no real waiting.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.core.send.events import Deferred, Failed, Sent, Started, Throttled, Unknown
from tests.core.send.engine_support import Campaign, address, engine, of_type, run
from tests.support.smtp_server import DROP


def _copies(server) -> Counter[str]:
    return Counter(server.recipients())


async def test_every_row_is_sent_once_over_one_reused_connection(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 12)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events))
    assert finished.counts["sent"] == 12
    assert finished.sent_this_run == 12
    assert _copies(smtp_server) == Counter(address(r) for r in campaign.rows)
    assert smtp_server.connections == 1
    assert isinstance(events[0], Started) and events[0].total == 12
    sent = of_type(events, Sent)
    assert [e.row for e in sent] == campaign.rows
    assert sent[0].address == address(2) and sent[0].code == 250


async def test_421_mid_run_reconnects_and_loses_nothing(tmp_path: Path, smtp_server):
    smtp_server.on("mail", "421 4.7.0 Try again later, closing connection", nth=5)
    campaign = Campaign(tmp_path, 10)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events))
    assert finished.counts["sent"] == 10
    assert _copies(smtp_server) == Counter(address(r) for r in campaign.rows)
    assert smtp_server.connections == 2
    throttled = of_type(events, Throttled)
    assert throttled and throttled[0].code == 421
    assert throttled[0].until > throttled[0].at


async def test_550_for_one_recipient_fails_that_row_only_and_never_retries(
    tmp_path: Path, smtp_server
):
    smtp_server.on("rcpt", "550 5.1.1 No such user here", address=address(4))
    campaign = Campaign(tmp_path, 6)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events))
    assert finished.counts["sent"] == 5 and finished.counts["failed"] == 1
    assert campaign.state(4) == "failed"
    assert campaign.journal.get(4).smtp_text == "5.1.1 No such user here"
    (failed,) = of_type(events, Failed)
    assert (failed.row, failed.address, failed.code) == (4, address(4), 550)
    assert "No such user" in failed.text
    assert smtp_server.commands_named("RCPT").count(f"RCPT TO:<{address(4)}>") == 1
    assert address(4) not in smtp_server.recipients()


async def test_450_once_defers_the_row_then_sends_it_exactly_once(tmp_path: Path, smtp_server):
    smtp_server.on("rcpt", "450 4.2.1 Mailbox busy", address=address(3), times=1)
    campaign = Campaign(tmp_path, 4)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events, retry_delay=60))
    assert finished.counts["sent"] == 4
    (deferred,) = of_type(events, Deferred)
    assert deferred.row == 3 and deferred.code == 450 and deferred.attempt == 1
    assert (deferred.next_attempt_at - deferred.at).total_seconds() == 60
    assert _copies(smtp_server)[address(3)] == 1
    assert campaign.journal.get(3).attempts == 2
    assert [e.row for e in of_type(events, Sent)][-1] == 3  # retried after the others


async def test_transient_failure_becomes_failed_after_max_attempts(tmp_path: Path, smtp_server):
    smtp_server.on("rcpt", "450 4.2.1 Mailbox busy", address=address(2))
    campaign = Campaign(tmp_path, 2)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events, max_attempts=3))
    assert finished.counts == {**finished.counts, "sent": 1, "failed": 1}
    deferred = of_type(events, Deferred)
    assert [d.attempt for d in deferred] == [1, 2]
    waits = [(d.next_attempt_at - d.at).total_seconds() for d in deferred]
    assert waits == [60, 120]  # exponential backoff
    (failed,) = of_type(events, Failed)
    assert failed.row == 2 and "3 attempts" in failed.reason


async def test_reply_lost_after_the_dot_is_unknown_and_never_resent(tmp_path: Path, smtp_server):
    smtp_server.on("message", DROP, nth=2, store=True)
    campaign = Campaign(tmp_path, 4)
    events: list = []
    finished = await run(engine(campaign, smtp_server, events=events))
    assert finished.counts["unknown"] == 1 and finished.counts["sent"] == 3
    assert campaign.state(3) == "unknown"
    (unknown,) = of_type(events, Unknown)
    assert unknown.row == 3 and unknown.address == address(3)
    assert _copies(smtp_server) == Counter(address(r) for r in campaign.rows)  # one copy each


async def test_a_drop_while_the_body_is_under_way_is_unknown_never_silently_resent(
    tmp_path: Path, smtp_server
):
    """The server hangs up after taking the body without keeping it: from the client's side
    the message may or may not have arrived, so the row is `unknown`, not resent."""
    smtp_server.on("message", DROP, nth=2, store=False)
    campaign = Campaign(tmp_path, 4)
    finished = await run(engine(campaign, smtp_server))
    assert finished.counts["unknown"] == 1 and finished.counts["sent"] == 3
    assert campaign.state(3) == "unknown"
    assert _copies(smtp_server)[address(3)] == 0  # nothing arrived, and nothing was resent
    assert smtp_server.commands_named("RCPT").count(f"RCPT TO:<{address(3)}>") == 1


async def test_server_dropping_after_20_per_connection_gets_message_21_on_a_new_connection(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory(max_messages_per_connection=20)
    campaign = Campaign(tmp_path, 45)
    finished = await run(engine(campaign, server))
    assert finished.counts["sent"] == 45
    assert _copies(server) == Counter(address(r) for r in campaign.rows)
    assert server.connections == 3
    assert [m.connection for m in server.messages].count(2) == 20


async def test_partly_refused_message_is_sent_to_the_others_and_names_the_refused(
    tmp_path: Path, smtp_server
):
    smtp_server.on("rcpt", "550 5.1.1 Unknown user", address="cc-bad@example.net")
    campaign = Campaign(tmp_path, 2, extra={2: ("cc-good@example.net", "cc-bad@example.net")})
    events: list = []
    await run(engine(campaign, smtp_server, events=events))
    first = of_type(events, Sent)[0]
    assert first.row == 2
    assert [(r.address, r.code) for r in first.refused] == [("cc-bad@example.net", 550)]
    assert smtp_server.messages[0].rcpt_tos == (address(2), "cc-good@example.net")
    assert "cc-bad@example.net" in campaign.journal.get(2).smtp_text


async def test_connections_never_exceed_the_configured_number(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 60)
    finished = await run(
        engine(campaign, smtp_server, connections=4, max_messages_per_connection=5)
    )
    assert finished.counts["sent"] == 60
    assert _copies(smtp_server) == Counter(address(r) for r in campaign.rows)
    assert smtp_server.max_concurrent == 4
    assert smtp_server.connections >= 12  # QUIT and reconnect after 5 messages each
