"""Workbooks for GUI tests, written with openpyxl in the test's tmp folder."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook


def write_workbook(
    path: Path, rows: list[list[object]], *, sheets: dict[str, list[list[object]]] | None = None
) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "People"
    for row in rows:
        sheet.append(row)
    for name, extra in (sheets or {}).items():
        other = book.create_sheet(name)
        for row in extra:
            other.append(row)
    book.save(path)
    return path


def people(path: Path, count: int = 3, *, bad: int = 0, duplicate: int = 0) -> Path:
    rows: list[list[object]] = [["Email", "Name", "City"]]
    for i in range(count):
        rows.append([f"person{i}@example.com", f"Person {i}", "Paris" if i % 2 else "北京"])
    for i in range(bad):
        rows.append([f"broken{i}-at-example.com", f"Broken {i}", "Oslo"])
    for _ in range(duplicate):
        rows.append(["person0@example.com", "Again", "Rome"])
    return write_workbook(path, rows)
