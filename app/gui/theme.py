"""Light or dark: follow the system by default, with a manual override (Qt 6.8 colour scheme)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")

_SCHEMES = {
    "system": Qt.ColorScheme.Unknown,  # Unknown = let the platform decide
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}


def apply_theme(app: QApplication, theme: str) -> None:
    # Fusion draws both schemes from the palette Qt derives from the colour scheme, identically
    # on every OS, so a dark system gets a dark window without a theme library.
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.styleHints().setColorScheme(_SCHEMES.get(theme, Qt.ColorScheme.Unknown))


def is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark
