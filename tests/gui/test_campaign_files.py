"""The window and the CLI agree: exclusions follow the core's rule, a campaign the window saves
is one `herald check` accepts, and what the window remembers survives a restart (no secrets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from app.cli import run as herald
from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import write_workbook

ROWS = [
    ["Email", "Name"],
    ["ann@example.com", "Ann"],  # row 2: excluded
    ["bob@example.com", "Bob"],  # row 3
    ["ann@example.com", "Ann again"],  # row 4: repeats excluded row 2
]


def _check_json(campaign: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = herald(["check", str(campaign), "--json"])
    return code, json.loads(capsys.readouterr().out)


def _saved_campaign(window, run, tmp_path: Path) -> Path:
    run(window.recipients_page.open_file(write_workbook(tmp_path / "people.xlsx", ROWS)))
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="<p>{{ Name }}</p>"
    )
    target = tmp_path / "campaign.toml"
    assert window._save_to(target)
    return target


def test_a_row_repeating_an_excluded_row_is_sendable_in_the_window_as_in_the_cli(
    window, run, tmp_path, capsys
):
    campaign = _saved_campaign(window, run, tmp_path)
    page = window.recipients_page
    assert page.counts["duplicate"] == 1  # before excluding: row 4 repeats row 2

    run(window.session.set_excluded([2], True))

    assert page.counts == {"rows": 3, "valid": 2, "invalid": 0, "duplicate": 0, "excluded": 1}
    assert window._save_to(campaign)
    code, cli = _check_json(campaign, capsys)
    assert code == 0 and cli["excluded_rows"] == [2]
    assert cli["sendable"] == page.counts["valid"] == 2
    window.go_to(2)
    window.preview_page.refresh()
    sendable = {r.row for r in window.preview_page.campaign.recipients}
    assert sendable == {3, 4} == set(cli["unsendable_rows"]) ^ {3, 4}


def test_including_the_row_again_makes_the_repeat_a_duplicate_again(window, run, tmp_path):
    _saved_campaign(window, run, tmp_path)
    run(window.session.set_excluded([2], True))
    run(window.session.set_excluded([2], False))
    assert window.recipients_page.counts["duplicate"] == 1


def test_a_campaign_saved_by_the_window_is_accepted_by_herald_check_with_the_same_settings(
    window, run, tmp_path, capsys
):
    campaign = _saved_campaign(window, run, tmp_path)
    run(window.session.set_excluded([4], True))
    assert window._save_to(campaign)

    code, cli = _check_json(campaign, capsys)

    assert code == 0, cli
    assert Path(cli["recipients"]) == (tmp_path / "people.xlsx").resolve()
    assert cli["sheet"] == "People" and cli["header_row"] == 1
    assert cli["columns"]["email"] == window.session.mapping.email == "Email"
    assert cli["columns"]["name"] == window.session.mapping.name == "Name"
    assert cli["rows"] == 2 and cli["excluded_rows"] == [4]
    text = campaign.read_text(encoding="utf-8")
    assert "shop@example.com" in text and "Hi {{ Name }}" in text


def test_recent_files_geometry_and_last_profile_survive_a_restart(window, run, tmp_path, qtbot):
    from app.gui.main_window import MainWindow
    from app.gui.session import Session
    from app.gui.settings import GuiSettings

    ProfileStore().save(Profile(name="work", host="smtp.example.com", user="me@example.com"))
    window.compose_page.reload_profiles()
    combo = window.compose_page.profile_combo
    combo.setCurrentIndex(combo.findData("work"))
    campaign = _saved_campaign(window, run, tmp_path)
    window.setGeometry(QRect(0, 30, 1010, 707))  # the offscreen screen is 800 wide
    window.session.set_dirty(False)
    window.close()  # nothing is sending: closes and saves the geometry

    again = MainWindow(Session(), GuiSettings(), window.translations)
    qtbot.addWidget(again)
    try:
        assert again.settings.recent_files()[0] == str(campaign.resolve())
        again.recent_menu.aboutToShow.emit()
        assert any(a.text().endswith("campaign.toml") for a in again.recent_menu.actions())
        assert again.height() == 707 != 760  # 760: the first-start default
        assert again.compose_page.profile_combo.currentData() == "work"
    finally:
        again._may_close = True


def test_nothing_the_window_writes_holds_a_password(window, run, tmp_path, data_dir, monkeypatch):
    secret = "S3cret-授权码-never-on-disk"
    monkeypatch.setenv("HERALD_SMTP_PASSWORD", secret)  # even one the window could read
    ProfileStore().save(Profile(name="work", host="smtp.example.com", user="me@example.com"))
    _saved_campaign(window, run, tmp_path)
    window.session.set_dirty(False)
    window.close()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".ini" for p in files) and any(p.suffix == ".toml" for p in files)
    for path in files:
        assert secret.encode("utf-8") not in path.read_bytes(), path
