"""Light or dark: follow the system by default, with a manual override (View > Theme).

Qt 6.8's `setColorScheme` asks the platform for the scheme, but not every platform can switch
(X11 without a portal, the offscreen platform, older Windows): asking for dark there changes
nothing. So the palette is set explicitly: Fusion draws every widget from it, identically on
every OS, and our own painting (chart, highlighter) reads its colours from it too.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

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


#: Edge of check boxes and radio buttons on a dark palette: 4:1 against the window (#2b2b2b)
#: and 5:1 against the box's own fill (#1e1e1e); WCAG asks 3:1 for a control's boundary.
DARK_INDICATOR_EDGE = QColor("#8c8c8c")

_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
)


class HeraldStyle(QProxyStyle):
    """Fusion, with a visible edge on check boxes and radio buttons in the dark scheme.

    Fusion draws that edge from the window colour darkened by 40%: on a dark window it is
    nearly black on nearly black (about 1.2:1). The palette cannot fix it without changing the
    window colour, so the edge is drawn again on top of Fusion's box, only when dark."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _INDICATORS or not _is_dark_palette(option.palette):
            return
        if not option.state & QStyle.StateFlag.State_Enabled:
            return  # a faint edge is right for a control that cannot be used
        if option.state & QStyle.StateFlag.State_HasFocus and (
            option.state & QStyle.StateFlag.State_KeyboardFocusChange
        ):
            return  # Fusion's highlighted focus edge is already visible: keep it
        painter.save()
        painter.setPen(QPen(DARK_INDICATOR_EDGE, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            # on pixel centres, so the 1 px ring is crisp where it meets the axes
            painter.drawEllipse(QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5))
        else:
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
        painter.restore()


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
    if not isinstance(app.style(), HeraldStyle):
        style = HeraldStyle()
        _state["style"] = style  # Python keeps it alive; Qt only borrows it
        app.setStyle(style)
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
