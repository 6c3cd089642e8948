"""Composed messages parse back to exactly what was meant: headers, parts, filenames, bytes."""

from __future__ import annotations

import email.policy
import email.utils
import re
from pathlib import Path

import pytest

from app.core.compose import ComposeError, MessageBuilder
from app.core.model import Address, ProblemKind, Severity

from .helpers import (
    FIXED_NOW,
    build,
    header_names,
    parse,
    parts,
    recipient,
    settings,
    to_display_name,
)

STANDARD = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"]


def test_chinese_display_names_and_emoji_subject_decode_exactly() -> None:
    message = build(recipient("张三 <script>& Co"), parts(subject="你好 🎉, your report — 2024"))
    parsed = parse(message)
    assert parsed["To"].addresses[0].display_name == "张三 <script>& Co"
    assert parsed["To"].addresses[0].addr_spec == "ann@example.org"
    assert parsed["From"].addresses[0].display_name == "Herald 新闻"
    assert parsed["Subject"] == "你好 🎉, your report — 2024"
    assert b"ann@example.org" in message.data  # the address itself is never encoded


def test_standard_headers_present_and_date_from_the_injected_clock() -> None:
    message = build()
    parsed = parse(message)
    assert all(name in header_names(message) for name in STANDARD)
    assert parsed["MIME-Version"] == "1.0"
    assert email.utils.parsedate_to_datetime(parsed["Date"]) == FIXED_NOW
    assert parsed["Message-ID"] == message.message_id
    assert message.message_id.endswith("@example.com>")


def test_message_ids_are_unique_and_use_the_given_domain() -> None:
    builder = MessageBuilder(settings(), domain="mail.example.net")
    ids = {builder.build(recipient(), parts()).message_id for _ in range(200)}
    assert len(ids) == 200
    assert all(i.startswith("<") and i.endswith("@mail.example.net>") for i in ids)


def test_to_holds_exactly_one_address_and_bcc_only_in_the_envelope() -> None:
    rcpt = recipient(
        cc=(Address("cc@example.org", "Smith, Carol"),),
        bcc=(Address("hidden@example.org", "Hidden"),),
    )
    message = build(rcpt)
    parsed = parse(message)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ann@example.org"]
    assert [(a.display_name, a.addr_spec) for a in parsed["Cc"].addresses] == [
        ("Smith, Carol", "cc@example.org")
    ]
    assert "bcc" not in header_names(message)
    assert b"hidden@example.org" not in message.data
    assert message.recipients == ("ann@example.org", "cc@example.org", "hidden@example.org")
    assert message.sender == "news@example.com"


def test_reply_to_from_the_row_overrides_the_settings() -> None:
    default = Address("desk@example.com", "Desk")
    assert parse(build(reply_to=default))["Reply-To"].addresses[0].addr_spec == "desk@example.com"
    row = recipient(reply_to=Address("owner@example.org", "Owner"))
    assert parse(build(row, reply_to=default))["Reply-To"].addresses[0].addr_spec == (
        "owner@example.org"
    )


def test_list_unsubscribe_is_a_mailto_link_when_set() -> None:
    assert parse(build(list_unsubscribe="unsub@example.com"))["List-Unsubscribe"] == (
        "<mailto:unsub@example.com>"
    )
    assert "list-unsubscribe" not in header_names(build())


def test_html_message_is_multipart_alternative_text_then_html() -> None:
    parsed = parse(build(rendered=parts(html="<p>Grüße</p>", text="Grüße\n")))
    assert parsed.get_content_type() == "multipart/alternative"
    plain, html = parsed.iter_parts()
    # base64 carries the canonical text, whose line ends are CRLF (RFC 2045, 6.8)
    assert plain.get_content_type() == "text/plain" and plain.get_content() == "Grüße\r\n"
    assert html.get_content_type() == "text/html" and html.get_content() == "<p>Grüße</p>"


def test_text_only_message_is_a_single_text_plain_part() -> None:
    parsed = parse(build(rendered=parts(html=None, text="只有文字\n")))
    assert parsed.get_content_type() == "text/plain"
    assert not parsed.is_multipart()
    assert parsed.get_content() == "只有文字\r\n"  # base64 of the canonical (CRLF) text


def test_attachments_wrap_the_alternative_in_mixed_with_chinese_filenames(tmp_path: Path) -> None:
    common = tmp_path / "年度报告 2024.pdf"
    common.write_bytes(b"%PDF-1.4 common")
    long_name = tmp_path / ("很长的文件名" * 12 + ".xlsx")
    long_name.write_bytes(b"PK\x03\x04 per row")
    message = build(recipient(attachments=(long_name,)), attachments=(common,))
    parsed = parse(message)
    assert parsed.get_content_type() == "multipart/mixed"
    body, *files = parsed.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert [(f.get_filename(), f.get_content()) for f in files] == [
        (common.name, b"%PDF-1.4 common"),
        (long_name.name, b"PK\x03\x04 per row"),
    ]
    assert files[0].get_content_type() == "application/pdf"


