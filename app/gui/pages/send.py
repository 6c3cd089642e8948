"""Send."""

from __future__ import annotations

from app.gui.controller import SendController
from app.gui.pages.base import Page
from app.gui.session import Session


class SendPage(Page):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.controller = SendController(self)

    async def offer_resume(self) -> None:
        pass
