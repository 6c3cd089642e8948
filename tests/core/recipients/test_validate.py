"""Per-row validation: which rows yield a Recipient, and the problems of the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core.model import Address, ColumnMapping, InputError, ProblemKind, Severity
from app.core.recipients import RecipientList, detect_mapping, read_table, validate_recipients
from tests.core.recipients.conftest import WriteXlsx


def _check(write_xlsx: WriteXlsx, rows: list[list[Any]], **kwargs: Any) -> RecipientList:
    table = read_table(write_xlsx(rows))
    return validate_recipients(table, detect_mapping(table), **kwargs)


def _kinds(result: RecipientList) -> list[tuple[int | None, ProblemKind]]:
    return [(p.row, p.kind) for p in result.problems]


def test_valid_row_yields_recipient_with_full_record(write_xlsx: WriteXlsx) -> None:
    result = _check(write_xlsx, [["Email", "Name", "ID"], ["a@example.com", "Alice", 7]])
    [recipient] = result.recipients
    assert recipient.row == 2
    assert recipient.to == Address("a@example.com", "Alice")
    assert dict(recipient.fields) == {"Email": "a@example.com", "Name": "Alice", "ID": 7}
    assert result.problems == () and result.problem_rows == frozenset()


def test_empty_address_is_a_row_problem(write_xlsx: WriteXlsx) -> None:
    result = _check(write_xlsx, [["Email", "Name"], [None, "Nobody"], ["a@example.com", "A"]])
    assert _kinds(result) == [(2, ProblemKind.EMPTY_ADDRESS)]
    assert result.problems[0].column == "Email"
    assert [r.row for r in result.recipients] == [3]


def test_invalid_address_is_a_problem_with_the_validators_reason(write_xlsx: WriteXlsx) -> None:
    result = _check(write_xlsx, [["Email"], ["bob@@example.com"], ["bob at example.com"]])
    assert _kinds(result) == [(2, ProblemKind.INVALID_ADDRESS), (3, ProblemKind.INVALID_ADDRESS)]
    assert "@-sign" in result.problems[0].message
    assert result.recipients == ()


@pytest.mark.parametrize("cell", ["a@example.com, b@example.org", "a@example.com;b@example.org"])
def test_two_addresses_in_one_cell_are_a_problem(write_xlsx: WriteXlsx, cell: str) -> None:
    result = _check(write_xlsx, [["Email"], [cell]])
    assert _kinds(result) == [(2, ProblemKind.MULTIPLE_ADDRESSES)]
    assert result.recipients == ()  # never split and sent to both


def test_duplicate_addresses_keep_first_and_report_rest(write_xlsx: WriteXlsx) -> None:
    rows = [["Email"], ["a@example.com"], ["b@example.com"], [" A@EXAMPLE.com"], ["a@Example.Com"]]
    result = _check(write_xlsx, rows)
    assert [r.row for r in result.recipients] == [2, 3]
    assert _kinds(result) == [
        (4, ProblemKind.DUPLICATE_ADDRESS),
        (5, ProblemKind.DUPLICATE_ADDRESS),
    ]
    assert all("row 2" in p.message for p in result.problems)


def test_idn_domain_is_shown_in_ascii(write_xlsx: WriteXlsx) -> None:
    result = _check(write_xlsx, [["Email"], ["admin@аррӏе.com"]])
    assert result.recipients[0].to.address == "admin@xn--80ak6aa92e.com"


def test_address_needing_smtputf8_is_marked_with_a_warning_and_still_sent(
    write_xlsx: WriteXlsx,
) -> None:
    result = _check(write_xlsx, [["Email"], ["用户@例子.广告"]])
    [recipient] = result.recipients
    assert recipient.to.smtputf8
    [problem] = result.problems
    assert (problem.kind, problem.severity, problem.row) == (
        ProblemKind.NEEDS_SMTPUTF8,
        Severity.WARNING,
        2,
    )
    assert result.problem_rows == frozenset()


def test_cc_and_bcc_cells_may_hold_several_addresses(write_xlsx: WriteXlsx) -> None:
    rows = [
        ["Email", "Cc", "Bcc"],
        ["a@example.com", "c1@example.com; c2@example.com", "b@example.org"],
    ]
    [recipient] = _check(write_xlsx, rows).recipients
    assert [a.address for a in recipient.cc] == ["c1@example.com", "c2@example.com"]
    assert [a.address for a in recipient.bcc] == ["b@example.org"]
    assert recipient.envelope_recipients == (
        "a@example.com",
        "c1@example.com",
        "c2@example.com",
        "b@example.org",
    )


def test_invalid_cc_address_is_a_problem_on_the_cc_column(write_xlsx: WriteXlsx) -> None:
    result = _check(write_xlsx, [["Email", "CC"], ["a@example.com", "ok@example.com, broken@"]])
    [problem] = result.problems
    assert (problem.kind, problem.row, problem.column) == (ProblemKind.INVALID_ADDRESS, 2, "CC")
    assert result.recipients == ()


def test_reply_to_column_gives_the_rows_reply_to(write_xlsx: WriteXlsx) -> None:
    rows = [["Email", "Reply-To"], ["a@example.com", "desk@example.org"], ["b@example.com", None]]
    recipients = _check(write_xlsx, rows).recipients
    assert recipients[0].reply_to == Address("desk@example.org")
    assert recipients[1].reply_to is None


def test_name_column_becomes_the_display_name(write_xlsx: WriteXlsx) -> None:
    rows = [["邮箱", "姓名"], ["zhang@example.com", "张三"], ["li@example.com", None]]
    recipients = _check(write_xlsx, rows).recipients
    assert str(recipients[0].to) == "张三 <zhang@example.com>"
    assert str(recipients[1].to) == "li@example.com"


def test_an_email_cell_holding_a_chinese_name_and_address_keeps_both(write_xlsx: WriteXlsx) -> None:
    rows = [["Email"], ["王芳 <wang@example.com>"], ["Ann <ann@example.org>"]]
    recipients = _check(write_xlsx, rows).recipients
    assert [r.to for r in recipients] == [
        Address("wang@example.com", "王芳"),
        Address("ann@example.org", "Ann"),
    ]


def test_attachments_are_resolved_next_to_the_workbook(
    write_xlsx: WriteXlsx, tmp_path: Path
) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "报价单.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.txt").write_text("b")
    rows = [["Email", "Attachments"], ["a@example.com", "files/报价单.pdf; b.txt"]]
    [recipient] = _check(write_xlsx, rows).recipients
    assert recipient.attachments == (tmp_path / "files" / "报价单.pdf", tmp_path / "b.txt")


def test_attachments_are_resolved_against_base_dir_when_given(
    write_xlsx: WriteXlsx, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("a")
    rows = [["Email", "附件"], ["a@example.com", "a.txt"]]
    [recipient] = _check(write_xlsx, rows, base_dir=other).recipients
    assert recipient.attachments == (other / "a.txt",)


def test_missing_attachment_is_a_row_problem_never_skipped(
    write_xlsx: WriteXlsx, tmp_path: Path
) -> None:
    (tmp_path / "here.txt").write_text("x")
    rows = [
        ["Email", "Files"],
        ["a@example.com", "here.txt;gone.pdf"],
        ["b@example.com", "here.txt"],
    ]
    result = _check(write_xlsx, rows)
    [problem] = result.problems
    assert (problem.kind, problem.row, problem.column) == (
        ProblemKind.MISSING_ATTACHMENT,
        2,
        "Files",
    )
    assert "gone.pdf" in problem.message
    assert [r.row for r in result.recipients] == [3]
    assert result.problem_rows == frozenset({2})


def test_formula_row_without_value_yields_no_recipient(write_xlsx: WriteXlsx) -> None:
    rows = [["Email", "Greeting"], ["a@example.com", '="Hi "&"A"'], ["b@example.com", "Hello"]]
    result = _check(write_xlsx, rows)
    assert _kinds(result) == [(2, ProblemKind.FORMULA_WITHOUT_VALUE)]
    assert [r.row for r in result.recipients] == [3]
    assert result.problem_rows == frozenset({2})


def test_mapping_without_email_column_is_an_input_error(write_xlsx: WriteXlsx) -> None:
    table = read_table(write_xlsx([["Email"], ["a@example.com"]]))
    with pytest.raises(InputError) as caught:
        validate_recipients(table, ColumnMapping())
    assert caught.value.problem.kind is ProblemKind.NO_EMAIL_COLUMN


def test_csv_rows_are_validated_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("邮箱;姓名\r\na@example.com;甲\r\n\r\nbroken;乙\r\n".encode("gb18030"))
    table = read_table(path)
    result = validate_recipients(table, detect_mapping(table))
    assert [r.row for r in result.recipients] == [2]
    assert _kinds(result) == [(4, ProblemKind.INVALID_ADDRESS)]
