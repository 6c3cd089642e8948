"""Render every page of the window, in English and in Chinese, to docs/screenshots/*.png.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py

Uses the demo campaign in a throw-away data folder and the local test outbox, so the Send and
Report pages show a real (tiny) send. Needs a CJK font (fonts-wqy-microhei) for the Chinese set.
Every page is also rendered in the dark scheme (English), as `<page>-en-dark.png`.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PAGES = ("recipients", "compose", "preview", "send", "report")


async def shoot(window, app, language: str, suffix: str = "", pages=PAGES) -> list[Path]:
    window.set_language(language)
    app.processEvents()
    saved = []
    for index, name in enumerate(PAGES):
        if name not in pages:
            continue
        window.go_to(index)
        await asyncio.sleep(0.05)
        app.processEvents()
        path = OUT / f"{name}-{language}{suffix}.png"
        window.grab().save(str(path))
        saved.append(path)
    if suffix:
        return saved
    from app.gui.profiles_dialog import ProfilesDialog

    dialog = ProfilesDialog(window)
    dialog.show()
    app.processEvents()
    path = OUT / f"profiles-{language}.png"
    dialog.grab().save(str(path))
    dialog.close()
    saved.append(path)
    return saved


async def sent_window(app, translations, language: str):
    """A window that opened the demo and sent it, in `language` from the start, so the log
    dock's lines are in that language too (they stay in the language they were written in).
    Each language gets its own data folder: a fresh journal, a real send."""
    from app.gui.main_window import MainWindow
    from app.gui.session import Session
    from app.gui.settings import GuiSettings

    os.environ["HERALD_DATA_DIR"] = tempfile.mkdtemp(prefix="herald-shots-")
    translations.switch(language)
    window = MainWindow(Session(), GuiSettings(), translations)
    window.set_language(language)
    window.resize(1180, 800)
    window.show()
    await window.open_demo_campaign()
    page = window.send_page
    page.confirm = False
    page.spins["per_second"].setValue(8)
    await page.start_send()
    deadline = time.monotonic() + 30
    while page.controller.running and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)
    await window.preview_page.run_check()  # every step shows its badge in every picture
    return window


def close(window) -> None:
    window.session.set_dirty(False)
    window.close()


async def main_async(app) -> list[Path]:
    from app.gui.i18n import Translations
    from app.gui.theme import apply_theme

    translations = Translations(app)  # one owner of the installed translators
    window = await sent_window(app, translations, "zh_CN")
    saved = await shoot(window, app, "zh_CN")
    close(window)
    window = await sent_window(app, translations, "en")
    saved += await shoot(window, app, "en")
    apply_theme(app, "dark")
    app.processEvents()
    saved += await shoot(window, app, "en", "-dark")
    apply_theme(app, "light")
    close(window)
    return saved


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["HERALD_DATA_DIR"] = tempfile.mkdtemp(prefix="herald-shots-")  # each run: anew
    sys.path.insert(0, str(ROOT))
    from app.gui.application import create_application

    app = create_application([])
    import qasync

    OUT.mkdir(parents=True, exist_ok=True)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        saved = loop.run_until_complete(main_async(app))
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
