"""Keyboard: on every page, Tab alone reaches every control the mouse can use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def _focusable(page: QWidget) -> set[int]:
    found = set()
    for widget in page.findChildren(QWidget):
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
        ):
            found.add(id(widget))
    return found


def _names(page: QWidget, ids: set[int]) -> list[str]:
    return sorted(
        f"{type(w).__name__} {w.accessibleName() or w.objectName()!r}"
        for w in page.findChildren(QWidget)
        if id(w) in ids
    )


def test_tab_reaches_every_enabled_control_of_every_page(demo_window, qtbot):
    window = demo_window
    window.activateWindow()
    for index, page in enumerate(window.pages):
        window.go_to(index)
        QApplication.processEvents()
        wanted = _focusable(page)
        window.sidebar.setFocus()
        reached: set[int] = set()
        for _ in range(3 * len(wanted) + 20):
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
            focus = QApplication.focusWidget()
            if focus is not None:
                reached.add(id(focus))
        missing = wanted - reached
        assert not missing, f"{type(page).__name__}: Tab never reaches {_names(page, missing)}"
