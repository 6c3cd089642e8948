"""Export a campaign's journal as a spreadsheet: the original columns plus what happened.

Every text cell is guarded against formula injection (OWASP; ASVS 5.0 1.2.10): workbook cells
came from whoever filled the sheet, and SMTP reply text comes from a remote server, so either
could start with `=HYPERLINK(...)`. In CSV such a cell gets a leading `'`. In xlsx every text
is written as an inline string (never a formula) with Excel's own quote-prefix flag, so the
value stays exactly as it was and Excel neither evaluates it nor turns it into a formula when
the cell is edited.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from app.core.journal import Journal, JournalRow, MailboxMark, cell_text
from app.core.model import CellValue, Problem, Severity

OUTCOME_COLUMNS = (
    "Status",
    "Time",
    "Attempts",
    "SMTP code",
    "SMTP reply",
    "Message-ID",
    "Workbook row",
    "Note",  # why a row was skipped (invalid address, duplicate, excluded)
)
BOUNCE_COLUMN = "Bounce"
SKIPPED = "skipped"
# A spreadsheet reads these first characters as the start of a formula (full-width forms too:
# an East Asian input method types them, and some spreadsheet versions accept them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0", "＝", "＋", "－", "＠")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

Cell = CellValue | None


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A workbook row the send left out, and why: the report lists every row, not only the
    ones in the journal ("28 of 28" for a 30-row workbook hid two)."""

    row: int
    fields: Mapping[str, CellValue]
    reason: str


class ReportError(Exception):
    """The report could not be written (unknown format, folder missing, file in use)."""


def skipped_from(
    rows: Mapping[int, Sequence[CellValue]],
    headers: Sequence[str],
    problems_by_row: Mapping[int, Sequence[Problem]],
    excluded: Iterable[int],
    in_journal: set[int],
) -> list[SkippedRow]:
    """The workbook rows a send left out (`rows` by number, not in `in_journal`), with the
    reason in the core's words: excluded, else the row's first error (invalid, duplicate)."""
    left_out = set(excluded)
    found = []
    for number, values in rows.items():
        if number in in_journal:
            continue
        if number in left_out:
            reason = "excluded from the send"
        else:
            errors = [p for p in problems_by_row.get(number, ()) if p.severity == Severity.ERROR]
            reason = errors[0].message if errors else "not in this send"
        found.append(SkippedRow(number, dict(zip(headers, values, strict=False)), reason))
    return found


def export_report(
    journal: Journal,
    out: Path,
    *,
    tz: dt.tzinfo | None = None,
    skipped: Iterable[SkippedRow] = (),
) -> int:
    """Write the report to `out` (.xlsx or .csv); returns the number of recipient rows.

    Every row: the journal's, and the `skipped` ones in workbook order with their reason.
    Cells keep the workbook's types (numbers, dates) in xlsx; CSV shows them as the workbook
    does. Times are shown in `tz` (default: this computer's zone). The file appears whole or not at
    all: it is written next to `out` and moved into place at the end.
    """
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ReportError(f"Cannot write {out.name}: the report can be .xlsx or .csv.")
    if not out.parent.is_dir():
        raise ReportError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    bounces = {
        row: marks
        for row, marks in journal.mailbox_marks().items()
        if MailboxMark.BOUNCED_HARD in marks or MailboxMark.BOUNCED_SOFT in marks
    }
    # the Bounce column appears once `herald bounces` found any, so older reports keep their shape
    header = (*journal.headers, *OUTCOME_COLUMNS, *((BOUNCE_COLUMN,) if bounces else ()))
    records = _records(
        journal, tz, sorted(skipped, key=lambda s: s.row), bounces if bounces else None
    )
    fd, temp_name = tempfile.mkstemp(prefix=".herald-report-", suffix=suffix, dir=out.parent)
    temp = Path(temp_name)
    try:
        os.close(fd)
        if suffix == ".csv":
            count = _write_csv(temp, header, records)
        else:
            count = _write_xlsx(temp, header, records, journal, tz)
        os.replace(temp, out)
    except OSError as exc:
        raise ReportError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return count


def guard_text(text: str) -> str:
    """The CSV form of a text cell: control characters replaced, formula starts defused."""
    clean = clean_text(text)
    return "'" + clean if text.startswith(FORMULA_TRIGGERS) else clean


