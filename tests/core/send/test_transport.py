"""SmtpConnector / SmtpConnection against the real scriptable aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from app.core.model import RenderedMessage
from app.core.send.contracts import SmtpError, Stage
from app.core.send.transport import (
    Security,
    SmtpConnector,
    SmtpSettings,
)
from tests.support.smtp_server import DROP, SmtpTestServer

USER, PASSWORD = "sender@example.com", "right-password"


def message(*recipients: str, row: int = 2, body: str = "Hello") -> RenderedMessage:
    recipients = recipients or ("to@example.org",)
    data = (
        f"From: sender@example.com\r\nTo: {recipients[0]}\r\nSubject: Test {row}\r\n"
        f"Message-ID: <{row}@example.com>\r\n\r\n{body}\r\n"
    ).encode()
    return RenderedMessage(
        row=row,
        message_id=f"<{row}@example.com>",
        sender="sender@example.com",
        recipients=recipients,
        data=data,
    )


def settings_for(server: SmtpTestServer, **overrides: object) -> SmtpSettings:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "security": Security.NONE,
        "local_hostname": "client.example.com",
    }
    values.update(overrides)
    return SmtpSettings(**values)  # type: ignore[arg-type]


async def connect(server: SmtpTestServer, password: str = PASSWORD, **overrides: object):
    connector = SmtpConnector(settings_for(server, **overrides), lambda: password)
    return await connector.open()


async def test_a_message_is_delivered_with_its_exact_bytes_and_envelope(smtp_server):
    connection = await connect(smtp_server)
    sent = message("a@example.org", "b@example.org")

    result = await connection.send(sent)
    await connection.close()

    assert result.reply.code == 250 and result.reply.stage is Stage.MESSAGE
    assert result.accepted == ("a@example.org", "b@example.org") and not result.refused
    [received] = smtp_server.messages
    assert received.data == sent.data
    assert received.mail_from == "sender@example.com"
    assert received.rcpt_tos == ("a@example.org", "b@example.org")


async def test_lines_starting_with_a_dot_survive_dot_stuffing(smtp_server):
    connection = await connect(smtp_server)
    sent = message(body=".hidden line\r\n.\r\n..two dots")

    await connection.send(sent)

    assert smtp_server.messages[0].data == sent.data


async def test_one_connection_carries_many_messages(smtp_server):
    connection = await connect(smtp_server)

    for row in range(2, 12):
        await connection.send(message(f"r{row}@example.org", row=row))

    assert connection.messages_sent == 10 and connection.is_open
    assert smtp_server.connections == 1 and smtp_server.message_count == 10


async def test_the_connection_quits_after_its_message_cap(smtp_server):
    connection = await connect(smtp_server, max_messages_per_connection=3)

    for row in range(2, 5):
        await connection.send(message(row=row))

    assert not connection.is_open
    assert smtp_server.commands_named("QUIT") == ["QUIT"]


async def test_partly_refused_recipients_are_returned_and_the_rest_delivered(smtp_server):
    smtp_server.on("rcpt", "550 5.1.1 No such user", address="bad@example.org")
    connection = await connect(smtp_server)

    result = await connection.send(message("good@example.org", "bad@example.org"))

    assert result.reply.code == 250
    assert result.accepted == ("good@example.org",)
    assert result.refused["bad@example.org"].code == 550
    assert result.refused["bad@example.org"].stage is Stage.RCPT
    assert smtp_server.messages[0].rcpt_tos == ("good@example.org",)


async def test_all_recipients_refused_sends_no_data_and_resets(smtp_server):
    smtp_server.on("rcpt", "550 5.1.1 No such user")
    connection = await connect(smtp_server)

    result = await connection.send(message("a@example.org", "b@example.org"))

    assert result.reply.code == 550 and not result.accepted
    assert set(result.refused) == {"a@example.org", "b@example.org"}
    assert smtp_server.commands_named("DATA") == []
    assert smtp_server.commands_named("RSET") == ["RSET"]
    assert connection.is_open


async def test_after_a_rcpt_450_the_next_message_on_the_connection_succeeds(smtp_server):
    # aiosmtpd answers "503 nested MAIL" if the client skips RSET after a refusal.
    smtp_server.on("rcpt", "450 4.2.1 Mailbox busy", times=1)
    connection = await connect(smtp_server)

    first = await connection.send(message("busy@example.org", row=2))
    second = await connection.send(message("next@example.org", row=3))

    assert first.reply.code == 450
    assert second.reply.code == 250
    assert smtp_server.connections == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [("next@example.org",)]


async def test_a_421_at_mail_raises_at_the_mail_stage_and_closes(smtp_server):
    smtp_server.on("mail", "421 4.7.0 Try again later, closing connection")
    connection = await connect(smtp_server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.stage is Stage.MAIL and raised.value.reply.code == 421
    assert not connection.is_open


async def test_a_550_at_mail_raises_and_leaves_the_connection_reusable(smtp_server):
    smtp_server.on("mail", "550 5.4.5 Daily user sending limit exceeded", times=1)
    connection = await connect(smtp_server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message(row=2))
    result = await connection.send(message(row=3))

    assert raised.value.reply.code == 550 and raised.value.reply.stage is Stage.MAIL
    assert result.reply.code == 250


async def test_a_refused_data_command_is_the_data_stage(smtp_server):
    smtp_server.on("data", "554 5.5.1 No valid recipients", times=1)
    connection = await connect(smtp_server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message(row=2))

    assert raised.value.reply.stage is Stage.DATA and raised.value.reply.code == 554
    assert (await connection.send(message(row=3))).reply.code == 250


async def test_a_rejection_after_the_dot_is_the_message_stage(smtp_server):
    smtp_server.on("message", "554 DT:SPM 163 smtp14", times=1)
    connection = await connect(smtp_server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.stage is Stage.MESSAGE and raised.value.reply.code == 554
    assert smtp_server.messages == []


async def test_a_drop_after_the_dot_is_the_message_stage_without_a_code(smtp_server):
    smtp_server.on("message", DROP, store=True)
    connection = await connect(smtp_server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.stage is Stage.MESSAGE and raised.value.reply.code is None
    assert len(smtp_server.messages) == 1  # the server has it: that is why it is "unknown"
    assert not connection.is_open


async def test_no_reply_after_the_dot_times_out_at_the_message_stage(smtp_server):
    smtp_server.on("message", "250 OK", delay=3, store=True)
    connection = await connect(smtp_server, command_timeout=0.3, data_timeout=0.3)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.stage is Stage.MESSAGE and raised.value.reply.code is None


async def test_a_drop_before_data_is_safe_to_retry_at_the_mail_stage(smtp_server):
    smtp_server.on("mail", DROP)
    connection = await connect(smtp_server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.stage is Stage.MAIL and raised.value.reply.code is None


async def test_a_slow_reply_to_the_dot_waits_for_the_data_timeout_not_the_command_timeout(
    smtp_server,
):
    smtp_server.on("message", "250 OK: queued", delay=1.5)
    connection = await connect(smtp_server, command_timeout=0.5, data_timeout=5)
    started = time.monotonic()

    result = await connection.send(message())

    assert result.reply.code == 250
    assert time.monotonic() - started >= 1.5
    assert len(smtp_server.messages) == 1


async def test_a_non_ascii_address_to_a_server_without_smtputf8_fails_before_mail(
    smtp_server_factory,
):
    server = await smtp_server_factory(smtputf8=False)
    connection = await connect(server)
    sent = replace(message("用户@example.org"), smtputf8=True)

    result = await connection.send(sent)

    assert result.reply.code == 553 and result.reply.stage is Stage.RCPT
    assert set(result.refused) == {"用户@example.org"}
    assert server.commands_named("MAIL") == []
    assert connection.is_open


async def test_a_non_ascii_address_goes_out_with_smtputf8_when_offered(smtp_server):
    connection = await connect(smtp_server)
    sent = replace(message("用户@example.org"), smtputf8=True)

    result = await connection.send(sent)

    assert result.reply.code == 250
    assert "SMTPUTF8" in smtp_server.messages[0].mail_options
    assert smtp_server.messages[0].rcpt_tos == ("用户@example.org",)
