"""Security refusals stop the whole send at once, by their type, with a clear message."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.send import smtp_auth
from app.core.send.events import Stopped, Throttled
from app.core.send.transport import Security, SmtpConnector, SmtpSettings
from tests.core.send.engine_support import Campaign, connector, engine, of_type, run


async def _stopped(campaign: Campaign, server, login, events: list) -> Stopped:  # type: ignore[no-untyped-def]
    finished = await run(engine(campaign, server, connection=login, connections=3, events=events))
    (stopped,) = of_type(events, Stopped)
    assert finished.stopped == stopped.reason
    assert finished.counts["pending"] == len(campaign.rows)  # nothing failed, nothing lost
    assert not of_type(events, Throttled)  # no reconnect loop: stopped, not backed off
    return stopped


async def test_an_untrusted_certificate_stops_at_once_before_any_command(
    tmp_path: Path, smtp_server_factory, test_certs, untrusted_certs
):
    server = await smtp_server_factory(
        tls="tls", tls_context=untrusted_certs.server_context(), auth=("sender", "right")
    )
    login = connector(
        server, security=Security.TLS, username="sender", password="right",
        cafile=test_certs.ca_file,
    )  # fmt: skip
    events: list = []

    stopped = await _stopped(Campaign(tmp_path, 3), server, login, events)

    assert "encrypted connection" in stopped.reason and "certificate" in stopped.hint
    assert stopped.code is None  # Herald's decision, not a server reply
    assert server.commands == [] and server.auth_attempts == [] and server.messages == []


async def test_missing_starttls_stops_at_once_with_no_auth_on_the_wire(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory(auth=("sender", "right"))  # offers AUTH, not STARTTLS
    login = connector(server, security=Security.STARTTLS, username="sender", password="right")
    events: list = []

    stopped = await _stopped(Campaign(tmp_path, 3), server, login, events)

    assert "does not offer STARTTLS" in stopped.reason and "587" in stopped.hint
    assert server.commands_named("AUTH") == [] and server.connections == 1


async def test_a_login_in_clear_text_to_another_host_stops_before_connecting(tmp_path: Path):
    settings = SmtpSettings(
        host="smtp.example.com", port=25, security=Security.NONE, username="sender"
    )
    asked: list[bool] = []
    login = SmtpConnector(settings, lambda: asked.append(True) or "secret")
    events: list = []
    dialled: list[object] = []  # every connection aiosmtplib would open goes through the loop
    loop = asyncio.get_running_loop()
    real_connect = loop.create_connection

    async def recording_connect(*args: object, **kwargs: object) -> object:
        dialled.append(kwargs.get("host"))
        return await real_connect(*args, **kwargs)  # type: ignore[arg-type]

    loop.create_connection = recording_connect  # type: ignore[method-assign]
    try:
        stopped = await _stopped(Campaign(tmp_path, 2), None, login, events)
    finally:
        del loop.create_connection  # back to the class's method

    assert "unencrypted" in stopped.reason and "STARTTLS" in stopped.hint
    assert asked == []  # the password was not even fetched
    assert dialled == []  # stopped before connecting (was: a wall-clock bound of 5 s)


async def test_no_password_stops_without_a_login_attempt(tmp_path: Path, smtp_server_factory):
    server = await smtp_server_factory(auth=("sender", "right"))
    login = connector(server, username="sender", password=None)
    events: list = []

    stopped = await _stopped(Campaign(tmp_path, 2), server, login, events)

    assert "No password" in stopped.reason and "herald login" in stopped.hint
    assert server.auth_attempts == [] and server.commands_named("AUTH") == []


async def test_no_usable_login_method_stops_without_a_login_attempt(
    tmp_path: Path, smtp_server_factory, monkeypatch
):
    monkeypatch.setattr(smtp_auth, "MECHANISMS", ("cram-md5",))  # not what the server offers
    server = await smtp_server_factory(auth=("sender", "right"))
    login = connector(server, username="sender", password="right")
    events: list = []

    stopped = await _stopped(Campaign(tmp_path, 2), server, login, events)

    assert "no login method" in stopped.reason and "plain" in stopped.reason.lower()
    assert server.auth_attempts == [] and server.commands_named("AUTH") == []


async def test_a_server_reply_that_mentions_tls_is_judged_by_its_code_not_its_words(
    tmp_path: Path, smtp_server
):
    smtp_server.on("greeting", "421 4.3.2 TLS service busy, certificate reload", times=1)
    campaign = Campaign(tmp_path, 2)
    events: list = []

    finished = await run(engine(campaign, smtp_server, events=events))

    assert not of_type(events, Stopped)  # a temporary refusal: reconnect, not stop
    assert finished.counts["sent"] == 2 and smtp_server.connections == 2
