"""Shared campaign options: how options lay over a campaign file, and how rows are written."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.cli.common import add_campaign_options, config_from_args, row_ranges
from app.core.model import ColumnMapping
from tests.core.campaign.builders import write_campaign


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_campaign_options(parser)
    return parser.parse_args(argv)


def test_column_options_override_only_the_roles_they_name(tmp_path: Path) -> None:
    campaign = write_campaign(tmp_path, extra='[columns]\nemail = "Email"\nname = "姓名"\n')

    config = config_from_args(
        parse(str(campaign), "--email-column", "Mail", "--attach-column", "F")
    )

    assert config.columns == ColumnMapping(email="Mail", name="姓名", attachments="F")


def test_attach_options_replace_the_campaign_files_attachments(tmp_path: Path) -> None:
    campaign = write_campaign(tmp_path, extra='attachments = ["a.pdf"]')

    config = config_from_args(parse(str(campaign), "--attach", "b.pdf", "--attach", "c.pdf"))

    assert [p.name for p in config.attachments] == ["b.pdf", "c.pdf"]


def test_without_options_the_campaign_file_settings_stand(tmp_path: Path) -> None:
    campaign = write_campaign(tmp_path)

    config = config_from_args(parse(str(campaign)))

    assert config.recipients == tmp_path / "people.xlsx"
    assert config.source == campaign


def test_a_header_row_below_1_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse("--header-row", "0")

    assert "is not a row number (they start at 1)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("rows", "text"),
    [([2], "2"), ([2, 3, 4, 7], "2-4, 7"), ([9, 3, 2], "2-3, 9"), ([5, 7, 9], "5, 7, 9")],
)
def test_row_ranges_are_written_the_way_a_person_would(rows: list[int], text: str) -> None:
    assert row_ranges(rows) == text
