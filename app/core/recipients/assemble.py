"""Turn raw rows (row number + cleaned cell values) into a Table.

Shared by the xlsx and CSV readers: picks the header row, gives empty or duplicate headers
unique names (with a warning), skips blank rows, pads rows to the header width and enforces
the row cap. Cells arrive already cleaned (trimmed strings, ints kept as ints).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from app.core.model import CellValue, InputError, Problem, ProblemKind, Row, Severity, Table

#: (row number, column index) -> formula text, for formula cells that have no cached value.
FormulaCells = Mapping[tuple[int, int], str]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names a column, for messages."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def build_table(
    *,
    source: Path,
    sheet: str | None,
    sheets: tuple[str, ...],
    rows: Iterable[tuple[int, tuple[CellValue, ...]]],
    header_row: int | None,
    max_rows: int,
    formulas: FormulaCells | None = None,
    spreadsheet: bool = True,
) -> Table:
    """`rows` must come in ascending row order with trailing empty cells already removed."""
    formula_rows = {r for r, _ in formulas} if formulas else set()
    header: tuple[CellValue, ...] | None = None
    found_header_row = 0
    data: list[tuple[int, tuple[CellValue, ...]]] = []
    width = 0
    for number, values in rows:
        if header is None:
            if header_row is not None and number < header_row:
                continue
            if header_row is not None and (number > header_row or not values):
                raise _empty_header(source, header_row, spreadsheet)
            if not values:
                continue  # blank rows above the header
            header, found_header_row = values, number
            continue
        if not values and number not in formula_rows:
            continue  # blank row
        if len(data) >= max_rows:
            raise InputError(
                Problem(
                    kind=ProblemKind.TOO_MANY_ROWS,
                    message=f"{source.name}: more than {max_rows:,} data rows "
                    f"(row {number} is past the limit). Split the list into smaller files.",
                )
            )
        data.append((number, values))
        width = max(width, len(values))
    if header is None:
        if header_row is not None:
            raise _empty_header(source, header_row, spreadsheet)
        where = f" in sheet {sheet!r}" if sheet else ""
        raise InputError(
            Problem(
                kind=ProblemKind.UNREADABLE_FILE,
                message=f"{source.name}: no data{where}; it is empty. "
                "Put column names in the first row and one recipient per row below.",
            )
        )
    if formulas:
        width = max(width, max((c + 1 for r, c in formulas if r > found_header_row), default=0))
    width = max(width, len(header))
    header = header + ("",) * (width - len(header))
    keep = _used_columns(header, data, formulas, found_header_row)
    headers, problems = unique_headers(
        tuple(header[i] for i in keep), len(keep), spreadsheet, positions=keep
    )
    if len(keep) == width:
        table_rows = [
            Row(number, values if len(values) == width else values + ("",) * (width - len(values)))
            for number, values in data
        ]
    else:  # drop columns with neither a header nor any value (e.g. data starting in column C)
        table_rows = [
            Row(number, tuple(values[i] if i < len(values) else "" for i in keep))
            for number, values in data
        ]
        if formulas:
            index_of = {old: new for new, old in enumerate(keep)}
            formulas = {(r, index_of[c]): t for (r, c), t in formulas.items() if c in index_of}
    if formulas:
        problems.extend(
            Problem(
                kind=ProblemKind.FORMULA_WITHOUT_VALUE,
                message=f"cell {column_letter(col)}{row} holds the formula ={text} but no "
                "calculated value (the file was not saved by Excel or WPS). Open the "
                "workbook in Excel or WPS, let it recalculate, and save it.",
                row=row,
                column=headers[col],
            )
            for (row, col), text in sorted(formulas.items())
            if row > found_header_row
        )
    return Table(
        source=source,
        sheet=sheet,
        sheets=sheets,
        header_row=found_header_row,
        headers=headers,
        rows=table_rows,
        problems=tuple(problems),
    )


def _used_columns(
    header: tuple[CellValue, ...],
    data: list[tuple[int, tuple[CellValue, ...]]],
    formulas: FormulaCells | None,
    header_row: int,
) -> list[int]:
    """Indexes of columns that have a header, a value or a formula; usually all of them."""
    empty = {i for i, v in enumerate(header) if v == ""}
    if not empty:
        return list(range(len(header)))
    for _, values in data:
        empty -= {i for i in empty if i < len(values) and values[i] != ""}
        if not empty:
            break
    if formulas:
        empty -= {c for r, c in formulas if r > header_row}
    return [i for i in range(len(header)) if i not in empty]


def _empty_header(source: Path, header_row: int, spreadsheet: bool) -> InputError:
    unit = "row" if spreadsheet else "line"
    return InputError(
        Problem(
            kind=ProblemKind.UNREADABLE_FILE,
            message=f"{source.name}: header {unit} {header_row} is empty or missing. "
            f"Choose the {unit} that holds the column names.",
        )
    )


def header_text(value: CellValue) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def unique_headers(
    header: tuple[CellValue, ...],
    width: int,
    spreadsheet: bool = True,
    positions: list[int] | None = None,
) -> tuple[tuple[str, ...], list[Problem]]:
    """Trimmed, unique (case-insensitively) names; renamed ones are reported as warnings."""
    names: list[str] = []
    seen: set[str] = set()
    problems: list[Problem] = []
    raw = [header_text(v) for v in header] + [""] * (width - len(header))
    taken = {n.casefold() for n in raw if n}
    for at, text in enumerate(raw):
        index = positions[at] if positions else at
        where = f"column {column_letter(index)}" if spreadsheet else f"column {index + 1}"
        if not text:
            name = _free(f"Column {index + 1}", seen | taken)
            reason = f"{where} has no header; it is called {name!r}"
        elif text.casefold() in seen:
            k = 2
            while f"{text} ({k})".casefold() in seen | taken:
                k += 1
            name = f"{text} ({k})"
            reason = f"{where} repeats the header {text!r}; it is called {name!r}"
        else:
            name, reason = text, ""
        if reason:
            problems.append(
                Problem(
                    kind=ProblemKind.HEADER_RENAMED,
                    message=reason + ". Give every column its own name to choose it yourself.",
                    severity=Severity.WARNING,
                    column=name,
                )
            )
        names.append(name)
        seen.add(name.casefold())
    return tuple(names), problems


def _free(name: str, used: set[str]) -> str:
    candidate, k = name, 2
    while candidate.casefold() in used:
        candidate = f"{name} ({k})"
        k += 1
    return candidate
