"""View > Theme: the dark override works on every platform; e-mail previews stay on white."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from app.gui.theme import is_dark


def test_the_dark_override_darkens_the_window_but_not_the_mail_preview(demo_window, qapp):
    window = demo_window
    try:
        window.set_theme("dark")
        qapp.processEvents()  # palette changes reach the widgets as posted events
        assert is_dark(qapp)
        base = window.recipients_page.palette().color(QPalette.ColorRole.Base)
        text = window.recipients_page.palette().color(QPalette.ColorRole.Text)
        assert base.lightness() < 64 and text.lightness() > 200  # light on dark
        paper = window.preview_page.html_view.palette().color(QPalette.ColorRole.Base)
        assert paper.lightness() == 255  # mail is written for white paper
        document = window.compose_page.body_edit.document()
        blocks = [document.findBlockByNumber(n) for n in range(document.blockCount())]
        highlighted = next(
            r.format.foreground().color() for b in blocks for r in b.layout().formats()
        )
        assert highlighted.lightness() > 128  # field colour readable on the dark editor
        assert not window.session.dirty  # re-colouring is not an edit
        window.set_theme("light")
        assert not is_dark(qapp)
    finally:
        window.set_theme("system")
