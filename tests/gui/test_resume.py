"""At start, a send that was interrupted (rows left `pending` or `sending`) offers to resume."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import replace
from pathlib import Path

from app.core.journal import Journal
from app.gui.profiles import Profile, ProfileStore
from app.gui.resume import interrupted_journal
from app.gui.sending import SendPlan, journal_path, snapshot_of
from app.gui.session import build_campaign
from tests.gui.helpers import people
from tests.support.smtp_server import SmtpTestServer


def interrupted_campaign(window, run, folder: Path, port: int = 2525) -> Path:
    """A saved campaign of 5 rows, sent through the account "loopback" (127.0.0.1:`port`),
    whose journal says: row 2 sent, row 3 was being sent when the program died, rows 4-6
    still pending (what a crash mid-send leaves)."""
    profile = Profile(name="loopback", host="127.0.0.1", port=port, security="none")
    ProfileStore().save(profile)
    run(window.recipients_page.open_file(people(folder / "p.xlsx", 5)))
    session = window.session
    session.update_draft(sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="x")
    session.set_send_config(replace(session.config.send, profile="loopback"))
    path = folder / "spring.toml"
    session.save(path)
    campaign = build_campaign(session)
    plan = SendPlan(profile=profile)
    journal = Journal.create(
        journal_path(campaign, session.path), snapshot_of(campaign, "spring", plan, path)
    )
    try:
        now = dt.datetime.now(dt.UTC)
        first = journal.claim_next(now)
        journal.mark_sending(first.row, "<a@example.com>")
        journal.mark_sent(first.row, 250, "OK")
        second = journal.claim_next(now)
        journal.mark_sending(second.row, "<b@example.com>")  # never finished
        journal.commit()
    finally:
        journal.close()
    return path


async def wait_until_idle(controller, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while controller.running and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    controller.flush()


def test_an_interrupted_campaign_offers_to_resume_and_sends_only_the_rest(
    window, run, tmp_path, data_dir, no_modal_dialogs
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        _resume_through_the_same_account(window, run, tmp_path, port, server, no_modal_dialogs)
    finally:
        run(server.stop())


def _resume_through_the_same_account(window, run, tmp_path, port, server, no_modal_dialogs):
    path = interrupted_campaign(window, run, tmp_path, port)
    assert interrupted_journal(path)[1] == 4  # 3 pending + 1 sending

    # a fresh start: the campaign is open again (as after File > Open), then the offer
    window.session.set_dirty(False)
    run(window.open_path(path))
    page = window.send_page

    async def resume() -> bool:
        resumed = await page.offer_resume()
        await wait_until_idle(page.controller)
        return resumed

    assert run(resume())
    kind, text = no_modal_dialogs[-1]
    assert kind == "question" and "interrupted with 4 recipients" in text
    assert "127.0.0.1:" + str(port) in text  # it names the account it was sent through
    assert window.stack.currentIndex() in (3, 4)  # the send (then its report) is shown
    counts = page.controller.counts
    assert counts["sent"] == 4  # row 2 from before, rows 4-6 now
    assert counts["unknown"] == 1  # row 3 may have gone out: never sent twice by itself
    assert len(server.messages) == 3
    assert interrupted_journal(path) is None
    asked = len(no_modal_dialogs)
    assert not run(page.offer_resume())  # nothing left: no second question
    assert len(no_modal_dialogs) == asked


def test_at_start_with_nothing_open_the_most_recent_interrupted_campaign_is_offered(
    window, run, tmp_path, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from app.gui.main_window import MainWindow
    from app.gui.session import Session
    from app.gui.settings import GuiSettings

    path = interrupted_campaign(window, run, tmp_path)
    settings = GuiSettings()
    settings.add_recent(path)
    settings.add_recent(tmp_path / "p.xlsx")  # the most recent, but a workbook: skipped
    questions: list[str] = []

    def decline(_parent, _title, text, *_a, **_k):
        questions.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(decline))
    started = MainWindow(Session(), settings)  # a new start of the program
    qtbot.addWidget(started)
    try:
        assert not run(started.send_page.offer_resume())
        assert started.session.path == path.resolve()  # opened to offer it
        assert len(questions) == 1 and "interrupted with 4 recipients" in questions[0]
        assert not started.send_page.controller.running  # declined: nothing sent
    finally:
        started.session.set_dirty(False)
        started._may_close = True
