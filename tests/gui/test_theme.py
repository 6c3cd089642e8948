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


def _luminance(colour) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def _contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_check_box_edges_stand_out_from_the_dark_window(window, qapp):
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

    window.set_theme("dark")
    qapp.processEvents()
    try:
        background = qapp.palette().color(QPalette.ColorRole.Window)
        for kind in (QCheckBox, QRadioButton):
            box = kind("Option")
            box.resize(box.sizeHint())
            image = box.grab().toImage()
            option = QStyleOptionButton()
            option.initFrom(box)
            element = (
                QStyle.SubElement.SE_CheckBoxIndicator
                if kind is QCheckBox
                else QStyle.SubElement.SE_RadioButtonIndicator
            )
            rect = box.style().subElementRect(element, option, box)
            ratio = max(
                _contrast(image.pixelColor(x, rect.center().y()), background)
                for x in range(rect.left(), rect.center().x())
            )
            assert ratio >= 3, (kind.__name__, ratio)  # WCAG 1.4.11: a control's boundary
    finally:
        window.set_theme("system")
