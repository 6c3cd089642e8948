"""End to end through the window: load a workbook, preview, send to a scriptable SMTP server,
watch the log and counts, then the report, retry of the failed row, and export."""

from __future__ import annotations

import asyncio
import time

from openpyxl import load_workbook

from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import people
from tests.support.smtp_server import SmtpTestServer


async def wait_until_idle(controller, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while controller.running and time.monotonic() < deadline:
        await asyncio.sleep(0.02)  # poll with asyncio: never qtbot.waitUntil in a coroutine
    controller.flush()


def test_load_preview_send_report_and_retry_through_the_window(window, run, tmp_path):
    from dataclasses import replace

    server = SmtpTestServer()
    port = run(server.start())
    try:
        server.on("rcpt", "550 5.1.1 No such user", address="person3@example.com", times=1)
        ProfileStore().save(Profile(name="loopback", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 5)))
        session = window.session
        session.update_draft(
            sender="Shop <shop@example.com>",
            subject="Hello {{ Name }}",
            body="<p>Hi {{ Name }}</p>",
        )
        session.set_send_config(replace(session.config.send, profile="loopback"))
        window.save_action.setEnabled(True)
        session.save(tmp_path / "campaign.toml")

        window.go_to(2)
        window.preview_page.refresh()
        assert "person0@example.com" in window.preview_page.header_values["to"].text()

        window.go_to(3)
        page = window.send_page
        page.load_limits()
        page.spins["per_second"].setValue(50)
        assert "5 recipients" in page.estimate_label.text()

        async def send_all() -> bool:
            started = await page.start_send()
            await wait_until_idle(page.controller)
            return started

        assert run(send_all())

        assert page.controller.counts["sent"] == 4 and page.controller.counts["failed"] == 1
        assert len(server.messages) == 4
        statuses = {page.log_model.entry(r).status for r in range(page.log_model.rowCount())}
        assert statuses == {"sent", "failed"}
        failed = next(
            page.log_model.entry(r)
            for r in range(page.log_model.rowCount())
            if page.log_model.entry(r).status == "failed"
        )
        assert failed.code == 550 and failed.address == "person3@example.com"
        assert "failed" in window.recipients_page.model.data(
            window.recipients_page.model.index(3, 1)
        )
        assert "sent 4" in page.counts_label.text()

        report = window.report_page
        report.refresh()
        assert report.counts["sent"] == 4 and report.counts["failed"] == 1
        assert report.retry_button.isEnabled()
        out = tmp_path / "report.xlsx"
        assert report.export(out) == 5
        assert load_workbook(out).active.max_row == 6

        async def retry() -> int:
            moved = await report.requeue("failed")
            await wait_until_idle(page.controller)
            return moved

        assert run(retry()) == 1
        report.refresh()
        assert report.counts["sent"] == 5 and report.counts.get("failed", 0) == 0
        assert len(server.messages) == 5
    finally:
        run(server.stop())


def test_the_confirmation_names_the_count_and_the_account(window, run, tmp_path, no_modal_dialogs):
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
    window.session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
    page = window.send_page
    page.confirm = True

    async def send_all() -> bool:
        started = await page.start_send()
        await wait_until_idle(page.controller)
        return started

    assert run(send_all())
    kind, text = no_modal_dialogs[-1]
    assert kind == "question"
    # the local outbox is the default account: the question says it is a test
    assert "Test: send 3 messages" in text and "local test outbox" in text
    assert "Nothing leaves this computer" in text


