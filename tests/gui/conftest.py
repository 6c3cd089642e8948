"""GUI fixtures: offscreen Qt, a private data folder, one qasync loop for the whole session.

Async work is driven with `run(coro)` (loop.run_until_complete) from plain tests: no
qtbot.waitUntil inside coroutines, which can starve the loop (ENVIRONMENT.md pitfall 5).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "herald-data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A modal box would wait for a click that never comes: record it and answer Yes."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def answer(kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def show(_parent: Any, title: str, text: str, *_a: Any, **_k: Any) -> Any:
            shown.append((kind, text))
            return QMessageBox.StandardButton.Yes

        return show

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(answer(kind)))
    return shown


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    # As in run_gui: a test closing its last window must not quit the app, which would stop
    # the shared loop under the next test ("Event loop stopped before Future completed").
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def run(qloop: qasync.QEventLoop) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    asyncio.set_event_loop(qloop)

    def runner(coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return qloop.run_until_complete(asyncio.wait_for(coro, timeout))

    return runner


@pytest.fixture
def window(qtbot: Any, run: Callable[..., Any]) -> Any:
    from app.gui.i18n import Translations
    from app.gui.main_window import MainWindow
    from app.gui.session import Session
    from app.gui.settings import GuiSettings

    translations = Translations(QApplication.instance())
    translations.switch("en")
    win = MainWindow(Session(), GuiSettings(), translations)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.session.set_dirty(False)
    win._may_close = True


@pytest.fixture
def demo_window(window: Any, run: Callable[..., Any]) -> Any:
    run(window.open_demo_campaign())
    return window
