"""`herald report` after a real `herald send`: the original columns plus the outcome columns,
every cell guarded against formula injection, and the password in no file Herald wrote."""

from __future__ import annotations

import base64
import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from tests.cli.send_support import reader, server_options, write_campaign, write_campaign_file

PASSWORD = "Pw-9f3kQz-report"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.setenv("HERALD_SMTP_PASSWORD", PASSWORD)
    return folder


def _send(tmp_path: Path, server) -> str:
    campaign = str(write_campaign_file(tmp_path, 3, 'user = "shop"'))
    book = openpyxl.load_workbook(tmp_path / "recipients.xlsx")
    book.active["B3"] = "@SUM(1+1)"  # reader 1's name: a formula if exported raw
    book.save(tmp_path / "recipients.xlsx")
    options = [campaign, *server_options(server.port), "--yes"]
    log = tmp_path / "events.jsonl"
    assert run(["send", *options, "--log-json", str(log)]) == 1  # one row failed
    return campaign


def test_report_after_a_real_send_has_original_and_outcome_columns_guarded(
    tmp_path: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory(auth=("shop", PASSWORD))
    server.on("rcpt", '550 =HYPERLINK("http://example.com/x","click")', address=reader(2))
    campaign = _send(tmp_path, server)
    out_csv, out_xlsx = tmp_path / "report.csv", tmp_path / "report.xlsx"
    assert run(["report", campaign, "--out", str(out_csv)]) == 0
    assert run(["report", campaign, "--out", str(out_xlsx)]) == 0

    with out_csv.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == [
        "email", "name", "Status", "Time", "Attempts", "SMTP code", "SMTP reply",
        "Message-ID", "Workbook row", "Note",
    ]  # fmt: skip
    by_email = {r["email"]: r for r in rows}
    sent, refused = by_email[reader(0)], by_email[reader(2)]
    assert sent["Status"] == "sent" and sent["SMTP code"] == "250" and sent["Attempts"] == "1"
    assert sent["Time"] and sent["Message-ID"].startswith("<")
    assert sent["Message-ID"] in server.messages[0].data.decode()
    assert refused["Status"] == "failed" and refused["SMTP code"] == "550"
    assert refused["SMTP reply"].startswith("'=HYPERLINK(")  # defused, still readable
    assert by_email[reader(1)]["name"] == "'@SUM(1+1)"

    sheet = openpyxl.load_workbook(out_xlsx).active
    header = [c.value for c in sheet[1]]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    reply = cells[reader(2)][header.index("SMTP reply")]
    name = cells[reader(1)][header.index("name")]
    assert reply.data_type == "s" and name.data_type == "s"  # text, never a formula
    assert str(name.value).endswith("@SUM(1+1)")


def test_the_password_is_in_no_file_herald_wrote(
    tmp_path: Path, data_dir: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory(auth=("shop", PASSWORD))
    campaign = _send_all(tmp_path, server)
    assert run(["report", campaign, "--out", str(tmp_path / "report.csv")]) == 0
    assert run(["report", campaign, "--out", str(tmp_path / "report.xlsx")]) == 0
    plain = base64.b64encode(f"\0shop\0{PASSWORD}".encode())
    forms = [PASSWORD.encode(), PASSWORD.encode("utf-16-le"), plain,
             base64.b64encode(PASSWORD.encode())]  # fmt: skip
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix not in (".txt", ".toml")]
    names = {p.name for p in written}
    assert "events.jsonl" in names and "report.xlsx" in names
    assert any(p.suffix == ".sqlite" for p in written)  # the journal
    assert any(p.parent.name == "history" for p in written)  # the account's day count
    assert len(list((data_dir).rglob("*"))) >= 3  # journal, history of the account ...
    for path in written:
        blobs = [path.read_bytes()]
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                blobs += [book.read(name) for name in book.namelist()]
        for blob in blobs:
            for form in forms:
                assert form not in blob, f"the password is in {path}"


def _send_all(tmp_path: Path, server) -> str:
    campaign = str(write_campaign_file(tmp_path, 3, 'user = "shop"'))
    log = tmp_path / "events.jsonl"
    options = [campaign, *server_options(server.port), "--yes", "--log-json", str(log)]
    assert run(["send", *options]) == 0
    assert len(server.auth_attempts) == 1 and server.auth_attempts[0].success
    return campaign


def test_a_send_made_with_options_only_is_reported_from_its_recipients_file(
    tmp_path: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory(auth=("shop", PASSWORD))
    options = [*write_campaign(tmp_path, 2), *server_options(server.port), "--user", "shop"]
    assert run(["send", *options, "--yes"]) == 0
    out = tmp_path / "report.csv"
    assert run(["report", str(tmp_path / "recipients.xlsx"), "--out", str(out)]) == 0
    assert out.read_text("utf-8-sig").count(",sent,") == 2


def test_the_report_lists_rows_the_send_skipped_and_why(
    tmp_path: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory(auth=("shop", PASSWORD))
    campaign = write_campaign_file(tmp_path, 4, 'user = "shop"')
    book = openpyxl.load_workbook(tmp_path / "recipients.xlsx")
    book.active["A3"] = "not-an-address"  # reader 1: skipped by the send
    book.save(tmp_path / "recipients.xlsx")
    options = [str(campaign), *server_options(server.port), "--yes", "--skip-invalid"]
    assert run(["send", *options]) == 0
    out = tmp_path / "report.csv"
    assert run(["report", str(campaign), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["Workbook row"] for r in rows] == ["2", "3", "4", "5"]  # all four, in order
    skipped = rows[1]
    assert skipped["Status"] == "skipped" and skipped["email"] == "not-an-address"
    assert "is not a valid address" in skipped["Note"]
    assert [r["Status"] for r in rows].count("sent") == 3
