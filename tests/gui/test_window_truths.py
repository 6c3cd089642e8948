"""Issue 10: what the window says matches what happened, through the window's own actions.

A workbook opened over the demo, File > New campaign, the Send page after another campaign and
after Cancel, the sidebar ticks, the rate readout, and small controls."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.core.send import events as ev
from app.gui.profiles import Profile, ProfileStore
from app.gui.widgets.sidebar import StepStatus
from tests.gui.helpers import people, write_workbook
from tests.support.smtp_server import SmtpTestServer

NOW = dt.datetime(2026, 5, 1, 14, 0, tzinfo=dt.UTC)
SEND, REPORT = 3, 4


async def _until(condition, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


async def _settle_tasks() -> None:
    from app.gui.tasks import running

    for _ in range(500):
        pending = [t for t in running() if not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=0.05)


def _open_workbook_from_the_menu(window, run, monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    async def trigger() -> None:
        window.open_workbook_action.trigger()
        await _settle_tasks()

    run(trigger())


def _send_all(window, run) -> None:
    page = window.send_page
    page.confirm = False

    async def send() -> None:
        assert await page.start_send()
        await _until(lambda: not page.controller.running)

    run(send())
    page.controller.flush()


def _check_column(window) -> list[str]:
    model = window.recipients_page.model
    return [model.data(model.index(r, 1)) for r in range(model.rowCount())]


def test_a_workbook_opened_over_the_sent_demo_shows_its_own_rows_checks_and_no_old_run(
    demo_window, run, tmp_path, monkeypatch
):
    window = demo_window
    server = SmtpTestServer()  # a real send (a test run to the outbox delivers nothing)
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="lo", host="127.0.0.1", port=port, security="none"))
        session = window.session
        session.set_send_config(replace(session.config.send, profile="lo"))
        _send_all(window, run)  # the demo, through a real (loopback) server
    finally:
        run(server.stop())
    assert window.send_page.controller.counts["sent"] == 20
    assert window.sidebar.status(SEND) == StepStatus.OK
    assert set(_check_column(window)) == {"sent"}
    window.log_view.flush()
    window.log_view.clear()

    book = people(tmp_path / "mine.xlsx", 27, bad=3)
    _open_workbook_from_the_menu(window, run, monkeypatch, book)
    window.log_view.flush()

    log_text = window.log_view.toPlainText()
    assert "Traceback" not in log_text and "Error" not in log_text, log_text
    assert window.session.mapping.email == "Email"  # detected, not the demo's 邮箱
    page = window.recipients_page
    assert page.counts_label.text().startswith("30 rows: 27 valid, 3 invalid")
    checks = _check_column(window)
    assert checks[:27] == ["OK"] * 27
    assert all(c.startswith("problem:") for c in checks[27:])  # bad rows are not "OK"
    assert "sent" not in checks  # the demo's outcomes are not these people's
    # the Send page forgot the demo's run, the sidebar ticks nothing not sent here
    send = window.send_page
    assert send.log_model.rowCount() == 0 and send.progress.value() == 0
    assert send.notice_label.text() == "" and "0/0" in send.counts_label.text()
    assert send.start_button.text() == "&Start sending…"
    window.report_page.refresh()
    assert window.report_page.summary.text() == "Nothing sent yet for this campaign."
    assert window.sidebar.status(SEND) == StepStatus.NONE
    assert window.sidebar.status(REPORT) == StepStatus.NONE


def test_a_workbook_without_an_email_column_asks_for_one_and_logs_no_error(
    demo_window, run, tmp_path, monkeypatch
):
    book = write_workbook(tmp_path / "odd.xlsx", [["Who", "Where"], ["Ann", "Oslo"]])
    _open_workbook_from_the_menu(demo_window, run, monkeypatch, book)
    demo_window.log_view.flush()
    assert "Traceback" not in demo_window.log_view.toPlainText()
    assert demo_window.sidebar.status(0) == StepStatus.ERROR
    assert demo_window.recipients_page.counts["rows"] == 1


def test_new_campaign_is_the_chosen_workbook_and_a_blank_message(
    demo_window, run, tmp_path, monkeypatch
):
    window = demo_window
    assert window.session.draft.sender and window.session.draft.attachments  # the demo's
    book = people(tmp_path / "list.xlsx", 4)
    asked: list[str] = []

    def choose(_parent, _title, folder, _filter, *a, **k):
        asked.append(folder)
        return str(book), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)

    async def trigger() -> None:
        window.new_campaign_action.trigger()  # an asyncSlot: its task is qasync's, not ours
        await _until(
            lambda: (
                window.session.config.recipients == book
                and window.recipients_page.counts.get("valid") == 4
            )
        )
        await _settle_tasks()

    run(trigger())
    session = window.session
    d = session.draft
    assert (d.sender, d.subject, d.body, d.reply_to, d.list_unsubscribe) == ("",) * 5
    assert d.attachments == []
    assert session.path is None and session.config.recipients == book
    assert session.mapping.email == "Email" and window.recipients_page.counts["valid"] == 4
    compose = window.compose_page
    assert compose.sender_edit.text() == "" and compose.attach_list.count() == 0
    assert "Herald" in window.windowTitle() and "campaign" not in window.windowTitle()
    assert window.new_campaign_action.text() == "&New campaign…"


def test_cancel_asks_logs_and_offers_to_continue_with_the_real_remainder(
    window, run, tmp_path, no_modal_dialogs
):
    server = SmtpTestServer(delay=0.05)
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="slow", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 28)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="slow"))
        session.save(tmp_path / "c.toml")
        page = window.send_page
        page.confirm = False

        async def start_then_cancel() -> None:
            assert await page.start_send()
            await _until(lambda: page.controller.counts["sent"] >= 5)
            page.cancel_button.click()
            await _until(lambda: not page.controller.running)

        run(start_then_cancel())
        page.controller.flush()
        kind, question = no_modal_dialogs[-1]
        assert kind == "question" and "Stop sending now?" in question
        sent = page.controller.counts["sent"]
        left = 28 - sent
        assert 0 < sent < 28 and len(server.messages) == sent
        assert page.start_button.text() == f"&Continue: {left} left"
        assert page.remaining() == left
        window.log_view.flush()
        assert f"Sending cancelled by you; {left} recipients not sent yet" in (
            window.log_view.toPlainText()
        )
        assert window.sidebar.status(SEND) == StepStatus.WARNING  # not a tick: some are left

        async def press_continue() -> None:
            page.start_button.click()
            await _until(lambda: page.controller.running, limit=5)
            await _until(lambda: not page.controller.running)

        run(press_continue())
        page.controller.flush()
    finally:
        run(server.stop())
    assert sorted(server.recipients()) == sorted(f"person{i}@example.com" for i in range(28))
    assert page.start_button.text() == "&Start sending…"
    assert window.sidebar.status(SEND) == StepStatus.OK


def test_cancel_answered_no_keeps_sending(window, run, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    server = SmtpTestServer(delay=0.02)
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="slow", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 10)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="slow"))
        page = window.send_page
        page.confirm = False
        monkeypatch.setattr(
            QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
        )

        async def start_then_refuse_cancel() -> None:
            assert await page.start_send()
            await _until(lambda: page.controller.counts["sent"] >= 1)
            assert not page.cancel_send()
            await _until(lambda: not page.controller.running)

        run(start_then_refuse_cancel())
    finally:
        run(server.stop())
    assert len(server.messages) == 10


def test_sidebar_ticks_send_and_report_only_once_something_was_sent(window, run, tmp_path):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        for i in range(3):
            server.on("rcpt", "550 5.1.1 No such user", address=f"person{i}@example.com")
        ProfileStore().save(Profile(name="lo", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="lo"))
        session.save(tmp_path / "c.toml")
        assert window.sidebar.status(SEND) == StepStatus.NONE
        assert window.sidebar.status(REPORT) == StepStatus.NONE
        _send_all(window, run)  # every recipient refused: nothing sent
        window.report_page.refresh()
        assert window.sidebar.status(SEND) == StepStatus.NONE
        assert window.sidebar.status(REPORT) == StepStatus.WARNING
    finally:
        run(server.stop())


def test_the_rate_reads_per_minute_at_a_per_minute_limit_and_decays_while_paused(window):
    page = window.send_page
    for key, value in (("per_second", 0), ("per_minute", 30), ("per_hour", 0), ("per_day", 0)):
        page.spins[key].setValue(value)
    now = [1000.0]
    controller = page.controller
    controller.clock = lambda: now[0]
    samples: list[float] = []
    controller.rateSampled.connect(lambda _t, rate: samples.append(rate))
    controller.feed(ev.Started(at=NOW, total=100, counts={"pending": 100}))
    controller.flush()
    for i in range(40):  # 30 a minute: one every two seconds, as the limiter lets them go
        now[0] += 2.0
        controller.feed(
            ev.Sent(
                at=NOW,
                row=i + 2,
                address=f"p{i}@example.com",
                message_id="<x>",
                code=250,
                text="OK",
            )
        )
        controller.flush()
    assert "· 30/min ·" in page.counts_label.text()  # not "1.0/s"
    assert page.chart.limit == 30 and page.chart.unit_text == "/min"
    assert max(samples) <= page.chart.limit  # never above the line while the limit holds
    controller.feed(ev.Paused(at=NOW, reason="Paused by you.", until=None, by_user=True))
    controller.flush()
    for _ in range(3):  # the batch timer keeps ticking while paused
        now[0] += 15.0
        controller.flush()
    assert samples[-1] < samples[-3] < 30  # it moves while paused
    assert "· 8/min ·" in page.counts_label.text()  # sends in the last minute: 76..80 s
    page.spins["per_minute"].setValue(0)
    page.spins["per_second"].setValue(5)
    assert page.chart.unit_text == "/s" and page.chart.limit == 5


def test_the_send_log_follows_new_lines_unless_scrolled_up(window):
    from app.gui.controller import LogEntry

    page = window.send_page
    window.go_to(SEND)
    view = page.log_view

    def lines(start: int, count: int) -> list[LogEntry]:
        return [
            LogEntry(NOW, n, f"p{n}@example.com", "sent", 250, "OK")
            for n in range(start, start + count)
        ]

    page.log_model.append(lines(0, 200))
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    page.log_model.append(lines(200, 50))
    assert bar.value() == bar.maximum()  # followed
    bar.setValue(10)  # the user reads an older line
    page.log_model.append(lines(250, 50))
    assert bar.value() == 10


def test_controls_menu_texts_icons_and_dialog_folders(demo_window, run, tmp_path, monkeypatch):
    window = demo_window
    assert window.step_actions[2].text() == "Preview && test"  # shown "Preview & test"
    for index in range(window.sidebar.count()):  # a badge never shifts the title
        assert not window.sidebar.item(index).icon().isNull()
    (tmp_path / "shop").mkdir()
    book = people(tmp_path / "shop" / "p.xlsx", 2)
    _open_workbook_from_the_menu(window, run, monkeypatch, book)
    window.session.save(tmp_path / "shop" / "c.toml")
    folders: list[str] = []

    def record(_parent, _title, folder, *a, **k):
        folders.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", record)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", record)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", record)
    window.open_campaign_action.trigger()
    window.open_workbook_action.trigger()
    window.save_as_action.trigger()
    window.compose_page._add_attachments()
    window.report_page.ask_export()
    shop = str(tmp_path / "shop")
    assert len(folders) == 5 and all(f.startswith(shop) for f in folders), folders


def test_other_custom_server_clears_the_previous_presets_host(qtbot):
    from app.gui.profiles_dialog import ProfilesDialog

    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("gmail"))
    assert dialog.host_edit.text() == "smtp.gmail.com"
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("custom"))
    assert dialog.host_edit.text() == ""
    assert dialog.port_spin.value() == 587


def test_sidebar_rows_keep_their_place_when_a_badge_appears(window):
    sidebar = window.sidebar
    before = sidebar.visualItemRect(sidebar.item(3))
    sidebar.set_status(3, StepStatus.OK, "done")
    after = sidebar.visualItemRect(sidebar.item(3))
    assert before.topLeft() == after.topLeft() and before.height() == after.height()
    assert sidebar.item(3).icon().actualSize(sidebar.iconSize()) == sidebar.iconSize()
    sidebar.set_status(3, StepStatus.NONE)
    assert sidebar.item(3).icon().actualSize(sidebar.iconSize()) == sidebar.iconSize()


def _shop_workbook(path: Path) -> Path:
    """30 rows: 28 sendable, one invalid address, one duplicate; a date and a number column."""
    rows: list[list[object]] = [["Email", "Name", "Joined", "Points"]]
    for i in range(28):
        rows.append([f"person{i}@example.com", f"Person {i}", dt.date(2024, 1, 1 + i), 10 * i])
    rows.insert(5, ["broken-at-example.com", "Broken", dt.date(2023, 5, 5), 1.5])
    rows.append(["person0@example.com", "Again", dt.date(2023, 6, 6), 0])
    return write_workbook(path, rows)


def test_the_report_lists_every_row_exports_typed_values_and_every_event(
    window, run, tmp_path, no_modal_dialogs
):
    from openpyxl import load_workbook

    server = SmtpTestServer(delay=0.02)
    port = run(server.start())
    try:
        server.on("rcpt", "550 5.1.1 No such user", address="person3@example.com")
        ProfileStore().save(Profile(name="lo", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(_shop_workbook(tmp_path / "shop.xlsx")))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="lo"))
        session.save(tmp_path / "c.toml")
        page = window.send_page
        page.confirm = False

        async def send_with_a_pause() -> None:
            assert await page.start_send()
            await _until(lambda: page.controller.counts["sent"] >= 3)
            page.pause_button.click()
            await _until(lambda: page.controller.state == "paused")
            page.resume_button.click()
            await _until(lambda: not page.controller.running)

        run(send_with_a_pause())
        page.controller.flush()
    finally:
        run(server.stop())
    report = window.report_page
    window.go_to(REPORT)
    run(report.rows_ready())  # the table fills in slices, the window stays responsive
    assert report.summary.text() == (
        "27 of 30 rows have the message. 2 rows were skipped (see Skipped below for why)."
    )
    assert report.total_values["skipped"].text() == "2"
    assert report.rows_model.rowCount() == 30  # every row of the workbook
    report.filter_combo.setCurrentIndex(report.filter_combo.findText("Skipped"))
    shown = report.rows_filter
    assert shown.rowCount() == 2
    reasons = [shown.index(r, 4).data() for r in range(2)]
    assert [shown.index(r, 0).data() for r in range(2)] == ["6", "31"]
    assert "invalid" in reasons[0] and "duplicate" in reasons[1]
    report.filter_combo.setCurrentIndex(report.filter_combo.findText("Failed"))
    assert shown.rowCount() == 1 and "550" in shown.index(0, 4).data()

    out = tmp_path / "report.xlsx"
    assert report.export(out) == 30
    book = load_workbook(out)
    sheet = book["Recipients"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    assert len(rows) == 30
    assert rows[0]["Joined"] == dt.datetime(2024, 1, 1) and rows[0]["Points"] == 0
    assert sheet.cell(2, header.index("Joined") + 1).number_format == "yyyy-mm-dd"
    assert rows[4]["Status"] == "skipped" and rows[4]["Points"] == 1.5  # a number, not "1.5"
    events = [r[1] for r in book["Events"].iter_rows(min_row=2, values_only=True)]
    assert events[0] == "started" and events[-1] == "finished"
    assert "paused" in events and "resumed" in events


def test_retry_failed_offers_only_temporary_failures_unless_told(
    window, run, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    server = SmtpTestServer()
    port = run(server.start())
    try:
        server.on("rcpt", "550 5.1.1 No such user", address="person1@example.com", times=1)
        ProfileStore().save(Profile(name="lo", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="lo"))
        session.save(tmp_path / "c.toml")
        _send_all(window, run)
        report = window.report_page
        report.refresh()
        asked: list[str] = []

        def answer(reply):
            def show(_parent, _title, text, *a, **k):
                asked.append(text)
                return reply

            return staticmethod(show)

        async def press_retry() -> None:
            report.retry_button.click()
            await _until(lambda: window.send_page.controller.running, limit=1)
            await _until(lambda: not window.send_page.controller.running)

        monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.No))
        run(press_retry())
        assert report.permanent_failures == [3] and report.transient_failures == []
        assert "refused permanently" in asked[-1] and len(server.messages) == 2
        report.refresh()
        assert report.counts["failed"] == 1  # left alone: the user said no

        monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.Yes))
        run(press_retry())
        window.send_page.controller.flush()
        report.refresh()
        assert len(server.messages) == 3 and report.counts["sent"] == 3
    finally:
        run(server.stop())
