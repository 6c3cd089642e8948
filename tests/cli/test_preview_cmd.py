"""`herald preview --row N`: one row's message, headers decoded; --eml writes the exact bytes."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import cast

import pytest

from app.cli import run
from tests.core.campaign.builders import ROWS, write_campaign


def test_preview_of_a_row_shows_its_decoded_chinese_headers_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["preview", str(write_campaign(tmp_path)), "--row", "4"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Row 4" in out
    assert "李娜，订单 #1003" in out  # Subject, decoded from RFC 2047
    assert "李娜 <li.na@example.net>" in out  # To, display name decoded
    assert "Herald 测试 <shop@example.com>" in out  # From
    assert "Message-ID:" in out
    assert "Date:" in out
    assert "Order #1003 for 青松科技 (since 2022-01-09)." in out  # the text part


def test_preview_with_html_prints_the_html_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["preview", str(write_campaign(tmp_path)), "--row", "2", "--html"])

    assert code == 0
    assert "<p>张伟，您好！</p>" in capsys.readouterr().out


def test_preview_lists_common_attachments_with_their_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "价目表.txt").write_bytes(b"x" * 2048)
    campaign = write_campaign(tmp_path, extra='attachments = ["价目表.txt"]')

    code = run(["preview", str(campaign), "--row", "2"])

    out = capsys.readouterr().out
    assert code == 0
    assert "价目表.txt  (2.0 KB" in out


def test_eml_writes_the_exact_parseable_bytes_with_crlf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "row3.eml"

    code = run(["preview", str(write_campaign(tmp_path)), "--row", "3", "--eml", str(target)])

    assert code == 0
    data = target.read_bytes()
    assert b"\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    parsed = cast(EmailMessage, BytesParser(policy=email.policy.default).parsebytes(data))
    assert parsed["To"].addresses[0].addr_spec == "alice@example.org"
    assert parsed["Bcc"] is None
    assert str(parsed["Subject"]) == "Alice Smith，订单 #1002"
    assert str(target) in capsys.readouterr().out


def test_preview_of_an_unsendable_row_exits_1_and_lists_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [ROWS[0], ("not-an-address", *ROWS[1][1:])]

    code = run(["preview", str(write_campaign(tmp_path, rows=rows)), "--row", "3"])

    err = capsys.readouterr().err
    assert code == 1
    assert "Row 3 cannot be sent" in err
    assert "invalid-address" in err


def test_preview_of_a_row_that_holds_no_data_exits_2_saying_which_rows_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["preview", str(write_campaign(tmp_path)), "--row", "40"])

    assert code == 2
    assert "the data rows are 2 to 4" in capsys.readouterr().err


def test_preview_without_a_row_shows_the_first_sendable_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [("not-an-address", *ROWS[0][1:]), ROWS[1]]

    code = run(["preview", str(write_campaign(tmp_path, rows=rows))])

    assert code == 0
    assert "Row 3" in capsys.readouterr().out


def test_preview_shows_cc_in_the_headers_and_bcc_only_in_the_envelope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = ("Email", "姓名", "Cc", "Bcc")
    rows = [("zhang.wei@example.com", "张伟", "boss@example.org", "archive@example.net")]
    campaign = write_campaign(
        tmp_path,
        rows=rows,
        headers=headers,
        template="<p>{{ 姓名 }}</p>",
        subject="Hi {{ 姓名 }}",
        extra='[columns]\ncc = "Cc"\nbcc = "Bcc"\n',
    )
    target = tmp_path / "row2.eml"

    assert run(["preview", str(campaign), "--row", "2"]) == 0
    assert run(["preview", str(campaign), "--row", "2", "--eml", str(target)]) == 0

    out = capsys.readouterr().out
    assert "Cc:" in out and "boss@example.org" in out
    assert "Bcc (envelope):   archive@example.net" in out
    assert b"archive@example.net" not in target.read_bytes()
