"""Closing the window when nothing is sending ends the program, cleanly and at once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from app.gui import application

    def close_when_shown():
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "MainWindow" and widget.isVisible():
                print("closing", widget.windowTitle(), flush=True)
                widget.close()
                return
        QTimer.singleShot(100, close_when_shown)

    application.create_application([])
    QTimer.singleShot(1500, close_when_shown)
    sys.exit(application.run_gui([]))
    """
)


def test_closing_the_window_when_nothing_is_sending_ends_the_program(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HERALD_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "closing" in done.stdout and "Herald" in done.stdout
    assert "Event loop stopped before Future completed" not in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "data" / "window.ini").is_file()  # geometry saved on the way out
