"""Cc, Bcc and Reply-To columns found by their headers are announced by check and send."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.cli import run


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def campaign_options(folder: Path) -> list[str]:
    """Three readers; a 密送 (Bcc) column hides two addresses on row 2 and one on row 4, a
    抄送 (Cc) column copies one address on row 3, a 回复地址 column redirects row 2's replies."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["邮箱", "姓名", "密送", "抄送", "回复地址"])
    sheet.append(
        ["a@example.org", "A", "spy1@example.net; spy2@example.net", "", "boss@example.com"]
    )
    sheet.append(["b@example.org", "B", "", "copy@example.com", ""])
    sheet.append(["c@example.org", "C", "spy3@example.net", "", ""])
    book.save(folder / "people.xlsx")
    (folder / "body.txt").write_text("Hello {{ 姓名 }}\n", "utf-8")
    return [
        "--recipients", str(folder / "people.xlsx"), "--subject", "Hi",
        "--body", str(folder / "body.txt"), "--from", "Shop <shop@example.com>",
    ]  # fmt: skip


BCC = "Bcc column '密送' adds 3 hidden recipients on 2 rows (found by its header, not chosen"
CC = "Cc column '抄送' adds 1 Cc recipient on 1 row (found by its header"
REPLY = "Reply-To column '回复地址' sends replies elsewhere on 1 row (found by its header"


def test_check_announces_the_found_bcc_cc_and_reply_to_columns(tmp_path: Path, capsys) -> None:
    assert run(["check", *campaign_options(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert BCC in out and CC in out and REPLY in out
    assert out.index(BCC) < out.index("Rows: 3")  # with the columns, before the verdict


def test_the_dry_run_plan_announces_the_hidden_recipients(tmp_path: Path, capsys) -> None:
    assert run(["send", *campaign_options(tmp_path), "--dry-run"]) == 0

    out = capsys.readouterr().out
    assert BCC in out
    assert out.index(BCC) < out.index("Dry run:")


def test_the_send_confirmation_is_preceded_by_the_announcement(
    tmp_path: Path, data_dir: Path, capsys
) -> None:
    assert run(["send", *campaign_options(tmp_path), "--yes"]) == 0

    out = capsys.readouterr().out
    assert BCC in out
    assert out.index(BCC) < out.index("3 sent")


def test_a_bcc_column_counted_over_sendable_rows_only(tmp_path: Path, capsys) -> None:
    options = campaign_options(tmp_path)
    book = openpyxl.load_workbook(tmp_path / "people.xlsx")
    book.active["A4"] = "not-an-address"  # row 4 (one hidden recipient) cannot be sent
    book.save(tmp_path / "people.xlsx")

    assert run(["check", *options]) == 1

    assert "Bcc column '密送' adds 2 hidden recipients on 1 row" in capsys.readouterr().out


def test_no_announcement_without_such_columns(tmp_path: Path, capsys) -> None:
    from tests.cli.send_support import write_campaign

    assert run(["check", *write_campaign(tmp_path, 2)]) == 0
    out = capsys.readouterr().out
    assert "Bcc column" not in out and "Cc column" not in out
