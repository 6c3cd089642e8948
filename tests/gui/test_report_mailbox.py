"""The Report page reads the campaign's mailbox: "Read bounces…" against a real Dovecot after a
real send through the test SMTP server (STARTTLS + AUTH, password from the keychain), the IMAP
server asked once and saved in the profile, bounced rows in the report table, hard bounces on
the do-not-email list and marked by the Recipients step; "Copy to Sent…" files each message
once, and is refused with its reason for a provider that files sent mail itself."""

from __future__ import annotations

import asyncio
import email
import imaplib
import socket
import ssl
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.core.do_not_email import DoNotEmailList, Reason
from app.core.journal import Journal, find_journal_for
from app.core.profiles import Profile
from app.core.secrets import delete_password, store_password
from app.gui.imap_server_dialog import ImapServerDialog
from app.gui.profiles import ProfileStore
from tests.core.mailbox import dsn_samples as samples
from tests.gui.helpers import people
from tests.support.dovecot import available, dovecot_server
from tests.support.smtp_server import SmtpTestServer

pytestmark = pytest.mark.skipif(
    not available(), reason="Dovecot (Debian dovecot-imapd) is not installed; .ci/run installs it"
)
UNSUBSCRIBE = "unsubscribe@example.com"


@pytest.fixture
def dovecot(tmp_path: Path):
    with dovecot_server(tmp_path) as server:
        yield server


async def _until(condition, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


def _deliver(server, *messages: bytes) -> None:
    """Mail arriving in the INBOX, as a delivery agent would put it there (IMAP APPEND)."""
    imap = imaplib.IMAP4(server.host, server.port)
    imap.starttls(ssl.create_default_context(cafile=str(server.ca_file)))
    imap.login(server.user, server.password)
    for raw in messages:
        assert imap.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)[0] == "OK"
    imap.logout()


def _send_for_real(window, run, tmp_path, dovecot, test_certs, provider="custom") -> SmtpTestServer:
    """A campaign of 3 sent through STARTTLS + AUTH with the profile's keychain password."""
    trusted = tmp_path / "trusted.pem"  # the SMTP server's CA and Dovecot's, in one file
    trusted.write_bytes(test_certs.ca_file.read_bytes() + dovecot.ca_file.read_bytes())
    server = SmtpTestServer(
        tls="starttls", tls_context=test_certs.server_context(),
        auth=(dovecot.user, dovecot.password),
    )  # fmt: skip
    port = run(server.start())
    profile = Profile(
        name="shop", provider=provider, host="127.0.0.1", port=port, security="starttls",
        user=dovecot.user, cafile=str(trusted),
    )  # fmt: skip
    ProfileStore().save(profile)
    store_password("shop", dovecot.user, dovecot.password)
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
    session = window.session
    session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="<p>Hello</p>",
        list_unsubscribe=UNSUBSCRIBE,
    )  # fmt: skip
    session.set_send_config(replace(session.config.send, profile="shop"))
    session.save(tmp_path / "campaign.toml")
    page = window.send_page
    page.confirm = False

    async def send_all() -> None:
        assert await page.start_send()
        await _until(lambda: not page.controller.running)

    try:
        run(send_all())
    finally:
        run(server.stop())
    page.controller.flush()
    assert len(server.messages) == 3
    return server


def _ids(tmp_path: Path) -> dict[str, str]:
    path = find_journal_for(tmp_path / "campaign.toml")
    assert path is not None
    with Journal.open_readonly(path) as journal:
        return {row.address: row.message_id for row in journal.rows()}


def test_read_bounces_asks_the_server_once_marks_rows_and_lists_hard_bounces(
    window, run, tmp_path, dovecot, test_certs, keychain, monkeypatch, no_modal_dialogs
):
    _send_for_real(window, run, tmp_path, dovecot, test_certs)
    ids = _ids(tmp_path)
    _deliver(
        dovecot,
        samples.postfix(ids["person1@example.com"], "person1@example.com"),  # hard
        samples.microsoft_mailbox_full(ids["person2@example.com"], "person2@example.com"),  # soft
        samples.gmail("<someone-else@example.net>", "person0@example.com"),  # other mail's
        samples.ordinary(),
        samples.ordinary(subject="退订", sender="buyer@example.net", to=UNSUBSCRIBE, body="别发了"),
    )
    before = sorted(p.name for p in dovecot.files_in("INBOX"))
    report = window.report_page
    window.go_to(4)
    report.refresh()
    assert report.bounces_button.isVisible() and report.bounces_button.isEnabled()

    asked: list[str] = []

    def answer(dialog: ImapServerDialog) -> int:  # the user fills in the server and clicks OK
        asked.append(dialog.explain.text())
        dialog.host_edit.setText(dovecot.host)
        dialog.security_combo.setCurrentIndex(1)  # STARTTLS
        dialog.port_spin.setValue(dovecot.port)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImapServerDialog, "exec", answer)
    result = run(report.read_bounces_now())
    assert len(asked) == 1 and dovecot.user in asked[0]
    assert (result.hard, result.soft, len(result.unsubscribed)) == (1, 1, 1)
    kind, text = no_modal_dialogs[-1]
    assert kind == "information"
    assert text.startswith(
        "2 bounces (1 hard, 1 soft), 1 unsubscribe requests; "
        "2 addresses added to the do-not-email list."
    )
    saved = ProfileStore().find("shop")
    assert (saved.imap_host, saved.imap_port, saved.imap_security) == (
        dovecot.host, dovecot.port, "starttls",
    )  # fmt: skip
    listed = DoNotEmailList.load()
    assert {e.address: e.reason for e in listed} == {
        "person1@example.com": Reason.HARD_BOUNCE,
        "buyer@example.net": Reason.UNSUBSCRIBED,
    }
    assert sorted(p.name for p in dovecot.files_in("INBOX")) == before  # nothing changed

    # the table says which rows bounced, and why
    run(report.rows_ready())
    model = report.rows_model
    cells = {
        model.data(model.index(r, 1)): (
            model.data(model.index(r, 2)),
            model.data(model.index(r, 4)),
        )
        for r in range(model.rowCount())
    }
    assert cells["person1@example.com"][0] == "bounced (hard)"
    assert cells["person1@example.com"][1].startswith("5.1.1 ")
    assert cells["person2@example.com"][0] == "bounced (soft)"
    assert cells["person0@example.com"][0] == "sent"
    report.filter_combo.setCurrentIndex(report.filter_combo.count() - 1)  # Bounced
    assert report.rows_filter.rowCount() == 2
    assert "2 of them bounced afterwards" in report.summary.text()

    # the Recipients step re-validated: the hard-bounced row is on the do-not-email list
    listed_rows = {p.row for p in window.session.listed}
    assert listed_rows == {3}  # person1's workbook row
    assert "person1@example.com is on the do-not-email list" in window.session.listed[0].message

    # a second reading asks nothing and counts nothing twice
    monkeypatch.setattr(ImapServerDialog, "exec", lambda _d: pytest.fail("asked again"))
    again = run(report.read_bounces_now())
    assert len(again.new) == 0 and len(again.bounces) == 2
    assert no_modal_dialogs[-1][1].startswith("0 bounces (0 hard, 0 soft)")
    assert "2 bounces were known from an earlier reading" in no_modal_dialogs[-1][1]


