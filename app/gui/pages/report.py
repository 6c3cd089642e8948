"""Report: totals from the journal, Retry failed, Resend unknown…, export, open the Outbox."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.gui.controller import SendController
from app.gui.pages.base import Page
from app.gui.session import Session
from app.gui.widgets.sidebar import StepStatus

log = logging.getLogger("herald.gui")
STATES = ("sent", "failed", "deferred", "unknown", "pending")


class ReportPage(Page):
    def __init__(
        self, session: Session, controller: SendController, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, parent)
        self.controller = controller
        self.counts: dict[str, int] = {}
        self.journal_path: Path | None = None
        self.outbox_used = False
        self.start_again: Any = None  # set by the window: async callable that restarts sending
        self._build()
        controller.stateChanged.connect(lambda state: state == "idle" or self.refresh())
        session.campaignChanged.connect(self.refresh)
        self.retranslate()

    def _build(self) -> None:
        self.heading = QLabel()
        self.totals_box = QGroupBox()
        grid = QGridLayout(self.totals_box)
        self.total_names: dict[str, QLabel] = {}
        self.total_values: dict[str, QLabel] = {}
        for i, state in enumerate(STATES):
            name, value = QLabel(), QLabel("0")
            value.setAccessibleName(state)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, i, 0)
            grid.addWidget(value, i, 1)
            self.total_names[state], self.total_values[state] = name, value
        # numbers right beside their names (not across the page): the spare width goes last
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(1, 60)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.unknown_help = QLabel()
        self.unknown_help.setWordWrap(True)
        self.retry_button = QPushButton()
        self.retry_button.clicked.connect(self.retry_failed)
        self.resend_button = QPushButton()
        self.resend_button.clicked.connect(self.resend_unknown)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.ask_export)
        self.outbox_button = QPushButton()
        self.outbox_button.clicked.connect(self.open_outbox)
        buttons = QHBoxLayout()
        for b in (self.retry_button, self.resend_button, self.export_button, self.outbox_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.totals_box)
        layout.addLayout(buttons)
        layout.addWidget(self.unknown_help)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + self.tr("Report") + "</h2>")
        self.totals_box.setTitle(self.tr("Totals"))
        names = {
            "sent": self.tr("Sent:"),
            "failed": self.tr("Failed:"),
            "deferred": self.tr("Deferred (will be retried):"),
            "unknown": self.tr("Unknown:"),
            "pending": self.tr("Not sent yet:"),
        }
        for state, label in self.total_names.items():
            label.setText(names[state])
            self.total_values[state].setAccessibleName(names[state].rstrip(":："))
        self.retry_button.setText(self.tr("Retry &failed"))
        self.resend_button.setText(self.tr("Resend &unknown…"))
        self.export_button.setText(self.tr("&Export report…"))
        self.outbox_button.setText(self.tr("Open the &Outbox folder"))
        self.unknown_help.setText(
            self.tr(
                "“Unknown” means the message went out but the server's answer never arrived "
                "(the connection dropped after the last byte). The recipient may or may not have "
                "it, so Herald never resends these by itself: resending may deliver a second copy."
            )
        )
        self.refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    # --- data -----------------------------------------------------------------------------
    def _open_journal(self, *, readonly: bool = True) -> Any:
        from app.core.journal import Journal, find_journal_for

        if self.session.path is None:
            return None
        path = find_journal_for(self.session.path)
        if path is None:
            return None
        self.journal_path = path
        return Journal.open_readonly(path) if readonly else Journal.open(path)

    def _only_tests(self) -> bool:
        """A rehearsal through the local test outbox exists (its own journal, never counted)."""
        from app.core.journal import find_journal_for

        if self.session.path is None:
            return False
        return find_journal_for(self.session.path, test=True) is not None

    def refresh(self) -> None:
        if self.controller.running:
            return
        try:
            journal = self._open_journal()
        except Exception:
            log.debug("journal not readable", exc_info=True)
            journal = None
        if journal is None:
            self.counts = {}
            self.outbox_used = False
        else:
            try:
                self.counts = {str(k): v for k, v in journal.counts().items()}
                self.outbox_used = bool(journal.outbox_used)
            finally:
                journal.close()
        for state in STATES:
            self.total_values[state].setText(str(self.counts.get(state, 0)))
        has = bool(self.counts)
        self.retry_button.setEnabled(self.counts.get("failed", 0) > 0)
        self.resend_button.setEnabled(self.counts.get("unknown", 0) > 0)
        self.export_button.setEnabled(has)
        self.outbox_button.setVisible(self.outbox_used)
        if not has:
            if self._only_tests():
                self.outbox_button.setVisible(True)
                self.summary.setText(
                    self.tr(
                        "Only test runs so far (to the local test outbox): nothing was delivered to anyone."  # noqa: E501
                    )
                )
            else:
                self.summary.setText(self.tr("Nothing sent yet for this campaign."))
            self.set_status(StepStatus.NONE, self.summary.text())
            return
        total = sum(self.counts.values())
        self.summary.setText(
            self.tr("{sent} of {total} recipients have the message.").format(
                sent=self.counts.get("sent", 0), total=total
            )
        )
        bad = self.counts.get("failed", 0) + self.counts.get("unknown", 0)
        self.set_status(StepStatus.WARNING if bad else StepStatus.OK, self.summary.text())

    # --- actions --------------------------------------------------------------------------
    @asyncSlot()
    async def retry_failed(self) -> None:
        await self.requeue("failed")

    @asyncSlot()
    async def resend_unknown(self) -> None:
        answer = QMessageBox.warning(
            self,
            self.tr("Resend unknown"),
            self.unknown_help.text()
            + "\n\n"
            + self.tr("Resend to these {n} recipients anyway?").format(
                n=self.counts.get("unknown", 0)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            await self.requeue("unknown")

    async def requeue(self, state: str) -> int:
        journal = self._open_journal(readonly=False)
        if journal is None:
            return 0
        try:
            moved = journal.retry_failed() if state == "failed" else journal.resend_unknown()
        finally:
            journal.close()
        if state == "failed":
            text = QCoreApplication.translate("Log", "{count} failed recipients queued again")
        else:
            text = QCoreApplication.translate(
                "Log", "{count} recipients of unknown delivery queued again"
            )
        log.info("%s", text.format(count=moved))
        self.refresh()
        if moved and self.start_again is not None:
            await self.start_again()
        return moved

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export report"),
            f"{self.session.name or 'report'}-report.xlsx",
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"),
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> int:
        from app.core.report import ReportError, export_report

        journal = self._open_journal()
        if journal is None:
            return 0
        try:
            rows = export_report(journal, path)
        except ReportError as exc:
            QMessageBox.warning(self, self.tr("Export report"), str(exc))
            return 0
        finally:
            journal.close()
        log.info(
            "%s",
            QCoreApplication.translate("Log", "Report with {count} rows written to {path}").format(
                count=rows, path=path
            ),
        )
        return rows

    def open_outbox(self) -> None:
        from app.core.paths import outbox_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(outbox_dir())))
