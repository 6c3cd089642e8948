"""What the Send page says is what the send does, through the window's own actions: the account
follows Compose both ways, a test-outbox run never counts as a delivery (banner, "Send for real
now"), Start is offered only when something can be sent (with the reason, "Start over" after a
send), a resume through another account asks, and quitting during a send asks about edits."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import people
from tests.support.smtp_server import SmtpTestServer


async def _until(condition, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)  # poll with asyncio: never qtbot.waitUntil in a coroutine


def _save_account(name: str, port: int) -> None:
    ProfileStore().save(Profile(name=name, host="127.0.0.1", port=port, security="none"))


def _campaign(window, run, folder: Path, count: int = 3, **workbook) -> Path:
    run(window.recipients_page.open_file(people(folder / "p.xlsx", count, **workbook)))
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="<p>Hi {{ Name }}</p>"
    )
    path = folder / "campaign.toml"
    window.session.save(path)
    return path


def _choose_on_compose(window, name: str) -> None:
    window.go_to(1)
    combo = window.compose_page.profile_combo
    combo.setCurrentIndex(combo.findData(name))


def _send_and_wait(window, run) -> None:
    page = window.send_page

    async def go() -> None:
        assert await page.start_send()
        await _until(lambda: not page.controller.running)

    run(go())
    page.controller.flush()


def test_the_send_pages_account_follows_the_one_chosen_on_compose_both_ways(window, run, tmp_path):
    _save_account("loopback", 2525)
    _campaign(window, run, tmp_path)
    page = window.send_page
    _choose_on_compose(window, "loopback")
    window.go_to(3)
    assert "loopback — 127.0.0.1:2525" in page.account_label.text()
    assert page.test_banner.isHidden()
    _choose_on_compose(window, "outbox")  # SMTP -> outbox
    assert "Local test outbox" in page.account_label.text()
    assert not page.test_banner.isHidden()
    _choose_on_compose(window, "loopback")  # outbox -> SMTP
    assert "loopback" in page.account_label.text() and page.test_banner.isHidden()
    # the account the send would really use is the one shown
    account, reason = page.account()
    assert reason == ""
    assert (account.host, account.port, account.local) == ("127.0.0.1", 2525, False)


def test_a_campaign_without_its_own_choice_shows_the_same_account_on_both_pages(window, run):
    _save_account("loopback", 2525)
    ProfileStore().remember_last("loopback")  # what Compose preselects
    window.compose_page.reload_profiles()
    assert window.compose_page.profile_combo.currentData() == "loopback"
    window.send_page.load_limits()
    assert "loopback" in window.send_page.account_label.text()


def test_a_test_run_is_never_a_delivery_and_send_for_real_sends_everyone(
    window, run, tmp_path, data_dir, no_modal_dialogs
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        _save_account("loopback", port)
        _campaign(window, run, tmp_path, 3)
        _choose_on_compose(window, "outbox")
        window.go_to(3)
        page = window.send_page
        _send_and_wait(window, run)
        assert page.controller.counts["sent"] == 3
        assert len(list((data_dir / "outbox").glob("*.eml"))) == 3
        assert window.stack.currentIndex() == 3  # a test stays on Send: it offers the real one
        assert not page.test_banner.isHidden()
        assert page.test_banner.text() == "TEST — nothing leaves this computer"
        assert not page.real_button.isHidden()
        report = window.report_page
        report.refresh()
        assert report.counts == {} and "Only test runs" in report.summary.text()
        recipients = window.recipients_page.model
        assert "sent" not in str(recipients.data(recipients.index(0, 1)))  # not delivered

        page.real_button.click()  # the only saved account: no question which

        async def sent_for_real() -> None:
            await _until(lambda: page.controller.running)
            await _until(lambda: not page.controller.running)

        run(sent_for_real())
        page.controller.flush()
        assert len(server.messages) == 3  # everyone, not "0 of 28"
        assert window.compose_page.profile_combo.currentData() == "loopback"  # Send -> Compose
        assert "loopback" in page.account_label.text()
        assert page.test_banner.isHidden() and page.real_button.isHidden()
        report.refresh()
        assert report.counts["sent"] == 3
        assert "3 of 3" in report.summary.text()
        assert any("through" in text and "loopback" in text for _k, text in no_modal_dialogs)
    finally:
        run(server.stop())


def test_start_is_disabled_with_the_reason_when_nothing_can_be_sent(window, run, tmp_path):
    page = window.send_page
    _campaign(window, run, tmp_path, 0, bad=2)  # two rows, neither has a valid address
    page.update_readiness()
    assert not page.start_button.isEnabled()
    assert "No recipient can be sent to" in page.reason_label.text()
    assert not run(page.start_send())

    run(window.recipients_page.open_file(people(tmp_path / "good.xlsx", 2)))
    window.session.update_draft(body="<p>{{ Name </p>")  # a template error
    page.update_readiness()
    assert not page.start_button.isEnabled() and page.reason_label.text()

    window.session.update_draft(body="<p>{{ Name }}</p>")
    page.update_readiness()
    assert page.start_button.isEnabled() and page.reason_label.isHidden()

    window.session.set_send_config(replace(window.session.config.send, profile="gone"))
    assert not page.start_button.isEnabled()
    assert "“gone” is not saved on this computer" in page.reason_label.text()
    assert "gone (not saved on this computer)" in page.account_label.text()
    assert "gone" in window.compose_page.profile_combo.currentText()  # Compose says so too


def test_a_sent_campaign_offers_start_over_which_keeps_the_old_journal(
    window, run, tmp_path, data_dir, no_modal_dialogs
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        _save_account("loopback", port)
        _campaign(window, run, tmp_path, 2)
        _choose_on_compose(window, "loopback")
        page = window.send_page
        page.confirm = False
        _send_and_wait(window, run)
        assert len(server.messages) == 2
        page.update_readiness()
        assert not page.start_button.isEnabled()
        assert "already sent" in page.reason_label.text()
        assert not page.start_over_button.isHidden()

        page.start_over_button.click()  # asks (answered Yes), then puts the journal aside
        kind, text = no_modal_dialogs[-1]
        assert kind == "question" and "Start this campaign over" in text
        archived = list((data_dir / "campaigns").glob("*.archived-*.sqlite"))
        assert len(archived) == 1
        assert page.start_button.isEnabled() and page.start_over_button.isHidden()
        _send_and_wait(window, run)
        assert len(server.messages) == 4
    finally:
        run(server.stop())


def test_a_resume_through_another_account_asks_and_no_sends_nothing(
    window, run, tmp_path, monkeypatch
):
    first, second = SmtpTestServer(), SmtpTestServer()
    first_port, second_port = run(first.start()), run(second.start())
    try:
        _save_account("first", first_port)
        _save_account("second", second_port)
        _campaign(window, run, tmp_path, 4)
        _choose_on_compose(window, "first")
        page = window.send_page
        page.confirm = False
        first.on("message", "451 4.3.0 Try again later")  # nothing finishes: rows stay open
        page.spins["per_second"].setValue(1)

        async def start_then_cancel() -> None:
            assert await page.start_send()
            await _until(lambda: page.controller.counts["deferred"] >= 1)
            page.cancel_button.click()
            await _until(lambda: not page.controller.running)

        run(start_then_cancel())
        _choose_on_compose(window, "second")
        asked: list[str] = []

        def answer(no_or_yes):
            def question(_parent, _title, text, *_a, **_k):
                asked.append(text)
                return no_or_yes

            return staticmethod(question)

        monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
        window.go_to(3)
        assert not run(page.start_send())
        assert f"127.0.0.1:{first_port}" in asked[-1] and f"127.0.0.1:{second_port}" in asked[-1]
        assert "started through" in asked[-1]
        assert second.messages == []

        monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
        _send_and_wait(window, run)
        assert len(second.messages) == 4  # the user agreed: the rest through "second"
    finally:
        run(first.stop())
        run(second.stop())


def test_quitting_during_a_send_asks_about_unsaved_edits_first(
    window, run, tmp_path, qapp, monkeypatch
):
    qapp.setQuitOnLastWindowClosed(False)
    server = SmtpTestServer(delay=0.05)
    port = run(server.start())
    try:
        _save_account("slow", port)
        _campaign(window, run, tmp_path, 40)
        _choose_on_compose(window, "slow")
        page = window.send_page
        page.confirm = False
        closed: list[bool] = []
        window.closed.connect(lambda: closed.append(True))
        window._may_close = False
        asked: list[str] = []
        answers = {"Sending in progress": QMessageBox.StandardButton.Yes}

        def question(_parent, title, text, *_a, **_k):
            asked.append(title)
            return answers.get(title, QMessageBox.StandardButton.Cancel)

        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))

        async def edit_then_close() -> None:
            assert await page.start_send()
            await asyncio.sleep(0.2)
            window.session.update_draft(subject="Changed while sending")
            window.close()  # "Sending in progress" Yes, then "Unsaved changes" Cancel
            await asyncio.sleep(0.2)

        run(edit_then_close())
        assert asked == ["Sending in progress", "Unsaved changes"]
        assert not closed and page.controller.running  # nothing dropped, the send goes on
        assert window.session.dirty and window.session.draft.subject == "Changed while sending"

        answers["Unsaved changes"] = QMessageBox.StandardButton.Save

        async def close_and_save() -> None:
            window.close()
            await _until(lambda: bool(closed))

        run(close_and_save())
        assert closed == [True] and not page.controller.running
        assert "Changed while sending" in (tmp_path / "campaign.toml").read_text("utf-8")
    finally:
        run(server.stop())


def test_the_test_banner_the_account_and_the_reason_are_shown_in_chinese(
    window, run, tmp_path, qapp
):
    _campaign(window, run, tmp_path, 2)
    page = window.send_page
    window.session.set_send_config(replace(window.session.config.send, profile="gone"))
    window.set_language("zh_CN")
    qapp.processEvents()  # LanguageChange is a posted event
    try:
        assert page.test_banner.text() == "测试——邮件不会离开这台电脑"
        assert page.start_over_button.text() == "重新开始(&V)…"
        assert "本机没有保存账户“gone”" in page.reason_label.text()
        _choose_on_compose(window, "outbox")
        assert "本地测试发件箱" in page.account_label.text()
        assert not page.test_banner.isHidden() and page.start_button.isEnabled()
    finally:
        window.set_language("en")
        qapp.processEvents()


def test_a_start_that_fails_leaves_no_journal_and_start_still_works(
    window, run, tmp_path, data_dir, monkeypatch
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        _save_account("loopback", port)
        _campaign(window, run, tmp_path, 2)
        _choose_on_compose(window, "loopback")
        page = window.send_page
        page.confirm = False

        from app.core.send import prepare

        real_history = prepare.account_history
        full = [True]

        def unwritable(*args, **kwargs):
            if full:
                raise OSError(28, "No space left on device")  # the history cannot open
            return real_history(*args, **kwargs)

        monkeypatch.setattr(prepare, "account_history", unwritable)
        assert not run(page.start_send())
        assert "Could not start" in page.notice_label.text()
        assert not list((data_dir / "campaigns").glob("*.herald.sqlite"))  # nothing stuck
        assert page.start_button.isEnabled() and page.start_over_button.isHidden()

        full.clear()  # space again (not monkeypatch.undo: that would drop the data folder)
        _send_and_wait(window, run)
        assert len(server.messages) == 2
    finally:
        run(server.stop())
