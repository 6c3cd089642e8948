"""What every step page shares: a session, a status badge, and re-translation on demand."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QWidget

from app.gui.session import Session
from app.gui.widgets.sidebar import StepStatus


class Page(QWidget):
    #: (StepStatus, detail in words) for the sidebar badge
    statusChanged = Signal(object, str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.status = StepStatus.NONE
        self.status_detail = ""

    def set_status(self, status: StepStatus, detail: str = "") -> None:
        self.status, self.status_detail = status, detail
        self.statusChanged.emit(status, detail)

    def retranslate(self) -> None:
        """Set every user-visible text; called once built and on each language change."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
