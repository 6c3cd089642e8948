"""Preview & test: one row's message as it will go out, "Check all", and a test to yourself."""

from __future__ import annotations

import asyncio
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.compose.streaming import preview_bytes
from app.core.model import InputError, RenderedMessage
from app.gui.models.problems import ProblemsModel
from app.gui.models.values import cell_text
from app.gui.pages.base import Page
from app.gui.session import Session, build_campaign
from app.gui.tasks import RENDER_SLICE_S, in_thread, spawn
from app.gui.widgets.safe_browser import SafeBrowser
from app.gui.widgets.sidebar import StepStatus

#: how long one chunk of "Check all" may hold the event loop before yielding
CHUNK_BUDGET_S = 0.02


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


class PreviewPage(Page):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.campaign: Any = None
        self._stale = True
        self._undisplayed = True
        self.position = 0  # index into the campaign's rows
        self.message: RenderedMessage | None = None
        self.report: Any = None
        self._stop = False
        self.checking = False
        self.max_stall = 0.0
        self.chunks = 0  # chunks the last "Check all" ran in
        self.clock = time.perf_counter  # times the chunks; tests inject their own
        self.rendering: asyncio.Task[None] | None = None  # a slow row finishing in a thread
        self._build()
        for signal in (session.draftChanged, session.recipientsChanged, session.tableChanged):
            signal.connect(self._invalidate)
        self.retranslate()

    def _build(self) -> None:
        self.heading = QLabel()
        self.first_button, self.prev_button = QPushButton(), QPushButton()
        self.next_button, self.last_button = QPushButton(), QPushButton()
        for button, icon in (
            (self.first_button, QStyle.StandardPixmap.SP_MediaSkipBackward),
            (self.prev_button, QStyle.StandardPixmap.SP_MediaSeekBackward),
            (self.next_button, QStyle.StandardPixmap.SP_MediaSeekForward),
            (self.last_button, QStyle.StandardPixmap.SP_MediaSkipForward),
        ):
            button.setIcon(self.style().standardIcon(icon))
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.position_label = QLabel()
        self.row_spin = QSpinBox()
        self.row_spin.setMinimum(1)
        self.row_spin.valueChanged.connect(lambda v: self.show_index(v - 1))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.find_button = QPushButton()
        self.find_button.clicked.connect(self.find_next)
        self.first_button.clicked.connect(lambda: self.show_index(0))
        self.prev_button.clicked.connect(lambda: self.show_index(self.position - 1))
        self.next_button.clicked.connect(lambda: self.show_index(self.position + 1))
        self.last_button.clicked.connect(lambda: self.show_index(len(self._rows()) - 1))
        nav = QHBoxLayout()
        for w in (
            self.first_button,
            self.prev_button,
            self.position_label,
            self.row_spin,
            self.next_button,
            self.last_button,
        ):
            nav.addWidget(w)
        nav.addSpacing(20)
        nav.addWidget(self.search, 1)
        nav.addWidget(self.find_button)

        self.header_form = QFormLayout()
        self.header_labels: dict[str, QLabel] = {}
        self.header_values: dict[str, QLabel] = {}
        for key in ("from", "to", "cc", "subject", "attachments"):
            label, value = QLabel(), QLabel()
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            value.setWordWrap(True)
            value.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            label.setBuddy(value)
            self.header_form.addRow(label, value)
            self.header_labels[key], self.header_values[key] = label, value
        self.row_problem = QLabel()
        self.row_problem.setWordWrap(True)

        self.tabs = QTabWidget()
        self.html_view = SafeBrowser()
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.tabs.addTab(self.html_view, "")
        self.tabs.addTab(self.text_view, "")

        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_all)
        self.stop_button = QPushButton()
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_check)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.check_summary = QLabel()
        self.check_summary.setWordWrap(True)
        self.test_button = QPushButton()
        self.test_button.clicked.connect(self.send_test)
        checks = QHBoxLayout()
        for w in (self.check_button, self.stop_button):
            checks.addWidget(w)
        checks.addWidget(self.progress, 1)
        checks.addWidget(self.test_button)
        self.problems_model = ProblemsModel(self)
        self.problems_view = QTableView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems_view.verticalHeader().setVisible(False)
        self.problems_view.horizontalHeader().setStretchLastSection(True)
        self.problems_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.problems_view.setTabKeyNavigation(False)
        self.problems_view.doubleClicked.connect(self._jump_to_problem)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(self.header_form)
        top_layout.addWidget(self.row_problem)
        top_layout.addWidget(self.tabs, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(checks)
        bottom_layout.addWidget(self.check_summary)
        bottom_layout.addWidget(self.problems_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(nav)
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + self.tr("Preview && test").replace("&&", "&amp;") + "</h2>")
        for button, name in (
            (self.first_button, self.tr("First row")),
            (self.prev_button, self.tr("Previous row")),
            (self.next_button, self.tr("Next row")),
            (self.last_button, self.tr("Last row")),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name)
        self.row_spin.setAccessibleName(self.tr("Go to recipient number"))
        self.search.setPlaceholderText(self.tr("Find a recipient (any column)…"))
        self.search.setAccessibleName(self.tr("Find a recipient"))
        self.find_button.setText(self.tr("&Find next"))
        names = {
            "from": self.tr("From:"),
            "to": self.tr("To:"),
            "cc": self.tr("Cc:"),
            "subject": self.tr("Subject:"),
            "attachments": self.tr("Attachments:"),
        }
        for key, text in names.items():
            self.header_labels[key].setText(text)
            self.header_values[key].setAccessibleName(text.rstrip(":："))
        self.tabs.setTabText(0, self.tr("HTML"))
        self.tabs.setTabText(1, self.tr("Plain text"))
        self.html_view.setAccessibleName(self.tr("HTML preview"))
        self.text_view.setAccessibleName(self.tr("Plain-text preview"))
        self.check_button.setText(self.tr("&Check all"))
        self.stop_button.setText(self.tr("S&top"))
        self.test_button.setText(self.tr("Send &test to me…"))
        self.progress.setAccessibleName(self.tr("Check progress"))
        self.problems_view.setAccessibleName(self.tr("Problems found"))
        self._update_position()
        if self.report is not None:
            self._show_report(self.report)

    # --- campaign ---------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._stale = True
        if self.report is not None and not self.checking:  # an old verdict no longer holds
            self.report = None
            self.check_summary.setText("")
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale or self._undisplayed:
            self.refresh()

    def ensure_campaign(self) -> Any:
        if self._stale:
            self._stale = False
            self._undisplayed = True  # rebuilt while hidden (Check all): show it when shown
            try:
                self.campaign = build_campaign(self.session)
                self.campaign_error = ""
            except InputError as exc:
                self.campaign = None
                self.campaign_error = exc.problem.message
        return self.campaign

    def _rows(self) -> tuple[int, ...]:
        return self.campaign.row_numbers if self.campaign is not None else ()

    def refresh(self) -> None:
        self.ensure_campaign()
        self._undisplayed = False
        rows = self._rows()
        self.row_spin.blockSignals(True)
        self.row_spin.setMaximum(max(len(rows), 1))
        self.row_spin.blockSignals(False)
        if self.campaign is None:
            self._clear(self.campaign_error)
            self.set_status(StepStatus.ERROR, self.campaign_error)
        else:
            self.show_index(min(self.position, len(rows) - 1))
            if self.report is None:
                self.set_status(StepStatus.NONE, self.tr("Not checked yet"))

    def _clear(self, why: str) -> None:
        self.message = None
        for value in self.header_values.values():
            value.setText("")
        self.row_problem.setText("⚠ " + why if why else "")
        self.html_view.show_html("")
        self.text_view.setPlainText("")
        self._update_position()

    def show_index(self, index: int) -> None:
        from app.core.preflight import build_row
        from app.core.templates import RenderPostponed

        rows = self._rows()
        if not rows:
            return
        self.position = max(0, min(index, len(rows) - 1))
        row = rows[self.position]
        try:
            result = build_row(self.campaign, row, slice_seconds=RENDER_SLICE_S)
        except RenderPostponed:  # a slow template: finish in a thread, the window keeps going
            self.message = None
            self._update_position()
            self.row_problem.setText(self.tr("Rendering row {row}…").format(row=row))
            self.rendering = spawn(self._show_slow_row(self.campaign, row))
            return
        self._show_result(row, result)

    async def _show_slow_row(self, campaign: Any, row: int) -> None:
        from app.core.preflight import build_row

        result = await in_thread(build_row, campaign, row)
        rows = self._rows()
        if campaign is self.campaign and rows and rows[self.position] == row:  # still shown
            self._show_result(row, result)

    def _show_result(self, row: int, result: Any) -> None:
        from app.core.preflight import RowProblems

        self.message = None if isinstance(result, RowProblems) else result
        self._update_position()
        if isinstance(result, RowProblems):
            self._show_fields(row)
            self.row_problem.setText(
                "⚠ "
                + self.tr("Row {row} cannot be sent:").format(row=row)
                + "\n"
                + "\n".join(p.message for p in result.problems)
            )
            return
        self._show_message(result)
        warnings = "\n".join(p.message for p in result.problems)
        self.row_problem.setText("⚠ " + warnings if warnings else "")

    def _show_fields(self, row: int) -> None:
        record = self.campaign.record(row)
        for value in self.header_values.values():
            value.setText("")
        self.header_values["to"].setText(
            ", ".join(f"{k}: {cell_text(v)}" for k, v in list(record.items())[:4])
        )
        self.html_view.show_html("")
        self.text_view.setPlainText("")

    def _show_message(self, message: RenderedMessage) -> None:
        # large attachments are not read for the preview: their files are listed instead
        parsed = BytesParser(policy=policy.default).parsebytes(preview_bytes(message))
        assert isinstance(parsed, EmailMessage)
        from app.core.compose.encoding import display_header  # jinja2 etc.: not at start-up

        # decoded as RFC 2047 says: Python's parser puts spaces into long encoded names
        raw = {name.lower(): value for name, value in parsed.raw_items()}
        for key in ("from", "to", "cc", "subject"):
            value = raw.get(key, "").replace("\r\n", "")
            self.header_values[key].setText(display_header(value) if value else "")
        # the full path of every file (where it really is, links followed) and its size
        files = [f"{file.path} ({human_size(file.size)})" for file in message.attachments]
        self.header_values["attachments"].setText("\n".join(files) or self.tr("none"))
        html_part = parsed.get_body(preferencelist=("html",))
        text_part = parsed.get_body(preferencelist=("plain",))
        html = html_part.get_content() if html_part is not None else ""
        text = text_part.get_content() if text_part is not None else ""
        text = text.replace("\r\n", "\n")  # a base64 part decodes to its canonical CRLFs
        self.html_view.show_html(
            html or "<pre>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</pre>"
        )
        self.text_view.setPlainText(text)

    def _update_position(self) -> None:
        rows = self._rows()
        if rows:
            self.position_label.setText(
                self.tr("{i} of {n} (row {row})").format(
                    i=self.position + 1, n=len(rows), row=rows[self.position]
                )
            )
            self.row_spin.blockSignals(True)
            self.row_spin.setValue(self.position + 1)
            self.row_spin.blockSignals(False)
        else:
            self.position_label.setText(self.tr("0 of 0"))
        for w in (self.first_button, self.prev_button):
            w.setEnabled(bool(rows) and self.position > 0)
        for w in (self.next_button, self.last_button):
            w.setEnabled(bool(rows) and self.position < len(rows) - 1)
        self.test_button.setEnabled(self.message is not None)

    def find_next(self) -> bool:
        needle = self.search.text().strip().casefold()
        rows = self._rows()
        if not needle or not rows:
            return False
        for step in range(1, len(rows) + 1):
            index = (self.position + step) % len(rows)
            record = self.campaign.record(rows[index])
            if needle in str(rows[index]) or any(
                needle in cell_text(v).casefold() for v in record.values()
            ):
                self.show_index(index)
                return True
        self.row_problem.setText(
            self.tr("No recipient matches “{text}”.").format(text=self.search.text())
        )
        return False

    def _jump_to_problem(self, index: Any) -> None:
        problem = self.problems_model.problem(index.row())
        if problem.row is not None and problem.row in self._rows():
            self.show_index(self._rows().index(problem.row))

    # --- check all --------------------------------------------------------------------------
    @asyncSlot()
    async def check_all(self) -> None:
        await self.run_check()

    def stop_check(self) -> None:
        self._stop = True

    async def run_check(self) -> Any:
        """Check every row in chunks of about 20 ms, yielding to the loop between chunks."""
        from app.core.preflight import PreflightTally, build_row
        from app.core.templates import RenderPostponed

        campaign = self.ensure_campaign()
        if campaign is None:
            self.check_summary.setText("⚠ " + self.campaign_error)
            return None
        rows = campaign.row_numbers
        tally = PreflightTally(campaign)
        self.problems_model.set_problems(list(campaign.general_problems))
        self.progress.setRange(0, len(rows))
        self.progress.setValue(0)
        self.checking, self._stop = True, False
        self.check_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.set_status(StepStatus.BUSY, self.tr("Checking…"))
        done, self.max_stall, self.chunks = 0, 0.0, 0
        clock = self.clock
        try:
            while done < len(rows) and not self._stop:
                start = clock()
                found = []
                while done < len(rows) and clock() - start < CHUNK_BUDGET_S:
                    try:
                        result = build_row(campaign, rows[done], slice_seconds=RENDER_SLICE_S)
                    except RenderPostponed:  # slow: the rest of its budget in a thread
                        result = await in_thread(build_row, campaign, rows[done])
                    tally.add(result)
                    found.extend(result.problems)
                    done += 1
                self.max_stall = max(self.max_stall, clock() - start)
                self.chunks += 1
                self.problems_model.append(found)
                self.progress.setValue(done)
                await asyncio.sleep(0)
        finally:
            self.checking = False
            self.check_button.setEnabled(True)
            self.stop_button.setEnabled(False)
        self.report = tally.report(stopped=self._stop)
        self._show_report(self.report)
        return self.report

    def _show_report(self, report: Any) -> None:
        text = self.tr(
            "{checked} of {rows} rows checked: {ok} can be sent, {bad} cannot; {errors} errors, {warnings} warnings."  # noqa: E501
        ).format(
            checked=report.checked,
            rows=report.rows,
            ok=report.sendable,
            bad=report.unsendable,
            errors=report.errors,
            warnings=report.warnings,
        )
        self.check_summary.setText(text)
        if report.stopped:
            self.set_status(StepStatus.WARNING, self.tr("Check stopped early"))
        elif report.all_sendable:
            self.set_status(StepStatus.OK, text)
        elif report.sendable:
            self.set_status(StepStatus.WARNING, text)
        else:
            self.set_status(StepStatus.ERROR, text)

    # --- test send --------------------------------------------------------------------------
    def own_address(self) -> str:
        campaign = self.campaign
        return campaign.settings.sender.address if campaign is not None else ""

    @asyncSlot()
    async def send_test(self) -> None:
        address, ok = QInputDialog.getText(
            self,
            self.tr("Send test to me"),
            self.tr("Send this row's message, marked [TEST], to:"),
            text=self.own_address(),
        )
        if ok and address.strip():
            await self.send_test_to(address.strip())

    async def send_test_to(self, address: str) -> bool:
        from app.gui.sending import send_test_message

        if self.message is None or self.campaign is None:
            return False
        row = self.campaign.row_numbers[self.position]
        try:
            await send_test_message(self.session, self.campaign, row, address)
        except Exception as exc:  # a template over its budget: said in the interface language
            from app.gui.slow_rows import row_error_text

            self.row_problem.setText(
                "⚠ "
                + self.tr("The test was not sent: {error}").format(
                    error=row_error_text(exc, self.campaign)
                )
            )
            return False
        self.row_problem.setText("✓ " + self.tr("Test sent to {address}.").format(address=address))
        return True
