"""Suite-wide settings: Qt offscreen, no real keychain, data folders in tmp."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.support.fixtures", "tests.support.oauth_fixtures"]


import pytest  # noqa: E402 - after the environment above is set


@pytest.fixture(autouse=True)
def _private_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Every test gets its own Herald data folder (journals, history, do-not-email list), so
    no test reads or writes the real one; tests that need a particular folder set it again."""
    if not os.environ.get("HERALD_DATA_DIR"):
        monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path_factory.mktemp("herald-data")))
