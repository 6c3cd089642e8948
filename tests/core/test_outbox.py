"""The embedded local outbox: real SMTP on 127.0.0.1, every message filed as an .eml."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy

import pytest

from app.core.model import RenderedMessage
from app.core.outbox import LocalOutbox, default_outbox_folder
from app.core.send.contracts import SmtpError, Stage
from app.core.send.transport import Security, SmtpConnector, SmtpSettings

DATA = (
    b"From: Shop <shop@example.com>\r\nTo: Ann <ann@example.org>\r\n"
    b"Subject: =?utf-8?q?Caf=C3=A9?=\r\nMessage-ID: <1@example.com>\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\nCaf\xc3\xa9 au lait\r\n.leading dot\r\n"
)


def rendered(row: int = 2, recipients: tuple[str, ...] = ("ann@example.org",)) -> RenderedMessage:
    return RenderedMessage(
        row=row,
        message_id=f"<{row}@example.com>",
        sender="shop@example.com",
        recipients=recipients,
        data=DATA,
    )


@pytest.fixture
async def outbox(tmp_path):
    box = LocalOutbox(tmp_path / "Outbox")
    await box.start()
    yield box
    await box.stop()


async def send(outbox: LocalOutbox, *messages: RenderedMessage) -> None:
    settings = SmtpSettings("127.0.0.1", outbox.port or 0, Security.NONE, local_hostname="test")
    connection = await SmtpConnector(settings, lambda: None).open()
    try:
        for message in messages:
            await connection.send(message)
    finally:
        await connection.close()


async def test_a_message_is_filed_with_its_exact_bytes_after_the_envelope_lines(outbox):
    await send(outbox, rendered(recipients=("ann@example.org", "hidden-bcc@example.net")))

    [eml] = outbox.folder.glob("*.eml")
    content = eml.read_bytes()
    prefix = (
        b"Return-Path: <shop@example.com>\r\n"
        b"X-Herald-Envelope-To: <ann@example.org>,\r\n <hidden-bcc@example.net>\r\n"
    )
    assert content == prefix + DATA


async def test_a_filed_message_opens_as_mail_with_the_envelope_readable(outbox):
    await send(outbox, rendered(recipients=("ann@example.org", "hidden-bcc@example.net")))

    [eml] = outbox.folder.glob("*.eml")
    parsed = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Café"
    assert "hidden-bcc@example.net" in parsed["X-Herald-Envelope-To"]
    assert parsed.get_content().splitlines() == ["Café au lait", ".leading dot"]


async def test_each_message_gets_its_own_file_in_sending_order_and_no_temp_files(outbox):
    await send(outbox, *(rendered(row) for row in range(2, 7)))

    files = sorted(p.name for p in outbox.folder.iterdir())
    assert len(files) == 5 and all(name.endswith(".eml") for name in files)
    counters = [name.removesuffix(".eml").rsplit("-", 1)[1] for name in files]
    assert counters == ["000001", "000002", "000003", "000004", "000005"]


async def test_a_folder_that_cannot_be_written_answers_451_and_files_nothing(outbox):
    shutil.rmtree(outbox.folder)
    outbox.folder.write_text("not a folder")  # every write into it now fails

    with pytest.raises(SmtpError) as raised:
        await send(outbox, rendered())

    assert raised.value.reply.code == 451 and raised.value.reply.stage is Stage.MESSAGE


async def test_after_stop_the_port_is_closed(tmp_path):
    box = LocalOutbox(tmp_path / "Outbox")
    port = await box.start()
    await box.stop()

    settings = SmtpSettings("127.0.0.1", port, Security.NONE, connect_timeout=2)
    with pytest.raises(SmtpError) as raised:
        await SmtpConnector(settings, lambda: None).open()
    assert raised.value.reply.stage is Stage.CONNECT and box.port is None


async def test_listening_port_is_the_bound_port_and_refuses_when_not_listening(tmp_path):
    box = LocalOutbox(tmp_path / "Outbox")
    with pytest.raises(RuntimeError, match="not listening"):
        _ = box.listening_port
    port = await box.start()
    try:
        assert box.listening_port == port and port > 0
    finally:
        await box.stop()
    with pytest.raises(RuntimeError, match="not listening"):
        _ = box.listening_port


def test_the_default_outbox_folder_follows_herald_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path / "data"))

    assert default_outbox_folder() == tmp_path / "data" / "outbox"


async def test_a_preferred_port_in_use_falls_back_to_a_free_one(tmp_path):
    first = LocalOutbox(tmp_path / "A")
    taken = await first.start()
    second = LocalOutbox(tmp_path / "B")
    try:
        with pytest.raises(OSError):
            await second.start(taken)  # asked for exactly that port: refused
        port = await second.start(taken, any_port_if_taken=True)
        assert port not in (0, taken)
        await send(second, rendered())
        assert len(list(second.folder.glob("*.eml"))) == 1
    finally:
        await second.stop()
        await first.stop()
