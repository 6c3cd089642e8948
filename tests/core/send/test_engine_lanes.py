"""Connection-count limits (issue 9): a server that refuses one more connection at the greeting
makes Herald use fewer lanes, not pause or slow down; one more lane is tried again later."""

from __future__ import annotations

import math

from app.core.send.clock import FakeClock
from app.core.send.contracts import Reply, SmtpError, Stage
from app.core.send.events import Failed, LanesChanged, Paused, Throttled
from app.core.send.lanes import is_connection_limit
from tests.core.send.engine_support import Campaign, engine, of_type, run

PROBE_AFTER_MESSAGES = 20
# Fake time leaps while lanes wait on real sockets, so probes are made by message count here.
PROBES = {"lane_probe_messages": PROBE_AFTER_MESSAGES, "lane_probe_seconds": math.inf}
POSTFIX_421 = "421 4.7.0 smtp.example.test Error: too many connections from 127.0.0.1"


async def test_five_lanes_against_a_cap_of_two_settle_at_two_and_everyone_is_delivered(
    tmp_path, smtp_server_factory
):
    server = await smtp_server_factory(max_connections=2, max_connections_reply=POSTFIX_421)
    rows = 2 * PROBE_AFTER_MESSAGES + 20
    campaign = Campaign(tmp_path, rows)
    events: list = []

    finished = await run(
        engine(campaign, server, clock=FakeClock(), events=events, connections=5, **PROBES)
    )

    assert finished.counts["sent"] == rows and finished.counts["failed"] == 0
    assert sorted(server.recipients()) == sorted(set(server.recipients()))  # nobody twice
    assert len(server.messages) == rows
    # a connection refusal is no push-back: no pause, no held lanes, no failed row
    assert of_type(events, Paused) == [] and of_type(events, Throttled) == []
    assert of_type(events, Failed) == []
    changes = of_type(events, LanesChanged)
    settled = [c for c in changes if not c.probing]
    assert [c.lanes for c in settled][-1] == 2 and {c.configured for c in changes} == {5}
    assert "too many connections" in settled[-1].text and settled[-1].code == 421
    probes = [i for i, c in enumerate(changes) if c.probing]
    assert probes and all(changes[i].lanes == 3 for i in probes)  # it did look for more...
    assert all(changes[i + 1].lanes == 2 for i in probes if i + 1 < len(changes))  # refused
    refused = server.connections - len({m.connection for m in server.messages})
    assert refused <= 5  # 3 at the start, then about one per probe (probes back off)


async def test_a_server_that_allows_more_later_gets_more_lanes_after_a_probe(
    tmp_path, smtp_server_factory
):
    server = await smtp_server_factory(max_connections=1)
    campaign = Campaign(tmp_path, 4 * PROBE_AFTER_MESSAGES)
    events: list = []

    def on_event(event) -> None:
        events.append(event)
        if isinstance(event, LanesChanged) and not event.probing:
            server.max_connections = 3  # e.g. another client of the account has finished

    send = engine(campaign, server, clock=FakeClock(), connections=3, **PROBES)
    send.subscribe(on_event)
    finished = await run(send)

    assert finished.counts["sent"] == 4 * PROBE_AFTER_MESSAGES
    changes = of_type(events, LanesChanged)
    assert changes[0].lanes == 1 and not changes[0].probing
    assert any(c.probing for c in changes) and changes[-1].lanes == 3
    assert len({m.connection for m in server.messages}) == 3  # three lanes carried mail


async def test_a_refused_first_connection_is_still_a_push_back(tmp_path, smtp_server_factory):
    # Nothing open yet: the server refusing even one connection is not a lane count to learn.
    server = await smtp_server_factory()
    server.on("greeting", "421 4.3.2 Too many concurrent connections", times=1)
    campaign = Campaign(tmp_path, 3)
    events: list = []

    finished = await run(engine(campaign, server, clock=FakeClock(), events=events, connections=2))

    assert finished.counts["sent"] == 3
    assert of_type(events, LanesChanged) == []
    assert len(of_type(events, Throttled)) == 1


def test_connection_limit_replies_are_told_from_other_refusals():
    def fault(code: int | None, text: str, stage: Stage = Stage.CONNECT) -> SmtpError:
        return SmtpError(Reply(code, text, stage))

    for text in (
        "4.7.0 mail.example.net Error: too many connections from 127.0.0.1",  # Postfix
        "Too many concurrent SMTP connections from this IP address; please try again later.",
        "4.3.2 Too many concurrent connections",  # Microsoft 365, the fault server
        "HL:ICC 163 smtp14 too many connections",  # NetEase
        "Too many simultaneous connections",
    ):
        assert is_connection_limit(fault(421, text)), text
    assert not is_connection_limit(fault(421, "4.7.0 Try again later"))
    assert not is_connection_limit(fault(554, "5.7.1 too many connections"))  # permanent
    assert not is_connection_limit(fault(None, "the connection was lost"))
    assert not is_connection_limit(fault(421, "too many connections", Stage.MAIL))
