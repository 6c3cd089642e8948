"""PIPELINING (RFC 2920): MAIL, RCPT and DATA in one write where the server offers it, the
replies matched in order with the same stage-aware verdicts; one by one where it does not."""

from __future__ import annotations

import pytest

from app.core.send.contracts import SmtpError, Stage
from tests.core.send.test_transport import connect, message


async def test_the_envelope_and_data_go_in_one_write_and_the_message_arrives(
    smtp_server_factory,
):
    server = await smtp_server_factory(pipelining=True, latency=0.05)
    connection = await connect(server)
    marks: list[bool] = []

    result = await connection.send(
        message("a@example.org", "b@example.org"),
        before_data=lambda: marks.append(connection.body_sent),
    )
    await connection.close()

    assert result.reply.code == 250 and result.accepted == ("a@example.org", "b@example.org")
    [received] = server.messages
    assert received.rcpt_tos == ("a@example.org", "b@example.org")
    assert marks == [False]  # the durable mark was made before the body left
    verbs = [line.split()[0] for _, line in server.commands]
    assert verbs == ["EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT"]


async def test_a_refused_recipient_in_the_group_is_returned_and_the_others_get_the_message(
    smtp_server_factory,
):
    server = await smtp_server_factory(pipelining=True)
    server.on("rcpt", "550 5.1.1 No such user", address="gone@example.org")
    connection = await connect(server)

    result = await connection.send(message("a@example.org", "gone@example.org", "b@example.org"))

    assert result.reply.code == 250
    assert result.accepted == ("a@example.org", "b@example.org")
    assert result.refused["gone@example.org"].code == 550
    assert result.refused["gone@example.org"].stage is Stage.RCPT
    assert server.messages[0].rcpt_tos == ("a@example.org", "b@example.org")
    # the session is clean: the next message goes through on the same connection
    assert (await connection.send(message(row=3))).reply.code == 250
    assert connection.is_open and len(server.messages) == 2


async def test_every_recipient_refused_in_the_group_sends_no_body_and_resets(
    smtp_server_factory,
):
    server = await smtp_server_factory(pipelining=True)
    server.on("rcpt", "550 5.1.1 No such user")
    connection = await connect(server)

    result = await connection.send(message("x@example.org", "y@example.org"))

    assert result.reply.code == 550 and result.reply.stage is Stage.RCPT
    assert result.accepted == () and set(result.refused) == {"x@example.org", "y@example.org"}
    assert server.messages == [] and server.commands_named("RSET") == ["RSET"]
    server.rules.clear()
    assert (await connection.send(message(row=3))).reply.code == 250  # still in step


async def test_a_refused_mail_from_in_the_group_raises_at_the_mail_stage(smtp_server_factory):
    server = await smtp_server_factory(pipelining=True)
    server.on("mail", "552 5.3.4 Message too big for system", times=1)
    connection = await connect(server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.code == 552 and raised.value.reply.stage is Stage.MAIL
    assert server.messages == [] and connection.is_open
    assert (await connection.send(message(row=3))).reply.code == 250  # replies stayed in step


async def test_data_554_after_pipelined_rcpt_raises_at_the_data_stage(smtp_server_factory):
    server = await smtp_server_factory(pipelining=True)
    server.on("data", "554 5.7.1 Message refused", times=1)
    connection = await connect(server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.code == 554 and raised.value.reply.stage is Stage.DATA
    assert server.messages == []
    assert (await connection.send(message(row=3))).reply.code == 250


async def test_a_421_in_the_group_closes_the_connection_with_the_servers_reply(
    smtp_server_factory,
):
    server = await smtp_server_factory(pipelining=True)
    server.on("rcpt", "421 4.7.0 Too many errors, closing", times=1)
    connection = await connect(server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.code == 421 and raised.value.reply.stage is Stage.RCPT
    assert not connection.is_open and server.messages == []


async def test_a_drop_in_the_middle_of_the_group_is_a_loss_before_the_body(
    smtp_server_factory,
):
    from tests.support.smtp_server import DROP

    server = await smtp_server_factory(pipelining=True)
    server.on("rcpt", DROP, times=1)
    connection = await connect(server)

    with pytest.raises(SmtpError) as raised:
        await connection.send(message())

    assert raised.value.reply.code is None
    assert raised.value.reply.stage is Stage.RCPT  # nothing of the body left: safe to retry
    assert not connection.is_open


async def test_without_the_extension_commands_go_one_by_one(smtp_server_factory):
    server = await smtp_server_factory(pipelining=False)
    connection = await connect(server)
    before: list[int] = []

    result = await connection.send(
        message("a@example.org", "b@example.org"),
        before_data=lambda: before.append(len(server.commands)),
    )

    assert result.reply.code == 250 and len(server.messages) == 1
    # one by one, the mark comes after MAIL and both RCPTs were answered, before DATA
    assert [line.split()[0] for _, line in server.commands[: before[0]]] == [
        "EHLO",
        "MAIL",
        "RCPT",
        "RCPT",
    ]


async def test_a_failing_mark_after_the_pipelined_group_hangs_up_without_a_body(
    smtp_server_factory,
):
    server = await smtp_server_factory(pipelining=True)
    connection = await connect(server)

    def disk_full() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        await connection.send(message(), before_data=disk_full)

    assert not connection.is_open and server.messages == []


async def test_pipelining_can_be_switched_off_in_the_settings(smtp_server_factory):
    server = await smtp_server_factory(pipelining=True)
    connection = await connect(server, pipelining=False)
    before: list[int] = []

    await connection.send(message(), before_data=lambda: before.append(len(server.commands)))

    assert before == [3]  # EHLO, MAIL, RCPT answered before the mark: not pipelined


@pytest.mark.parametrize("security", ["tls", "starttls"])
async def test_pipelining_works_over_tls_and_starttls(smtp_server_factory, test_certs, security):
    from app.core.send.transport import Security

    server = await smtp_server_factory(
        pipelining=True, tls=security, tls_context=test_certs.server_context()
    )
    connection = await connect(server, security=Security(security), cafile=test_certs.ca_file)
    marks: list[int] = []

    for row in (2, 3):
        result = await connection.send(
            message("a@example.org", row=row),
            before_data=lambda: marks.append(len(server.commands_named("MAIL"))),
        )
        assert result.reply.code == 250
    await connection.close()

    # pipelined: the mark is made as the group leaves, before the server has read its MAIL
    # (one by one it would already have answered it: [1, 2])
    assert len(server.messages) == 2 and marks == [0, 1]
    verbs = [line.split()[0] for _, line in server.commands]
    assert verbs[-7:] == ["MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "QUIT"]
