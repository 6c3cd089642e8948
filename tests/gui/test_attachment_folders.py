"""The window attaches files only from the allowed folders, shows those folders, and lists each
attachment on the Preview page with its full path and size."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QFileDialog


def _workbook(path: Path, cell: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Email", "Name", "Files"])
    sheet.append(["ann@example.com", "Ann", cell])
    sheet.append(["bob@example.com", "Bob", ""])
    book.save(path)
    return path


def _draft(window) -> None:
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="<p>{{ Name }}</p>"
    )


def test_the_preview_lists_each_attachment_with_its_full_path_and_size(demo_window):
    window = demo_window
    window.go_to(2)
    page = window.preview_page
    page.refresh()
    [path] = window.session.draft.attachments
    shown = page.header_values["attachments"].text()
    size = path.stat().st_size
    assert str(path.resolve()) in shown
    assert (f"({size} B)" in shown) or ("KB)" in shown)


def test_a_cell_pointing_outside_is_a_problem_until_the_user_allows_its_folder(
    window, run, tmp_path: Path, monkeypatch
):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "terms.pdf").write_bytes(b"%PDF-1.4 terms")
    folder = tmp_path / "campaign"
    folder.mkdir()
    book = _workbook(folder / "people.xlsx", str(shared / "terms.pdf"))
    run(window.recipients_page.open_file(book))
    _draft(window)
    window.go_to(2)
    page = window.preview_page
    page.refresh()
    report = run(page.run_check())
    assert report.sendable == 1
    messages = [p.message for p in report.problems]
    assert any("outside the campaign folder" in m for m in messages)

    compose = window.compose_page
    assert [compose.folders_list.item(i).text() for i in range(compose.folders_list.count())] == [
        str(folder.resolve())
    ]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(shared))
    compose.folder_add.click()  # "Allow folder…"
    run(window.session.settled())
    listed = [compose.folders_list.item(i).text() for i in range(compose.folders_list.count())]
    assert listed == [str(folder.resolve()), str(shared.resolve())]
    assert window.session.config.attachment_folders == (shared,)

    page.refresh()
    report = run(page.run_check())
    assert report.sendable == 2 and report.errors == 0
    assert [(u.path, u.size) for u in report.attachments] == [(shared / "terms.pdf", 14)]

    compose.folders_list.item(1).setSelected(True)
    compose.folder_remove.click()  # "Remove folder"
    run(window.session.settled())
    assert window.session.config.attachment_folders == ()
    assert compose.folders_list.count() == 1


def test_a_file_picked_from_another_folder_allows_that_folder_visibly(
    window, run, tmp_path: Path, monkeypatch
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "brochure.pdf").write_bytes(b"%PDF")
    folder = tmp_path / "campaign"
    folder.mkdir()
    run(window.recipients_page.open_file(_workbook(folder / "people.xlsx", "")))
    _draft(window)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(elsewhere / "brochure.pdf")], "")
    )
    compose = window.compose_page
    compose.attach_add.click()
    run(window.session.settled())
    assert window.session.draft.attachments == [elsewhere / "brochure.pdf"]
    listed = [compose.folders_list.item(i).text() for i in range(compose.folders_list.count())]
    assert str(elsewhere.resolve()) in listed


def test_the_send_confirmation_lists_every_file_with_its_full_path_and_size(
    demo_window, run, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def decline(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(decline))
    page = demo_window.send_page
    page.confirm = True
    assert run(page.start_send()) is False  # declined: nothing starts
    [path] = demo_window.session.draft.attachments
    [text] = asked
    assert "Attachments to send: 1, " in text
    assert f"  {path.resolve()} (" in text
    assert "send 20 messages" in text  # "Test: send 20 messages … to the local test outbox"
