"""Loading a campaign: settings become a checked table, a compiled template, message settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.core.campaign import CampaignConfig, assemble_campaign, load_campaign, load_campaign_file
from app.core.model import ColumnMapping, InputError, ProblemKind
from tests.core.campaign.builders import ROWS, write_campaign, write_workbook


def config_for(tmp_path: Path, **kwargs: object) -> CampaignConfig:
    return load_campaign_file(write_campaign(tmp_path, **kwargs))  # type: ignore[arg-type]


def test_a_campaign_loads_every_row_with_the_email_column_found_from_its_header(
    tmp_path: Path,
) -> None:
    campaign = load_campaign(config_for(tmp_path))

    assert campaign.mapping.email == "Email"
    assert [r.row for r in campaign.recipients] == [2, 3, 4]
    assert campaign.row_numbers == (2, 3, 4)
    assert campaign.by_row[2].to.address == "zhang.wei@example.com"
    assert campaign.settings.sender.display_name == "Herald 测试"
    assert campaign.settings.sender.address == "shop@example.com"
    assert campaign.problems == ()


def test_an_invalid_address_is_a_problem_on_its_row_not_an_input_error(tmp_path: Path) -> None:
    rows = [ROWS[0], ("not-an-address", *ROWS[1][1:]), ROWS[2]]

    campaign = load_campaign(config_for(tmp_path, rows=rows))

    assert [r.row for r in campaign.recipients] == [2, 4]
    assert [p.kind for p in campaign.problems_by_row[3]] == [ProblemKind.INVALID_ADDRESS]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"sender": None}, "--from"),
        ({"subject": "  "}, "--subject"),
        ({"body": None}, "--body"),
        ({"recipients": None}, "--recipients"),
    ],
)
def test_a_missing_setting_names_the_option_that_gives_it(
    tmp_path: Path, change: dict[str, object], fragment: str
) -> None:
    config = replace(config_for(tmp_path), **change)  # type: ignore[arg-type]

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.kind is ProblemKind.INVALID_SETTING
    assert fragment in caught.value.problem.message


def test_a_bad_sender_is_refused_before_the_workbook_is_read(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path), sender="Shop <shop@>", recipients=tmp_path / "x.xlsx")

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.kind is ProblemKind.INVALID_ADDRESS
    assert "--from" in caught.value.problem.message


def test_a_sender_name_with_a_line_break_is_refused_as_an_unsafe_header(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path), sender="Shop\r\nBcc: x@example.org <shop@example.com>")

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.kind is ProblemKind.UNSAFE_HEADER


def test_a_body_with_an_unknown_suffix_is_refused_listing_the_known_ones(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    odd = tmp_path / "body.docx"
    odd.write_text("hi", encoding="utf-8")

    with pytest.raises(InputError, match=r"\.html.*\.md.*\.txt"):
        load_campaign(replace(config, body=odd))


def test_a_template_syntax_error_is_an_input_error_with_its_line(tmp_path: Path) -> None:
    config = config_for(tmp_path, template="<p>ok</p>\n<p>{{ Company </p>\n")

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.line == 2


def test_no_email_column_is_an_input_error_listing_the_columns(tmp_path: Path) -> None:
    rows = [("张伟", "Acme"), ("李娜", "Beta")]
    config = config_for(
        tmp_path, rows=rows, headers=("姓名", "Company"), template="<p>{{ 姓名 }}</p>"
    )

    with pytest.raises(InputError) as caught:
        load_campaign(replace(config, subject="Hi"))

    assert caught.value.problem.kind is ProblemKind.NO_EMAIL_COLUMN
    assert "'Company'" in caught.value.problem.message


def test_an_explicit_column_that_is_not_in_the_sheet_is_refused_naming_it(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path), columns=ColumnMapping(email="邮箱"))

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.kind is ProblemKind.UNKNOWN_COLUMN
    assert "'邮箱'" in caught.value.problem.message
    assert "'Email'" in caught.value.problem.message


def test_an_explicit_column_matches_its_header_ignoring_case_and_spaces(tmp_path: Path) -> None:
    campaign = load_campaign(replace(config_for(tmp_path), columns=ColumnMapping(email="EMAIL ")))

    assert campaign.mapping.email == "Email"


def test_a_missing_common_attachment_makes_the_input_unusable(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path), attachments=(tmp_path / "gone.pdf",))

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.kind is ProblemKind.MISSING_ATTACHMENT
    assert "gone.pdf" in caught.value.problem.message


def test_a_sheet_with_a_header_but_no_rows_is_an_input_error(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    write_workbook(tmp_path / "people.xlsx", rows=[])

    with pytest.raises(InputError, match="no data rows"):
        load_campaign(config)


def test_a_missing_workbook_is_an_input_error(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path), recipients=tmp_path / "missing.xlsx")

    with pytest.raises(InputError) as caught:
        load_campaign(config)

    assert caught.value.problem.kind is ProblemKind.UNREADABLE_FILE


def test_a_body_that_is_not_utf8_is_refused_with_what_to_do(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    assert config.body is not None
    config.body.write_bytes("<p>您好 {{ 姓名 }}</p>".encode("gb18030"))

    with pytest.raises(InputError, match="UTF-8"):
        load_campaign(config)


def test_list_unsubscribe_accepts_a_mailto_url_and_keeps_the_address(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path), list_unsubscribe="mailto:leave@example.com")

    assert load_campaign(config).settings.list_unsubscribe == "leave@example.com"


def test_assembling_from_parts_in_memory_can_leave_rows_out(tmp_path: Path) -> None:
    rows = [ROWS[0], ("not-an-address", *ROWS[1][1:]), ROWS[2]]
    loaded = load_campaign(config_for(tmp_path, rows=rows))

    campaign = assemble_campaign(
        loaded.config,
        loaded.table,
        loaded.mapping,
        loaded.recipient_list,
        loaded.settings.template,
        exclude={3, 4},
    )

    assert campaign.row_numbers == (2,)
    assert [r.row for r in campaign.recipients] == [2]
    assert campaign.problems == ()


def test_the_row_cap_defaults_to_a_million_and_the_campaign_file_can_lower_it(
    tmp_path: Path,
) -> None:
    campaign_file = write_campaign(tmp_path)  # three data rows
    assert load_campaign_file(campaign_file).max_rows == 1_000_000
    text = campaign_file.read_text(encoding="utf-8")
    campaign_file.write_text(text.replace("[recipients]", "[recipients]\nmax_rows = 2"), "utf-8")

    with pytest.raises(InputError) as caught:
        load_campaign(load_campaign_file(campaign_file))

    assert caught.value.problem.kind is ProblemKind.TOO_MANY_ROWS
    assert "more than 2 data rows" in caught.value.problem.message


def _with_excluded(campaign_file: Path, rows: str) -> Path:
    text = campaign_file.read_text(encoding="utf-8")
    campaign_file.write_text(
        text.replace("[recipients]", f"[recipients]\nexclude_rows = {rows}"), "utf-8"
    )
    return campaign_file


def test_excluded_rows_are_left_out_before_validation_as_if_not_in_the_sheet(
    tmp_path: Path,
) -> None:
    # row 3 is invalid, row 4 repeats row 2's address: excluding 2 and 3 leaves 4 sendable
    rows = [ROWS[0], ("not-an-address", *ROWS[1][1:]), (ROWS[0][0], *ROWS[2][1:])]
    campaign_file = _with_excluded(write_campaign(tmp_path, rows=rows), "[2, 3, 99]")

    campaign = load_campaign(load_campaign_file(campaign_file))

    assert campaign.excluded_rows == (2, 3)  # 99 is not a data row: ignored
    assert campaign.row_numbers == (4,)
    assert [r.row for r in campaign.recipients] == [4]
    assert campaign.problems == ()


def test_excluding_every_row_is_an_input_error_saying_what_to_do(tmp_path: Path) -> None:
    campaign_file = _with_excluded(write_campaign(tmp_path), "[2, 3, 4]")

    with pytest.raises(InputError, match=r"Every data row .* is excluded") as caught:
        load_campaign(load_campaign_file(campaign_file))

    assert caught.value.problem.kind is ProblemKind.INVALID_SETTING


def test_without_excluded_then_validation_equals_what_load_campaign_finds(
    tmp_path: Path,
) -> None:
    # The window validates `without_excluded(table)` itself; it must reach the CLI's verdict:
    # row 4 repeats excluded row 2's address and is sendable, not a duplicate.
    from app.core.campaign import without_excluded
    from app.core.recipients import validate_recipients

    rows = [ROWS[0], ("not-an-address", *ROWS[1][1:]), (ROWS[0][0], *ROWS[2][1:])]
    config = config_for(tmp_path, rows=rows)
    full = load_campaign(config)
    cli = load_campaign(replace(config, exclude_rows=(2,)))

    kept, removed = without_excluded(full.table, {2})
    listed = validate_recipients(kept, full.mapping, base_dir=tmp_path)
    window = assemble_campaign(
        config, full.table, full.mapping, listed, full.settings.template, exclude={2}
    )

    assert removed == (2,) and [r.number for r in kept.rows] == [3, 4]
    assert [r.row for r in window.recipients] == [r.row for r in cli.recipients] == [4]
    assert window.problems == cli.problems
    assert window.excluded_rows == cli.excluded_rows == (2,)
