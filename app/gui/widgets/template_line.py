"""A one-line template field (the subject) with the same `{{ }}`/`{% %}` highlighting as the body.

QLineEdit cannot carry a QSyntaxHighlighter (it has no QTextDocument), so this is a
QPlainTextEdit held to one line: no wrapping, no scroll bars, Enter does not add a line (it
goes to the window, like a line edit's), pasted line breaks become spaces, Tab moves focus.
It offers the little of QLineEdit's API the page uses: text(), setText(), insert().
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QPlainTextEdit,
    QSizePolicy,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)

from app.gui.widgets.highlighter import TemplateHighlighter


def one_line(text: str) -> str:
    """Line breaks (from a paste or a drop) become spaces: a subject is one line."""
    return " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


class TemplateLineEdit(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.NoWrap)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.document().setDocumentMargin(2)
        self.document().setMaximumBlockCount(1)  # never a second line, whatever the source
        self.highlighter = TemplateHighlighter(self.document())
        self.setFixedHeight(self.sizeHint().height())

    # --- QLineEdit-like API -------------------------------------------------------------------
    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(one_line(text))

    def insert(self, text: str) -> None:
        self.insertPlainText(one_line(text))

    # --- one line -----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # like a QLineEdit: the dialog or window may act on Enter
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(one_line(source.text()))

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        margins = self.contentsMargins()
        inner = line + 2 * int(self.document().documentMargin()) + margins.top() + margins.bottom()
        option = QStyleOptionFrame()
        option.initFrom(self)
        hint = self.style().sizeFromContents(
            QStyle.ContentsType.CT_LineEdit, option, QSize(200, inner), self
        )
        return QSize(hint.width(), max(hint.height(), inner + 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.sizeHint().height())