def test_closing_during_a_send_pauses_cleanly(window, run, tmp_path, qapp):
    qapp.setQuitOnLastWindowClosed(False)  # as run_gui sets it: closing must not stop the loop
    server = SmtpTestServer(delay=0.05)
    port = run(server.start())
    try:
        from dataclasses import replace

        ProfileStore().save(Profile(name="slow", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 40)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="slow"))
        session.save(tmp_path / "c.toml")
        page = window.send_page
        page.confirm = False
        closed = []
        window.closed.connect(lambda: closed.append(True))
        window._may_close = False

        async def close_soon() -> None:
            assert await page.start_send()
            await asyncio.sleep(0.3)
            window.close()  # asks (answered Yes), then cancels and closes when settled
            deadline = time.monotonic() + 20
            while not closed and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

        run(close_soon())
        assert closed == [True]
        assert not page.controller.running
        sent = page.controller.counts["sent"]
        assert 0 < sent < 40
        assert len(server.messages) == sent  # journal and server agree: nothing in between
        from app.core.journal import Journal
        from app.core.send.contracts import RecipientState
        from app.gui.sending import journal_path

        path = journal_path(_campaign(window), window.session.path)
        journal = Journal.open_readonly(path)
        try:
            on_disk = journal.counts()
        finally:
            journal.close()
        assert on_disk.get(RecipientState.SENT, 0) == len(server.messages)
        assert on_disk.get(RecipientState.SENDING, 0) == 0  # nothing left half-sent
        assert on_disk.get(RecipientState.PENDING, 0) == 40 - sent  # the rest resumes later
    finally:
        run(server.stop())


async def _settle_tasks() -> None:
    from app.gui.tasks import running

    for _ in range(500):
        pending = [t for t in running() if not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=0.05)


async def _until(condition, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


def test_open_compose_preview_and_send_using_only_menus_buttons_and_typing(
    window, run, tmp_path, qtbot, monkeypatch, no_modal_dialogs
):
    """The user's path: File > Open workbook, type the message, pick the account, File > Save
    As, Preview with Next, Send with Start (confirmed), each recipient gets exactly one."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    server = SmtpTestServer()
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="loopback", host="127.0.0.1", port=port, security="none"))
        book = people(tmp_path / "people.xlsx", 4)
        campaign = tmp_path / "saved" / "news.toml"
        campaign.parent.mkdir()
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(book), ""))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(campaign), ""))

        async def open_from_the_menu() -> None:
            window.open_workbook_action.trigger()
            await _settle_tasks()

        run(open_from_the_menu())
        assert window.recipients_page.counts["valid"] == 4

        window.step_actions[1].trigger()  # Ctrl+2: Compose
        compose = window.compose_page
        assert window.stack.currentWidget() is compose
        compose.reload_profiles()
        compose.profile_combo.setCurrentIndex(compose.profile_combo.findData("loopback"))
        qtbot.keyClicks(compose.sender_edit, "Shop <shop@example.com>")
        qtbot.keyClicks(compose.subject_edit, "Hello {{ Name }}")
        compose.body_edit.selectAll()
        qtbot.keyClicks(compose.body_edit, "<p>Hi {{ Name }} from {{ City }}</p>")
        window.save_as_action.trigger()
        assert campaign.is_file() and window.session.path == campaign.resolve()

        qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)  # to Preview
        preview = window.preview_page
        assert window.stack.currentWidget() is preview
        assert "person0@example.com" in preview.header_values["to"].text()
        qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
        assert "person1@example.com" in preview.header_values["to"].text()
        assert "Hello Person 1" in preview.header_values["subject"].text()

        qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)  # to Send
        page = window.send_page
        assert window.stack.currentWidget() is page

        async def press_start_and_wait() -> None:
            # clicked inside the running loop, as in the app (qasync.run keeps it running)
            qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
            await _until(lambda: page.controller.running or page.controller.state == "finished")
            await _until(lambda: not page.controller.running)

        run(press_start_and_wait())
        page.controller.flush()
    finally:
        run(server.stop())

    kind, question = no_modal_dialogs[-1]
    assert kind == "question" and "Send 4 messages" in question and "loopback" in question
    expected = [f"person{i}@example.com" for i in range(4)]
    assert sorted(server.recipients()) == expected  # exactly one message per recipient
    assert len(server.messages) == 4
    bodies = {m.rcpt_tos[0]: m.data.decode("utf-8", "replace") for m in server.messages}
    assert "Hello Person 2" in bodies["person2@example.com"]
    assert page.controller.counts["sent"] == 4
    assert window.stack.currentWidget() is window.report_page  # finished: the report shows
    assert window.report_page.counts["sent"] == 4


def _campaign(window):
    from app.gui.session import build_campaign

    return build_campaign(window.session)