def clean_text(text: str) -> str:
    """Characters no spreadsheet can hold (NUL, other C0 controls) become U+FFFD."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return cleaned


def _records(
    journal: Journal,
    tz: dt.tzinfo | None,
    skipped: list[SkippedRow],
    bounces: dict[int, dict[MailboxMark, str]] | None = None,
) -> Iterator[list[Cell]]:
    """Journal rows and skipped rows merged in workbook order (both arrive sorted); with
    `bounces`, each row ends with its Bounce cell."""
    extra: list[Cell] = [] if bounces is None else [""]  # a skipped row never bounced
    waiting = iter(skipped)
    left = next(waiting, None)
    for row in journal.rows():
        while left is not None and left.row < row.row:
            yield [*_skipped_record(journal.headers, left), *extra]
            left = next(waiting, None)
        original: list[Cell] = [row.fields.get(name, "") for name in journal.headers]
        bounce: list[Cell] = [] if bounces is None else [_bounce(bounces.get(row.row, {}))]
        yield [*original, *_outcome(row, tz), *bounce]
    while left is not None:
        yield [*_skipped_record(journal.headers, left), *extra]
        left = next(waiting, None)


def _bounce(marks: dict[MailboxMark, str]) -> str:
    """ "hard: <diagnostic>" / "soft: ..." (a hard bounce wins: it is the one that matters)."""
    for mark, word in ((MailboxMark.BOUNCED_HARD, "hard"), (MailboxMark.BOUNCED_SOFT, "soft")):
        if mark in marks:
            return f"{word}: {marks[mark]}"
    return ""


def _skipped_record(headers: Sequence[str], row: SkippedRow) -> list[Cell]:
    original: list[Cell] = [row.fields.get(name, "") for name in headers]
    return [*original, SKIPPED, None, 0, None, "", "", row.row, row.reason]


def _outcome(row: JournalRow, tz: dt.tzinfo | None) -> list[Cell]:
    moment = row.sent_at or row.last_attempt_at
    local = moment.astimezone(tz).replace(tzinfo=None) if moment else None
    return [
        row.state.value,
        local,
        row.attempts,
        row.smtp_code,
        row.smtp_text,
        row.message_id,
        row.row,
        "",
    ]


def _write_csv(path: Path, header: Sequence[str], records: Iterator[list[Cell]]) -> int:
    # UTF-8 with a BOM: without it Excel guesses the ANSI code page and Chinese turns to mojibake
    with path.open("w", encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text)
        writer.writerow([guard_text(name) for name in header])
        count = 0
        for record in records:
            writer.writerow([_csv_cell(value) for value in record])
            count += 1
    return count


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(_TIME_FORMAT)
    if isinstance(value, str):
        return guard_text(value)
    return cell_text(value)  # as the workbook shows it: 12, not 12.0; dates in ISO form


def _write_xlsx(
    path: Path,
    header: Sequence[str],
    records: Iterator[list[Cell]],
    journal: Journal,
    tz: dt.tzinfo | None,
) -> int:
    book = Workbook(write_only=True)  # streams rows: 100,000 recipients stay small in memory
    sheet = book.create_sheet("Recipients")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, name, font=bold) for name in header])
    count = 0
    for record in records:
        sheet.append([_xlsx_cell(sheet, value) for value in record])
        count += 1
    events = book.create_sheet("Events")
    events.append([_xlsx_cell(events, name, font=bold) for name in ("Time", "Event", "Detail")])
    for event in journal.events():
        when = event.at.astimezone(tz).replace(tzinfo=None)
        events.append([_xlsx_cell(events, v) for v in (when, event.kind.value, event.detail)])
    book.save(path)
    return count


def _xlsx_cell(sheet: object, value: Cell, *, font: Font | None = None) -> object:
    if value is None or isinstance(value, int | float):  # bool too: Excel's TRUE/FALSE
        return value
    if isinstance(value, str) and font is None and not value.startswith(FORMULA_TRIGGERS):
        return clean_text(value)  # openpyxl stores a plain str as text; no cell object needed
    cell = WriteOnlyCell(sheet)
    if isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None) if value.tzinfo else value  # xlsx has no zones
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell.value = clean_text(value)
    cell.data_type = "s"  # openpyxl would make "=..." a formula; text is always text here
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # and stays text if someone edits the cell in Excel
    if font is not None:
        cell.font = font
    return cell
