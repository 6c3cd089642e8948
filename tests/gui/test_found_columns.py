"""The window shows Cc/Bcc/Reply-To columns found by their headers and asks once before sending."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from PySide6.QtWidgets import QMessageBox

from app.gui.found_columns import confirm_found_columns
from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import write_workbook
from tests.support.smtp_server import SmtpTestServer

ROWS = [
    ["Email", "Name", "密送"],
    ["a@example.org", "A", "spy1@example.net; spy2@example.net"],
    ["b@example.org", "B", ""],
    ["c@example.org", "C", "spy3@example.net"],
]
BCC_LINE = "Bcc column “密送” adds 3 hidden recipient(s) on 2 row(s) (found by its header)"


def open_campaign(window, run, tmp_path, port: int) -> None:
    ProfileStore().save(Profile(name="loop", host="127.0.0.1", port=port, security="none"))
    run(window.recipients_page.open_file(write_workbook(tmp_path / "p.xlsx", ROWS)))
    session = window.session
    session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>{{ Name }}</p>")
    session.set_send_config(replace(session.config.send, profile="loop"))
    window.send_page.load_limits()


def send_all(page, run) -> bool:
    async def go() -> bool:
        started = await page.start_send()
        deadline = time.monotonic() + 20
        while page.controller.running and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return started

    return bool(run(go()))


def test_the_recipients_summary_shows_the_found_bcc_column(window, run, tmp_path):
    run(window.recipients_page.open_file(write_workbook(tmp_path / "p.xlsx", ROWS)))

    assert BCC_LINE in window.recipients_page.counts_label.text()


def test_the_first_send_asks_once_about_the_found_bcc_column(
    window, run, tmp_path, no_modal_dialogs
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        open_campaign(window, run, tmp_path, port)
        page = window.send_page

        assert send_all(page, run)

        asked = [text for kind, text in no_modal_dialogs if BCC_LINE in text]
        assert len(asked) == 1 and "found these columns by their headers" in asked[0]
        assert sorted(server.recipients()) == sorted(
            ["a@example.org", "b@example.org", "c@example.org", "spy1@example.net",
             "spy2@example.net", "spy3@example.net"]
        )  # fmt: skip
        assert window.session.config.columns.bcc == "密送"  # chosen now: not asked again
        before = len(no_modal_dialogs)
        assert confirm_found_columns(page, window.session)
        assert len(no_modal_dialogs) == before
    finally:
        run(server.stop())


def test_declining_the_found_bcc_column_sends_nothing(window, run, tmp_path, monkeypatch):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        open_campaign(window, run, tmp_path, port)
        asked: list[str] = []

        def refuse(_parent, _title, text, *_a, **_k):
            asked.append(text)
            return QMessageBox.StandardButton.No

        monkeypatch.setattr(QMessageBox, "question", staticmethod(refuse))

        assert not send_all(window.send_page, run)

        assert len(asked) == 1 and BCC_LINE in asked[0]
        assert server.message_count == 0
        assert window.session.config.columns.bcc is None  # still only found, still asked
    finally:
        run(server.stop())
