"""A live chart of the sending rate against the limit, drawn with QPainter (no chart library)."""

from __future__ import annotations

import math
from collections import deque

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_POINTS = 600  # a minute at ten samples a second; ten minutes at one a second


class RateChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: deque[tuple[float, float]] = deque(maxlen=MAX_POINTS)
        self.limit: float | None = None  # messages per `unit_text`, or None for no limit
        self.rate_label = "msg/s"
        self.limit_label = "limit"
        self.unit_text = "/s"  # the unit of the samples and the limit ("/min" per minute)
        self.seconds_text = "{n} s"  # the time axis' span, in the interface language
        self.sample_every = 0.0  # seconds between kept samples (a minute's count moves slowly)
        self.setMinimumSize(240, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def sizeHint(self) -> QSize:
        return QSize(360, 160)

    def add_sample(self, seconds: float, rate: float) -> None:
        if self.samples and seconds - self.samples[-1][0] < self.sample_every:
            return
        self.samples.append((seconds, rate))
        self.update()

    def set_limit(self, limit: float | None) -> None:
        self.limit = limit
        self.update()

    def clear(self) -> None:
        self.samples.clear()
        self.update()

    def scale_top(self) -> float:
        """The axis maximum: a round number (1, 2, 2.5, 5 x 10^n) above the peak and the limit,
        so the ticks read as plain figures and the limit line is never at the very top."""
        peak = max([r for _, r in self.samples] + [self.limit or 0.0, 1.0]) * 1.1
        step = 10 ** math.floor(math.log10(peak))
        for factor in (1, 2, 2.5, 5, 10):
            if factor * step >= peak:
                return factor * step
        return 10 * step

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = self.fontMetrics()
        top = self.scale_top()
        labels = [f"{value:g}" for value in (top, top / 2, 0)]
        left = max(metrics.horizontalAdvance(text) for text in labels) + 10
        plot = QRectF(
            left,
            metrics.height() / 2 + 4,
            self.width() - left - 10,
            self.height() - metrics.height() * 2 - 10,
        )
        text_colour = palette.color(QPalette.ColorRole.Text)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))

        def y_of(value: float) -> float:
            return plot.bottom() - (value / top) * plot.height()

        for value, text in zip((top, top / 2, 0), labels, strict=True):
            y = y_of(value)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine if value else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QPen(text_colour))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.setPen(QPen(grid))
        painter.drawRect(plot)
        painter.setPen(QPen(text_colour))
        span = self.samples[-1][0] - self.samples[0][0] if len(self.samples) >= 2 else 0.0
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            self.rate_label,
        )
        if span:
            painter.drawText(
                QRectF(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()),
                Qt.AlignmentFlag.AlignRight,
                self.seconds_text.format(n=f"{span:.0f}"),
            )
        if self.limit:
            limit_colour = palette.color(QPalette.ColorRole.Highlight)
            y = y_of(self.limit)
            painter.setPen(QPen(limit_colour, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            text = f"{self.limit_label} {self.limit:g}{self.unit_text}"
            box = QRectF(
                plot.left() + 6,
                y - metrics.height() - 3,
                metrics.horizontalAdvance(text) + 8,
                metrics.height() + 2,
            )
            painter.fillRect(box, palette.color(QPalette.ColorRole.Base))  # readable over lines
            painter.setPen(QPen(text_colour))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        if len(self.samples) >= 2:
            t0 = self.samples[0][0]
            line = QPolygonF(
                [
                    QPointF(plot.left() + (t - t0) / span * plot.width(), y_of(r))
                    for t, r in self.samples
                ]
            )
            painter.setPen(QPen(text_colour, 2))
            painter.drawPolyline(line)
        painter.end()
