"""The entry points for reading recipients: pick the reader from what the file really is."""

from __future__ import annotations

from pathlib import Path

from app.core.model import Table
from app.core.recipients.reader_csv import read_csv
from app.core.recipients.reader_xlsx import list_xlsx_sheets, read_xlsx
from app.core.recipients.safety import FileKind, classify, refusal

_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    max_rows: int = 1_000_000,
) -> Table:
    """Read recipients from an .xlsx/.xlsm workbook or a CSV file.

    `sheet` defaults to the first visible sheet (ignored for CSV); `header_row` is the
    workbook's row number (CSV: line number) and defaults to the first non-empty row.
    Raises InputError for files we refuse, with a message that says what to do.
    """
    if header_row is not None and header_row < 1:
        raise ValueError("header_row counts from 1, like Excel's row numbers")
    path = Path(path)
    if classify(path) is FileKind.WORKBOOK:
        return read_xlsx(path, sheet=sheet, header_row=header_row, max_rows=max_rows)
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        raise refusal(path, "is not a workbook. Choose a .xlsx workbook or a .csv file.")
    return read_csv(path, header_row=header_row, max_rows=max_rows)


def list_sheets(path: Path) -> tuple[str, ...]:
    """Visible sheet names of a workbook, in order; () for a CSV file."""
    path = Path(path)
    if classify(path) is FileKind.WORKBOOK:
        return list_xlsx_sheets(path)
    return ()
