"""Report page: totals, Resend unknown… explained and asked, export opened and read back,
the Outbox folder opened through the desktop's URL handler (intercepted, nothing launched)."""

from __future__ import annotations

import asyncio
import csv
import time
from dataclasses import replace

from openpyxl import load_workbook
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import people
from tests.support.smtp_server import DROP, SmtpTestServer


async def _until(condition, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


def _send(window, run) -> None:
    page = window.send_page
    page.confirm = False

    async def send_all() -> None:
        assert await page.start_send()
        await _until(lambda: not page.controller.running)

    run(send_all())
    page.controller.flush()


def _campaign_to(window, run, tmp_path, port: int, count: int = 3) -> None:
    ProfileStore().save(Profile(name="loopback", host="127.0.0.1", port=port, security="none"))
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", count)))
    session = window.session
    session.update_draft(sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="<p>x</p>")
    session.set_send_config(replace(session.config.send, profile="loopback"))
    session.save(tmp_path / "campaign.toml")


def test_resend_unknown_explains_what_unknown_means_and_resends_only_when_agreed(
    window, run, tmp_path, no_modal_dialogs
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        # the second message is kept but its reply never comes: an "unknown" outcome
        server.on("message", DROP, nth=2, store=True)
        _campaign_to(window, run, tmp_path, port)
        _send(window, run)
        report = window.report_page
        report.refresh()
        assert report.counts["unknown"] == 1 and report.counts["sent"] == 2
        assert report.resend_button.isEnabled() and not report.retry_button.isEnabled()
        assert "answer never arrived" in report.unknown_help.text()
        assert report.total_values["unknown"].text() == "1"
        received = len(server.messages)

        async def press_resend() -> None:
            report.resend_button.click()
            await _until(lambda: window.send_page.controller.running, limit=5)
            await _until(lambda: not window.send_page.controller.running)

        run(press_resend())
    finally:
        run(server.stop())
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning"
    assert "answer never arrived" in text and "Resend to these 1 recipients anyway?" in text
    assert len(server.messages) == received + 1  # only the unknown one went again
    report.refresh()
    assert report.counts["sent"] == 3 and report.counts.get("unknown", 0) == 0


def test_exported_csv_and_xlsx_hold_every_recipient_with_its_outcome(window, run, tmp_path):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        server.on("rcpt", "550 5.1.1 No such user", address="person1@example.com")
        _campaign_to(window, run, tmp_path, port)
        _send(window, run)
    finally:
        run(server.stop())
    report = window.report_page
    report.refresh()
    assert report.export_button.isEnabled()

    assert report.export(tmp_path / "out.csv") == 3
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Email"] for r in rows] == [f"person{i}@example.com" for i in range(3)]
    by_address = {r["Email"]: r for r in rows}
    assert "550" in " ".join(by_address["person1@example.com"].values())
    statuses = [v for r in rows for v in r.values() if v in ("sent", "failed")]
    assert sorted(statuses) == ["failed", "sent", "sent"]

    assert report.export(tmp_path / "out.xlsx") == 3
    sheet = load_workbook(tmp_path / "out.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Email", "Name", "City"]
    assert {row[0] for row in values[1:4]} == {f"person{i}@example.com" for i in range(3)}


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def test_open_the_outbox_folder_after_a_send_to_the_local_outbox(demo_window, run, data_dir):
    _send(demo_window, run)
    report = demo_window.report_page
    report.refresh()
    assert report.counts == {}  # a test run is never counted as a delivery...
    if demo_window.session.path is not None:  # ...and the report says only tests were run
        assert "Only test runs" in report.summary.text()
    assert not report.outbox_button.isHidden()
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")  # instead of a file manager
    try:
        report.outbox_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(catcher.opened) == 1
    folder = catcher.opened[0].toLocalFile()
    assert folder == str(data_dir / "outbox")
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 20


def test_the_outbox_button_is_hidden_when_a_real_server_was_used(window, run, tmp_path):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        _campaign_to(window, run, tmp_path, port, count=1)
        _send(window, run)
    finally:
        run(server.stop())
    window.report_page.refresh()
    assert window.report_page.counts["sent"] == 1
    assert window.report_page.outbox_button.isHidden()
