"""The window and damaged or far-reaching workbooks: an error in words, never a crash.

Opened through the recipients page's own open action; the warning box the window shows is
recorded by the `no_modal_dialogs` fixture.
"""

from __future__ import annotations

import os
import signal

import openpyxl

from app.core.recipients.offload import TableTransfer
from tests.gui.helpers import people
from tests.support import zip_surgery


def test_a_workbook_with_a_bad_checksum_is_refused_in_words(
    window, run, tmp_path, no_modal_dialogs
):
    path = people(tmp_path / "p.xlsx", 5)
    path.write_bytes(zip_surgery.bad_crc(path.read_bytes()))

    assert not run(window.recipients_page.open_file(path))

    assert no_modal_dialogs
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning"
    assert "p.xlsx: the workbook is damaged (member xl/worksheets/sheet1.xml fails its" in text
    assert window.session.table is None


def test_one_cell_at_xfd1048576_is_read_in_the_child_process_without_an_abort(
    window, run, tmp_path, no_modal_dialogs
):
    path = people(tmp_path / "p.xlsx", 5)
    book = openpyxl.load_workbook(path)
    book.active["XFD1048576"] = "stray"
    book.save(path)
    window.session.offload_bytes = 0  # read it in the child, as a big file would be

    assert run(window.recipients_page.open_file(path), timeout=60)

    assert window.session.load_stats.offloaded
    assert window.recipients_page.counts["valid"] == 5
    assert not [text for kind, text in no_modal_dialogs if kind == "warning"]


def test_a_reading_child_killed_by_a_signal_is_an_error_and_the_window_carries_on(
    window, run, tmp_path, no_modal_dialogs, monkeypatch
):
    started = TableTransfer.start

    def start_then_kill(self: TableTransfer) -> None:
        started(self)
        assert self.pid is not None
        os.kill(self.pid, signal.SIGKILL)  # as the out-of-memory killer would

    monkeypatch.setattr(TableTransfer, "start", start_then_kill)
    window.session.offload_bytes = 0
    path = people(tmp_path / "p.xlsx", 5)

    assert not run(window.recipients_page.open_file(path), timeout=60)

    kind, text = no_modal_dialogs[-1]
    assert kind == "warning"
    assert "p.xlsx: could not be read" in text and "SIGKILL" in text
    monkeypatch.setattr(TableTransfer, "start", started)
    assert run(window.recipients_page.open_file(path), timeout=60)  # still works
    assert window.recipients_page.counts["valid"] == 5
