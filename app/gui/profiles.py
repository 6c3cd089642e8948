"""The sending accounts the window offers: the local test outbox first, then saved profiles.

Profiles themselves (host, port, security, limits) belong to the core's settings; this adapter
only lists them for combo boxes and remembers the last one chosen (no secrets here).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.gui.settings import GuiSettings

OUTBOX = "outbox"


def _core_profiles() -> dict[str, Any]:
    try:
        from app.core import settings as core_settings  # type: ignore[attr-defined]
    except ImportError:
        return {}
    loader = getattr(core_settings, "load_profiles", None) or getattr(
        core_settings, "profiles", None
    )
    if loader is None:
        return {}
    try:
        found = loader()
    except Exception:
        return {}
    if isinstance(found, dict):
        return dict(found)
    return {getattr(p, "name", str(p)): p for p in found}


class ProfileStore:
    def __init__(self, settings: GuiSettings | None = None) -> None:
        self._settings = settings or GuiSettings()

    def profiles(self) -> dict[str, Any]:
        return _core_profiles()

    def choices(self) -> list[tuple[str, str]]:
        items = [
            (
                OUTBOX,
                QCoreApplication.translate(
                    "ProfileStore", "Local test outbox (nothing leaves this computer)"
                ),
            )
        ]
        for name, profile in sorted(self.profiles().items()):
            host = getattr(profile, "host", "") or getattr(profile, "smtp_host", "")
            user = getattr(profile, "user", "") or ""
            detail = f" — {user}@{host}" if user and host else (f" — {host}" if host else "")
            items.append((name, f"{name}{detail}"))
        return items

    def default_name(self) -> str:
        last = self._settings.last_profile()
        return last if last and (last == OUTBOX or last in self.profiles()) else OUTBOX

    def remember_last(self, name: str | None) -> None:
        self._settings.set_last_profile(name or "")

    def label(self, name: str | None) -> str:
        for key, label in self.choices():
            if key == (name or OUTBOX):
                return label
        return name or ""
