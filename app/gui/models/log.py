"""The send log: one line per event about a recipient (and pauses), appended in batches.

The controller hands over a list of entries at most ten times a second; each batch is one
beginInsertRows/endInsertRows, so the view does one layout per batch, not one per message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.gui.controller import LogEntry

Index = QModelIndex | QPersistentModelIndex
COLUMNS = 6
STATUS_COLUMN = 3


def status_text(status: str) -> str:
    names = {
        "sent": QCoreApplication.translate("LogModel", "sent"),
        "failed": QCoreApplication.translate("LogModel", "failed"),
        # its message could not be made when the send started (Send page): never sent
        "left-out": QCoreApplication.translate("LogModel", "not sent"),
        "deferred": QCoreApplication.translate("LogModel", "deferred"),
        "unknown": QCoreApplication.translate("LogModel", "unknown"),
        "throttled": QCoreApplication.translate("LogModel", "waiting"),
        "connections": QCoreApplication.translate("LogModel", "connections"),
        "paused": QCoreApplication.translate("LogModel", "paused"),
        "resumed": QCoreApplication.translate("LogModel", "resumed"),
        "stopped": QCoreApplication.translate("LogModel", "stopped"),
    }
    return names.get(status, status)


class LogModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LogEntry] = []

    def append(self, entries: Sequence[LogEntry]) -> None:
        if not entries:
            return
        start = len(self._entries)
        self.beginInsertRows(QModelIndex(), start, start + len(entries) - 1)
        self._entries.extend(entries)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._entries = []
        self.endResetModel()

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            QCoreApplication.translate("LogModel", "Time"),
            QCoreApplication.translate("LogModel", "Row"),
            QCoreApplication.translate("LogModel", "Address"),
            QCoreApplication.translate("LogModel", "Status"),
            QCoreApplication.translate("LogModel", "Code"),
            QCoreApplication.translate("LogModel", "Server reply"),
        )
        return names[section] if 0 <= section < COLUMNS else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return e.at.astimezone().strftime("%H:%M:%S")
            if column == 1:
                return "" if e.row is None else str(e.row)
            if column == 2:
                return e.address
            if column == 3:
                return status_text(e.status)
            if column == 4:
                return "" if e.code is None else str(e.code)
            return e.text
        if role == Qt.ItemDataRole.UserRole and column == STATUS_COLUMN:
            return e.status
        return None

    def as_text(self, rows: Sequence[int]) -> str:
        """Tab-separated lines for the clipboard (pastes into a spreadsheet)."""
        lines = []
        for row in rows:
            cells = [str(self.data(self.index(row, c)) or "") for c in range(COLUMNS)]
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        if self._entries:
            last = len(self._entries) - 1
            self.dataChanged.emit(self.index(0, STATUS_COLUMN), self.index(last, STATUS_COLUMN))


class LogFilter(QSortFilterProxyModel):
    """Status filter (empty = all) and a case-insensitive search over address and reply."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = ""
        self._needle = ""

    def set_status(self, status: str) -> None:
        self._status = status
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self._needle = text.strip().casefold()
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, LogModel):
            return True
        entry = model.entry(source_row)
        if self._status and entry.status != self._status:
            return False
        if self._needle:
            haystack = f"{entry.row} {entry.address} {entry.code} {entry.text}".casefold()
            return self._needle in haystack
        return True
