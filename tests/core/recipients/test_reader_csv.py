"""Reading CSV files: encodings as Chinese Excel saves them, delimiters, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.model import InputError, ProblemKind
from app.core.recipients import list_sheets, read_table

ROWS = [
    ["姓名", "邮箱", "城市"],
    ["张三", "zhang@example.com", "北京"],
    ["Müller", "m@example.org", "Köln"],
]


def _write(path: Path, rows: list[list[str]], encoding: str, delimiter: str) -> Path:
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_encoding_and_delimiter_are_detected(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = ROWS if encoding != "gbk" else [r for r in ROWS if "Müller" not in r]
    table = read_table(_write(tmp_path / "list.csv", rows, encoding, delimiter))
    assert table.headers == tuple(rows[0])
    assert [r.values for r in table.rows] == [tuple(r) for r in rows[1:]]
    assert table.sheet is None and table.sheets == ()


def test_csv_saved_by_chinese_excel_as_gbk_is_read(tmp_path: Path) -> None:
    # Bytes as WPS/Excel (zh-CN) save "CSV (逗号分隔)": GBK, CRLF, quoted field with a comma.
    data = (
        b"\xd0\xd5\xc3\xfb,\xd3\xca\xcf\xe4,\xb1\xb8\xd7\xa2\r\n"
        b'\xc0\xee\xcb\xc4,li@example.com,"\xc4\xe3\xba\xc3,\xca\xc0\xbd\xe7"\r\n'
    )
    table = read_table(_raw(tmp_path, data))
    assert table.headers == ("姓名", "邮箱", "备注")
    assert table.rows[0].values == ("李四", "li@example.com", "你好,世界")


def _raw(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "导出.csv"
    path.write_bytes(data)
    return path


def test_csv_row_number_is_the_physical_line_number(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text('Email,Note\n\na@example.com,"two\nlines"\nb@example.com,x\n', encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 1
    assert [(r.number, r.values[0]) for r in table.rows] == [
        (3, "a@example.com"),
        (5, "b@example.com"),
    ]
    assert table.rows[0].values[1] == "two\nlines"


def test_csv_cells_are_trimmed_and_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email , ID\n a@example.com ,00123\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ("Email", "ID")
    assert table.rows[0].values == ("a@example.com", "00123")


def test_csv_short_rows_are_padded_with_empty_strings(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email,Name,City\na@example.com\n", encoding="utf-8")
    assert read_table(path).rows[0].values == ("a@example.com", "", "")


def test_csv_has_no_sheets(tmp_path: Path) -> None:
    path = _write(tmp_path / "list.csv", ROWS, "utf-8", ",")
    assert list_sheets(path) == ()


def test_csv_with_more_rows_than_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email\n" + "".join(f"u{i}@example.com\n" for i in range(11)), "utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, max_rows=10)
    assert caught.value.problem.kind is ProblemKind.TOO_MANY_ROWS


def test_csv_with_unclosed_quote_is_refused_naming_its_line(tmp_path: Path) -> None:
    # Without this check the open quote would swallow every following row silently.
    path = tmp_path / "list.csv"
    path.write_text('Email,Name\na@example.com,A\nb@example.com,"Li\nc@example.com,C\n', "utf-8")
    with pytest.raises(InputError, match="line 3"):
        read_table(path)


def test_latin_csv_is_not_mistaken_for_chinese(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("Name;Email\nMüller;m@example.com\nRenée;r@example.com\n".encode("cp1252"))
    table = read_table(path)
    assert [r.values[0] for r in table.rows] == ["Müller", "Renée"]
