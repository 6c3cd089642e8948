"""Report: totals from the journal, every row's outcome (skipped rows too, filterable by status),
Retry failed (permanent refusals only when confirmed), Resend unknown…, export, the Outbox."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.gui import report_mailbox
from app.gui.controller import SendController
from app.gui.models.report_rows import (
    ReportLine,
    ReportRowsFilter,
    ReportRowsModel,
    bounces_of,
    skipped_rows,
)
from app.gui.pages.base import Page
from app.gui.session import Session
from app.gui.widgets.sidebar import StepStatus

log = logging.getLogger("herald.gui")
FILL_SLICE_S = 0.008  # per timer tick while filling the per-recipient table
STATES = ("sent", "failed", "deferred", "unknown", "pending", "skipped")
FILTERS = ("", "sent", "failed", "deferred", "unknown", "pending", "skipped", "bounced")


class ReportPage(Page):
    def __init__(
        self, session: Session, controller: SendController, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, parent)
        self.controller = controller
        self.counts: dict[str, int] = {}
        self.bounced = 0  # rows a mailbox reading found bounced
        self.journal_path: Path | None = None
        self.outbox_used = False
        self.skipped: list[Any] = []  # app.core.report.SkippedRow, for the export too
        self.permanent_failures: list[int] = []  # rows a server refused with a 5xx reply
        self.transient_failures: list[int] = []
        # the per-recipient table being filled, a slice per timer tick
        self._fill_timer = QTimer(self)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill_some)
        self._fill_journal: Any = None
        self._fill_source: Iterator[Any] | None = None
        self._fill_lines: list[ReportLine] = []
        self._bounces: dict[int, tuple[str, str]] = {}
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
        # the account's mailbox read back over IMAP (app/gui/report_mailbox.py)
        self.bounces_button = QPushButton()
        self.bounces_button.clicked.connect(self.read_bounces)
        self.copy_sent_button = QPushButton()
        self.copy_sent_button.clicked.connect(self.copy_to_sent)
        self.mailbox_note = QLabel()
        self.mailbox_note.setWordWrap(True)
        self.mailbox_busy = False
        self.bounces_help = ""
        buttons = QHBoxLayout()
        for b in (
            self.retry_button,
            self.resend_button,
            self.export_button,
            self.bounces_button,
            self.copy_sent_button,
            self.outbox_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.rows_model = ReportRowsModel(self)
        self.rows_filter = ReportRowsFilter(self)
        self.rows_filter.setSourceModel(self.rows_model)
        self.filter_label = QLabel()
        self.filter_combo = QComboBox()
        self.filter_label.setBuddy(self.filter_combo)
        self.filter_combo.currentIndexChanged.connect(
            lambda i: self.rows_filter.set_status(FILTERS[max(i, 0)])
        )
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_filter)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.verticalHeader().setVisible(False)
        self.rows_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.rows_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        self.rows_view.setTabKeyNavigation(False)
        self.rows_view.setWordWrap(False)
        for column, width in ((0, 60), (1, 220), (2, 100), (3, 150)):
            self.rows_view.setColumnWidth(column, width)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_label)
        filter_row.addWidget(self.filter_combo)
        filter_row.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.totals_box)
        top.addWidget(self.unknown_help, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.mailbox_note)
        layout.addLayout(filter_row)
        layout.addWidget(self.rows_view, 1)

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + self.tr("Report") + "</h2>")
        self.totals_box.setTitle(self.tr("Totals"))
        names = {
            "sent": self.tr("Sent:"),
            "failed": self.tr("Failed:"),
            "deferred": self.tr("Deferred (will be retried):"),
            "unknown": self.tr("Unknown:"),
            "pending": self.tr("Not sent yet:"),
            "skipped": self.tr("Skipped (not sendable or excluded):"),
        }
        for state, label in self.total_names.items():
            label.setText(names[state])
            self.total_values[state].setAccessibleName(names[state].rstrip(":："))
        self.retry_button.setText(self.tr("Retry &failed"))
        self.resend_button.setText(self.tr("Resend &unknown…"))
        self.export_button.setText(self.tr("&Export report…"))
        self.outbox_button.setText(self.tr("Open the &Outbox folder"))
        self.bounces_button.setText(self.tr("Read &bounces…"))
        self.bounces_help = self.tr(
            "Read the account's inbox (read-only) for bounces of this campaign and for unsubscribe replies; hard bounces and unsubscribers go on the do-not-email list."  # noqa: E501
        )
        self.copy_sent_button.setText(self.tr("Copy to &Sent…"))
        self.filter_label.setText(self.tr("S&how:"))
        current = self.filter_combo.currentIndex()
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        self.filter_combo.addItems(
            [
                self.tr("All rows"),
                self.tr("Sent"),
                self.tr("Failed"),
                self.tr("Deferred"),
                self.tr("Unknown"),
                self.tr("Not sent yet"),
                self.tr("Skipped"),
                self.tr("Bounced"),
            ]
        )
        self.filter_combo.setCurrentIndex(max(current, 0))
        self.filter_combo.blockSignals(False)
        self.filter_combo.setAccessibleName(self.tr("Show rows with status"))
        self.rows_view.setAccessibleName(self.tr("Every recipient's outcome"))
        self.rows_model.retranslate()
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
        """This campaign's journal: keyed on the campaign file AND the workbook, the one the
        send used, so another workbook opened over a campaign never shows its outcomes."""
        from app.core.journal import Journal
        from app.core.send.prepare import journal_path

        recipients = self.session.config.recipients
        if recipients is None:
            return None
        path = journal_path(self.session.path, recipients)
        if not path.exists():
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
        """Totals, summary and badge now (counting queries: quick at any size); the
        per-recipient table is filled in slices while the page is on screen."""
        if self.controller.running:
            return
        try:
            journal = self._open_journal()
        except Exception:
            log.debug("journal not readable", exc_info=True)
            journal = None
        if journal is None:
            self.counts = {}
            self.bounced = 0
            self.outbox_used = False
            self.skipped = []
        else:
            try:
                self.counts = {str(k): v for k, v in journal.counts().items() if v}
                self.outbox_used = bool(journal.outbox_used)
                in_journal = journal.row_numbers()
                self.bounced = len(bounces_of(journal))
            finally:
                journal.close()
            s = self.session
            self.skipped = skipped_rows(s.table, in_journal, s.problems_by_row(), s.excluded)
            if self.skipped:
                self.counts["skipped"] = len(self.skipped)
        self._fill_rows_soon()
        for state in STATES:
            self.total_values[state].setText(str(self.counts.get(state, 0)))
        has = bool(self.counts)
        self.retry_button.setEnabled(self.counts.get("failed", 0) > 0)
        self.resend_button.setEnabled(self.counts.get("unknown", 0) > 0)
        self.export_button.setEnabled(has)
        self.outbox_button.setVisible(self.outbox_used)
        self._update_mailbox_buttons()
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
        sent = self.counts.get("sent", 0)
        text = self.tr("{sent} of {total} rows have the message.").format(sent=sent, total=total)
        if self.bounced:
            text += " " + self.tr("{n} of them bounced afterwards (see Bounced below).").format(
                n=self.bounced
            )
        if self.skipped:
            text += " " + self.tr("{n} rows were skipped (see Skipped below for why).").format(
                n=len(self.skipped)
            )
        waiting = self.counts.get("pending", 0) + self.counts.get("deferred", 0)
        if waiting:
            text += " " + self.tr("{n} not sent yet: continue from the Send page.").format(
                n=waiting
            )
        self.summary.setText(text)
        bad = self.counts.get("failed", 0) + self.counts.get("unknown", 0) + waiting
        if sent == 0:  # a journal with nothing delivered yet is no finished step
            self.set_status(StepStatus.WARNING if bad else StepStatus.NONE, text)
        else:
            self.set_status(StepStatus.WARNING if bad else StepStatus.OK, text)

    # --- the per-recipient table --------------------------------------------------------------
    # Filled by a zero-interval QTimer, a few milliseconds per tick, not by an asyncio task:
    # the page is refreshed from showEvent, which can run inside a modal dialog's nested event
    # loop while another task is executing, and a task stepped there fails.
    def _fill_rows_soon(self) -> None:
        self._stop_filling()
        if not self.isVisible() or not self.counts:
            self.rows_model.set_lines([])
            return
        journal = self._open_journal()
        if journal is None:
            self.rows_model.set_lines([])
            return
        self._fill_journal = journal
        self._bounces = bounces_of(journal)
        self._fill_source = journal.outcomes()
        self._fill_lines = []
        self._fill_timer.start()

    def _fill_some(self) -> None:
        source, lines = self._fill_source, self._fill_lines
        if source is None:
            self._fill_timer.stop()
            return
        deadline = time.perf_counter() + FILL_SLICE_S
        for outcome in source:
            reply = " ".join(str(p) for p in (outcome.smtp_code, outcome.smtp_text) if p)
            lines.append(
                ReportLine(
                    outcome.row,
                    outcome.address,
                    str(outcome.state),
                    outcome.at,
                    reply,
                    *self._bounces.get(outcome.row, ("", "")),
                )
            )
            if time.perf_counter() > deadline:
                return  # the rest on the next tick: the window paints in between
        email = self.session.mapping.email
        for skipped in self.skipped:
            address = str(skipped.fields.get(email, "")) if email else ""
            lines.append(ReportLine(skipped.row, address, "skipped", None, skipped.reason))
        self._stop_filling()
        self.rows_model.set_lines(lines)

    def _stop_filling(self) -> None:
        self._fill_timer.stop()
        self._fill_source = None
        if self._fill_journal is not None:
            self._fill_journal.close()
            self._fill_journal = None

    @property
    def filling(self) -> bool:
        return self._fill_source is not None

    async def rows_ready(self) -> None:
        """Wait until the per-recipient table shows the latest journal (for tests)."""
        while self.filling:
            await asyncio.sleep(0.01)

    # --- actions --------------------------------------------------------------------------
    @asyncSlot()
    async def retry_failed(self) -> None:
        await self.retry_failed_rows()

    async def retry_failed_rows(self) -> int:
        """Temporary failures are retried; permanent ones (a 5xx refusal such as "no such
        user") would most likely fail again and hurt the sender's standing, so they are
        included only when the user says so."""
        self._sort_failures()
        rows = list(self.transient_failures)
        permanent = self.permanent_failures
        if permanent:
            if rows:
                question = self.tr(
                    "{temporary} failed recipients had a temporary problem and will be retried. {permanent} were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry those {permanent} too?"  # noqa: E501
                ).format(temporary=len(rows), permanent=len(permanent))
            else:
                question = self.tr(
                    "All {permanent} failed recipients were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry them anyway?"  # noqa: E501
                ).format(permanent=len(permanent))
            answer = QMessageBox.warning(
                self,
                self.tr("Retry failed"),
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                rows += permanent
        if not rows:
            return 0
        return await self.requeue("failed", rows)

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

    def _sort_failures(self) -> None:
        """Failed rows split by the server's last reply: 5xx is permanent, the rest (4xx
        after the retries, a connection lost) temporary."""
        from app.core.send.contracts import RecipientState

        self.permanent_failures, self.transient_failures = [], []
        journal = self._open_journal()
        if journal is None:
            return
        try:
            for row in journal.rows(RecipientState.FAILED):
                permanent = row.smtp_code is not None and row.smtp_code >= 500
                (self.permanent_failures if permanent else self.transient_failures).append(row.row)
        finally:
            journal.close()

    async def requeue(self, state: str, rows: list[int] | None = None) -> int:
        journal = self._open_journal(readonly=False)
        if journal is None:
            return 0
        try:
            moved = journal.retry_failed(rows) if state == "failed" else journal.resend_unknown()
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
            str(self._export_folder() / f"{self.session.name or 'report'}-report.xlsx"),
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"),
        )
        if path:
            self.export(Path(path))

    def _export_folder(self) -> Path:
        """The campaign's folder (the demo's: its workbook's), never the process's."""
        path = self.session.path
        if path is not None and path.parent.name != "demo":
            return path.parent
        return self.session.base_dir or Path.home()

    def export(self, path: Path) -> int:
        from app.core.report import ReportError, export_report

        journal = self._open_journal()
        if journal is None:
            return 0
        try:
            rows = export_report(journal, path, skipped=self.skipped)
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

    # --- the mailbox (bounces, copy to Sent) ----------------------------------------------------
    def _update_mailbox_buttons(self) -> None:
        report_mailbox.update_buttons(self)

    @asyncSlot()
    async def read_bounces(self) -> None:
        await self.read_bounces_now()

    async def read_bounces_now(self) -> Any:
        """Scan the campaign's mailbox in a worker thread; show and return the ScanResult."""
        return await report_mailbox.read_bounces(self)

    @asyncSlot()
    async def copy_to_sent(self) -> None:
        await self.copy_to_sent_now()

    async def copy_to_sent_now(self) -> Any:
        """File each sent message in the account's Sent folder once (in a worker thread)."""
        return await report_mailbox.copy_to_sent(self)
