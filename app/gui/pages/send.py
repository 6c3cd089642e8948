"""Send: limits, estimate, confirmation, Start/Pause/Resume/Cancel, progress, chart and log."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.model import InputError
from app.gui.controller import SendController
from app.gui.found_columns import confirm_found_columns
from app.gui.models.log import LogFilter, LogModel
from app.gui.pages.base import Page
from app.gui.pages.preview import human_size
from app.gui.profiles import ProfileStore
from app.gui.sending import (
    SendPlan,
    account_of,
    estimate_seconds,
    prepare_run,
    send_session,
    within_provider,
)
from app.gui.session import Session, build_campaign
from app.gui.tasks import RENDER_SLICE_S
from app.gui.widgets.rate_chart import RateChart
from app.gui.widgets.sidebar import StepStatus

log = logging.getLogger("herald.gui")
READINESS_DELAY_MS = 250  # re-check what Start can do this long after the last edit
STATUSES = ("", "sent", "failed", "deferred", "unknown", "throttled", "paused")


def duration_text(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds / 86400:.1f} d"


DEFAULT_PER_CONNECTION = 100  # the engine's default when neither campaign nor preset says


def preset_per_connection(profile: Any) -> int | None:
    """The provider preset's "reconnect after N messages", if the profile has a preset."""
    from app.core.providers import get_provider

    try:
        return get_provider(profile.provider).messages_per_connection
    except (KeyError, ValueError):
        return None


def sample_message_bytes(session: Session) -> int:
    """Size of the first sendable row's message; 0 when there is none yet (no estimate)."""
    from app.core.preflight import RowError, render_row
    from app.core.templates import RenderPostponed

    try:
        campaign = build_campaign(session)
        for row in itertools.islice(campaign.by_row, 20):
            try:
                return render_row(campaign, row, slice_seconds=RENDER_SLICE_S).size
            except RowError:  # an unsendable row: the next one may do
                pass
    except InputError:
        pass
    except RenderPostponed:  # a template this slow is not worth freezing the window for
        pass
    return 0


