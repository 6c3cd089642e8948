"""The log dock: stdlib logging records shown in a read-only text view.

The handler only queues text; a timer appends at most ten times a second, so a burst of records
(or records from worker threads) never floods the event loop.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QSize, QTimer
from PySide6.QtWidgets import QPlainTextEdit, QWidget

MAX_LINES = 5000


def level_text(level: int) -> str:
    """The record's level in the interface language (logging's own names are English)."""
    if level >= logging.ERROR:
        return QCoreApplication.translate("Log", "Error")
    if level >= logging.WARNING:
        return QCoreApplication.translate("Log", "Warning")
    return QCoreApplication.translate("Log", "Info")


class _Formatter(logging.Formatter):
    """Time, translated level, message. The message is translated where it is logged
    (`QCoreApplication.translate("Log", ...)`), because only there are its values known."""

    def format(self, record: logging.LogRecord) -> str:
        record.level_text = level_text(record.levelno)
        return super().format(record)


class QtLogHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.setFormatter(_Formatter("%(asctime)s  %(level_text)s  %(message)s", "%H:%M:%S"))
        self._lines: list[str] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # pragma: no cover - logging must never raise into the caller
            return
        with self._lock:
            self._lines.append(text)

    def take(self) -> list[str]:
        with self._lock:
            lines, self._lines = self._lines, []
        return lines


class LogView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.handler = QtLogHandler()
        logging.getLogger("herald").addHandler(self.handler)
        logging.getLogger("herald").setLevel(logging.INFO)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.flush)
        self._timer.start()

    def sizeHint(self) -> QSize:
        return QSize(600, 5 * self.fontMetrics().height())

    def flush(self) -> None:
        lines = self.handler.take()
        if lines:
            self.appendPlainText("\n".join(lines))

    def detach(self) -> None:
        self._timer.stop()
        logging.getLogger("herald").removeHandler(self.handler)
