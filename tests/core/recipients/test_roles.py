"""Finding the e-mail, name, cc, bcc, reply-to and attachment columns."""

from __future__ import annotations

import pytest

from app.core.model import ColumnMapping, InputError, ProblemKind
from app.core.recipients import detect_mapping, read_table
from tests.core.recipients.conftest import WriteXlsx


@pytest.mark.parametrize(
    "header",
    [
        "Email",
        "E-Mail",
        "e-mail",
        "MAIL",
        "Email Address",
        "email address ",
        "邮箱",
        "电子邮件",
        "邮件地址",
        "邮箱地址",
    ],
)
def test_email_column_is_found_by_header(write_xlsx: WriteXlsx, header: str) -> None:
    table = read_table(write_xlsx([["Notes", header], ["hello", "a@example.com"]]))
    assert detect_mapping(table).email == header.strip()


def test_email_column_is_found_by_content_when_no_header_matches(write_xlsx: WriteXlsx) -> None:
    rows = [["Who", "Contact"], ["A", "a@example.com"], ["B", "b@example.com"], ["C", "n/a"]]
    assert detect_mapping(read_table(write_xlsx(rows))).email == "Contact"


def test_optional_roles_are_found_by_header(write_xlsx: WriteXlsx) -> None:
    rows = [["姓名", "邮箱", "抄送", "密送", "Reply-To", "附件"], ["张三", "a@example.com"]]
    mapping = detect_mapping(read_table(write_xlsx(rows)))
    assert mapping == ColumnMapping(
        email="邮箱", name="姓名", cc="抄送", bcc="密送", reply_to="Reply-To", attachments="附件"
    )


def test_english_optional_roles_are_found_ignoring_case_and_spaces(write_xlsx: WriteXlsx) -> None:
    rows = [["Full Name", "E-mail", "CC", "bcc", "reply to", "Attachments"], ["A", "a@example.com"]]
    mapping = detect_mapping(read_table(write_xlsx(rows)))
    assert (mapping.name, mapping.cc, mapping.bcc, mapping.reply_to, mapping.attachments) == (
        "Full Name",
        "CC",
        "bcc",
        "reply to",
        "Attachments",
    )


def test_explicit_roles_override_detection(write_xlsx: WriteXlsx) -> None:
    rows = [["Email", "Work mail", "Name", "Nick"], ["a@example.com", "w@example.com", "A", "a"]]
    table = read_table(write_xlsx(rows))
    mapping = detect_mapping(table, ColumnMapping(email="work MAIL", name="Nick"))
    assert (mapping.email, mapping.name) == ("Work mail", "Nick")


def test_explicit_column_that_does_not_exist_names_the_columns_that_do(
    write_xlsx: WriteXlsx,
) -> None:
    table = read_table(write_xlsx([["Email", "Name"], ["a@example.com", "A"]]))
    with pytest.raises(InputError, match=r"no column 'Mail address'.*'Email', 'Name'") as caught:
        detect_mapping(table, ColumnMapping(email="Mail address"))
    assert caught.value.problem.kind is ProblemKind.UNKNOWN_COLUMN
    assert "--email-column" in caught.value.problem.message


@pytest.mark.parametrize("role", ["name", "cc", "bcc", "reply_to", "attachments"])
def test_an_explicit_optional_column_that_does_not_exist_is_an_unknown_column(
    write_xlsx: WriteXlsx, role: str
) -> None:
    table = read_table(write_xlsx([["Email", "Name"], ["a@example.com", "A"]]))
    with pytest.raises(InputError) as caught:
        detect_mapping(table, ColumnMapping(email="Email", **{role: "Files"}))
    problem = caught.value.problem
    assert problem.kind is ProblemKind.UNKNOWN_COLUMN
    assert problem.column == "Files"
    assert "no column 'Files'" in problem.message
    assert role.replace("_", "-") in problem.message
    assert "Columns: 'Email', 'Name'" in problem.message


def test_no_email_column_is_an_input_error_listing_the_headers(write_xlsx: WriteXlsx) -> None:
    table = read_table(write_xlsx([["Name", "City"], ["A", "Paris"]]))
    with pytest.raises(InputError, match="'Name', 'City'") as caught:
        detect_mapping(table)
    assert caught.value.problem.kind is ProblemKind.NO_EMAIL_COLUMN
