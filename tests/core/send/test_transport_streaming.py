"""A message with a large attachment goes out in pieces to the real aiosmtpd server on
127.0.0.1 and arrives byte for byte; a file changed since the check is never sent."""

from __future__ import annotations

import email
import email.policy
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.core.compose.streaming import STREAM_ABOVE, message_bytes
from app.core.model import StreamedFile
from app.core.send.contracts import SmtpError, Stage
from tests.core.compose.helpers import build
from tests.core.send.test_transport import connect


async def test_a_streamed_attachment_arrives_byte_for_byte_with_the_declared_size(
    smtp_server, tmp_path: Path
) -> None:
    content = os.urandom(STREAM_ABOVE * 2 + 1001)
    (tmp_path / "catalogue.pdf").write_bytes(content)
    (tmp_path / "note.txt").write_text(".a line starting with a dot\n")
    message = build(attachments=(tmp_path / "note.txt", tmp_path / "catalogue.pdf"))
    assert any(isinstance(piece, StreamedFile) for piece in message.tail)

    connection = await connect(smtp_server)
    result = await connection.send(message)
    await connection.close()

    assert result.reply.code == 250
    [received] = smtp_server.messages
    assert received.data == message_bytes(message)
    assert f"SIZE={message.size}" in received.mail_options
    parsed = email.message_from_bytes(received.data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    note, pdf = parsed.iter_attachments()
    assert note.get_content().startswith(".a line")  # dot-stuffed and unstuffed intact
    assert pdf.get_content() == content


async def test_a_file_changed_since_the_check_is_refused_before_mail_from(
    smtp_server, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(STREAM_ABOVE + 1))
    message = build(attachments=(big,))
    big.write_bytes(os.urandom(STREAM_ABOVE + 2))  # replaced after check, before sending

    connection = await connect(smtp_server)
    result = await connection.send(message)

    assert result.reply.code == 554 and "changed since it was checked" in result.reply.text
    assert result.accepted == () and set(result.refused) == set(message.recipients)
    assert smtp_server.messages == []
    assert connection.is_open  # nothing was on the wire: the connection stays usable
    await connection.close()


async def test_a_file_cut_short_while_sending_leaves_nothing_delivered(
    smtp_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(STREAM_ABOVE * 3))
    message = build(attachments=(big,))
    connection = await connect(smtp_server)

    original = os.read
    cut = {"done": False}

    def read_then_truncate(fd: int, n: int) -> bytes:
        data = original(fd, n)
        if not cut["done"]:  # another program truncates the file mid-send
            cut["done"] = True
            os.truncate(big, 10)
        return data

    # the truncation is real; the hook only times it to fall after the first block is read
    monkeypatch.setattr(os, "read", read_then_truncate)
    with pytest.raises(SmtpError) as caught:
        await connection.send(message)
    monkeypatch.undo()
    assert caught.value.reply.stage is Stage.DATA
    assert "became shorter" in caught.value.reply.text
    assert smtp_server.messages == []  # the final dot never went: the server dropped it
