"""The recipients table: the core's Table rows, shown lazily, with problems and send status.

`data()` is O(1): it indexes the Table's row sequence and two dicts, so a 100,000-row workbook
scrolls as smoothly as a 10-row one and no per-row Python objects are built up front.
Column 0 is the row's workbook number with a check box (include / exclude) and a status icon;
problems are shown by icon AND text in the tooltip and in the "Check" column, never colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.core.model import Problem, ProblemKind, Row, Severity, Table
from app.gui.models.problem_labels import problem_label
from app.gui.models.values import cell_text

Index = QModelIndex | QPersistentModelIndex

#: custom roles
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1  # "1" when the row has a problem, else "0"
ROW_NUMBER_ROLE = Qt.ItemDataRole.UserRole + 2  # the workbook row number (int)

FIXED_COLUMNS = 2  # row number, check result


def _send_status_text(status: str) -> str:
    names = {
        "sent": QCoreApplication.translate("RecipientsModel", "sent"),
        "failed": QCoreApplication.translate("RecipientsModel", "failed"),
        "deferred": QCoreApplication.translate("RecipientsModel", "deferred"),
        "unknown": QCoreApplication.translate("RecipientsModel", "unknown"),
        "sending": QCoreApplication.translate("RecipientsModel", "sending"),
        "pending": QCoreApplication.translate("RecipientsModel", "pending"),
    }
    return names.get(status, status)


class RecipientsModel(QAbstractTableModel):
    def __init__(
        self,
        on_exclude: Callable[[list[int], bool], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._rows: Sequence[Row] = ()
        self._problems: Mapping[int, Sequence[Problem]] = {}
        self._excluded: set[int] = set()
        self._send_status: dict[int, str] = {}
        self._on_exclude = on_exclude
        self._icons: dict[str, QIcon] = {}

    # --- feeding -------------------------------------------------------------------------------
    def set_table(self, table: Table | None) -> None:
        self.beginResetModel()
        self._headers = table.headers if table else ()
        self._rows = table.rows if table else ()
        self._problems = {}
        self._send_status = {}
        self.endResetModel()

    def set_problems(self, problems: Mapping[int, Sequence[Problem]], excluded: set[int]) -> None:
        self._problems = problems
        self._excluded = excluded
        self._changed_all()

    def set_send_status(self, statuses: Mapping[int, str]) -> None:
        """Per-row send outcome (row number -> state); only touched rows are repainted."""
        if not statuses:
            return
        self._send_status.update(statuses)
        self._changed_all(columns=(1, 1))

    def _changed_all(self, columns: tuple[int, int] | None = None) -> None:
        if not self._rows:
            return
        first, last = columns or (0, self.columnCount() - 1)
        self.dataChanged.emit(self.index(0, first), self.index(len(self._rows) - 1, last))

    # --- queries -------------------------------------------------------------------------------
    def row_number(self, row: int) -> int:
        return self._rows[row].number

    def has_problem(self, row: int) -> bool:
        return self._rows[row].number in self._problems

    def row_matches(self, row: int, needle: str) -> bool:
        """Case-folded `needle` found in any cell (or the row number) of `row`."""
        found = self._rows[row]
        if needle in str(found.number):
            return True
        return any(needle in cell_text(v).casefold() for v in found.values)

    def problems_of(self, row: int) -> Sequence[Problem]:
        return self._problems.get(self._rows[row].number, ())

    # --- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return (
            0
            if parent.isValid()
            else (FIXED_COLUMNS + len(self._headers) if self._rows or self._headers else 0)
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return QCoreApplication.translate("RecipientsModel", "Row")
        if section == 1:
            return QCoreApplication.translate("RecipientsModel", "Check")
        if 0 <= section - FIXED_COLUMNS < len(self._headers):
            return self._headers[section - FIXED_COLUMNS]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(row.number)
            if column == 1:
                return self._check_text(row.number)
            return cell_text(row.values[column - FIXED_COLUMNS])
        if column == 0:
            if role == Qt.ItemDataRole.CheckStateRole:
                return (
                    Qt.CheckState.Unchecked
                    if row.number in self._excluded
                    else Qt.CheckState.Checked
                )
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icon(row.number)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltip(row.number)
            if role == PROBLEM_ROLE:
                return "1" if row.number in self._problems else "0"
            if role == ROW_NUMBER_ROLE:
                return row.number
            if role == Qt.ItemDataRole.AccessibleTextRole:
                word = QCoreApplication.translate("RecipientsModel", "Row")
                return f"{word} {row.number}: {self._check_text(row.number)}"
        if column == 1 and role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row.number)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        number = self._rows[index.row()].number
        include = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if include:
            self._excluded.discard(number)
        else:
            self._excluded.add(number)
        if self._on_exclude is not None:
            self._on_exclude([number], not include)
        self.dataChanged.emit(index, self.index(index.row(), 1))
        return True

    # --- helpers ----------------------------------------------------------------------------
    def _check_text(self, number: int) -> str:
        status = self._send_status.get(number)
        if status:
            return _send_status_text(status)
        if number in self._excluded:
            return QCoreApplication.translate("RecipientsModel", "excluded")
        problems = self._problems.get(number)
        if not problems:
            return QCoreApplication.translate("RecipientsModel", "OK")
        first = problems[0]
        if first.kind == ProblemKind.DUPLICATE_ADDRESS:
            return QCoreApplication.translate("RecipientsModel", "duplicate")
        label = problem_label(first.kind)
        if first.severity == Severity.WARNING:
            return QCoreApplication.translate("RecipientsModel", "warning: {kind}").format(
                kind=label
            )
        return QCoreApplication.translate("RecipientsModel", "problem: {kind}").format(kind=label)

    def _tooltip(self, number: int) -> str | None:
        problems = self._problems.get(number)
        if not problems:
            return None
        return "\n".join(p.message for p in problems)

    def _icon(self, number: int) -> QIcon | None:
        status = self._send_status.get(number)
        if status == "sent":
            return self._std("ok", QStyle.StandardPixmap.SP_DialogApplyButton)
        if status in ("failed", "unknown"):
            return self._std("error", QStyle.StandardPixmap.SP_MessageBoxCritical)
        if number in self._excluded:
            return self._std("excluded", QStyle.StandardPixmap.SP_DialogCancelButton)
        problems = self._problems.get(number)
        if not problems:
            return None
        if all(p.severity == Severity.WARNING for p in problems):
            return self._std("warning", QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._std("error", QStyle.StandardPixmap.SP_MessageBoxCritical)

    def _std(self, key: str, pixmap: QStyle.StandardPixmap) -> QIcon:
        icon = self._icons.get(key)
        if icon is None:
            style = QApplication.style()
            icon = style.standardIcon(pixmap) if style is not None else QIcon()
            self._icons[key] = icon
        return icon

    def retranslate(self) -> None:
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)
            self._changed_all(columns=(0, 1))
