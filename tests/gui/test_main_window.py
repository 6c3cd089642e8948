"""The window shell: demo at start, title, steps and badges, menus, language, drops."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

import app
from app.gui.widgets.sidebar import StepStatus


def test_demo_campaign_opens_with_its_name_in_the_title_and_twenty_recipients(demo_window):
    assert "campaign" in demo_window.windowTitle()
    assert "Herald" in demo_window.windowTitle()
    assert demo_window.recipients_page.counts["rows"] == 20
    assert demo_window.sidebar.status(0) == StepStatus.OK


def test_sidebar_has_five_steps_and_switches_the_stacked_page(window):
    assert window.sidebar.count() == 5
    window.sidebar.setCurrentRow(2)
    assert window.stack.currentWidget() is window.preview_page
    window.next_button.click()
    assert window.stack.currentWidget() is window.send_page


def test_file_menu_uses_the_standard_shortcuts(window):
    def platform_or(key, fallback):
        return QKeySequence.keyBindings(key) or [QKeySequence(fallback)]

    assert window.open_campaign_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.save_as_action.shortcuts() == platform_or(
        QKeySequence.StandardKey.SaveAs, "Ctrl+Shift+S"
    )
    assert window.quit_action.shortcuts() == platform_or(QKeySequence.StandardKey.Quit, "Ctrl+Q")
    for action in (window.save_as_action, window.quit_action):
        assert not action.shortcut().isEmpty()  # never without one, whatever the platform
    assert window.recent_menu.menuAction() in window.file_menu.actions()


def test_the_recent_menu_lists_opened_files_and_opens_one(window, run, tmp_path):
    from tests.gui.helpers import people

    book = people(tmp_path / "recent.xlsx", 2)
    run(window.open_path(book))
    window.session.set_dirty(False)
    window.recent_menu.aboutToShow.emit()
    entry = next(a for a in window.recent_menu.actions() if a.text().endswith("recent.xlsx"))
    window.session.table = None

    async def choose() -> None:
        from app.gui.tasks import running

        entry.trigger()
        for task in running():
            await task

    run(choose())
    assert window.session.table is not None and window.session.table.source == book


def test_qt_own_dialog_buttons_are_translated_after_switching_to_chinese(window, qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    window.set_language("zh_CN")
    qapp.processEvents()
    try:
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save
        )
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text()
        save = box.button(QDialogButtonBox.StandardButton.Save).text()
        assert cancel.startswith("取消") and save.startswith("保存"), (cancel, save)
    finally:
        window.set_language("en")
        qapp.processEvents()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"


def test_switching_to_chinese_retranslates_the_menus_and_steps_at_runtime(window, qapp):
    window.set_language("zh_CN")
    qapp.processEvents()  # LanguageChange is a posted event
    try:
        assert window.file_menu.title() == "文件(&F)"
        assert window.sidebar.item(0).text().startswith("1. 收件人")
        assert window.recipients_page.open_button.text() == "打开工作簿(&O)…"
    finally:
        window.set_language("en")
        qapp.processEvents()
    assert window.file_menu.title() == "&File"


def test_about_names_the_version(window, monkeypatch):
    shown = {}
    monkeypatch.setattr(
        "app.gui.main_window.QMessageBox.about", lambda _p, _t, text: shown.setdefault("t", text)
    )
    window.show_about()
    assert app.__version__ in shown["t"]


def test_dropping_a_workbook_loads_it(window, run, tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Email", "Name"])
    sheet.append(["ann@example.com", "Ann"])
    sheet.append(["not-an-address", "Bob"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    from app.gui.tasks import running

    for task in running():
        run(task)
    assert window.session.table is not None
    assert window.recipients_page.counts == {
        "rows": 2,
        "valid": 1,
        "invalid": 1,
        "duplicate": 0,
        "excluded": 0,
    }


def test_every_step_page_control_has_an_accessible_name_or_label(demo_window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    kinds = (
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QAbstractButton,
        QAbstractSpinBox,
        QAbstractItemView,
    )
    missing = []
    for page in demo_window.pages:
        buddies = {id(label.buddy()) for label in page.findChildren(QLabel) if label.buddy()}
        for kind in kinds:
            for widget in page.findChildren(kind):
                if _inside_compound(widget, page):
                    continue  # internal parts of a combo box, line edit, table...
                named = bool(widget.accessibleName()) or id(widget) in buddies
                if isinstance(widget, QAbstractButton):
                    named = named or bool(widget.text())
                if not named and widget.objectName() not in ("qt_scrollarea_viewport",):
                    missing.append(f"{type(page).__name__}: {type(widget).__name__}")
    assert missing == [], "\n".join(missing)


def _inside_compound(widget, page) -> bool:
    from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit

    parent = widget.parent()
    while parent is not None and parent is not page:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractItemView | QLineEdit):
            return True
        parent = parent.parent()
    return False


def test_log_lines_are_in_chinese_when_the_window_is(window, run, qapp):
    window.set_language("zh_CN")
    qapp.processEvents()
    try:
        run(window.open_demo_campaign())
        window.log_view.flush()
        text = window.log_view.toPlainText()
    finally:
        window.set_language("en")
        qapp.processEvents()
    assert "已打开活动" in text and "读取" in text, text
    assert "信息" in text  # the level too
    assert "Opened campaign" not in text and "INFO" not in text, text
