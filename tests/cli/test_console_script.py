"""The installed `herald` console script, run as a user would, in a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERALD = Path(sys.executable).with_name("herald")


def herald(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [str(HERALD), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        check=False,
    )


def test_herald_init_then_check_then_preview_eml_works_as_a_command(tmp_path: Path) -> None:
    assert herald("init", "demo", cwd=tmp_path).returncode == 0

    checked = herald("check", "demo/campaign.toml", "--json", cwd=tmp_path)
    previewed = herald(
        "preview", "demo/campaign.toml", "--row", "2", "--eml", "x.eml", cwd=tmp_path
    )

    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["sendable"] == 20
    assert previewed.returncode == 0, previewed.stderr
    data = (tmp_path / "x.eml").read_bytes()
    assert b"\r\n\r\n" in data  # headers end with a CRLF blank line
    assert b"To: =?utf-8?" in data  # the Chinese display name is RFC 2047 encoded


def test_herald_check_exits_2_without_a_traceback_for_a_missing_campaign(tmp_path: Path) -> None:
    result = herald("check", "nope.toml", cwd=tmp_path)

    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
