"""A QTextBrowser that never fetches anything from the network (no tracking pixels, no leaks).

Remote images (http, https, ftp...) are replaced by nothing; only `data:` and local files of the
campaign folder are shown. Links open nowhere: clicking does not navigate.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

LOCAL_SCHEMES = {"", "data", "file", "cid"}


class SafeBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.blocked: list[str] = []
        self._paper()

    def _paper(self) -> None:
        """White paper, dark ink, whatever the window's scheme: an e-mail is written for a
        white background (dark text on a dark window would be unreadable, and most mail
        clients show messages on white)."""
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Base, QColor("#ffffff"))
            palette.setColor(group, QPalette.ColorRole.Text, QColor("#1a1a1a"))
            palette.setColor(group, QPalette.ColorRole.Link, QColor("#0b57d0"))
        self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._paper()

    def loadResource(self, kind: int, name: QUrl) -> Any:
        if name.scheme().lower() not in LOCAL_SCHEMES:
            self.blocked.append(name.toString())
            return None
        if name.scheme().lower() == "cid":
            return None
        return super().loadResource(kind, name)

    def show_html(self, html: str) -> None:
        self.blocked = []
        self.setHtml(html)
