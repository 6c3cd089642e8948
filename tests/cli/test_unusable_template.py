"""A misspelt field: `preview` and `send` refuse the template like `check` (exit 2, once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from tests.core.campaign.builders import write_campaign


@pytest.mark.parametrize(
    "command", [["preview", "--row", "2"], ["send", "--dry-run"]], ids=["preview", "send"]
)
def test_a_misspelt_field_stops_preview_and_send_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    campaign = write_campaign(tmp_path, template="<p>{{ 姓名 }}</p>\n<p>{{ Compny }}</p>\n")

    code = run([command[0], str(campaign), *command[1:]])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("Compny") == 1
    assert "did you mean `Company`?" in captured.err
    assert "Traceback" not in captured.err + captured.out
