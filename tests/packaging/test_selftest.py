"""`herald --self-test` from the installed venv: the same check the installers' bundles run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.core.demo import PEOPLE


def _herald() -> list[str]:
    script = Path(sys.executable).with_name("herald")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app"]


def _run(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [*_herald(), "--self-test", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_self_test_sends_the_demo_to_the_outbox_and_exits_0(tmp_path: Path) -> None:
    data = tmp_path / "data"
    report = tmp_path / "report.txt"

    result = _run({"HERALD_DATA_DIR": str(data)}, "--report", str(report))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test PASSED" in result.stdout
    text = report.read_text(encoding="utf-8")
    for step in (
        "Load the campaign and check every row",
        "Open the main window on the demo",
        "Draw the window to an image",
        "Send the campaign to the local test outbox",
        "Check the .eml files in the outbox",
    ):
        assert f"[ ok ] {step}" in text
    assert f"{len(PEOPLE)} messages, one per recipient" in text
    assert len(list((data / "outbox").glob("*.eml"))) == len(PEOPLE)
    # a send to the local outbox is a test run: its own journal, never a real one
    assert list((data / "campaigns").glob("*.herald-test.sqlite"))
    assert not list((data / "campaigns").glob("*.herald.sqlite"))


def test_self_test_without_a_data_dir_leaves_the_users_folders_alone(tmp_path: Path) -> None:
    home, scratch = tmp_path / "home", tmp_path / "tmp"
    scratch.mkdir()
    env = {
        "HERALD_DATA_DIR": "",  # empty counts as unset, which would mean the real folder
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
        "TMPDIR": str(scratch),
    }

    result = _run(env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Data folder: {scratch}" in result.stdout
    assert not (home / "share" / "Herald").exists()
    # Passed: the temporary folder is removed; only the report is left.
    assert [p.name for p in scratch.iterdir()] == ["herald-self-test-report.txt"]


def test_self_test_names_the_failing_step_and_exits_1(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be", encoding="utf-8")
    report = tmp_path / "report.txt"

    result = _run({"HERALD_DATA_DIR": str(not_a_folder)}, "--report", str(report))

    assert result.returncode == 1
    text = report.read_text(encoding="utf-8")
    assert "[FAIL] Open the main window on the demo" in text
    assert "Self-test FAILED: Open the main window on the demo" in text
    assert "Files kept in" in text


def test_self_test_refuses_unknown_options_with_status_2() -> None:
    result = _run({}, "--bogus")

    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr
