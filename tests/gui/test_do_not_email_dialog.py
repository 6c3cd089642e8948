"""File › Do-not-email list…: add, import (CSV), remove, each saved through the core at once,
and the open workbook validated again so the Recipients step shows who is (no longer) listed."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from app.core.do_not_email import DoNotEmailList, Reason
from app.core.model import ProblemKind
from tests.gui.helpers import people


def _listed_rows(window) -> set[int]:
    return {
        row
        for row, problems in window.session.problems_by_row().items()
        if any(p.kind == ProblemKind.DO_NOT_EMAIL for p in problems)
    }


def test_add_import_and_remove_are_saved_and_the_recipients_are_checked_again(
    window, run, tmp_path, monkeypatch
):
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 4)))
    assert _listed_rows(window) == set()
    window.do_not_email_action.trigger()
    dialog = window.do_not_email_dialog
    assert dialog is not None and dialog.isVisible() and dialog.addresses() == []

    dialog.address_edit.setText("Person1@Example.com")
    dialog.add_button.click()
    run(window.session.settled())
    assert _listed_rows(window) == {3}  # person1's workbook row
    entry = DoNotEmailList.load().get("person1@example.com")
    assert entry is not None and entry.reason is Reason.ADDED_BY_USER
    assert dialog.addresses() == ["Person1@Example.com"]
    assert "Added 1 of 1" in dialog.status.text()

    dialog.address_edit.setText("not-an-address")
    dialog.add_button.click()
    assert "Not an e-mail address: not-an-address" in dialog.status.text()
    assert len(DoNotEmailList.load()) == 1

    old_list = tmp_path / "old.csv"
    old_list.write_text("姓名,邮箱\n甲,person2@example.com\n乙,someone@example.org\n", "utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(old_list), ""))
    dialog.import_button.click()
    run(window.session.settled())
    assert _listed_rows(window) == {3, 4}
    assert sorted(dialog.addresses()) == [
        "Person1@Example.com", "person2@example.com", "someone@example.org",
    ]  # fmt: skip
    assert DoNotEmailList.load().get("someone@example.org").reason is Reason.IMPORTED
    why = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(3)}
    assert why["person2@example.com"] == "imported"

    row = dialog.addresses().index("Person1@Example.com")
    dialog.table.selectRow(row)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    run(window.session.settled())
    assert _listed_rows(window) == {4}
    assert "person1@example.com" not in DoNotEmailList.load()
    assert "Removed 1: they may be sent to again." in dialog.status.text()
    dialog.close()
