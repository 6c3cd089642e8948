"""`herald check`, `preview` and `send` with a damaged workbook: exit 2 and one sentence on
stderr saying what is wrong and what to do; never a traceback, never exit 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from tests.core.campaign.builders import write_campaign
from tests.support import zip_surgery

FAULTS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "crc": (zip_surgery.bad_crc, "member xl/worksheets/sheet1.xml fails its checksum"),
    "deflate": (zip_surgery.broken_deflate, "compressed data of member xl/worksheets/sheet1"),
    "name": (zip_surgery.local_name_mismatch, "a different name in its own header"),
    "method": (zip_surgery.compression_method, "compressed in a way Herald cannot read"),
    "undecodable": (zip_surgery.undecodable_name, "cannot be decoded"),
    "truncated": (zip_surgery.truncated, "cut short"),
}


def _damaged_campaign(folder: Path, fault: str) -> Path:
    campaign = write_campaign(folder)
    workbook = folder / "people.xlsx"
    workbook.write_bytes(FAULTS[fault][0](workbook.read_bytes()))
    return campaign


@pytest.mark.parametrize("fault", list(FAULTS))
def test_check_exits_2_with_one_sentence_for_every_zip_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fault: str
) -> None:
    code = run(["check", str(_damaged_campaign(tmp_path, fault))])

    captured = capsys.readouterr()
    assert code == 2
    assert "people.xlsx: the workbook is damaged (" in captured.err
    assert FAULTS[fault][1] in captured.err
    assert "Open it in Excel or WPS and save it again" in captured.err
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize(
    "command", [["preview", "--row", "2"], ["send", "--dry-run"]], ids=["preview", "send"]
)
def test_preview_and_send_refuse_a_damaged_workbook_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    campaign = _damaged_campaign(tmp_path, "crc")

    code = run([command[0], str(campaign), *command[1:]])

    captured = capsys.readouterr()
    assert code == 2
    assert "fails its checksum" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_check_reads_a_workbook_with_one_cell_at_xfd1048576(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path)
    book = openpyxl.load_workbook(tmp_path / "people.xlsx")
    book.active["XFD1048576"] = "stray"
    book.save(tmp_path / "people.xlsx")

    code = run(["check", str(campaign)])

    out = capsys.readouterr().out
    assert code == 1  # the stray cell's row has no address; the three real rows are fine
    assert "Rows: 4   sendable: 3   cannot be sent: 1" in out
    assert "row 1048576" in out
