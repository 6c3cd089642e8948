"""File › Do-not-email list…: the addresses no campaign sends to (app.core.do_not_email).

Lists every address with why and since when; Add (typed addresses), Remove (the selected
rows), Import (a CSV or text file: its email/address/邮箱 column, or the first column holding
addresses). Every change is saved at once through the core, and `changed` tells the window to
validate the open workbook again, so the Recipients step shows who is now (no longer) listed.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.do_not_email import DoNotEmailError, DoNotEmailList, Reason

log = logging.getLogger("herald.gui")
_SEPARATORS = re.compile(r"[\s,;，；]+")


def reason_text(reason: Reason) -> str:
    names = {
        Reason.HARD_BOUNCE: QCoreApplication.translate("DoNotEmailDialog", "bounced (hard)"),
        Reason.UNSUBSCRIBED: QCoreApplication.translate("DoNotEmailDialog", "asked to unsubscribe"),
        Reason.ADDED_BY_USER: QCoreApplication.translate("DoNotEmailDialog", "added by you"),
        Reason.IMPORTED: QCoreApplication.translate("DoNotEmailDialog", "imported"),
    }
    return names[reason]


class DoNotEmailDialog(QDialog):
    changed = Signal()  # the list was saved with a change

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DoNotEmailDialog")
        self._path = path
        self.listed: DoNotEmailList | None = None
        self._build()
        self.reload()

    def _build(self) -> None:
        self.explain = QLabel(
            self.tr(
                "Herald never sends to these addresses, in any campaign. Hard bounces and unsubscribe requests are added by Read bounces… on the Report page; remove an address to send to it again."  # noqa: E501
            )
        )
        self.explain.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Address"), self.tr("Why"), self.tr("Added"), self.tr("Source")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.setSortingEnabled(True)
        self.table.setAccessibleName(self.tr("Addresses on the do-not-email list"))
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText(
            self.tr("name@example.com (several: separate with commas)")
        )
        self.address_edit.setAccessibleName(self.tr("Addresses to add"))
        self.address_edit.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.clicked.connect(self.add_typed)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = QPushButton(self.tr("&Import CSV…"))
        self.import_button.clicked.connect(self.ask_import)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        add_row = QHBoxLayout()
        add_row.addWidget(self.address_edit, 1)
        add_row.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addWidget(self.remove_button)
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(add_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.setWindowTitle(self.tr("Do-not-email list"))
        self.resize(760, 480)

    # --- data -----------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            self.listed = DoNotEmailList.load(self._path)
        except DoNotEmailError as exc:
            self.listed = None
            self.status.setText(str(exc))
            for widget in (self.add_button, self.remove_button, self.import_button):
                widget.setEnabled(False)
            return
        self._fill()

    def _fill(self) -> None:
        listed = self.listed
        if listed is None:
            return
        self.table.setSortingEnabled(False)
        self.table.setRowCount(0)
        self.table.setRowCount(len(listed))
        for row, entry in enumerate(listed):
            cells = (
                entry.address,
                reason_text(entry.reason),
                entry.added_at.astimezone().strftime("%Y-%m-%d"),
                entry.source,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.address)
                if column == 3:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.status.setText(
            self.tr("{n} addresses ({path}).").format(n=len(listed), path=listed.path)
        )
        self._selection_changed()

    def addresses(self) -> list[str]:
        """The addresses shown, in table order (for tests and the screen reader)."""
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.listed is not None and bool(self._selected()))

    def _selected(self) -> list[str]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in sorted(rows)]

    def _save(self, message: str) -> bool:
        assert self.listed is not None
        try:
            self.listed.save()
        except OSError as exc:
            self.status.setText(self.tr("The list could not be saved: {reason}").format(reason=exc))
            self.reload()  # show what is really on disk
            return False
        self._fill()
        self.status.setText(message + " " + self.status.text())
        log.info("%s", message)
        self.changed.emit()
        return True

    # --- actions --------------------------------------------------------------------------
    def add_typed(self) -> int:
        if self.listed is None:
            return 0
        words = [w for w in _SEPARATORS.split(self.address_edit.text()) if w]
        bad = [w for w in words if "@" not in w or w.startswith("@") or w.endswith("@")]
        if bad or not words:
            self.status.setText(
                self.tr("Not an e-mail address: {text}").format(text=", ".join(bad) or "—")
            )
            return 0
        added = 0
        for word in words:
            try:
                added += self.listed.add(
                    word, Reason.ADDED_BY_USER, source=self.tr("added in the window")
                )
            except DoNotEmailError as exc:
                self.status.setText(str(exc))
                return 0
        self.address_edit.clear()
        if added:
            self._save(
                self.tr("Added {added} of {n} (the others were listed already).").format(
                    added=added, n=len(words)
                )
            )
        else:
            self.status.setText(self.tr("Every address given is on the list already."))
        return added

    def remove_selected(self) -> int:
        if self.listed is None:
            return 0
        removed = sum(self.listed.remove(address) for address in self._selected())
        if removed:
            self._save(self.tr("Removed {n}: they may be sent to again.").format(n=removed))
        return removed

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import addresses"),
            "",
            self.tr("CSV or text (*.csv *.txt);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> int:
        if self.listed is None:
            return 0
        try:
            added = self.listed.import_file(path)
        except DoNotEmailError as exc:
            self.status.setText(str(exc))
            return 0
        if added:
            self._save(
                self.tr("Added {n} new addresses from {name}.").format(n=added, name=path.name)
            )
        else:
            self.status.setText(self.tr("No new addresses in {name}.").format(name=path.name))
        return added
