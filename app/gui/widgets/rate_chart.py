"""A live chart of the sending rate against the limit, drawn with QPainter (no chart library)."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_POINTS = 600  # a minute of samples at ten a second


class RateChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: deque[tuple[float, float]] = deque(maxlen=MAX_POINTS)
        self.limit: float | None = None  # messages per second, or None for no limit
        self.rate_label = "msg/s"
        self.limit_label = "limit"
        self.setMinimumSize(240, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def sizeHint(self) -> QSize:
        return QSize(360, 160)

    def add_sample(self, seconds: float, rate: float) -> None:
        self.samples.append((seconds, rate))
        self.update()

    def set_limit(self, limit: float | None) -> None:
        self.limit = limit
        self.update()

    def clear(self) -> None:
        self.samples.clear()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("0000.0") + 8
        plot = QRectF(left, 8, self.width() - left - 8, self.height() - metrics.height() - 16)
        text_pen = QPen(palette.color(QPalette.ColorRole.Text))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid)))
        painter.drawRect(plot)
        peak = max([r for _, r in self.samples] + [self.limit or 0.0, 1.0])
        top = peak * 1.15
        painter.setPen(text_pen)
        painter.drawText(
            QRectF(0, plot.top() - 4, left - 4, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            f"{top:.1f}",
        )
        painter.drawText(
            QRectF(0, plot.bottom() - metrics.height() + 4, left - 4, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            "0",
        )
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            self.rate_label,
        )

        def y_of(value: float) -> float:
            return plot.bottom() - (value / top) * plot.height()

        if self.limit:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = y_of(self.limit)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(plot.left(), y - metrics.height() - 1, plot.width() - 4, metrics.height()),
                Qt.AlignmentFlag.AlignRight,
                f"{self.limit_label} {self.limit:g}",
            )
        if len(self.samples) >= 2:
            t0, t1 = self.samples[0][0], self.samples[-1][0]
            span = max(t1 - t0, 1e-6)
            line = QPolygonF(
                [
                    QPointF(plot.left() + (t - t0) / span * plot.width(), y_of(r))
                    for t, r in self.samples
                ]
            )
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 2))
            painter.drawPolyline(line)
        painter.end()
