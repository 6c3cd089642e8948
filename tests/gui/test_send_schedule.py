"""The Send page's schedule fields: a start time makes the send wait (status says until when),
the campaign keeps the fields, a resumed send keeps its schedule, bad text is refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import replace

from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import people
from tests.gui.test_send_flow import wait_until_idle
from tests.support.smtp_server import SmtpTestServer


async def wait_for_notice(page, words: str, limit: float = 10) -> str:
    deadline = time.monotonic() + limit
    while words not in page.notice_label.text() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    page.controller.flush()
    return page.notice_label.text()


def test_a_start_time_waits_saying_until_when_and_a_resume_keeps_it(window, run, tmp_path):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="loopback", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>Hi</p>")
        session.set_send_config(replace(session.config.send, profile="loopback"))
        window.go_to(3)
        page = window.send_page
        page.load_limits()
        start = (dt.datetime.now() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        page.start_at_edit.setText(start)
        page.start_at_edit.editingFinished.emit()
        page.days_edit.setText("mon-sun")
        page.days_edit.editingFinished.emit()
        assert session.config.send.start_at == start  # saved with the campaign
        assert session.config.send.send_days == "mon-sun"

        async def start_then_cancel() -> str:
            assert await page.start_send()
            notice = await wait_for_notice(page, "start at")
            page.controller.cancel()
            await wait_until_idle(page.controller)
            return notice

        notice = run(start_then_cancel())
        assert f"The send is set to start at {start}; resuming at {start}." in notice
        assert server.message_count == 0

        # The fields emptied, the send resumed: the journal's schedule still holds.
        page.start_at_edit.clear()
        page.days_edit.clear()
        notice = run(start_then_cancel())
        assert f"The send is set to start at {start}" in notice
        assert server.message_count == 0
    finally:
        run(server.stop())


def test_unreadable_schedule_text_is_refused_with_how_to_write_it(window, run, tmp_path):
    page = window.send_page
    before = window.session.config.send
    page.hours_edit.setText("9am-6pm")
    page.hours_edit.editingFinished.emit()
    assert "09:00-18:00" in page.notice_label.text()
    assert window.session.config.send == before  # not kept with the campaign
