"""Where Herald keeps its own files: journals, the local outbox, send history, settings.

Everything hangs off one data folder so tests and CI can move it with `HERALD_DATA_DIR`
and never touch the user's real folders. Folders are created when first asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DATA_DIR_ENV = "HERALD_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    base = Path(override).expanduser() if override else Path(user_data_dir("Herald", False))
    return _ensure(base)


def campaigns_dir() -> Path:
    """One journal (SQLite) per campaign send."""
    return _ensure(data_dir() / "campaigns")


def outbox_dir() -> Path:
    """Where the embedded test server files each message as an .eml."""
    return _ensure(data_dir() / "outbox")


def history_dir() -> Path:
    """Per-account rolling send counters, so daily caps survive a restart."""
    return _ensure(data_dir() / "history")


def settings_file() -> Path:
    """The settings file itself is not created; its folder is."""
    return data_dir() / "settings.json"


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
