"""Report."""

from __future__ import annotations

from app.gui.controller import SendController
from app.gui.pages.base import Page
from app.gui.session import Session


class ReportPage(Page):
    def __init__(self, session: Session, controller: SendController) -> None:
        super().__init__(session)
        self.controller = controller
