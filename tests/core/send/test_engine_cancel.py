"""cancel() (Ctrl-C) acts at once against a slow server: a message in flight gets a moment to
finish, then is cut short: given back if its body never left, `unknown` if it did."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.send.clock import FakeClock
from app.core.send.events import Unknown
from app.core.send.transport import Security, SmtpConnector, SmtpSettings
from tests.core.send.engine_support import Campaign, engine, of_type, run


def _patient(server) -> SmtpConnector:
    """Waits an hour for every reply: without cut_short a cancel would wait as long."""
    settings = SmtpSettings(
        host="127.0.0.1",
        port=server.port,
        security=Security.NONE,
        local_hostname="client.example.com",
        command_timeout=3600,
        data_timeout=3600,
        connect_timeout=3600,
    )
    return SmtpConnector(settings, lambda: None)


async def _cancel_when(send, condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)
    send.cancel()


async def test_cancel_while_the_final_reply_is_awaited_leaves_the_row_unknown(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory()
    server.on("message", "250 OK: queued at last", delay=3600, store=True, times=1)
    campaign = Campaign(tmp_path, 3)
    events: list = []
    send = engine(campaign, server, clock=FakeClock(), events=events, connection=_patient(server))

    canceller = asyncio.ensure_future(_cancel_when(send, lambda: server.message_count == 1))
    finished = await run(send, timeout=30)
    await canceller

    assert finished.cancelled
    assert campaign.counts() == {"unknown": 1, "pending": 2}  # never resent blindly
    [unknown] = of_type(events, Unknown)
    assert unknown.row == campaign.rows[0]


async def test_cancel_before_the_body_left_gives_the_row_back(tmp_path: Path, smtp_server_factory):
    server = await smtp_server_factory()
    server.on("rcpt", "250 OK", delay=3600, times=1)
    campaign = Campaign(tmp_path, 3)
    send = engine(campaign, server, clock=FakeClock(), connection=_patient(server))

    canceller = asyncio.ensure_future(
        _cancel_when(send, lambda: bool(server.commands_named("RCPT")))
    )
    finished = await run(send, timeout=30)
    await canceller

    assert finished.cancelled and server.messages == []
    assert campaign.counts() == {"pending": 3}  # nothing went out: all can be sent later


async def test_cancel_while_connecting_to_a_silent_server_gives_the_row_back(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory()
    server.on("greeting", "220 smtp.example.test at last", delay=3600)
    campaign = Campaign(tmp_path, 2)
    send = engine(campaign, server, clock=FakeClock(), connection=_patient(server))

    canceller = asyncio.ensure_future(_cancel_when(send, lambda: server.connections >= 1))
    finished = await run(send, timeout=30)
    await canceller

    assert finished.cancelled and campaign.counts() == {"pending": 2}
