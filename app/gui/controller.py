"""Engine events -> Qt signals, in batches; user commands -> the engine.

The engine may report a thousand events a second. `feed` only queues them (cheap, no Qt work);
a 100 ms timer folds the queue into counts, log rows and a rate sample and emits each signal at
most once per batch, so views repaint about ten times a second whatever the send rate.
Tests call `feed(...)` then `flush()` directly: no event loop needed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.core.send import events as ev

log = logging.getLogger("herald.gui")

BATCH_MS = 100
RATE_WINDOW_S = 5.0  # the ETA's average, and the readout's without a limit
# The readout and chart count messages over the window of the tightest short limit, exactly
# the span the limiter holds that cap over, (t - window, t]: 30/min is shown as messages in
# the last minute, never as "1.0/s" from one message in the last second. A count over the
# limit's own window can never read above the limit while the limiter is obeyed. (Plain "#":
# lupdate takes "#:" comments for translator notes.)
RATE_UNITS = {"second": 1.0, "minute": 60.0}
STATES = ("sent", "failed", "deferred", "unknown")


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of the send log: what happened to whom, and what the server said."""

    at: dt.datetime
    row: int | None
    address: str
    status: str  # sent | failed | deferred | unknown | throttled | connections | paused ...
    code: int | None
    text: str


def entry_for(event: Any) -> LogEntry | None:
    row = getattr(event, "row", None)
    address = getattr(event, "address", None) or ""
    code = getattr(event, "code", None)
    if isinstance(event, ev.Sent):
        text = event.text
        if event.refused:
            text += " — refused: " + ", ".join(
                f"{r.address} ({r.code} {r.text})" for r in event.refused
            )
        return LogEntry(event.at, row, address, "sent", code, text)
    if isinstance(event, ev.Failed | ev.Deferred):
        detail = f"{event.text} — {event.reason}" if event.text else event.reason
        if isinstance(event, ev.Deferred):  # this address alone waits: say until when
            when = event.next_attempt_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            #: After a deferred recipient's reason: when that one address is tried again.
            detail += " — " + QCoreApplication.translate("Log", "next attempt {when}").format(
                when=when
            )
        return LogEntry(event.at, row, address, event.kind, code, detail)
    if isinstance(event, ev.Unknown):
        return LogEntry(event.at, row, address, "unknown", None, event.text)
    if isinstance(event, ev.Throttled | ev.Paused | ev.Stopped):
        detail = event.reason + (f" ({event.text})" if event.text else "")
        return LogEntry(event.at, row, address, event.kind, code, detail)
    if isinstance(event, ev.LanesChanged):
        detail = lanes_text(event) + (f" ({event.code} {event.text})" if event.text else "")
        return LogEntry(event.at, None, "", "connections", code, detail)
    if isinstance(event, ev.Resumed | ev.Started | ev.Finished):
        return LogEntry(event.at, None, "", event.kind, None, "")
    return None