class _FirstRows:
    """The session seen through its first sendable rows only: `build_campaign` over 100,000
    rows takes about 100 ms (its lookups), too long for the loop each time an edit settles;
    whether Start can send anything is decided by the first rows (the count comes from the
    full recipient list)."""

    def __init__(self, session: Session, rows: int = 20) -> None:
        from dataclasses import replace

        from app.core.recipients import RecipientList

        self._session = session
        listed = session.recipient_list
        table = session.table
        self.recipient_list = listed
        self.table = table
        if listed is None or table is None:
            return
        first = tuple(
            itertools.islice((r for r in listed.recipients if r.row not in session.excluded), rows)
        )
        wanted = {r.row for r in first}
        kept = []
        for row in table.rows:  # in sheet order: stops soon after the first wanted rows
            if not wanted:
                break
            if row.number in wanted:
                kept.append(row)
                wanted.discard(row.number)
        self.table = replace(table, rows=kept, problems=())
        self.recipient_list = RecipientList(recipients=first, problems=())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class SendPage(Page):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.controller = SendController(self)
        self.profiles = ProfileStore()
        self.log_model = LogModel(self)
        self.log_filter = LogFilter(self)
        self.log_filter.setSourceModel(self.log_model)
        self.run: Any = None
        self.confirm = True  # tests switch the dialog off
        self._cancelled_by_user = False
        self._message_bytes: int | None = None
        self._loading_limits = False
        self.last_run_test = False  # the last run went to the local test outbox
        self.start_reason = ""  # why Start is disabled ("" when something can be sent)
        self.readiness_check: Any = None  # a slow template's first rows, rendering in a thread
        self._starting = False  # between Start and the run (checks, questions, snapshot)
        self.left_out: list[Any] = []  # rows the last start could not send (RowProblems)
        self._readiness_timer = QTimer(self)
        self._readiness_timer.setSingleShot(True)
        self._readiness_timer.setInterval(READINESS_DELAY_MS)
        self._readiness_timer.timeout.connect(self.update_readiness)
        # set by the window: the recent files, and how to open one (for resume at start)
        self.recent_campaigns: Callable[[], list[str]] = list
        self.open_campaign: Callable[[Path], Awaitable[None]] | None = None
        self._build()
        c = self.controller
        c.logBatch.connect(self.log_model.append)
        c.progressed.connect(self._progressed)
        c.rateSampled.connect(self.chart.add_sample)
        c.notice.connect(self._notice)
        c.stateChanged.connect(self._state_changed)
        c.started.connect(lambda _n: self.chart.clear())
        session.campaignChanged.connect(self.load_limits)
        # the last run's progress, log and notices belong to the campaign and workbook it sent
        self._shown_run: tuple[Path | None, Path | None] = (None, None)
        session.campaignChanged.connect(self._campaign_opened)
        session.campaignChanged.connect(self._forget_other_run)
        session.tableChanged.connect(self._forget_other_run)
        session.sendConfigChanged.connect(self._account_changed)
        session.recipientsChanged.connect(self._forget_message_size)
        session.draftChanged.connect(self._forget_message_size)
        for signal in (session.recipientsChanged, session.draftChanged, session.tableChanged):
            signal.connect(self._readiness_timer.start)
        self.retranslate()
        self.load_limits()
        self._state_changed("idle")

    def _build(self) -> None:
        self.heading = QLabel()
        self.account_label = QLabel()
        self.account_label.setWordWrap(True)
        self.test_banner = QLabel()  # a test run: nothing leaves this computer
        self.test_banner.setObjectName("testBanner")
        self.test_banner.setWordWrap(True)
        self.test_banner.setStyleSheet(
            "QLabel#testBanner { background: #fff3cd; color: #5c4400; border: 1px solid #c9a227;"
            " border-radius: 4px; padding: 6px; font-weight: bold; }"
        )
        self.real_button = QPushButton()  # after a test run
        self.real_button.clicked.connect(self._send_for_real_clicked)
        self.start_over_button = QPushButton()
        self.start_over_button.clicked.connect(self.ask_start_over)
        self.reason_label = QLabel()  # why Start is disabled
        self.reason_label.setWordWrap(True)
        self.limits_box = QGroupBox()
        form = QFormLayout(self.limits_box)
        self.spins: dict[str, QSpinBox] = {}
        self.spin_labels: dict[str, QLabel] = {}
        for key, maximum in (
            ("per_second", 1000),
            ("per_minute", 100000),
            ("per_hour", 1000000),
            ("per_day", 10000000),
        ):
            spin = QSpinBox()
            spin.setRange(0, maximum)
            spin.valueChanged.connect(self._update_estimate)
            label = QLabel()
            label.setBuddy(spin)
            form.addRow(label, spin)
            self.spins[key], self.spin_labels[key] = spin, label
        self.connections = QSpinBox()
        self.connections.setRange(1, 10)
        self.pause_spin = QDoubleSpinBox()
        self.pause_spin.setRange(0, 3600)
        self.pause_spin.setDecimals(1)
        self.jitter_spin = QDoubleSpinBox()
        self.jitter_spin.setRange(0, 3600)
        self.jitter_spin.setDecimals(1)
        for spin in (self.pause_spin, self.jitter_spin):
            spin.valueChanged.connect(self._update_estimate)
        self.bandwidth_spin = QDoubleSpinBox()
        self.bandwidth_spin.setRange(0, 1_000_000)
        self.bandwidth_spin.setDecimals(0)
        self.bandwidth_spin.setSingleStep(64)
        self.bandwidth_spin.valueChanged.connect(self._update_estimate)
        self.per_connection_spin = QSpinBox()
        self.per_connection_spin.setRange(1, 100_000)
        self.conn_label, self.pause_label, self.jitter_label = QLabel(), QLabel(), QLabel()
        self.bandwidth_label, self.per_connection_label = QLabel(), QLabel()
        for label, widget in (
            (self.conn_label, self.connections),
            (self.per_connection_label, self.per_connection_spin),
            (self.pause_label, self.pause_spin),
            (self.jitter_label, self.jitter_spin),
            (self.bandwidth_label, self.bandwidth_spin),
        ):
            label.setBuddy(widget)
            form.addRow(label, widget)
        self._build_schedule()
        self.estimate_label = QLabel()
        self.estimate_label.setWordWrap(True)
        for spin in (*self.spins.values(), self.connections, self.per_connection_spin):
            spin.valueChanged.connect(self._limits_edited)
        for double in (self.pause_spin, self.jitter_spin, self.bandwidth_spin):
            double.valueChanged.connect(self._limits_edited)

        self.start_button, self.pause_button = QPushButton(), QPushButton()
        self.resume_button, self.cancel_button = QPushButton(), QPushButton()
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.controller.pause)
        self.resume_button.clicked.connect(self.controller.resume)
        self.cancel_button.clicked.connect(self.ask_cancel)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.resume_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addWidget(self.real_button)
        buttons.addWidget(self.start_over_button)
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.counts_label = QLabel()
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.chart = RateChart()

        self.status_combo = QComboBox()
        self.status_combo.currentIndexChanged.connect(
            lambda i: self.log_filter.set_status(STATUSES[max(i, 0)])
        )
        self.log_search = QLineEdit()
        self.log_search.setClearButtonEnabled(True)
        self.log_search.textChanged.connect(self.log_filter.set_search)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_selection)
        self.log_view = QTableView()
        self.log_view.setModel(self.log_filter)
        self.log_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_view.verticalHeader().setVisible(False)
        self.log_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.log_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.log_view.horizontalHeader().setStretchLastSection(True)
        self.log_view.setTabKeyNavigation(False)
        self.log_view.setWordWrap(False)
        for column, width in ((0, 70), (1, 50), (2, 200), (3, 80), (4, 50)):
            self.log_view.setColumnWidth(column, width)
        QShortcut(QKeySequence.StandardKey.Copy, self.log_view, self.copy_selection)
        # follow new lines like a terminal, unless the user scrolled up to read something
        self._follow_log = True
        self.log_filter.rowsAboutToBeInserted.connect(self._before_log_lines)
        self.log_filter.rowsInserted.connect(self._after_log_lines)
        log_tools = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setBuddy(self.status_combo)
        for w in (self.status_label, self.status_combo, self.log_search, self.copy_button):
            log_tools.addWidget(w)
        log_widget = QWidget()
        log_layout = QVBoxLayout(log_widget)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.addLayout(log_tools)
        log_layout.addWidget(self.log_view)

        left = QVBoxLayout()
        left.addWidget(self.account_label)
        left.addWidget(self.limits_box)
        left.addWidget(self.schedule_box)
        left.addWidget(self.estimate_label)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.test_banner)
        right.addLayout(buttons)
        right.addWidget(self.reason_label)
        right.addWidget(self.progress)
        right.addWidget(self.counts_label)
        right.addWidget(self.notice_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(log_widget)
        splitter.setStretchFactor(1, 2)
        right.addWidget(splitter, 1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)

    def _build_schedule(self) -> None:
        """Start time, sending hours and days (app.core.send.schedule), saved with the
        campaign like the limits."""
        self.schedule_box = QGroupBox()
        form = QFormLayout(self.schedule_box)
        self.start_at_edit, self.hours_edit, self.days_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.start_at_label, self.hours_label, self.days_label = QLabel(), QLabel(), QLabel()
        for label, edit in (
            (self.start_at_label, self.start_at_edit),
            (self.hours_label, self.hours_edit),
            (self.days_label, self.days_edit),
        ):
            edit.setClearButtonEnabled(True)
            edit.editingFinished.connect(self._schedule_edited)
            label.setBuddy(edit)
            form.addRow(label, edit)

    def _retranslate_schedule(self) -> None:
        self.schedule_box.setTitle(self.tr("Schedule (local time; empty = any time)"))
        self.start_at_label.setText(self.tr("Start &at:"))
        self.hours_label.setText(self.tr("Sending hou&rs:"))
        self.days_label.setText(self.tr("Sending da&ys:"))
        self.start_at_edit.setPlaceholderText(self.tr("e.g. 2026-12-08 09:00"))
        self.hours_edit.setPlaceholderText(self.tr("e.g. 09:00-18:00"))
        self.days_edit.setPlaceholderText(self.tr("e.g. mon-fri"))
        self.start_at_edit.setAccessibleName(self.tr("Start sending at (date and time)"))
        self.hours_edit.setAccessibleName(self.tr("Sending hours, from-to"))
        self.days_edit.setAccessibleName(self.tr("Sending days"))

    def _load_schedule(self) -> None:
        send = self.session.config.send
        self.start_at_edit.setText(send.start_at or "")
        self.hours_edit.setText(send.send_hours or "")
        self.days_edit.setText(send.send_days or "")

    def _schedule_edited(self) -> None:
        if self._loading_limits:
            return
        try:
            self.schedule()
        except ValueError as exc:  # only what can be read is kept with the campaign
            self._notice(self.tr("Schedule: {error}").format(error=exc))
            return
        self._notice("")
        send = self.session.config.send
        self.session.set_send_config(
            replace(
                send,
                start_at=self.start_at_edit.text().strip() or None,
                send_hours=self.hours_edit.text().strip() or None,
                send_days=self.days_edit.text().strip() or None,
            )
        )

    def schedule(self) -> Any:
        """The fields as a Schedule (None when all are empty). Raises ScheduleError saying
        how to write the one it cannot read."""
        from app.core.send.schedule import Schedule

        texts = [e.text().strip() for e in (self.start_at_edit, self.hours_edit, self.days_edit)]
        if not any(texts):
            return None
        return Schedule.from_texts(*(t or None for t in texts))

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + self.tr("Send") + "</h2>")
        self._retranslate_schedule()
        self.limits_box.setTitle(self.tr("Limits (0 = no limit)"))
        names = {
            "per_second": self.tr("Per &second:"),
            "per_minute": self.tr("Per &minute:"),
            "per_hour": self.tr("Per &hour:"),
            "per_day": self.tr("Per &day:"),
        }
        for key, text in names.items():
            self.spin_labels[key].setText(text)
            self.spins[key].setAccessibleName(text.replace("&", "").rstrip(":："))
            self.spins[key].setSpecialValueText(self.tr("no limit"))
        self.conn_label.setText(self.tr("C&onnections:"))
        self.pause_label.setText(self.tr("P&ause between messages (s):"))
        self.jitter_label.setText(self.tr("Random e&xtra pause up to (s):"))
        self.connections.setAccessibleName(self.tr("Connections"))
        self.per_connection_label.setText(self.tr("Messages per co&nnection:"))
        self.per_connection_spin.setAccessibleName(
            self.tr("Messages per connection before reconnecting")
        )
        self.bandwidth_label.setText(self.tr("&Bandwidth cap (KB/s):"))
        self.bandwidth_spin.setAccessibleName(self.tr("Bandwidth cap in kilobytes per second"))
        self.bandwidth_spin.setSpecialValueText(self.tr("no limit"))
        self.pause_spin.setAccessibleName(self.tr("Pause between messages in seconds"))
        self.jitter_spin.setAccessibleName(self.tr("Random extra pause in seconds"))
        self._show_start_label()
        self.pause_button.setText(self.tr("&Pause"))
        self.resume_button.setText(self.tr("&Resume"))
        self.cancel_button.setText(self.tr("&Cancel"))
        self.real_button.setText(self.tr("Send for &real now…"))
        self.real_button.setAccessibleName(self.tr("Send for real now through a real account"))
        self.start_over_button.setText(self.tr("Start o&ver…"))
        self.start_over_button.setAccessibleName(
            self.tr("Start this campaign over (the old record is kept)")
        )
        self.test_banner.setText(self.tr("TEST — nothing leaves this computer"))
        self.test_banner.setAccessibleName(self.test_banner.text())
        self.progress.setAccessibleName(self.tr("Send progress"))
        self.chart.setAccessibleName(self.tr("Sending rate chart"))
        self.chart.limit_label = self.tr("limit")
        self._show_rate_unit()
        self.status_label.setText(self.tr("S&how:"))
        current = self.status_combo.currentIndex()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItems(
            [
                self.tr("All"),
                self.tr("Sent"),
                self.tr("Failed"),
                self.tr("Deferred"),
                self.tr("Unknown"),
                self.tr("Waiting"),
                self.tr("Paused"),
            ]
        )
        self.status_combo.setCurrentIndex(max(current, 0))
        self.status_combo.blockSignals(False)
        self.status_combo.setAccessibleName(self.tr("Show log entries with status"))
        self.log_search.setPlaceholderText(self.tr("Search the log…"))
        self.log_search.setAccessibleName(self.tr("Search the log"))
        self.copy_button.setText(self.tr("C&opy"))
        self.copy_button.setAccessibleName(self.tr("Copy the selected log lines"))
        self.log_view.setAccessibleName(self.tr("Send log"))
        self.log_model.retranslate()
        self._show_account()
        self._update_estimate()
        self._progressed(dict(self.controller.counts, total=self.controller.total))
        self.update_readiness()

    # --- limits -------------------------------------------------------------------------
    def profile_name(self) -> str:
        """The account chosen on Compose (the same rule the Compose page shows)."""
        return self.profiles.chosen_name(self.session.config.send.profile)

    def profile(self) -> Any:
        """The chosen profile; the built-in outbox when it is not saved here (`account()`
        then says so, and Start stays disabled)."""
        return self.profiles.find(self.profile_name()) or self.profiles.get(None)

    def account(self) -> tuple[Any, str]:
        """The core's Account the send would go through, or None and why not."""
        from app.core.send.session import SetupError

        name = self.profile_name()
        profile = self.profiles.find(name)
        if profile is None:
            return None, self.tr(
                "The account “{name}” is not saved on this computer. Choose an account on Compose."
            ).format(name=name)
        try:
            return account_of(profile), ""
        except SetupError:
            return None, self.tr(
                "The account “{name}” has no server set. Fix it in SMTP profiles."
            ).format(name=name)

    def account_text(self, account: Any) -> str:
        """The account in the interface language, from the values the connection uses."""
        if account is None:
            return self.tr("{name} (not saved on this computer)").format(name=self.profile_name())
        if account.local:
            return self.tr("Local test outbox (nothing leaves this computer)")
        who = f"{account.user} @ " if account.user else ""
        return f"{account.name} — {who}{account.host}:{account.port}"

    def identity_text(self, identity: Any) -> str:
        if identity.local:
            return self.tr("the local test outbox")
        who = f"{identity.user} @ " if identity.user else ""
        where = f"{identity.host}:{identity.port}" if identity.port else f"{identity.host}"
        if identity.sender:
            return self.tr("{account} (From {sender})").format(
                account=who + where, sender=identity.sender
            )
        return who + where

    def _account_changed(self) -> None:
        self.load_limits()
        self.update_readiness()

    def _campaign_opened(self) -> None:
        self.last_run_test = False
        self.update_readiness()

    def load_limits(self) -> None:
        """Prefill from the campaign's rates, else from the profile's (preset) limits."""
        self._loading_limits = True
        try:
            self._load_limits()
        finally:
            self._loading_limits = False

    def _load_limits(self) -> None:
        from app.core.send.limiter import Limits

        profile = self.profile()
        values = {k: getattr(profile, k) for k in self.spins}
        send = self.session.config.send
        if send.rates:
            try:
                limits = Limits.from_rates(send.rates)
                for key in self.spins:
                    values[key] = getattr(limits, key) or 0
            except ValueError:
                log.warning(
                    "%s",
                    QCoreApplication.translate("Log", "Ignoring unreadable rates {rates}").format(
                        rates=", ".join(send.rates)
                    ),
                )
        for key, spin in self.spins.items():
            spin.setValue(int(values[key] or 0))
        self.connections.setValue(send.connections or profile.connections or 1)
        self.per_connection_spin.setValue(
            send.max_per_connection or preset_per_connection(profile) or DEFAULT_PER_CONNECTION
        )
        self.bandwidth_spin.setValue(send.bandwidth_kbps or 0)
        self.pause_spin.setValue(send.pause if send.pause is not None else profile.pause)
        self.jitter_spin.setValue(send.jitter if send.jitter is not None else profile.jitter)
        self._load_schedule()
        self._show_account()
        self._update_estimate()

    def _limits_edited(self) -> None:
        """The user changed a limit: it becomes the campaign's, saved with the file."""
        from dataclasses import replace

        if self._loading_limits:
            return
        units = {"per_second": "s", "per_minute": "min", "per_hour": "h", "per_day": "day"}
        rates = tuple(f"{s.value()}/{units[k]}" for k, s in self.spins.items() if s.value())
        send = self.session.config.send
        self.session.set_send_config(
            replace(
                send,
                rates=rates,
                connections=self.connections.value(),
                pause=self.pause_spin.value(),
                jitter=self.jitter_spin.value(),
                max_per_connection=self.per_connection_spin.value(),
                bandwidth_kbps=self.bandwidth_spin.value() or None,
            )
        )

    def plan(self) -> SendPlan:
        return SendPlan(
            profile=self.profile(),
            connections=self.connections.value(),
            pause=self.pause_spin.value(),
            jitter=self.jitter_spin.value(),
            bandwidth_kbps=self.bandwidth_spin.value(),
            max_per_connection=self.per_connection_spin.value(),
            message_bytes=self.message_bytes() if self.bandwidth_spin.value() else 0,
            **{k: s.value() for k, s in self.spins.items()},
        )

    def message_bytes(self) -> int:
        """A typical message's size (the first sendable row's), for the bandwidth estimate."""
        if self._message_bytes is None:
            self._message_bytes = sample_message_bytes(self.session)
        return self._message_bytes

    def _forget_message_size(self) -> None:
        self._message_bytes = None
        self._update_estimate()

    def recipient_count(self) -> int:
        rl = self.session.recipient_list
        if rl is None:
            return 0
        return sum(1 for r in rl.recipients if r.row not in self.session.excluded)

    def _show_account(self) -> None:
        account, _reason = self.account()
        self.account_label.setText(
            self.tr("Account: {account}").format(account=self.account_text(account))
        )
        self._show_test_state()

    def _show_test_state(self) -> None:
        account, _reason = self.account()
        running = self.controller.state in ("running", "waiting", "paused")
        testing = bool(account is not None and account.local)
        self.test_banner.setVisible(testing or (self.last_run_test and running))
        self.real_button.setVisible(self.last_run_test and testing and not running)

    # --- what Start can do ------------------------------------------------------------
    def journal_state(self) -> Any:
        """The real journal of the open campaign (None before its first real send)."""
        from app.core.send.session import read_state

        if self.session.config.recipients is None:
            return None
        from app.core.journal.locate import is_outbox_run
        from app.core.send import prepare

        path = prepare.journal_path(self.session.path, self.session.config.recipients)
        if path.is_file() and is_outbox_run(path):
            return None  # an older Herald's test run under the real name: never a delivery
        return read_state(path)

    def _readiness_setup(self) -> tuple[str, Any]:
        """Why nothing can be sent, as far as it is known without rendering ("" and the check
        of the first rows' messages still to make; or the reason and None)."""
        from app.gui.slow_rows import FirstMessage

        account, reason = self.account()
        if account is None:
            return reason, None
        try:
            campaign = build_campaign(_FirstRows(self.session))  # type: ignore[arg-type]
        except InputError as exc:
            return exc.problem.message, None
        if not campaign.recipients:
            return self.tr("No recipient can be sent to: fix the rows marked on Recipients."), None
        if not account.local:
            state = self.journal_state()
            if state is not None and state.remaining == 0:
                return self.tr(
                    "This campaign was already sent through this computer (see Report). "
                    "Use Start over to send it again."
                ), None
        return "", FirstMessage(campaign, list(itertools.islice(campaign.by_row, 20)))

    def _rows_reason(self, check: Any) -> str:
        """ "" when one of the first rows makes a message, else why none does (a template
        over its time or size budget said in the interface language)."""
        from app.gui.slow_rows import budget_kind, row_error_text

        if check.found:
            return ""
        error = check.error()
        if error is not None and budget_kind(error) is not None:
            return row_error_text(error, check.campaign)
        return self.tr("The message cannot be filled in for any of the first rows: {error}").format(
            error=str(error) if error is not None else ""
        )

    async def checked_readiness(self) -> str:
        """Why nothing can be sent now ("" when Start can send something), with a slow
        template's rows finished in a worker thread."""
        reason, check = self._readiness_setup()
        if check is None:
            return reason
        await check.finish()
        return self._rows_reason(check)

    def update_readiness(self) -> None:
        """Show what Start can do. The first rows render on the loop while they are quick; a
        slow template's are finished in a worker thread (`readiness_check`) while the page
        says it is checking: the window never waits for a template's 2 s budget."""
        from app.gui.tasks import spawn

        if self.readiness_check is not None:  # an older check's verdict no longer matters
            self.readiness_check.cancel()
            self.readiness_check = None
        running = self.controller.state in ("running", "waiting", "paused")
        if running or self._starting:
            self._show_reason("")
        else:
            reason, check = self._readiness_setup()
            if check is not None and not check.on_loop():
                self._show_reason(self.tr("Checking the messages of the first rows…"), busy=True)
                self.readiness_check = spawn(self._settle_readiness(check))
            else:
                self._show_reason(self._rows_reason(check) if check is not None else reason)
        account, _ = self.account()
        state = self.journal_state() if account is not None and not account.local else None
        self.start_over_button.setVisible(state is not None and not running)
        self._show_test_state()

    async def _settle_readiness(self, check: Any) -> None:
        from shiboken6 import isValid

        await check.finish()
        if not isValid(self):  # the window closed while the row rendered
            return
        self.readiness_check = None
        if not self.controller.running and not self._starting:
            self._show_reason(self._rows_reason(check))

    def _show_reason(self, reason: str, *, busy: bool = False) -> None:
        """Start enabled, or disabled with `reason` shown (`busy`: still being found out)."""
        running = self.controller.state in ("running", "waiting", "paused")
        self.start_reason = reason
        self.start_button.setEnabled(not running and not self._starting and not reason)
        self.reason_label.setText(("" if busy else "⚠ ") + reason if reason else "")
        self.reason_label.setVisible(bool(reason))
        self.start_button.setToolTip(reason)

    def ask_start_over(self) -> bool:
        """Put the campaign's journal aside (kept, renamed) after asking: the next Start sends
        to everyone again."""
        from app.core.journal import JournalError
        from app.core.journal.locate import archive_journal

        state = self.journal_state()
        if state is None or self.controller.running:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Start over"),
            self.tr(
                "Start this campaign over? The next Start sends to every recipient again, including the {done} who already have a result. The old record is kept as {file}."  # noqa: E501
            ).format(done=state.done, file=state.path.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            from app.core.journal import Journal

            Journal.open(state.path).close()  # refused while another Herald sends it
            kept = archive_journal(state.path)
        except (JournalError, OSError) as exc:
            self._notice(self.tr("Could not start over: {error}").format(error=exc))
            return False
        log.info(
            "%s",
            QCoreApplication.translate(
                "Log", "Started the campaign over; the old journal was kept as {path}"
            ).format(path=kept),
        )
        self.update_readiness()
        return True

    @asyncSlot()
    async def _send_for_real_clicked(self) -> None:
        await self.send_for_real()

    async def send_for_real(self) -> bool:
        """After a test run: choose a real account (the only one saved, else ask which), then
        start as usual (with the confirmation)."""
        from dataclasses import replace

        saved = sorted(self.profiles.profiles())
        if not saved:
            from app.gui.profiles_dialog import ProfilesDialog

            ProfilesDialog(self).exec()
            saved = sorted(self.profiles.profiles())
            if not saved:
                return False
        name = saved[0]
        if len(saved) > 1:
            name, ok = QInputDialog.getItem(
                self, self.tr("Send for real"), self.tr("Send through:"), saved, 0, False
            )
            if not ok:
                return False
        self.session.set_send_config(replace(self.session.config.send, profile=name))
        self.profiles.remember_last(name)
        return await self.start_send()

    def _update_estimate(self) -> None:
        count = self.recipient_count()
        plan, _ = within_provider(self.plan())  # the pace the send will really have
        self.estimate_label.setText(
            self.tr("{count} recipients; at these limits about {duration}.").format(
                count=count, duration=duration_text(estimate_seconds(count, plan))
            )
        )
        self._show_rate_unit(plan)

    def attachment_summary(self, campaign: Any) -> str:
        """Every distinct file that will leave this machine, with its full path and size
        (the first 10; then how many more), for the confirmation; "" without attachments."""
        from app.core.preflight import planned_attachments

        uses = planned_attachments(campaign)
        if not uses:
            return ""
        lines = [
            self.tr("Attachments to send: {count}, {size} in all").format(
                count=len(uses), size=human_size(sum(u.size for u in uses))
            )
        ]
        lines += [f"  {u.path} ({human_size(u.size)})" for u in uses[:10]]
        if len(uses) > 10:
            lines.append(self.tr("  … and {count} more").format(count=len(uses) - 10))
        return "\n".join(lines) + "\n\n"

    # --- running ------------------------------------------------------------------------
    @asyncSlot()
    async def start(self) -> None:
        await self.start_send()

    async def start_send(self) -> bool:
        if self.controller.running or self._starting:  # Start pressed again while starting
            return False
        self._starting = True
        self.start_button.setEnabled(False)
        try:
            return await self._start_send()
        finally:
            self._starting = False
            self._show_reason(self.start_reason, busy=self.readiness_check is not None)

    async def _start_send(self) -> bool:
        from app.core.send.session import SetupError

        await self.session.settled()  # an exclusion just changed: send what it decided
        if self.readiness_check is not None:  # Start decides for itself
            self.readiness_check.cancel()
            self.readiness_check = None
        reason = await self.checked_readiness()  # a slow template: rendered in a thread
        if reason:
            self.start_reason = reason
            self._notice(reason)
            return False
        campaign = build_campaign(self.session)
        if not confirm_found_columns(self, self.session):  # a found Bcc is never used silently
            return False
        try:
            schedule = self.schedule()
        except ValueError as exc:  # ScheduleError: says how to write it
            self._notice(self.tr("Schedule: {error}").format(error=exc))
            return False
        # the provider's published caps win over the user's numbers, as in `herald send`
        plan, warnings = within_provider(self.plan())
        plan = replace(plan, schedule=schedule)
        try:
            send = send_session(campaign, plan, self.session.path)
        except SetupError as exc:
            self._notice(str(exc))
            return False
        account = self.account_text(send.account)
        state = None if send.test else send.existing()
        allow_other = False
        if state is not None and state.remaining:
            if send.mismatch(state):  # a resume through another account: never silently
                answer = QMessageBox.question(
                    self,
                    self.tr("Another account"),
                    self.tr(
                        "This send was started through {started}. The account chosen now is {chosen}. Continue the remaining {n} through {chosen}?"  # noqa: E501
                    ).format(
                        started=self.identity_text(state.identity),
                        chosen=self.identity_text(send.identity),
                        n=state.remaining,
                    ),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                allow_other = True
            count = state.remaining
        else:
            count = len(campaign.recipients)
        if self.confirm:
            if send.test:
                question = self.tr(
                    "Test: send {count} messages from {sender} to the local test outbox? Nothing leaves this computer and the campaign is not marked as sent."  # noqa: E501
                )
            else:
                question = self.tr("Send {count} messages from {sender} through {account}?")
            answer = QMessageBox.question(
                self,
                self.tr("Start sending"),
                self.attachment_summary(campaign)
                + question.format(count=count, sender=campaign.settings.sender, account=account),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.left_out = []
        try:
            self.run = await prepare_run(
                campaign,
                plan,
                session_path=self.session.path,
                on_event=self.controller.feed,
                allow_other_account=allow_other,
                left_out=self.left_out,
            )
        except Exception as exc:
            text = self.tr("Could not start: {error}").format(error=exc)
            self._notice(text)
            log.exception("%s", text)
            self._starting = False
            self.update_readiness()
            return False
        self.last_run_test = send.test
        self.log_model.clear()
        self.chart.clear()
        self._shown_run = self._campaign_key()
        self.controller.start(self.run, self.run.run)
        if send.test:
            text = QCoreApplication.translate(
                "Log", "Test: sending {count} messages to the local test outbox"
            )
        else:
            text = QCoreApplication.translate("Log", "Sending {count} messages through {account}")
        count -= len(self.left_out)  # what is really going out
        log.info("%s", text.format(count=count, account=account))
        for warning in warnings:
            log.warning("%s", warning)
        left_out = self._announce_left_out(campaign)
        if warnings or left_out:
            self._notice(" ".join([*warnings, *left_out]))
        self._show_test_state()
        return True

    def _announce_left_out(self, campaign: Any) -> list[str]:
        """Rows counted in the confirmation whose message could not be made when the send
        started (a template over its time or size budget, an attachment gone): never sent,
        and never silently. Each has a line in the send log (and the first 20 in the log
        file); the notice says how many."""
        from app.gui.controller import LogEntry
        from app.gui.slow_rows import row_error_text

        if not self.left_out:
            return []
        now = dt.datetime.now()
        entries = []
        for index, problems in enumerate(self.left_out):
            reason = row_error_text(problems, campaign)
            address = campaign.by_row[problems.row].to.address
            entries.append(LogEntry(now, problems.row, address, "left-out", None, reason))
            if index < 20:
                log.warning(
                    "%s",
                    QCoreApplication.translate("Log", "Row {row} is not sent: {error}").format(
                        row=problems.row, error=reason
                    ),
                )
        self.log_model.append(entries)
        return [
            self.tr(
                "{count} row(s) cannot be sent and were left out (see the send log): {error}"
            ).format(count=len(self.left_out), error=row_error_text(self.left_out[0], campaign))
        ]

    def copy_selection(self) -> None:
        rows = sorted(
            {
                self.log_filter.mapToSource(i).row()
                for i in self.log_view.selectionModel().selectedRows()
            }
        )
        if rows:
            QGuiApplication.clipboard().setText(self.log_model.as_text(rows))

    def _progressed(self, counts: dict[str, int]) -> None:
        total = counts.get("total", 0)
        done = counts.get("sent", 0) + counts.get("failed", 0) + counts.get("unknown", 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        rate = self.rate_text(self.controller.current_rate())
        eta = self.controller.eta_seconds()
        eta_text = (dt.datetime.now() + dt.timedelta(seconds=eta)).strftime("%H:%M") if eta else "—"
        self.counts_label.setText(
            self.tr(
                "{done}/{total} · sent {sent} · failed {failed} · deferred {deferred} · unknown {unknown} · {rate} · ETA {eta}"  # noqa: E501
            ).format(
                done=done,
                total=total,
                sent=counts.get("sent", 0),
                failed=counts.get("failed", 0),
                deferred=counts.get("deferred", 0),
                unknown=counts.get("unknown", 0),
                rate=rate,
                eta=eta_text,
            )
        )
        self.counts_label.setAccessibleName(self.counts_label.text())

    def _notice(self, text: str) -> None:
        self.notice_label.setText(("ℹ " + text) if text else "")

    def _state_changed(self, state: str) -> None:
        running = state in ("running", "waiting", "paused")
        self.update_readiness()
        self._show_start_label()
        if not running and self._cancelled_by_user:
            self._cancelled_by_user = False
            log.info(
                "%s",
                QCoreApplication.translate(
                    "Log", "Sending cancelled by you; {n} recipients not sent yet"
                ).format(n=self.remaining()),
            )
        self.pause_button.setEnabled(state in ("running", "waiting"))
        self.resume_button.setEnabled(state == "paused")
        self.cancel_button.setEnabled(running)
        self.limits_box.setEnabled(not running)
        statuses = {
            "running": (StepStatus.BUSY, self.tr("Sending…")),
            "waiting": (StepStatus.BUSY, self.tr("Waiting for the limits")),
            "paused": (StepStatus.WARNING, self.tr("Paused")),
            "finished": (
                (StepStatus.WARNING, self.tr("Test finished: nothing was delivered"))
                if self.last_run_test
                else self._finished_status()
            ),
            "idle": (StepStatus.NONE, self.tr("Not started")),
        }
        self.set_status(*statuses.get(state, (StepStatus.NONE, "")))

    # --- what the last run left -----------------------------------------------------------
    def remaining(self) -> int:
        """Recipients the last run left to go (pending or deferred): "Continue: 13 left"."""
        c = self.controller.counts
        return max(self.controller.total - c["sent"] - c["failed"] - c["unknown"], 0)

    def _finished_status(self) -> tuple[StepStatus, str]:
        """Ticked only when something was really sent; a cut-short run says what is left."""
        sent, left = self.controller.counts["sent"], self.remaining()
        if sent == 0:
            return StepStatus.NONE, self.tr("Nothing sent")
        if left:
            return StepStatus.WARNING, self.tr("{n} left to send").format(n=left)
        return StepStatus.OK, self.tr("Finished")

    def _show_start_label(self) -> None:
        left = self.remaining() if self.controller.state in ("idle", "finished") else 0
        if left and self.controller.counts["sent"] + self.controller.counts["failed"]:
            self.start_button.setText(self.tr("&Continue: {n} left").format(n=left))
        else:
            self.start_button.setText(self.tr("&Start sending…"))

    def _campaign_key(self) -> tuple[Path | None, Path | None]:
        return self.session.path, self.session.config.recipients

    def _forget_other_run(self) -> None:
        """Another campaign or workbook opened: the previous run's progress, chart, log and
        notices go (they described other people), unless a send is still under way."""
        if self.controller.running or self._campaign_key() == self._shown_run:
            return
        self._shown_run = self._campaign_key()
        self.log_model.clear()
        self.chart.clear()
        self.controller.reset()
        self._notice("")
        self._show_start_label()

    @asyncSlot()
    async def ask_cancel(self) -> None:
        self.cancel_send()

    def cancel_send(self) -> bool:
        """Cancel asks first (the rest stays queued for Continue) and says so in the log."""
        if not self.controller.running:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Cancel sending?"),
            self.tr(
                "Stop sending now? Messages already on their way finish; the other {n} recipients stay queued and you can continue later. Nobody gets a message twice."  # noqa: E501
            ).format(n=self.remaining()),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.controller.cancel()
        self._cancelled_by_user = True  # the count left is logged once the run has ended
        log.info(
            "%s",
            QCoreApplication.translate(
                "Log", "Cancelling at your request: messages already on their way finish first"
            ),
        )
        return True

    # --- rate readout and log following ---------------------------------------------------
    def _show_rate_unit(self, plan: SendPlan | None = None) -> None:
        """Count the rate over the window of the tightest short cap: per second with a
        per-second cap, per minute with a per-minute (or hour/day) cap; the limit line in
        the same unit, so an obeyed limit never reads as exceeded."""
        if plan is None:
            plan, _ = within_provider(self.plan())
        if plan.per_second:
            unit, limit = "second", float(plan.per_second)
        elif plan.per_minute:
            unit, limit = "minute", float(plan.per_minute)
        elif plan.per_hour or plan.per_day:
            unit, limit = "minute", None
        else:
            unit, limit = "second", None
        self.controller.set_rate_unit(unit, limited=limit is not None)
        self.chart.set_limit(limit)
        self.chart.unit_text = self.tr("/min") if unit == "minute" else self.tr("/s")
        self.chart.sample_every = 1.0 if unit == "minute" else 0.0
        self.chart.rate_label = (
            self.tr("messages in the last minute")
            if unit == "minute" and limit is not None
            else self.tr("messages per minute")
            if unit == "minute"
            else self.tr("messages in the last second")
            if limit is not None
            else self.tr("messages per second (5 s average)")
        )
        self.chart.seconds_text = self.tr("{n} s")
        self.chart.update()

    def rate_text(self, rate: float) -> str:
        """The readout in the chart's unit: "30/min" at 30 per minute, never "1.0/s"."""
        unit = self.controller.rate_unit
        value = f"{rate:.0f}" if self.controller.rate_limited else f"{rate:.1f}"
        if unit == "minute":
            return self.tr("{n}/min").format(n=value)
        return self.tr("{n}/s").format(n=value)

    def _before_log_lines(self, *_args: Any) -> None:
        bar = self.log_view.verticalScrollBar()
        self._follow_log = bar.value() >= bar.maximum() - 2

    def _after_log_lines(self, *_args: Any) -> None:
        if self._follow_log:
            self.log_view.scrollToBottom()

    async def offer_resume(self) -> bool:
        """At start: an interrupted send offers to carry on. The open campaign's first; with
        none open, the most recent campaign file that has one (the window sets
        `recent_campaigns` and `open_campaign`). Returns True when a send was resumed."""
        from app.gui.resume import interrupted_journal

        found = interrupted_journal(self.session.path)
        if found is None and self.session.path is None:
            for name in self.recent_campaigns():
                candidate = Path(name)
                if candidate.suffix.lower() != ".toml" or not candidate.is_file():
                    continue
                found = interrupted_journal(candidate)
                if found is not None and self.open_campaign is not None:
                    await self.open_campaign(candidate)
                    break
                found = None
        if found is None:
            return False
        path, remaining = found
        from app.core.send.session import read_state

        state = read_state(path)
        started = (
            self.tr("It was being sent through {account}.").format(
                account=self.identity_text(state.identity)
            )
            if state is not None
            else ""
        )
        answer = QMessageBox.question(
            self,
            self.tr("Resume sending?"),
            self.tr(
                "The last send of this campaign was interrupted with {n} recipients still to go. Resume it now? Nobody who already got the message will get it again."  # noqa: E501
            ).format(n=remaining)
            + (" " + started if started else "")
            + (f"\n\n{self.session.path}" if self.session.path else ""),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.confirm = False
        try:
            return await self.start_send()
        finally:
            self.confirm = True
