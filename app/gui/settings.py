"""What the window remembers between runs: geometry, recent files, language, theme, last profile.

Stored with QSettings in an INI file inside Herald's data folder (HERALD_DATA_DIR in tests), so
nothing lands in the registry and tests never touch the user's real settings. No secrets here.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


def data_dir() -> Path:
    """Herald's data folder, from the core when it offers one (it honours HERALD_DATA_DIR)."""
    try:
        from app.core.paths import data_dir as core_data_dir
    except ImportError:  # pragma: no cover - the core module arrived later than the window
        env = os.environ.get("HERALD_DATA_DIR")
        if env:
            return Path(env)
        import platformdirs

        return Path(platformdirs.user_data_dir("Herald", appauthor=False))
    return Path(core_data_dir())


class GuiSettings:
    def __init__(self, path: Path | None = None) -> None:
        target = path or data_dir() / "window.ini"
        target.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(target), QSettings.Format.IniFormat)

    # recent campaign files and workbooks, most recent first
    def recent_files(self) -> list[str]:
        value = self._qs.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: Path | str) -> None:
        text = str(Path(path).resolve())
        items = [p for p in self.recent_files() if p != text]
        self._qs.setValue("recent", [text, *items][:MAX_RECENT])

    def clear_recent(self) -> None:
        self._qs.setValue("recent", [])

    def geometry(self) -> QByteArray | None:
        value = self._qs.value("geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("geometry", geometry)
        self._qs.setValue("state", state)

    def _text(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    def language(self) -> str:
        return self._text("language")

    def set_language(self, code: str) -> None:
        self._qs.setValue("language", code)

    def theme(self) -> str:
        return self._text("theme", "system")

    def set_theme(self, theme: str) -> None:
        self._qs.setValue("theme", theme)

    def last_profile(self) -> str:
        return self._text("last_profile")

    def set_last_profile(self, name: str) -> None:
        self._qs.setValue("last_profile", name)

    def first_run_done(self) -> bool:
        return self._text("first_run_done") == "1"

    def mark_first_run_done(self) -> None:
        self._qs.setValue("first_run_done", "1")

    def sync(self) -> None:
        self._qs.sync()

    def raw(self, key: str, default: str = "") -> str:
        return self._text(key, default)

    def set_raw(self, key: str, value: str) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    def remove(self, key: str) -> None:
        self._qs.remove(key)
        self._qs.sync()
