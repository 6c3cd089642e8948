"""The Report page's per-recipient table: every workbook row with its status and reason.

Rows come from the campaign's journal (sent, failed, deferred, unknown, pending) and from the
workbook rows the send left out (skipped: invalid, duplicate, excluded), in workbook order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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

from app.core.model import CellValue, Problem, ProblemKind, Severity, Table
from app.core.report import SKIPPED, SkippedRow
from app.gui.models.problem_labels import problem_label

Index = QModelIndex | QPersistentModelIndex
STATUS_COLUMN = 2


def report_status_text(status: str) -> str:
    names = {
        "sent": QCoreApplication.translate("ReportRows", "sent"),
        "failed": QCoreApplication.translate("ReportRows", "failed"),
        "deferred": QCoreApplication.translate("ReportRows", "deferred"),
        "unknown": QCoreApplication.translate("ReportRows", "unknown"),
        "pending": QCoreApplication.translate("ReportRows", "not sent yet"),
        "sending": QCoreApplication.translate("ReportRows", "unknown"),
        SKIPPED: QCoreApplication.translate("ReportRows", "skipped"),
    }
    return names.get(status, status)


@dataclass(frozen=True, slots=True)
class ReportLine:
    row: int
    address: str
    status: str  # a RecipientState value, or "skipped"
    at: dt.datetime | None
    reason: str  # the server's reply, or why the row was skipped
    bounce: str = ""  # "hard" / "soft" once Read bounces… found one for this row
    bounce_detail: str = ""  # the bounced address, status and diagnostic


def bounces_of(journal: Any) -> dict[int, tuple[str, str]]:
    """row -> (hard/soft, detail) for the rows a mailbox reading found bounced."""
    from app.core.journal import MailboxMark

    found: dict[int, tuple[str, str]] = {}
    for row, marks in journal.mailbox_marks().items():
        if MailboxMark.BOUNCED_HARD in marks:
            found[row] = ("hard", marks[MailboxMark.BOUNCED_HARD])
        elif MailboxMark.BOUNCED_SOFT in marks:
            found[row] = ("soft", marks[MailboxMark.BOUNCED_SOFT])
    return found


def bounce_status_text(severity: str) -> str:
    if severity == "hard":
        return QCoreApplication.translate("ReportRows", "bounced (hard)")
    return QCoreApplication.translate("ReportRows", "bounced (soft)")


def skipped_rows(
    table: Table | None,
    in_journal: set[int],
    problems: Mapping[int, Sequence[Problem]],
    excluded: set[int],
) -> list[SkippedRow]:
    """The workbook rows the journal does not hold, with why, in the interface language."""
    if table is None:
        return []
    found = []
    for row in table.rows:
        if row.number in in_journal:
            continue
        fields: dict[str, CellValue] = dict(zip(table.headers, row.values, strict=False))
        found.append(SkippedRow(row.number, fields, _why(row.number, problems, excluded)))
    return found


def _why(number: int, problems: Mapping[int, Sequence[Problem]], excluded: set[int]) -> str:
    if number in excluded:
        return QCoreApplication.translate("ReportRows", "excluded by you")
    errors = [p for p in problems.get(number, ()) if p.severity == Severity.ERROR]
    if errors:
        first = errors[0]
        if first.kind == ProblemKind.DUPLICATE_ADDRESS:
            label = QCoreApplication.translate("ReportRows", "duplicate address")
        else:
            label = problem_label(first.kind)
        return f"{label}: {first.message}"
    return QCoreApplication.translate(
        "ReportRows", "not in this send (the workbook changed after it started?)"
    )


class ReportRowsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[ReportLine] = []

    def set_lines(self, lines: Iterable[ReportLine]) -> None:
        self.beginResetModel()
        self._lines = sorted(lines, key=lambda line: line.row)
        self.endResetModel()

    def line(self, row: int) -> ReportLine:
        return self._lines[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            QCoreApplication.translate("ReportRows", "Row"),
            QCoreApplication.translate("ReportRows", "Address"),
            QCoreApplication.translate("ReportRows", "Status"),
            QCoreApplication.translate("ReportRows", "Time"),
            QCoreApplication.translate("ReportRows", "Reason or server reply"),
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return line.status
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return str(line.row)
        if column == 1:
            return line.address
        if column == 2:
            if line.bounce:  # the server took it, the recipient's side sent it back later
                return bounce_status_text(line.bounce)
            return report_status_text(line.status)
        if column == 3:
            return line.at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if line.at else ""
        if line.bounce:  # the status column says bounced; the address column whose
            detail = line.bounce_detail
            prefix = f"{line.address}: "
            return detail[len(prefix) :] if detail.lower().startswith(prefix.lower()) else detail
        return line.reason

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)
        if self._lines:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._lines) - 1, 4))


class ReportRowsFilter(QSortFilterProxyModel):
    """Rows of one status ("" for all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = ""

    def set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._status:
            return True
        model = self.sourceModel()
        if not isinstance(model, ReportRowsModel):
            return True
        line = model.line(source_row)
        if self._status == "bounced":
            return bool(line.bounce)
        status = line.status
        return status == self._status or (self._status == "unknown" and status == "sending")
