"""Helpers that write real files: workbooks with openpyxl, CSVs in a chosen encoding."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

WriteXlsx = Callable[..., Path]


@pytest.fixture
def write_xlsx(tmp_path: Path) -> WriteXlsx:
    """write_xlsx(rows, name="list.xlsx", sheet="Sheet1", extra_sheets={name: (rows, state)})"""

    def write(
        rows: Sequence[Sequence[Any]],
        name: str = "list.xlsx",
        sheet: str = "Sheet1",
        extra_sheets: dict[str, tuple[Sequence[Sequence[Any]], str]] | None = None,
        first_hidden: bool = False,
    ) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        for row in rows:
            ws.append(list(row))
        for other, (other_rows, state) in (extra_sheets or {}).items():
            extra = wb.create_sheet(other)
            extra.sheet_state = state
            for row in other_rows:
                extra.append(list(row))
        if first_hidden:
            ws.sheet_state = "hidden"
            wb.active = len(wb.sheetnames) - 1
        path = tmp_path / name
        wb.save(path)
        return path

    return write


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite (or add) one part of a zip, e.g. a sheet's XML, keeping the others."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    parts[part] = change(parts.get(part, b""))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


SHEET1 = "xl/worksheets/sheet1.xml"
