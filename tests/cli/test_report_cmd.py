"""`herald report`: campaign file or journal in, spreadsheet out; clear words when not sent."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from app.core.journal import CampaignSnapshot, Journal, SourceFile, SourceRole, journal_path_for
from app.core.send.contracts import Stage
from tests.core.journal.helpers import T0, make_snapshot


@pytest.fixture
def campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "spring.toml"
    path.write_text("# a campaign file\n", encoding="utf-8")
    return path


def _send(campaign: Path) -> Path:
    base = make_snapshot(campaign.parent, 3)
    sources = (SourceFile.of(SourceRole.CAMPAIGN, campaign), *base.sources)
    path = journal_path_for(campaign, campaign.parent / "people.csv", None)
    with Journal.create(
        path, CampaignSnapshot("Spring", sources, {}, base.rows, base.headers)
    ) as j:
        row = j.claim_next(T0)
        j.mark_failed(row, 550, "=HYPERLINK(1)", Stage.RCPT)  # type: ignore[arg-type]
    return path


def test_a_campaign_file_is_resolved_to_its_journal_and_exported_as_xlsx(
    campaign: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _send(campaign)
    out = tmp_path / "out.xlsx"
    assert run(["report", str(campaign), "--out", str(out)]) == 0
    assert f"Wrote 3 recipients to {out} (2 pending, 1 failed)" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(out)["Recipients"]
    assert sheet["C2"].value == "failed" and sheet["G2"].value == "=HYPERLINK(1)"
    assert sheet["G2"].data_type == "s"


def test_a_journal_path_is_accepted_directly_and_exported_as_csv(
    campaign: Path, tmp_path: Path
) -> None:
    journal = _send(campaign)
    out = tmp_path / "out.csv"
    assert run(["report", str(journal), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert len(rows) == 4 and rows[1][6] == "'=HYPERLINK(1)"


def test_a_campaign_not_sent_yet_says_to_send_it_first(
    campaign: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.xlsx"
    assert run(["report", str(campaign), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no send journal for" in err and f"herald send {campaign}" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("target", "out", "fragment"),
    [
        ("missing.toml", "out.xlsx", "No such file"),
        ("spring.toml", "out.ods", ".xlsx or .csv"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    campaign: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target, out, fragment
) -> None:
    assert run(["report", str(tmp_path / target), "--out", str(tmp_path / out)]) == 2
    assert fragment in capsys.readouterr().err
