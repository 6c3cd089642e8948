"""What goes on the wire: body framing, envelope quoting, and the hook just before DATA."""

from __future__ import annotations

import re

import pytest

from app.core.model import RenderedMessage
from app.core.send.transport import _wire_body
from tests.core.send.test_transport import connect, message


@pytest.mark.parametrize(
    ("data", "wire"),
    [
        (b"a\r\nb\r\n", b"a\r\nb\r\n.\r\n"),
        (b"a\r\nb", b"a\r\nb\r\n.\r\n"),
        (b".first\r\n.\r\n..two\r\n", b"..first\r\n..\r\n...two\r\n.\r\n"),
        (b"bare\nlf\n.dot\rcr", b"bare\r\nlf\r\n..dot\r\ncr\r\n.\r\n"),
    ],
)
def test_the_body_gets_crlf_lines_dot_stuffing_and_the_final_dot(data: bytes, wire: bytes):
    assert _wire_body(data) == wire


async def test_a_body_with_bare_newlines_arrives_with_crlf_lines(smtp_server):
    connection = await connect(smtp_server)
    sent = message()
    bare = RenderedMessage(
        row=2,
        message_id=sent.message_id,
        sender=sent.sender,
        recipients=sent.recipients,
        data=sent.data.replace(b"\r\n", b"\n") + b".dot line\n",
    )

    await connection.send(bare)

    assert smtp_server.messages[0].data == sent.data + b".dot line\r\n"


@pytest.mark.parametrize(
    "smuggled",
    [
        "x@example.org> NOTIFY=NEVER",
        "x@example.org>\r\nRCPT TO:<y@example.org",
        "x@exa\x01mple.org",
    ],
)
async def test_an_address_that_could_smuggle_commands_never_reaches_the_wire(
    smtp_server, smuggled: str
):
    connection = await connect(smtp_server)

    await connection.send(message("ok@example.org", smuggled))

    # refused, or cut down to the bare address by aiosmtplib's parser: never a parameter
    # or a second command
    lines = smtp_server.commands_named("RCPT")
    assert lines[0] == "RCPT TO:<ok@example.org>"
    assert all(re.fullmatch(r"RCPT TO:<[^<>\s]+>", line) for line in lines), lines
    assert "y@example.org" not in smtp_server.recipients()


async def test_before_data_runs_after_rcpt_and_before_the_data_command(smtp_server):
    connection = await connect(smtp_server)
    seen: list[list[str]] = []

    def before_data() -> None:
        seen.append([line.split(" ", 1)[0] for _, line in smtp_server.commands])

    await connection.send(message(), before_data=before_data)

    assert seen and seen[0][-2:] == ["MAIL", "RCPT"] and "DATA" not in seen[0]
    assert smtp_server.message_count == 1


async def test_a_failing_before_data_sends_no_data_and_leaves_the_connection_reusable(
    smtp_server,
):
    connection = await connect(smtp_server)

    def refuse() -> None:
        raise RuntimeError("the journal could not be written")

    with pytest.raises(RuntimeError, match="journal"):
        await connection.send(message(row=2), before_data=refuse)

    assert smtp_server.commands_named("DATA") == []
    assert smtp_server.commands_named("RSET") == ["RSET"]
    assert (await connection.send(message(row=3))).reply.code == 250


async def test_no_recipient_accepted_means_before_data_never_runs(smtp_server):
    smtp_server.on("rcpt", "550 5.1.1 No such user")
    connection = await connect(smtp_server)
    calls: list[int] = []

    await connection.send(message(), before_data=lambda: calls.append(1))

    assert calls == []
