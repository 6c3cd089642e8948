"""The pre-flight's problem list as a table: row, column, kind, message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.core.model import Problem, Severity
from app.gui.models.problem_labels import problem_label

Index = QModelIndex | QPersistentModelIndex


class ProblemsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def append(self, problems: Sequence[Problem]) -> None:
        if not problems:
            return
        start = len(self._problems)
        self.beginInsertRows(QModelIndex(), start, start + len(problems) - 1)
        self._problems.extend(problems)
        self.endInsertRows()

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                (
                    QCoreApplication.translate("ProblemsModel", "Row"),
                    QCoreApplication.translate("ProblemsModel", "Where"),
                    QCoreApplication.translate("ProblemsModel", "Problem"),
                    QCoreApplication.translate("ProblemsModel", "Details"),
                )[section]
                if 0 <= section < 4
                else None
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self._problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return "" if p.row is None else str(p.row)
            if column == 1:
                parts = []
                if p.column:
                    parts.append(p.column)
                if p.line:
                    parts.append(
                        QCoreApplication.translate("ProblemsModel", "line {n}").format(n=p.line)
                    )
                return ", ".join(parts)
            if column == 2:
                prefix = "⚠ " if p.severity == Severity.WARNING else "✗ "
                return prefix + problem_label(p.kind)
            return p.message
        return None