def test_every_line_ends_in_crlf_and_none_exceeds_998_octets(tmp_path: Path) -> None:
    attachment = tmp_path / "data.bin"
    attachment.write_bytes(bytes(range(256)) * 100)
    html = "<p>" + "长" * 3000 + "x" * 5000 + "</p>"
    rendered = parts(subject="Subject " * 200, html=html, text="y" * 5000)
    message = build(recipient("Name " * 30), rendered, attachments=(attachment,))
    assert b"\n" not in message.data.replace(b"\r\n", b"")
    assert b"\r" not in message.data.replace(b"\r\n", b"")
    assert max(len(line) for line in message.data.split(b"\r\n")) <= 998
    parsed = parse(message)
    assert parsed["Subject"] == "Subject " * 200
    assert to_display_name(message) == "Name " * 30
    assert next(parsed.iter_parts()).get_body(("html",)).get_content() == html  # type: ignore[union-attr]


def test_missing_attachment_is_a_problem_on_the_row(tmp_path: Path) -> None:
    gone = tmp_path / "gone.pdf"
    with pytest.raises(ComposeError) as caught:
        build(recipient(row=9, attachments=(gone,)))
    (problem,) = caught.value.problems
    assert problem.kind is ProblemKind.MISSING_ATTACHMENT
    assert problem.row == 9
    assert "gone.pdf" in problem.message


def test_attachment_removed_after_first_use_is_noticed(tmp_path: Path) -> None:
    shared = tmp_path / "shared.pdf"
    shared.write_bytes(b"pdf")
    builder = MessageBuilder(settings(attachments=(shared,)))
    builder.build(recipient(), parts())
    shared.unlink()
    with pytest.raises(ComposeError) as caught:
        builder.build(recipient(row=3), parts())
    assert caught.value.problems[0].kind is ProblemKind.MISSING_ATTACHMENT


def test_large_attachments_give_a_warning_but_still_build(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2000)
    message = build(attachments=(big,), attachment_warn_bytes=1000)
    (warning,) = message.problems
    assert warning.kind is ProblemKind.LARGE_ATTACHMENTS
    assert warning.severity is Severity.WARNING
    assert build(attachments=(big,)).problems == ()


def test_smtputf8_is_flagged_when_an_envelope_address_needs_it() -> None:
    utf8 = recipient("用户", "用户@example.org")
    message = build(utf8)
    assert message.smtputf8
    # RFC 6532 headers are raw UTF-8; the stdlib reads them when given text, not bytes
    parsed = email.message_from_string(message.data.decode("utf-8"), policy=email.policy.default)
    assert parsed["To"].addresses[0].addr_spec == "用户@example.org"
    assert not build().smtputf8


def _head(message_data: bytes) -> bytes:
    return message_data.split(b"\r\n\r\n", 1)[0]


def test_chinese_filenames_use_rfc_2231_parameters_never_encoded_words(tmp_path: Path) -> None:
    short = tmp_path / "报价单.pdf"
    short.write_bytes(b"%PDF-1.4")
    long_name = tmp_path / ("很长的文件名" * 12 + ".xlsx")
    long_name.write_bytes(b"PK")
    message = build(attachments=(short, long_name))

    data = message.data
    assert b"filename*=utf-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf" in data
    assert b"filename*0*=utf-8''" in data and b"filename*1*=" in data  # continued when long
    for line in data.split(b"\r\n"):
        if b"filename" in line or b"name*" in line:
            assert b"=?" not in line
    names = [f.get_filename() for f in parse(message).iter_attachments()]
    assert names == [short.name, long_name.name]


def test_long_subjects_and_names_are_folded_into_short_encoded_lines_around_the_address() -> None:
    subject = "季度报告 📈 " * 12 + "— final"
    name = "欧阳·慕容" * 10
    message = build(recipient(name), parts(subject=subject))

    head = _head(message.data).decode("ascii")  # encoded headers are pure ASCII
    subject_lines = head.split("Subject: ", 1)[1].split("\r\nDate:", 1)[0].split("\r\n")
    assert len(subject_lines) > 1
    assert all(line.startswith(" ") for line in subject_lines[1:])  # folded continuation lines
    assert all(len(line) <= 78 for line in subject_lines)
    to_header = head.split("To: ", 1)[1].split("\r\nSubject:", 1)[0]
    assert to_header.endswith(" <ann@example.org>")  # the address itself is never encoded
    parsed = parse(message)
    assert parsed["Subject"] == subject
    assert to_display_name(message) == name
    words = re.findall(r"=\?utf-8\?b\?[^?]*\?=", head)
    assert len(words) > 2 and all(len(word) <= 75 for word in words)  # RFC 2047


def test_the_size_warning_states_the_limit_in_the_megabytes_it_was_set_in(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (21 * 1024 * 1024))
    (warning,) = build(attachments=(big,)).problems  # the default limit: 20 MB

    assert "add up to 21.0 MB, more than 20.0 MB" in warning.message
    assert build(attachments=(big,), attachment_warn_bytes=22 * 1024 * 1024).problems == ()
