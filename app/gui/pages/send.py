"""Send: limits, estimate, confirmation, Start/Pause/Resume/Cancel, progress, chart and log."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
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
from app.gui.models.log import LogFilter, LogModel
from app.gui.pages.base import Page
from app.gui.profiles import ProfileStore
from app.gui.sending import SendPlan, estimate_seconds, prepare_run, within_provider
from app.gui.session import Session, build_campaign
from app.gui.widgets.rate_chart import RateChart
from app.gui.widgets.sidebar import StepStatus

log = logging.getLogger("herald.gui")
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

    try:
        campaign = build_campaign(session)
        for row in itertools.islice(campaign.by_row, 20):
            try:
                return len(render_row(campaign, row).data)
            except RowError:  # an unsendable row: the next one may do
                pass
    except InputError:
        pass
    return 0


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
        self._message_bytes: int | None = None
        self._loading_limits = False
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
        session.recipientsChanged.connect(self._forget_message_size)
        session.draftChanged.connect(self._forget_message_size)
        self.retranslate()
        self.load_limits()
        self._state_changed("idle")

    def _build(self) -> None:
        self.heading = QLabel()
        self.account_label = QLabel()
        self.account_label.setWordWrap(True)
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
        self.cancel_button.clicked.connect(self.controller.cancel)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.resume_button, self.cancel_button):
            buttons.addWidget(b)
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
        right.addLayout(buttons)
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
        self.start_button.setText(self.tr("&Start sending…"))
        self.pause_button.setText(self.tr("&Pause"))
        self.resume_button.setText(self.tr("&Resume"))
        self.cancel_button.setText(self.tr("&Cancel"))
        self.progress.setAccessibleName(self.tr("Send progress"))
        self.chart.setAccessibleName(self.tr("Sending rate chart"))
        self.chart.rate_label = self.tr("messages in the last second")
        self.chart.limit_label = self.tr("limit")
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

    # --- limits -------------------------------------------------------------------------
    def profile(self) -> Any:
        return self.profiles.get(self.session.config.send.profile)

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
        self.account_label.setText(
            self.tr("Account: {account}").format(account=self.profiles.label(self.profile().name))
        )

    def _update_estimate(self) -> None:
        count = self.recipient_count()
        plan, _ = within_provider(self.plan())  # the pace the send will really have
        self.estimate_label.setText(
            self.tr("{count} recipients; at these limits about {duration}.").format(
                count=count, duration=duration_text(estimate_seconds(count, plan))
            )
        )
        per_second = plan.per_second or (plan.per_minute / 60 if plan.per_minute else None)
        self.chart.set_limit(per_second)

    # --- running ------------------------------------------------------------------------
    @asyncSlot()
    async def start(self) -> None:
        await self.start_send()

    async def start_send(self) -> bool:
        if self.controller.running:
            return False
        await self.session.settled()  # an exclusion just changed: send what it decided
        try:
            campaign = build_campaign(self.session)
        except InputError as exc:
            self._notice(exc.problem.message)
            return False
        try:
            schedule = self.schedule()
        except ValueError as exc:  # ScheduleError: says how to write it
            self._notice(self.tr("Schedule: {error}").format(error=exc))
            return False
        count = len(campaign.recipients)
        account = self.profiles.label(self.profile().name)
        if self.confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Start sending"),
                self.tr("Send {count} messages from {sender} through {account}?").format(
                    count=count, sender=campaign.settings.sender, account=account
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        # the provider's published caps win over the user's numbers, as in `herald send`
        plan, warnings = within_provider(self.plan())
        plan = replace(plan, schedule=schedule)
        try:
            self.run = await prepare_run(
                campaign, plan, session_path=self.session.path, on_event=self.controller.feed
            )
        except Exception as exc:
            text = self.tr("Could not start: {error}").format(error=exc)
            self._notice(text)
            log.exception("%s", text)
            return False
        self.log_model.clear()
        self.chart.clear()
        self.controller.start(self.run, self.run.run)
        log.info(
            "%s",
            QCoreApplication.translate("Log", "Sending {count} messages through {account}").format(
                count=count, account=account
            ),
        )
        for warning in warnings:
            log.warning("%s", warning)
        if warnings:
            self._notice(" ".join(warnings))
        return True

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
        rate = self.controller.current_rate() if self.controller.state == "running" else 0.0
        eta = self.controller.eta_seconds()
        eta_text = (dt.datetime.now() + dt.timedelta(seconds=eta)).strftime("%H:%M") if eta else "—"
        self.counts_label.setText(
            self.tr(
                "{done}/{total} · sent {sent} · failed {failed} · deferred {deferred} · unknown {unknown} · {rate:.1f}/s · ETA {eta}"  # noqa: E501
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
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(state in ("running", "waiting"))
        self.resume_button.setEnabled(state == "paused")
        self.cancel_button.setEnabled(running)
        self.limits_box.setEnabled(not running)
        statuses = {
            "running": (StepStatus.BUSY, self.tr("Sending…")),
            "waiting": (StepStatus.BUSY, self.tr("Waiting for the limits")),
            "paused": (StepStatus.WARNING, self.tr("Paused")),
            "finished": (StepStatus.OK, self.tr("Finished")),
            "idle": (StepStatus.NONE, self.tr("Not started")),
        }
        self.set_status(*statuses.get(state, (StepStatus.NONE, "")))

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
        _path, remaining = found
        answer = QMessageBox.question(
            self,
            self.tr("Resume sending?"),
            self.tr(
                "The last send of this campaign was interrupted with {n} recipients still to go. Resume it now? Nobody who already got the message will get it again."  # noqa: E501
            ).format(n=remaining)
            + (f"\n\n{self.session.path}" if self.session.path else ""),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.confirm = False
        try:
            return await self.start_send()
        finally:
            self.confirm = True
