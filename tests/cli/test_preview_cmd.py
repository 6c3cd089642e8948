"""`herald preview --row N`: one row's message, headers decoded; --eml writes the exact bytes."""

from __future__ import annotations

import email.policy
import json
import re
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import cast

import pytest

from app.cli import run
from app.core.campaign import load_campaign, load_campaign_file
from app.core.preflight import render_row
from tests.core.campaign.builders import (
    CSV_LINES,
    ROWS,
    write_campaign,
    write_csv,
    write_workbook,
)


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


def test_preview_shows_an_international_domain_in_ascii_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [("wang@例子.example", "王芳", "华星", ROWS[0][3], 1001)]

    code = run(["preview", str(write_campaign(tmp_path, rows=rows)), "--row", "2"])

    out = capsys.readouterr().out
    assert code == 0
    assert "王芳 <wang@xn--fsqu00a.example>" in out
    assert "RCPT TO <wang@xn--fsqu00a.example>" in out
    assert "例子" not in out.split("Subject:")[0].split("To:")[1]


def test_preview_of_a_csv_row_uses_the_line_number_check_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path)
    lines = (*CSV_LINES, "c@example.org,Alice Smith,Smith & Co,2020-07-02,3")
    csv = write_csv(tmp_path / "people.csv", lines)
    options = [str(campaign), "--recipients", str(csv)]

    run(["check", *options, "--json"])
    reported = json.loads(capsys.readouterr().out)["unsendable_rows"]
    unsendable = run(["preview", *options, "--row", str(reported[0])])
    refused = capsys.readouterr().err
    sendable = run(["preview", *options, "--row", "5"])
    shown = capsys.readouterr().out

    assert reported == [4]
    assert unsendable == 1 and "Row 4 cannot be sent" in refused and "'bad'" in refused
    assert sendable == 0 and "Alice Smith <c@example.org>" in shown and "Row 5" in shown


def test_preview_of_an_xlsx_row_below_blank_rows_uses_the_workbook_row_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [ROWS[0], (None, None, None, None, None), (None,) * 5, ROWS[2]]

    code = run(["preview", str(write_campaign(tmp_path, rows=rows)), "--row", "5"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Row 5" in out and "李娜 <li.na@example.net>" in out


_VARYING = re.compile(rb"herald-[0-9a-f]{24}|<[0-9a-f]{32}@example\.com>|Date: [^\r]*")


def test_eml_holds_the_same_bytes_the_sender_gets_for_that_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "价目表.txt").write_bytes("价格".encode() * 100)
    campaign_file = write_campaign(tmp_path, extra='attachments = ["价目表.txt"]')
    target = tmp_path / "row4.eml"

    assert run(["preview", str(campaign_file), "--row", "4", "--eml", str(target)]) == 0
    sent = render_row(load_campaign(load_campaign_file(campaign_file)), 4).data

    # Only the Message-ID, the Date and the random MIME boundaries differ between two builds.
    assert _VARYING.sub(b"~", target.read_bytes()) == _VARYING.sub(b"~", sent)


def test_every_shared_option_reaches_the_message_without_a_campaign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = ("Address", "姓名", "Files")
    write_workbook(
        tmp_path / "list.xlsx", [("wang@example.com", "王芳", "合同.pdf")], headers, sheet="名单"
    )
    (tmp_path / "合同.pdf").write_bytes(b"%PDF-1.4 row")
    (tmp_path / "a.txt").write_bytes(b"common a")
    (tmp_path / "b.txt").write_bytes(b"common b")
    (tmp_path / "body.md").write_text("# 你好 {{ 姓名 }}\n\n*bold* text\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Plain for {{ 姓名 }}\n", encoding="utf-8")
    target = tmp_path / "out.eml"
    options = {
        "--recipients": "list.xlsx",
        "--sheet": "名单",
        "--subject": "Hi {{ 姓名 }}",
        "--body": "body.md",
        "--text": "plain.txt",
        "--attach-column": "Files",
        "--email-column": "Address",
        "--from": "商店 <shop@example.com>",
        "--reply-to": "help@example.com",
        "--list-unsubscribe": "unsub@example.com",
    }
    args = [item for pair in options.items() for item in pair]
    attach = ["--attach", str(tmp_path / "a.txt"), "--attach", str(tmp_path / "b.txt")]

    code = run(
        [
            "preview",
            *(str(tmp_path / a) if a.endswith((".xlsx", ".md", "plain.txt")) else a for a in args),
            *attach,
            "--row",
            "2",
            "--eml",
            str(target),
        ]
    )

    assert code == 0, capsys.readouterr()
    parsed = cast(
        EmailMessage, BytesParser(policy=email.policy.default).parsebytes(target.read_bytes())
    )
    assert str(parsed["From"]) == "商店 <shop@example.com>"
    assert str(parsed["To"]) == "王芳 <wang@example.com>"
    assert str(parsed["Reply-To"]) == "help@example.com"
    assert str(parsed["List-Unsubscribe"]) == "<mailto:unsub@example.com>"
    assert str(parsed["Subject"]) == "Hi 王芳"
    html = cast(EmailMessage, parsed.get_body(("html",))).get_content()
    assert "<h1>你好 王芳</h1>" in html and "<em>bold</em>" in html  # .md: Markdown
    assert cast(EmailMessage, parsed.get_body(("plain",))).get_content().strip() == "Plain for 王芳"
    names = [part.get_filename() for part in parsed.iter_attachments()]
    assert names == ["a.txt", "b.txt", "合同.pdf"]


def test_preview_of_a_row_whose_template_is_too_big_says_so_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path, template="<p>{{ 'x' * 500000000 }}</p>\n")

    code = run(["preview", str(campaign), "--row", "2"])

    err = capsys.readouterr().err
    assert code == 1
    assert "Row 2 cannot be sent:" in err
    assert "makes a message too large (more than 10 MB of text)" in err
