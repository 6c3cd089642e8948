"""Light or dark: follow the system by default, with a manual override (View > Theme).

Qt 6.8's `setColorScheme` asks the platform for the scheme, but not every platform can switch
(X11 without a portal, the offscreen platform, older Windows): asking for dark there changes
nothing. So the palette is set explicitly: Fusion draws every widget from it, identically on
every OS, and our own painting (chart, highlighter) reads its colours from it too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")

_SCHEMES = {
    "system": Qt.ColorScheme.Unknown,  # Unknown = let the platform decide
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}

_state: dict[str, object] = {}


def dark_palette() -> QPalette:
    """A dark palette with text contrast of at least 7:1 on its backgrounds (WCAG AAA)."""
    palette = QPalette()
    window, base, alternate = QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#262626")
    text, disabled = QColor("#eaeaea"), QColor("#8a8a8a")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: alternate,
        QPalette.ColorRole.ToolTipBase: QColor("#3a3a3a"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9a9a9a"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#353535"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#4a4a4a"),
        QPalette.ColorRole.Midlight: QColor("#3e3e3e"),
        QPalette.ColorRole.Mid: QColor("#5a5a5a"),
        QPalette.ColorRole.Dark: QColor("#181818"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: QColor("#3d7bd9"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    return palette


def _is_dark_palette(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _wanted_dark(app: QApplication, theme: str) -> bool:
    if theme == "dark":
        return True
    if theme == "light":
        return False
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Unknown:
        platform = _state.get("platform")
        return isinstance(platform, QPalette) and _is_dark_palette(platform)
    return scheme == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str) -> None:
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    if "platform" not in _state:
        _state["platform"] = QPalette(app.palette())  # before we ever replace it
        app.styleHints().colorSchemeChanged.connect(lambda _s: _follow_system(app))
    _state["theme"] = theme
    app.styleHints().setColorScheme(_SCHEMES.get(theme, Qt.ColorScheme.Unknown))
    platform = _state["platform"]
    assert isinstance(platform, QPalette)
    if _wanted_dark(app, theme):
        palette = platform if _is_dark_palette(platform) else dark_palette()
    else:
        palette = app.style().standardPalette() if _is_dark_palette(platform) else platform
    app.setPalette(palette)


def _follow_system(app: QApplication) -> None:
    """The system switched between light and dark while Herald runs."""
    if _state.get("theme", "system") == "system":
        apply_theme(app, "system")


def is_dark(app: QApplication) -> bool:
    return _is_dark_palette(app.palette())
