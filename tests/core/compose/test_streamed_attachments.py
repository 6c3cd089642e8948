"""Large attachments are encoded from the file while writing; names reach every mail program."""

from __future__ import annotations

import email
import email.policy
import os
import re
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.core.attachment_files import AttachmentChanged
from app.core.compose import MessageBuilder
from app.core.compose.streaming import (
    STREAM_ABOVE,
    MessageStream,
    message_bytes,
    message_digest,
    preview_bytes,
)
from app.core.model import RenderedMessage, StreamedFile
from tests.core.compose.helpers import FIXED_NOW, build, parts, recipient, settings


def _parse(data: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _big(path: Path, size: int = STREAM_ABOVE + 123_457) -> bytes:
    content = os.urandom(size)
    path.write_bytes(content)
    return content


def test_a_large_attachment_is_left_in_its_file_and_streamed_identically(tmp_path: Path) -> None:
    content = _big(tmp_path / "catalogue.pdf")
    message = build(attachments=(tmp_path / "catalogue.pdf",))

    [streamed] = [p for p in message.tail if isinstance(p, StreamedFile)]
    assert streamed.size == len(content)
    assert len(message.data) < 10_000  # the head only: the file's bytes are not in memory
    whole = message_bytes(message)
    assert message.size == len(whole)
    [part] = _parse(whole).iter_attachments()
    assert part.get_content() == content
    body = whole.split(b"Content-Transfer-Encoding: base64\r\n\r\n")[-1].split(b"\r\n\r\n--")[0]
    assert {len(line) for line in body.split(b"\r\n")[:-2]} == {76}  # whole lines across blocks


def test_small_attachments_are_still_inline_and_every_piece_starts_at_a_line_start(
    tmp_path: Path,
) -> None:
    (tmp_path / "small.txt").write_text("small")
    _big(tmp_path / "big.bin")
    message = build(attachments=(tmp_path / "small.txt", tmp_path / "big.bin"))
    assert b"c21hbGw=" in message.data  # "small", base64, in the head

    with MessageStream(message) as stream:
        pieces = list(stream.pieces())
    assert all(piece.endswith(b"\r\n") for piece in pieces)
    assert b"".join(pieces) == message_bytes(message)


def test_the_preview_form_lists_the_attachment_without_reading_it(tmp_path: Path) -> None:
    _big(tmp_path / "big.bin")
    message = build(attachments=(tmp_path / "big.bin",))
    [part] = _parse(preview_bytes(message)).iter_attachments()
    assert part.get_filename() == "big.bin"
    assert [(a.path, a.size) for a in message.attachments] == [
        (tmp_path / "big.bin", STREAM_ABOVE + 123_457)
    ]


def test_a_file_changed_after_the_check_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    _big(tmp_path / "big.bin")
    message = build(attachments=(tmp_path / "big.bin",))
    _big(tmp_path / "big.bin", STREAM_ABOVE + 10)
    with pytest.raises(AttachmentChanged, match="changed since it was checked"):
        MessageStream(message).__enter__()


def test_a_file_swapped_for_a_pipe_after_the_check_is_refused_without_hanging(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.bin"
    _big(big)
    message = build(attachments=(big,))
    big.unlink()
    os.mkfifo(big)
    with pytest.raises(AttachmentChanged, match="named pipe"):
        MessageStream(message).__enter__()


def test_the_snapshot_digest_counts_a_streamed_file_by_identity_not_content(
    tmp_path: Path,
) -> None:
    _big(tmp_path / "big.bin")
    message = build(attachments=(tmp_path / "big.bin",))
    assert message_digest(message) == message_digest(message)
    os.utime(tmp_path / "big.bin", ns=(1, 1))
    rebuilt = MessageBuilder(settings(attachments=(tmp_path / "big.bin",)), now=lambda: FIXED_NOW)
    again = rebuilt.build(recipient(), parts())
    assert message_digest(again) != message_digest(message)
    plain = build()
    import hashlib

    assert message_digest(plain) == hashlib.sha256(plain.data).hexdigest()  # as before


@pytest.mark.parametrize(
    "name",
    ["报价单.pdf", "Résumé – 2024.docx", "很长的文件名" * 12 + ".xlsx", 'quote"d name.txt'],
)
def test_non_ascii_names_carry_rfc_2231_filename_and_rfc_2047_content_type_name(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / name).write_bytes(b"%PDF-1.4")
    message: RenderedMessage = build(attachments=(tmp_path / name,))

    [part] = _parse(message.data).iter_attachments()
    assert part.get_filename() == name  # Content-Disposition, RFC 2231
    disposition = part["Content-Disposition"]
    assert "filename*" in str(disposition.params) or "filename*" in message.data.decode()
    assert part.get_param("name", header="content-type") == name  # decoded by Python too
    head = message.data.decode("ascii")
    content_type = head.split("Content-Disposition")[-2].rsplit("Content-Type: ", 1)[1]
    assert all(len(line) <= 78 for line in content_type.split("\r\n"))
    assert "name*" not in content_type  # one form per header: RFC 2047 on Content-Type
    raw_name = re.search(r'name="([^"]*)"', content_type.replace("\r\n ", " "))
    assert raw_name is not None and raw_name.group(1).startswith("=?utf-8?b?")
    # what Outlook, QQ Mail and munpack read
    assert str(make_header(decode_header(raw_name.group(1)))) == name


def test_plain_ascii_names_stay_plain(tmp_path: Path) -> None:
    (tmp_path / "price-list.pdf").write_bytes(b"%PDF")
    message = build(attachments=(tmp_path / "price-list.pdf",))
    assert b'name="price-list.pdf"' in message.data
    assert b'filename="price-list.pdf"' in message.data
    assert b"=?utf-8?" not in message.data.split(b"Content-Type: application/pdf")[1]
