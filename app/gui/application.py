"""Start the window: QApplication first, then qasync's loop around it, then the main window.

Order matters (ENVIRONMENT.md): PySide6 is imported before qasync, the QApplication exists before
the loop, and the app does not quit when the last window closes; instead `main()` returns when the
window says it is closed, after any send has been paused, so no future is left pending.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from PySide6.QtWidgets import QApplication

import app as herald
from app.gui.i18n import Translations, system_language
from app.gui.settings import GuiSettings
from app.gui.theme import apply_theme

log = logging.getLogger("herald.gui")


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qt_app = QApplication([sys.argv[0] if sys.argv else "herald", *argv])
    qt_app.setApplicationName("Herald")
    qt_app.setOrganizationName("Herald")
    qt_app.setApplicationVersion(herald.__version__)
    qt_app.setQuitOnLastWindowClosed(False)
    return qt_app


async def _main(qt_app: QApplication, demo: bool) -> int:
    from app.gui.main_window import MainWindow
    from app.gui.session import Session

    settings = GuiSettings()
    translations = Translations(qt_app)
    translations.switch(settings.language() or system_language())
    apply_theme(qt_app, settings.theme())
    window = MainWindow(Session(), settings, translations)
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    window.closed.connect(lambda: done.done() or done.set_result(None))
    window.show()
    if demo or not settings.first_run_done():
        await window.open_demo_campaign()
    await window.send_page.offer_resume()
    await done
    return 0


def run_gui(argv: list[str]) -> int:
    """`herald` (no arguments) or `herald --demo`: run the window until it is closed."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    qt_app = create_application([a for a in argv if a != "--demo"])
    import qasync  # after PySide6 and the QApplication

    demo = "--demo" in argv
    try:
        return int(qasync.run(_main(qt_app, demo)))
    except asyncio.CancelledError:
        return 0
