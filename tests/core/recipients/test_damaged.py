"""Damaged and far-reaching workbooks: a sentence saying what is wrong, never a traceback,
and never an abort inside calamine. Every file is a real openpyxl workbook, then damaged by
zipfile surgery (tests/support/zip_surgery.py) or rewritten XML."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app.core.model import InputError
from app.core.recipients import read_table
from app.core.recipients.reader_xlsx import read_xlsx
from app.core.recipients.sheet_scan import MAX_GRID_CELLS, scan_sheet
from tests.core.recipients.conftest import SHEET1, WriteXlsx, rewrite_part
from tests.support import zip_surgery

ROWS = [["Email", "Name"], *([f"p{i}@example.org", f"P {i}"] for i in range(20))]


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path)
    return caught.value.problem.message


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (zip_surgery.bad_crc, "member xl/worksheets/sheet1.xml fails its checksum"),
        (
            lambda data: zip_surgery.bad_crc(data, "xl/styles.xml"),
            "member xl/styles.xml fails its checksum",
        ),
        (zip_surgery.broken_deflate, "the compressed data of member xl/worksheets/sheet1.xml"),
        (zip_surgery.local_name_mismatch, "has a different name in its own header"),
        (zip_surgery.compression_method, "compressed in a way Herald cannot read (method 99)"),
        (zip_surgery.undecodable_name, "the name of one of its parts cannot be decoded"),
        (zip_surgery.truncated, "the file is probably cut short"),
        (lambda data: data[:-12], "the file is probably cut short"),
    ],
    ids=["crc", "crc-styles", "deflate", "name", "method", "undecodable", "cut", "tail"],
)
def test_every_zip_fault_is_one_sentence_saying_what_and_what_to_do(
    write_xlsx: WriteXlsx, damage: Callable[[bytes], bytes], said: str
) -> None:
    path = write_xlsx(ROWS)
    path.write_bytes(damage(path.read_bytes()))

    message = _refusal(path)

    assert message.startswith("list.xlsx: the workbook is damaged (")
    assert said in message
    assert "Open it in Excel or WPS and save it again" in message


def test_the_damaged_member_is_named_when_it_is_the_second_sheet(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(ROWS, extra_sheets={"Other": (ROWS * 20, "visible")})
    path.write_bytes(zip_surgery.broken_deflate(path.read_bytes(), "xl/worksheets/sheet2.xml"))

    with pytest.raises(InputError) as caught:
        read_table(path, sheet="Other")

    assert "member xl/worksheets/sheet2.xml is broken" in caught.value.problem.message


def _far_cell(path: Path, address: str, value: str = "x") -> Path:
    book = openpyxl.load_workbook(path)
    book.active[address] = value
    book.save(path)
    return path


def test_one_cell_at_xfd1048576_is_read_by_streaming_not_by_calamine(
    write_xlsx: WriteXlsx,
) -> None:
    # calamine would allocate 1,048,576 x 16,384 cells (550 GB) and abort the process
    path = _far_cell(write_xlsx(ROWS), "XFD1048576")
    assert path.stat().st_size < 10_000
    with zipfile.ZipFile(path) as zf:
        scan = scan_sheet(zf, SHEET1, path)
    assert (scan.rows, scan.columns) == (1_048_576, 16_384)
    assert scan.reader == "stream"

    table = read_table(path)

    assert table.headers == ("Email", "Name", "Column 16384")
    assert [r.values for r in table.rows[:2]] == [
        ("p0@example.org", "P 0", ""),
        ("p1@example.org", "P 1", ""),
    ]
    assert (table.rows[-1].number, table.rows[-1].values) == (1_048_576, ("", "", "x"))


def test_the_streamed_rows_are_the_rows_calamine_reads_without_the_far_cell(
    write_xlsx: WriteXlsx,
) -> None:
    plain = write_xlsx(ROWS, name="plain.xlsx")
    far = _far_cell(write_xlsx(ROWS, name="far.xlsx"), "XFD1048576")

    by_calamine, streamed = read_table(plain), read_table(far)

    assert [(r.number, r.values[:2]) for r in streamed.rows[:-1]] == [
        (r.number, r.values) for r in by_calamine.rows
    ]


def test_a_huge_declared_dimension_with_few_cells_reads_the_real_cells(
    write_xlsx: WriteXlsx,
) -> None:
    path = write_xlsx(ROWS)
    rewrite_part(
        path,
        SHEET1,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    with zipfile.ZipFile(path) as zf:
        assert scan_sheet(zf, SHEET1, path).declared == "A1:XFD1048576"

    table = read_table(path)

    assert table.headers == ("Email", "Name")
    assert len(table.rows) == 20


def test_far_addresses_written_unusually_are_still_seen(write_xlsx: WriteXlsx) -> None:
    # single quotes, spaces around "=", a character reference: all valid XML
    path = write_xlsx(ROWS)
    rewrite_part(
        path,
        SHEET1,
        lambda xml: xml.replace(
            b"</sheetData>",
            b"<row r = '1048576'><c r= '&#88;FD1048576' t=\"inlineStr\"><is><t>x</t></is>"
            b"</c></row></sheetData>",
        ),
    )
    with zipfile.ZipFile(path) as zf:
        scan = scan_sheet(zf, SHEET1, path)
    assert (scan.rows, scan.columns) == (1_048_576, 16_384)
    assert scan.reader == "stream"

    assert len(read_table(path).rows) == 21


def test_a_sheet_that_reaches_far_on_every_row_is_refused_in_words(
    write_xlsx: WriteXlsx,
) -> None:
    # 2,100 rows that each end at column XFD: too big a grid for calamine (34 million
    # cells), and streaming would pad every row to 16,384 cells
    rows: list[list[object]] = [["Email", "Name"]]
    rows += [[f"p{i}@example.org", f"P {i}"] for i in range(2100)]
    path = write_xlsx(rows)
    rewrite_part(
        path,
        SHEET1,
        lambda xml: re.sub(
            rb'(<row r="(\d+)"[^>]*>)',
            lambda m: (
                m.group(1) + b'<c r="XFD' + m.group(2) + b'" t="inlineStr"><is><t>x</t></is></c>'
            ),
            xml,
        ),
    )

    message = _refusal(path)

    assert "reaches cell XFD2101" in message
    assert "Delete the rows and columns past your list" in message


def test_a_wide_but_honest_sheet_stays_with_calamine(write_xlsx: WriteXlsx) -> None:
    header = [f"Col {i}" for i in range(60)]
    rows = [["Email", *header], *([f"p{i}@example.org", *range(60)] for i in range(50))]
    path = write_xlsx(rows)
    with zipfile.ZipFile(path) as zf:
        scan = scan_sheet(zf, SHEET1, path)
    assert (scan.rows, scan.columns) == (51, 61)
    assert scan.grid_cells <= MAX_GRID_CELLS and scan.reader == "calamine"
    assert read_table(path) == read_xlsx(path, engine="openpyxl")


def test_a_grid_calamine_could_hold_but_that_is_nearly_empty_is_streamed(
    write_xlsx: WriteXlsx,
) -> None:
    # 30 x 900,000 = 27 million cells (860 MB in calamine) for 21 rows of real data
    path = _far_cell(write_xlsx(ROWS), "AD900000")
    with zipfile.ZipFile(path) as zf:
        scan = scan_sheet(zf, SHEET1, path)
    assert (scan.rows, scan.columns) == (900_000, 30)
    assert scan.grid_cells <= MAX_GRID_CELLS
    assert scan.reader == "stream"

    table = read_table(path)

    assert (table.rows[-1].number, table.rows[-1].values) == (900_000, ("", "", "x"))


def test_a_cell_naming_a_row_far_below_its_row_element_is_seen(write_xlsx: WriteXlsx) -> None:
    # calamine places a cell by its own address, whatever the <row r> around it says
    path = write_xlsx(ROWS)
    rewrite_part(
        path,
        SHEET1,
        lambda xml: xml.replace(
            b'<row r="2">', b'<row r="2"><c r="XFD99999" t="inlineStr"><is><t>x</t></is></c>', 1
        ),
    )
    with zipfile.ZipFile(path) as zf:
        scan = scan_sheet(zf, SHEET1, path)

    assert (scan.rows, scan.columns) == (99_999, 16_384)
    assert scan.reader == "stream"
