"""`herald init DIR`: a demo campaign that checks clean; existing files are never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import run


def test_init_writes_a_demo_campaign_that_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["init", str(tmp_path / "demo")]) == 0
    capsys.readouterr()

    code = run(["check", str(tmp_path / "demo" / "campaign.toml"), "--json"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["problems"]
    assert report["rows"] == report["sendable"] == 20
    assert report["problems"] == []


def test_the_demo_workbook_has_chinese_and_english_names_at_example_domains(
    tmp_path: Path,
) -> None:
    run(["init", str(tmp_path)])

    sheet = load_workbook(tmp_path / "recipients.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("邮箱", "姓名", "Company", "Joined", "Order")
    assert len(rows) == 21
    domains = {str(r[0]).rsplit("@", 1)[1] for r in rows[1:]}
    assert domains <= {"example.com", "example.org", "example.net"}
    names = [str(r[1]) for r in rows[1:]]
    assert any(n.isascii() for n in names)
    assert any(not n.isascii() for n in names)


def test_init_refuses_to_overwrite_existing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "campaign.toml").write_text("# mine\n", encoding="utf-8")

    code = run(["init", str(tmp_path)])

    assert code == 2
    assert "campaign.toml" in capsys.readouterr().err
    assert (tmp_path / "campaign.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "recipients.xlsx").exists()


def test_init_with_force_overwrites_existing_files(tmp_path: Path) -> None:
    (tmp_path / "campaign.toml").write_text("# mine\n", encoding="utf-8")

    assert run(["init", str(tmp_path), "--force"]) == 0
    assert "[recipients]" in (tmp_path / "campaign.toml").read_text(encoding="utf-8")


def test_a_preview_of_the_demo_shows_its_chinese_attachment_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["init", str(tmp_path)])
    capsys.readouterr()

    assert run(["preview", str(tmp_path / "campaign.toml"), "--row", "3"]) == 0
    out = capsys.readouterr().out
    assert "优惠券.txt" in out
    assert "Alice Smith" in out
