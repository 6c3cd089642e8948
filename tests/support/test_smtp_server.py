"""The test server itself: scripted faults, limits, records, and its three ways of running."""

from __future__ import annotations

import asyncio
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import aiosmtplib
import pytest

from tests.support.smtp_server import DROP, SmtpTestServer

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = b"Subject: hi\r\n\r\nbody\r\n"


async def client(server: SmtpTestServer) -> aiosmtplib.SMTP:
    smtp = aiosmtplib.SMTP(
        hostname="127.0.0.1", port=server.port, start_tls=False, local_hostname="c", timeout=5
    )
    await smtp.connect()
    await smtp.ehlo()
    return smtp


async def send(smtp: aiosmtplib.SMTP, rcpt: str = "a@example.org") -> None:
    await smtp.mail("s@example.com")
    await smtp.rcpt(rcpt)
    await smtp.data(MESSAGE)


async def test_it_records_connections_commands_and_messages(smtp_server):
    smtp = await client(smtp_server)
    await send(smtp)
    await smtp.quit()

    assert smtp_server.connections == 1 and smtp_server.max_concurrent == 1
    assert [line.split()[0] for _, line in smtp_server.commands] == [
        "EHLO",
        "MAIL",
        "RCPT",
        "DATA",
        "QUIT",
    ]
    [received] = smtp_server.messages
    assert received.data == MESSAGE and received.rcpt_tos == ("a@example.org",)


async def test_a_mail_without_rset_after_a_refusal_gets_503(smtp_server):
    smtp_server.on("rcpt", "450 4.2.1 busy", times=1)
    smtp = await client(smtp_server)
    await smtp.mail("s@example.com")
    with pytest.raises(aiosmtplib.SMTPRecipientRefused):
        await smtp.rcpt("a@example.org")

    with pytest.raises(aiosmtplib.SMTPSenderRefused) as raised:
        await smtp.mail("s@example.com")

    assert raised.value.code == 503


async def test_rules_match_by_address_occurrence_and_count(smtp_server):
    smtp_server.on("rcpt", "550 5.1.1 nobody", address="Bad@Example.org")
    smtp_server.on("message", "451 4.3.0 second one", nth=2)
    smtp = await client(smtp_server)

    with pytest.raises(aiosmtplib.SMTPRecipientRefused):
        await send(smtp, "bad@example.org")
    await smtp.rset()
    await send(smtp)
    with pytest.raises(aiosmtplib.SMTPDataError):
        await send(smtp)
    await send(smtp)

    assert smtp_server.message_count == 2


async def test_a_drop_after_the_dot_can_keep_the_message(smtp_server):
    smtp_server.on("message", DROP, store=True)
    smtp = await client(smtp_server)

    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await send(smtp)

    assert smtp_server.message_count == 1


async def test_a_421_greeting_closes_the_connection(smtp_server):
    smtp_server.on("greeting", "421 4.7.0 HL:IFC later", times=1)

    with pytest.raises(aiosmtplib.SMTPConnectResponseError):
        await client(smtp_server)
    smtp = await client(smtp_server)  # times=1: the next one is welcome

    assert smtp.is_connected and smtp_server.connections == 2


async def test_every_reply_is_delayed_once(smtp_server_factory):
    server = await smtp_server_factory(delay=0.05)
    smtp = await client(server)
    started = time.monotonic()

    await smtp.noop()

    # a lower bound only: load can make a reply later, never earlier (an upper bound would
    # be a wall-clock margin)
    assert time.monotonic() - started >= 0.05


async def test_the_rate_limit_refuses_mail_above_n_per_window(smtp_server_factory):
    server = await smtp_server_factory(rate_limit=(2, 60.0))
    smtp = await client(server)
    await send(smtp)
    await send(smtp)

    with pytest.raises(aiosmtplib.SMTPSenderRefused) as raised:
        await send(smtp)

    assert raised.value.code == 450 and server.message_count == 2


async def test_the_per_connection_cap_drops_the_connection_yahoo_style(smtp_server_factory):
    server = await smtp_server_factory(max_messages_per_connection=2)
    smtp = await client(server)
    await send(smtp)
    await send(smtp)

    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await send(smtp)

    assert server.message_count == 2


async def test_connections_over_the_cap_are_turned_away(smtp_server_factory):
    server = await smtp_server_factory(max_connections=1)
    first = await client(server)

    with pytest.raises(aiosmtplib.SMTPConnectResponseError) as raised:
        await client(server)

    assert raised.value.code == 421 and first.is_connected
    assert server.max_concurrent == 2 and server.connections == 2


async def test_auth_attempts_are_counted_and_credentials_never_recorded(smtp_server_factory):
    server = await smtp_server_factory(auth=("user", "s3cret-value"))
    smtp = await client(server)

    with pytest.raises(aiosmtplib.SMTPAuthenticationError):
        await smtp.auth_plain("user", "wrong-value")
    await smtp.auth_login("user", "s3cret-value")

    assert [(a.mechanism, a.success) for a in server.auth_attempts] == [
        ("PLAIN", False),
        ("LOGIN", True),
    ]
    assert server.commands_named("AUTH") == ["AUTH PLAIN", "AUTH LOGIN"]
    assert all("s3cret" not in line and "c2Vj" not in line for _, line in server.commands)


def test_it_serves_from_a_background_thread(threaded_smtp_server_factory):
    server = threaded_smtp_server_factory()

    with smtplib.SMTP("127.0.0.1", server.port, local_hostname="c", timeout=5) as smtp:
        smtp.sendmail("s@example.com", ["a@example.org"], MESSAGE)

    assert server.message_count == 1


def test_it_runs_as_its_own_process_and_prints_its_port():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.smtp_server", "--port", "0", "--delay-ms", "5"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        with smtplib.SMTP("127.0.0.1", port, local_hostname="c", timeout=5) as smtp:
            smtp.sendmail("s@example.com", ["a@example.org"], MESSAGE)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)

    assert "received 1 messages" in stderr


async def test_stop_closes_live_sessions(smtp_server_factory):
    server = await smtp_server_factory()
    smtp = await client(server)

    await server.stop()
    await asyncio.sleep(0.05)

    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await smtp.noop()


async def test_pipelining_is_advertised_only_when_asked_and_pipelined_input_is_answered(
    smtp_server_factory,
):
    plain = await smtp_server_factory()
    assert not (await client(plain)).supports_extension("pipelining")

    server = await smtp_server_factory(pipelining=True)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    await reader.readline()  # greeting
    writer.write(b"EHLO c.example.com\r\n")
    ehlo = [await reader.readline()]
    while ehlo[-1][3:4] == b"-":
        ehlo.append(await reader.readline())
    assert b"250-PIPELINING\r\n" in ehlo
    # three commands in one write: three replies, in order
    writer.write(b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
    replies = [await reader.readline() for _ in range(3)]
    assert [r[:3] for r in replies] == [b"250", b"250", b"354"]
    writer.write(b"Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n")
    assert (await reader.readline())[:3] == b"250"
    writer.close()
    assert server.recipients() == ["b@example.org"]
