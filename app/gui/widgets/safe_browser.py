"""A QTextBrowser that never fetches anything from the network (no tracking pixels, no leaks).

Remote images (http, https, ftp...) are replaced by nothing; only `data:` and local files of the
campaign folder are shown. Links open nowhere: clicking does not navigate.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

LOCAL_SCHEMES = {"", "data", "file", "cid"}


class SafeBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.blocked: list[str] = []

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