class SendController(QObject):
    started = Signal(int)  # total rows
    progressed = Signal(dict)  # {"sent": n, "failed": n, "deferred": n, "unknown": n, "total": n}
    logBatch = Signal(list)  # list[LogEntry], in order
    rateSampled = Signal(float, float)  # seconds since start, messages per `rate_unit`
    notice = Signal(str)  # throttling / pause explained in words ("" clears it)
    stateChanged = Signal(str)  # idle | running | paused | waiting | finished
    finished = Signal(dict)  # final counts

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._queue: list[tuple[float, Any]] = []  # (feed time on `clock`, event)
        self._timer = QTimer(self)
        self._timer.setInterval(BATCH_MS)
        self._timer.timeout.connect(self.flush)
        self._engine: Any = None
        self._task: asyncio.Task[Any] | None = None
        self._sent_times: deque[float] = deque()
        self._t0 = self.clock()
        self.counts: dict[str, int] = dict.fromkeys(STATES, 0)
        self.total = 0
        self.state = "idle"
        self.last_notice = ""
        self.flushes = 0
        self.rate_unit = "second"
        self.rate_limited = False  # a cap holds over `rate_unit`'s window (else: an average)

    # --- events in ------------------------------------------------------------------------------
    def feed(self, event: Any) -> None:
        """The engine's callback. Only queues (stamped on the clock: the rate is counted from
        these times, not the batch's); Qt work happens in `flush`."""
        self._queue.append((self.clock(), event))
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        events, self._queue = self._queue, []
        now = self.clock()
        if not events:
            if self.state in ("idle", "finished"):
                self._timer.stop()
            else:  # paused, waiting, an outage: the rolling count decays as time passes
                self.rateSampled.emit(now - self._t0, self.current_rate(now))
                self.progressed.emit(dict(self.counts, total=self.total))
            return
        self.flushes += 1
        entries: list[LogEntry] = []
        finished: dict[str, int] | None = None
        new_state, new_notice = self.state, None
        for at, event in events:
            entry = entry_for(event)
            if entry is not None and not isinstance(event, ev.Started | ev.Finished):
                entries.append(entry)
            if isinstance(event, ev.Started):
                self.total = event.total
                self.counts = {k: int(event.counts.get(k, 0)) for k in STATES}
                self._t0 = at
                self._sent_times.clear()
                new_state, new_notice = "running", ""
                self.started.emit(self.total)
            elif isinstance(event, ev.Sent):
                self.counts["sent"] += 1
                self._sent_times.append(at)
                if new_state == "waiting":
                    new_state, new_notice = "running", ""
            elif isinstance(event, ev.Failed | ev.Unknown):
                self.counts[event.kind] += 1
            elif isinstance(event, ev.Deferred):
                self.counts["deferred"] += 1
            elif isinstance(event, ev.Throttled):
                new_state, new_notice = "waiting", self.explain_wait(event.reason, event.until)
            elif isinstance(event, ev.LanesChanged):
                new_notice = lanes_text(event)
            elif isinstance(event, ev.Paused):
                new_state, new_notice = "paused", self.explain_pause(event)
            elif isinstance(event, ev.Resumed):
                new_state, new_notice = "running", ""
            elif isinstance(event, ev.Stopped):
                new_notice = self.tr("Sending stopped: {reason}").format(reason=event.reason)
                if event.hint:
                    new_notice += " " + event.hint
            elif isinstance(event, ev.Finished):
                self.counts = {k: int(event.counts.get(k, 0)) for k in STATES}
                finished = dict(self.counts, total=self.total)
                new_state = "finished"
                if event.stopped and not new_notice:
                    new_notice = self.tr("Sending ended early: {reason}").format(
                        reason=event.stopped
                    )
        if entries:
            self.logBatch.emit(entries)
        self.progressed.emit(dict(self.counts, total=self.total))
        self.rateSampled.emit(now - self._t0, self.current_rate(now))
        if new_notice is not None and new_notice != self.last_notice:
            self.last_notice = new_notice
            self.notice.emit(new_notice)
        self._set_state(new_state)
        if finished is not None:
            self.finished.emit(finished)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    def set_rate_unit(self, unit: str, limited: bool) -> None:
        """Count the rate per second or per minute (`RATE_UNITS`); `limited`: a cap holds over
        that window, so show the rolling count, else an average (steadier, no cap to meet)."""
        self.rate_unit = unit if unit in RATE_UNITS else "second"
        self.rate_limited = limited

    def current_rate(self, now: float | None = None) -> float:
        """Messages per `rate_unit`: with a cap, the Sent events in the cap's own rolling
        window (t - window, t], the count the limiter holds below the cap; without one, the
        average over the last few seconds in that unit. Decays while nothing is sent."""
        now = self.clock() if now is None else now
        self._forget_before(now)
        window = RATE_UNITS[self.rate_unit]
        if self.rate_limited:
            return float(self._count_since(now - window))
        return self.average_rate(now) * window

    def _count_since(self, cutoff: float) -> int:
        """Sends after `cutoff`, counted from the newest (only those in the window)."""
        count = 0
        for t in reversed(self._sent_times):
            if t <= cutoff:
                break
            count += 1
        return count

    def average_rate(self, now: float | None = None) -> float:
        """Messages per second over the last few seconds (for the ETA)."""
        now = self.clock() if now is None else now
        self._forget_before(now)
        # at least one second, so the first message does not read as a thousand per second
        span = min(RATE_WINDOW_S, max(now - self._t0, 1.0))
        return self._count_since(now - RATE_WINDOW_S) / span

    def _forget_before(self, now: float) -> None:
        keep = max(RATE_WINDOW_S, RATE_UNITS[self.rate_unit])  # at 1000/s: 5,000 kept, not 60,000
        while self._sent_times and self._sent_times[0] <= now - keep:
            self._sent_times.popleft()

    def eta_seconds(self) -> float | None:
        done = sum(self.counts[k] for k in ("sent", "failed", "unknown"))
        remaining = max(self.total - done, 0)
        rate = self.average_rate()
        if remaining == 0:
            return 0.0
        return remaining / rate if rate > 0 else None

    def reset(self) -> None:
        """Forget the last run (another campaign or workbook is on screen); not while running."""
        if self.running:
            return
        self._queue.clear()
        self._sent_times.clear()
        self.counts = dict.fromkeys(STATES, 0)
        self.total = 0
        self.last_notice = ""
        self._engine = None
        self.notice.emit("")
        self.progressed.emit(dict(self.counts, total=0))
        self._set_state("idle")

    # --- words ------------------------------------------------------------------------------
    def explain_wait(self, reason: str, until: dt.datetime) -> str:
        return self.tr("{reason}; resuming at {time}.").format(
            reason=_sentence(reason), time=_local_time(until)
        )

    def explain_pause(self, event: Any) -> str:
        if getattr(event, "by_user", False):
            return self.tr("Paused. Press Resume to carry on.")
        reason = _sentence(event.reason)
        if event.until is not None:
            return self.tr("Paused: {reason}; resuming at {time}.").format(
                reason=reason, time=_local_time(event.until)
            )
        return self.tr("Paused: {reason}. Press Resume when it is fixed.").format(reason=reason)

    # --- commands out -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(
        self, engine: Any, run: Callable[[], Awaitable[Any]] | None = None
    ) -> asyncio.Task[Any]:
        """Run `engine.run()` (or `run()`) as a task on the current loop."""
        self._engine = engine
        self._set_state("running")
        self._timer.start()
        coro = run() if run is not None else engine.run()
        self._task = asyncio.ensure_future(coro)
        self._task.add_done_callback(self._ended)
        return self._task

    def _ended(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            text = self.tr("The send stopped with an error: {error}").format(error=error)
            log.error("%s", text, exc_info=error)
            self.notice.emit(text)
        self.flush()
        if self.state != "finished":
            self._set_state("idle")

    def pause(self) -> None:
        if self._engine is not None:
            self._engine.pause()

    def resume(self) -> None:
        if self._engine is not None:
            self._engine.resume()

    def cancel(self) -> None:
        if self._engine is not None:
            self._engine.cancel()

    async def stop_for_exit(self, timeout: float = 30.0) -> None:
        """Closing the window: cancel (messages in flight finish, journal stays consistent)."""
        if not self.running or self._task is None:
            return
        self.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except (TimeoutError, asyncio.CancelledError):
            self._task.cancel()
        except Exception:
            log.debug("send ended with an error while closing", exc_info=True)


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] if text else text


def _local_time(moment: dt.datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    clock = local.strftime("%H:%M:%S") if local.second else local.strftime("%H:%M")
    if local.date() > dt.datetime.now(local.tzinfo).date():  # a schedule or day-cap wait
        return local.strftime("%Y-%m-%d ") + clock
    return clock


def lanes_text(event: ev.LanesChanged) -> str:
    """How many connections are in use, and why, in the window's language."""
    if event.probing:
        text = QCoreApplication.translate(
            "SendController", "Trying {lanes} of {configured} connections again."
        )
    elif event.code is not None:
        text = QCoreApplication.translate(
            "SendController",
            "Using {lanes} of {configured} connections: the server refuses more at once. "
            "One more is tried again later.",
        )
    else:
        text = QCoreApplication.translate(
            "SendController", "Using {lanes} of {configured} connections: the server accepts them."
        )
    return text.format(lanes=event.lanes, configured=event.configured)
