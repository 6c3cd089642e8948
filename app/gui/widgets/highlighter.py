"""Highlight Jinja2 `{{ field }}`, `{% tag %}` and `{# comment #}` in the subject and body."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

_PATTERNS = (
    ("field", re.compile(r"\{\{.*?\}\}")),
    ("tag", re.compile(r"\{%.*?%\}")),
    ("comment", re.compile(r"\{#.*?#\}")),
)


def _formats() -> dict[str, QTextCharFormat]:
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    colours = {
        "field": ("#7fb8ff", "#0b57d0") if dark else ("#0b57d0", "#0b57d0"),
        "tag": ("#e0a0ff", "#8e24aa") if dark else ("#8e24aa", "#8e24aa"),
        "comment": ("#9e9e9e", "#6b6b6b") if dark else ("#6b6b6b", "#6b6b6b"),
    }
    result = {}
    for name, (colour, _) in colours.items():
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(colour))
        if name == "field":
            fmt.setFontWeight(QFont.Weight.Bold)  # not colour alone: fields are bold too
        if name == "comment":
            fmt.setFontItalic(True)
        result[name] = fmt
    return result


class TemplateHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = _formats()

    def refresh_colours(self) -> None:
        self._formats = _formats()
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for name, pattern in _PATTERNS:
            for found in pattern.finditer(text):
                self.setFormat(found.start(), found.end() - found.start(), self._formats[name])

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(kind, start, length) for `text`: what `highlightBlock` colours (used by tests)."""
        return [
            (name, m.start(), m.end() - m.start())
            for name, pattern in _PATTERNS
            for m in pattern.finditer(text)
        ]
