"""The step sidebar: one entry per page, each with a status badge shown by icon AND text."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget


class StepStatus(Enum):
    NONE = "none"
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    BUSY = "busy"


_MARKS = {
    StepStatus.NONE: "",
    StepStatus.OK: "✓",
    StepStatus.WARNING: "⚠",
    StepStatus.ERROR: "✗",
    StepStatus.BUSY: "…",
}

_ICONS = {
    StepStatus.OK: QStyle.StandardPixmap.SP_DialogApplyButton,
    StepStatus.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    StepStatus.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    StepStatus.BUSY: QStyle.StandardPixmap.SP_BrowserReload,
}


def status_icon(widget: QWidget, status: StepStatus) -> QIcon:
    pixmap = _ICONS.get(status)
    return widget.style().standardIcon(pixmap) if pixmap is not None else blank_icon()


def blank_icon(size: int = 16) -> QIcon:
    """A transparent icon: a step without a badge keeps the icon's room, so its title does
    not shift sideways when a badge appears or goes."""
    empty = QPixmap(size, size)
    empty.fill(Qt.GlobalColor.transparent)
    return QIcon(empty)


class StepSidebar(QListWidget):
    stepChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles: list[str] = []
        self._status: list[StepStatus] = []
        self._detail: list[str] = []
        self.setIconSize(QSize(16, 16))
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.currentRowChanged.connect(self.stepChosen)

    def set_steps(self, titles: list[str]) -> None:
        """(Re)name the steps, keeping their status: used at start and on language change."""
        if len(titles) != len(self._titles):
            self._status = [StepStatus.NONE] * len(titles)
            self._detail = [""] * len(titles)
            current = max(self.currentRow(), 0)
            self.blockSignals(True)
            self.clear()
            for _ in titles:
                self.addItem(QListWidgetItem())
            self.blockSignals(False)
            self.setCurrentRow(current)
        self._titles = list(titles)
        for index in range(len(titles)):
            self._refresh(index)
        width = max(self.sizeHintForColumn(0), 150) + 2 * self.frameWidth() + 12
        self.setFixedWidth(width)

    def set_status(self, index: int, status: StepStatus, detail: str = "") -> None:
        self._status[index] = status
        self._detail[index] = detail
        self._refresh(index)

    def status(self, index: int) -> StepStatus:
        return self._status[index]

    def _refresh(self, index: int) -> None:
        item = self.item(index)
        status = self._status[index]
        mark = _MARKS[status]
        item.setText(f"{index + 1}. {self._titles[index]}" + (f"  {mark}" if mark else ""))
        item.setIcon(status_icon(self, status))
        detail = self._detail[index]
        item.setToolTip(detail)
        # screen readers get the status in words, not only the mark
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{self._titles[index]}. {detail}")
