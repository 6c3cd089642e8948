"""Read one sheet of an .xlsx/.xlsm workbook into a Table, values as a person sees them.

python-calamine (Rust) does the bulk reading: about ten times faster than openpyxl for big
sheets. openpyxl (read_only, data_only, with defusedxml) is the reference reader: the test
suite checks both give identical values, and it is the fallback if calamine fails on a file.
Macros are never run: neither reader executes anything; vbaProject.bin is never opened.

Before either reader runs, sheet_scan.py reads the sheet's cell addresses: calamine would
abort the process on a sheet that reaches far (one cell at XFD1048576), so such a sheet is
streamed by openpyxl instead, or refused if even that would build too big a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from app.core.model import CellValue, InputError, Table
from app.core.recipients.assemble import build_table
from app.core.recipients.safety import open_workbook_archive, refusal
from app.core.recipients.sheet_scan import MAX_STREAMED_CELLS, SheetScan, scan_sheet
from app.core.recipients.workbook_parts import SheetInfo, formulas_without_value, sheet_infos

Engine = Literal["calamine", "openpyxl"]
# Floats with no fraction become ints (1001.0 -> 1001) while Excel still shows every digit.
_INT_LIMIT = 1e15


def clean(value: Any) -> CellValue:
    """A reader's cell value -> what a person sees: trimmed text, int not 1001.0, never None."""
    kind = type(value)
    if kind is str:
        text: str = value.strip()
        return text
    if kind is float:
        number: float = value
        return int(number) if number.is_integer() and abs(number) < _INT_LIMIT else number
    if value is None:
        return ""
    if kind in (int, bool, dt.date, dt.datetime):
        same: CellValue = value
        return same
    if kind is dt.time:
        time_text: str = value.isoformat()
        return time_text
    return str(value)


def _clean_row(raw: Any, lead: tuple[CellValue, ...] = ()) -> tuple[CellValue, ...]:
    # Text and numbers are nearly every cell: handle them inline (a call per cell costs
    # a third of the load time for 100,000 rows); everything else goes through clean().
    values = [
        v.strip()
        if (kind := type(v)) is str
        else (int(v) if v.is_integer() and -_INT_LIMIT < v < _INT_LIMIT else v)
        if kind is float
        else clean(v)
        for v in raw
    ]
    while values and values[-1] == "":
        values.pop()
    return (*lead, *values) if values else ()


def list_xlsx_sheets(path: Path) -> tuple[str, ...]:
    """Names of the visible worksheets, in workbook order."""
    with open_workbook_archive(path) as zf:
        return tuple(s.name for s in sheet_infos(zf, path) if s.visible and s.worksheet)


def _choose(path: Path, infos: tuple[SheetInfo, ...], wanted: str | None) -> SheetInfo:
    visible = [s for s in infos if s.visible and s.worksheet]
    if wanted is None:
        if not visible:
            raise refusal(
                path,
                "has no visible worksheet. Unhide a sheet in Excel or WPS, "
                "or name the sheet to read.",
            )
        return visible[0]
    exact = [s for s in infos if s.worksheet and s.name == wanted]
    loose = [s for s in infos if s.worksheet and _same_name(s.name, wanted)]
    if exact or loose:
        return (exact or loose)[0]
    names = ", ".join(repr(s.name) for s in visible) or "(none)"
    raise refusal(path, f"has no sheet named {wanted!r}. Sheets in this workbook: {names}.")


def _same_name(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def read_xlsx(
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    max_rows: int = 1_000_000,
    engine: Engine = "calamine",
) -> Table:
    with open_workbook_archive(path) as zf:
        infos = sheet_infos(zf, path)
        chosen = _choose(path, infos, sheet)
        scan = scan_sheet(zf, chosen.part, path)
        try:
            formulas = formulas_without_value(zf, chosen.part) if scan.has_formula else {}
        except Exception as exc:  # malformed XML, odd attributes: all "damaged"
            raise refusal(
                path,
                f"is damaged (sheet {chosen.name!r}: {exc}). Open it in "
                "Excel or WPS and save it again.",
            ) from exc
    if scan.reader == "refuse":
        raise _too_far(path, chosen.name, scan)
    if scan.reader == "stream":
        engine = "openpyxl"  # streams row by row; calamine would allocate the whole grid
    visible = tuple(s.name for s in infos if s.visible and s.worksheet)

    def build(rows: Iterator[tuple[int, tuple[CellValue, ...]]]) -> Table:
        return build_table(
            source=path,
            sheet=chosen.name,
            sheets=visible,
            rows=rows,
            header_row=header_row,
            max_rows=max_rows,
            formulas=formulas,
        )

    if engine == "calamine":
        try:
            return build(_calamine_rows(path, chosen.name))
        except InputError:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: S110 - incl. a Rust panic: try the reference reader
            pass
    try:
        return build(_openpyxl_rows(path, chosen.name))
    except InputError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise refusal(
            path,
            f"could not be read ({type(exc).__name__}: {exc}). Open it in "
            "Excel or WPS and save it again as .xlsx, or save it as CSV UTF-8.",
        ) from exc


def _too_far(path: Path, sheet: str, scan: SheetScan) -> InputError:
    return refusal(
        path,
        f"sheet {sheet!r} reaches cell {scan.last_cell}: its rows would make a table of "
        f"{scan.padded_cells:,} cells, more than Herald reads ({MAX_STREAMED_CELLS:,}). "
        "Delete the rows and columns past your list (Ctrl+End shows the last cell Excel "
        "keeps) and save it again, or save the list as CSV UTF-8.",
    )


def _calamine_rows(path: Path, name: str) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_name(name)
    start = sheet.start
    if start is None:
        return
    # iter_rows() starts at row 1 but at the first used column: put the columns back.
    lead: tuple[CellValue, ...] = ("",) * start[1]
    for index, raw in enumerate(sheet.iter_rows()):
        yield index + 1, _clean_row(raw, lead)


def _openpyxl_rows(path: Path, name: str) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        worksheet = workbook[name]
        worksheet.reset_dimensions()  # trust the cells, not a possibly wrong <dimension>
        for index, cells in enumerate(worksheet.iter_rows(min_row=1), start=1):
            yield index, _clean_row(_openpyxl_value(c) for c in cells)
    finally:
        workbook.close()


def _openpyxl_value(cell: Any) -> Any:
    value = cell.value
    # openpyxl gives datetime for every date cell; a date-only format means a date.
    if type(value) is dt.datetime and not _has_time(getattr(cell, "number_format", "")):
        return value.date()
    return value


def _has_time(number_format: str) -> bool:
    fmt = number_format.lower()
    return "h" in fmt or "s" in fmt or "am/pm" in fmt
