"""Reading .xlsx workbooks: values as a person sees them, headers, rows, sheets, formulas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.model import InputError, ProblemKind, Severity
from app.core.recipients import list_sheets, read_table
from app.core.recipients.reader_xlsx import read_xlsx
from tests.core.recipients.conftest import SHEET1, WriteXlsx, rewrite_part


def test_integer_cells_stay_integers(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["Email", "ID", "Phone", "Price"], ["a@example.com", 1001, 13800138000, 2.5]]
    )
    values = read_table(path).rows[0].values
    assert values[1] == 1001 and type(values[1]) is int
    assert values[2] == 13800138000 and type(values[2]) is int
    assert values[3] == 2.5


def test_integral_float_cells_read_as_integers(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "ID"], ["a@example.com", 1002.0]])
    value = read_table(path).rows[0].values[1]
    assert value == 1002 and type(value) is int and str(value) == "1002"


def test_dates_stay_dates_and_datetimes_stay_datetimes(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [
            ["Email", "Joined", "Meeting"],
            ["a@example.com", dt.date(2024, 5, 1), dt.datetime(2024, 5, 1, 13, 30)],
        ]
    )
    values = read_table(path).rows[0].values
    assert values[1] == dt.date(2024, 5, 1) and type(values[1]) is dt.date
    assert values[2] == dt.datetime(2024, 5, 1, 13, 30)


def test_empty_cells_are_empty_strings_never_none(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "Name", "City"], ["a@example.com", None, "Paris"]])
    assert read_table(path).rows[0].values == ("a@example.com", "", "Paris")


def test_strings_and_headers_are_trimmed(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["  Email ", " Name"], ["  a@example.com ", " Zhang San  "]])
    table = read_table(path)
    assert table.headers == ("Email", "Name")
    assert table.rows[0].values == ("a@example.com", "Zhang San")


def test_booleans_stay_booleans(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "VIP"], ["a@example.com", True]])
    assert read_table(path).rows[0].values[1] is True


def test_header_row_is_first_non_empty_row(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([[], [None, None], ["Email", "Name"], ["a@example.com", "A"]])
    table = read_table(path)
    assert table.header_row == 3
    assert table.headers == ("Email", "Name")
    assert [r.number for r in table.rows] == [4]


def test_explicit_header_row_uses_that_workbook_row(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Campaign list, May"], ["Email", "Name"], ["a@example.com", "A"]])
    table = read_table(path, header_row=2)
    assert table.headers == ("Email", "Name")
    assert table.rows[0].number == 3


def test_explicit_empty_header_row_is_refused(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email"], [None], ["a@example.com"]])
    with pytest.raises(InputError, match="header row 2 is empty"):
        read_table(path, header_row=2)


def test_empty_and_duplicate_headers_get_unique_names_and_a_warning(
    write_xlsx: WriteXlsx,
) -> None:
    path = write_xlsx(
        [["Email", None, "email", "Name"], ["a@example.com", "x", "b@example.com", "A"]]
    )
    table = read_table(path)
    assert table.headers == ("Email", "Column 2", "email (2)", "Name")
    renamed = [p for p in table.problems if p.kind is ProblemKind.HEADER_RENAMED]
    assert {p.column for p in renamed} == {"Column 2", "email (2)"}
    assert all(p.severity is Severity.WARNING for p in renamed)
    assert any("column B" in p.message for p in renamed)


def test_blank_rows_are_skipped_and_rows_keep_workbook_numbers(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["Email"], ["a@example.com"], [], [None], ["b@example.com"], ["  "], ["c@example.com"]]
    )
    table = read_table(path)
    assert [(r.number, r.values[0]) for r in table.rows] == [
        (2, "a@example.com"),
        (5, "b@example.com"),
        (7, "c@example.com"),
    ]


def test_data_starting_in_a_later_column_keeps_its_row_numbers(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["C4"], ws["D4"] = "Email", "Name", "a@example.com", "A"
    wb.save(tmp_path / "offset.xlsx")
    table = read_table(tmp_path / "offset.xlsx")
    assert table.headers == ("Email", "Name")
    assert table.header_row == 3
    assert table.rows[0].number == 4 and table.rows[0].values == ("a@example.com", "A")


def test_formula_without_cached_value_is_a_row_problem(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "Total"], ["a@example.com", 5], ["b@example.com", "=B2*2"]])
    table = read_table(path)
    [problem] = [p for p in table.problems if p.kind is ProblemKind.FORMULA_WITHOUT_VALUE]
    assert (problem.row, problem.column, problem.severity) == (3, "Total", Severity.ERROR)
    assert "B3" in problem.message and "=B2*2" in problem.message
    assert table.rows[1].values[1] == ""  # never "None"


def test_formula_with_cached_value_reads_as_its_value(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "Total"], ["a@example.com", "=2*21"]])
    rewrite_part(path, SHEET1, lambda xml: xml.replace(b"<v></v>", b"<v>42</v>"))
    table = read_table(path)
    assert table.rows[0].values[1] == 42
    assert not [p for p in table.problems if p.kind is ProblemKind.FORMULA_WITHOUT_VALUE]


def test_formula_that_yields_empty_text_is_not_a_problem(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "Note"], ["a@example.com", '=IF(TRUE,"","x")']])
    rewrite_part(path, SHEET1, lambda xml: xml.replace(b'r="B2">', b'r="B2" t="str">'))
    assert not read_table(path).problems


def test_default_sheet_is_first_visible_sheet(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["Email"], ["hidden@example.com"]],
        sheet="Old",
        extra_sheets={"Current": ([["Email"], ["a@example.com"]], "visible")},
        first_hidden=True,
    )
    table = read_table(path)
    assert table.sheet == "Current"
    assert table.rows[0].values == ("a@example.com",)


def test_sheets_lists_only_visible_sheets(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["Email"]],
        sheet="One",
        extra_sheets={"Secret": ([["x"]], "hidden"), "Two": ([["Email"]], "visible")},
    )
    assert list_sheets(path) == ("One", "Two")
    assert read_table(path).sheets == ("One", "Two")


def test_sheet_can_be_chosen_by_name(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["Email"], ["a@example.com"]],
        extra_sheets={"客户": ([["邮箱"], ["b@example.com"]], "visible")},
    )
    table = read_table(path, sheet="客户")
    assert (table.sheet, table.headers, table.rows[0].values) == (
        "客户",
        ("邮箱",),
        ("b@example.com",),
    )


def test_unknown_sheet_name_lists_the_sheets_that_exist(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email"]], sheet="May", extra_sheets={"June": ([["Email"]], "visible")})
    with pytest.raises(InputError, match=r"no sheet named 'July'.*'May', 'June'") as caught:
        read_table(path, sheet="July")
    assert caught.value.problem.kind is ProblemKind.UNREADABLE_FILE


def test_empty_sheet_is_refused_with_advice(write_xlsx: WriteXlsx) -> None:
    with pytest.raises(InputError, match="no data"):
        read_table(write_xlsx([]))


def test_too_many_rows_is_refused(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email"], *([f"u{i}@example.com"] for i in range(6))])
    assert len(read_table(path, max_rows=6).rows) == 6
    with pytest.raises(InputError) as caught:
        read_table(path, max_rows=5)
    assert caught.value.problem.kind is ProblemKind.TOO_MANY_ROWS
    assert "5" in str(caught.value)


def test_calamine_and_openpyxl_readers_give_identical_values(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [
            [None],
            [" Email ", "Name", None, "ID", "Joined", "At", "Price", "Big", "VIP", "F"],
            [
                "a@example.com",
                " 张三 ",
                "x",
                1001,
                dt.date(2024, 2, 29),
                dt.datetime(2024, 5, 1, 8, 0),
                19.99,
                1e20,
                True,
                "=1+1",
            ],
            [],
            ["b@example.com", "Li", None, 1002.0, None, None, -3, 0, False, "=D3"],
        ]
    )
    fast = read_xlsx(path, engine="calamine")
    reference = read_xlsx(path, engine="openpyxl")
    assert fast == reference
    assert [type(v) for v in fast.rows[0].values] == [type(v) for v in reference.rows[0].values]