def test_read_bounces_without_a_saved_password_says_where_to_save_it(
    window, run, tmp_path, dovecot, test_certs, keychain, no_modal_dialogs
):
    _send_for_real(window, run, tmp_path, dovecot, test_certs, provider="qq")
    delete_password("shop", dovecot.user)
    report = window.report_page
    window.go_to(4)
    report.refresh()
    assert run(report.read_bounces_now()) is None
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning" and "No password is saved for shop@example.com" in text


def test_copy_to_sent_files_each_message_once(
    window, run, tmp_path, dovecot, test_certs, keychain, no_modal_dialogs
):
    _send_for_real(window, run, tmp_path, dovecot, test_certs)
    store = ProfileStore()
    shop = store.find("shop")
    store.save(
        replace(shop, imap_host=dovecot.host, imap_port=dovecot.port, imap_security="starttls")
    )
    report = window.report_page
    window.go_to(4)
    report.refresh()
    assert report.copy_sent_button.isEnabled() and not report.mailbox_note.isVisible()
    result = run(report.copy_to_sent_now())
    assert (result.folder, result.copied) == ("Sent", 3)
    assert len(dovecot.files_in("Sent")) == 3
    assert no_modal_dialogs[-1][1].startswith("Filed 3 copies in Sent; 0 were filed before")
    again = run(report.copy_to_sent_now())
    assert (again.copied, again.already) == (0, 3)
    assert len(dovecot.files_in("Sent")) == 3  # never twice
    sent_ids = {
        email.message_from_bytes(p.read_bytes())["Message-ID"] for p in dovecot.files_in("Sent")
    }
    assert set(_ids(tmp_path).values()) == sent_ids


def test_copy_to_sent_is_refused_with_the_reason_where_the_provider_files_sent_mail(
    window, run, tmp_path, dovecot, test_certs, keychain
):
    _send_for_real(window, run, tmp_path, dovecot, test_certs, provider="gmail")
    report = window.report_page
    window.go_to(4)
    report.refresh()
    assert report.copy_sent_button.isVisible() and not report.copy_sent_button.isEnabled()
    assert report.bounces_button.isEnabled()
    assert "files mail sent over SMTP in Sent by itself" in report.mailbox_note.text()
    assert report.mailbox_note.isVisible()
    assert report.copy_sent_button.toolTip() == report.mailbox_note.text()
    assert report.bounces_button.toolTip().startswith("Read the account's inbox (read-only)")


class _SilentServer:
    """A loopback listener that accepts and says nothing until released: a stalled mailbox."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        self.accepted.set()
        self.release.wait(30)
        connection.close()  # the client's TLS handshake fails: "Cannot reach the mailbox"
        self.listener.close()


def test_a_stalled_mailbox_never_freezes_the_window_and_its_failure_is_said(
    window, run, tmp_path, dovecot, test_certs, keychain, no_modal_dialogs
):
    _send_for_real(window, run, tmp_path, dovecot, test_certs)
    silent = _SilentServer()
    store = ProfileStore()
    shop = store.find("shop")
    store.save(replace(shop, imap_host="127.0.0.1", imap_port=silent.port, imap_security="tls"))
    report = window.report_page
    window.go_to(4)
    report.refresh()
    seen: dict[str, object] = {}

    async def read_while_stalled() -> object:
        task = asyncio.ensure_future(report.read_bounces_now())
        # the worker thread is blocked on the silent server; the loop still runs this code
        await _until(silent.accepted.is_set)
        await asyncio.sleep(0.05)
        seen["accepted"] = silent.accepted.is_set()
        seen["busy"] = not report.bounces_button.isEnabled() and not task.done()
        seen["note"] = report.mailbox_note.text()
        silent.release.set()
        return await task

    assert run(read_while_stalled()) is None
    assert seen == {"accepted": True, "busy": True, "note": "Reading 127.0.0.1…"}
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning" and f"Cannot reach the mailbox at 127.0.0.1:{silent.port}" in text
    assert report.bounces_button.isEnabled()  # usable again after the failure
