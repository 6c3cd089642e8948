"""The mailbox read back over IMAP, against a real Dovecot on 127.0.0.1: the \\Sent folder found
by special use, bounces of a real send matched to its rows (hard ones on the do-not-email list,
which `herald check` then honours), unsubscribe replies, and unrelated mail left untouched."""

from __future__ import annotations

import imaplib
import ssl
import time
from pathlib import Path

import pytest

from app.cli import run
from app.core.do_not_email import DoNotEmailList, Reason
from app.core.journal import Journal, MailboxMark, find_journal_for
from app.core.mailbox.imap import ImapError, ImapSettings, Mailbox
from app.core.send.transport import Security
from tests.cli.send_support import reader, server_options, write_campaign_file
from tests.core.mailbox import dsn_samples as samples
from tests.support.dovecot import available, dovecot_server

pytestmark = pytest.mark.skipif(
    not available(), reason="Dovecot (Debian dovecot-imapd) is not installed; .ci/run installs it"
)
UNSUBSCRIBE = "unsubscribe@example.com"


@pytest.fixture
def dovecot(tmp_path: Path):
    with dovecot_server(tmp_path) as server:
        yield server


def _settings(server, **changes) -> ImapSettings:
    values = dict(
        host=server.host, port=server.port, security=Security.STARTTLS, user=server.user,
        cafile=server.ca_file,
    )  # fmt: skip
    values.update(changes)
    return ImapSettings(**values)


def _deliver(server, *messages: bytes) -> None:
    """Put mail in the INBOX the way a delivery agent would (IMAP APPEND, unread)."""
    imap = imaplib.IMAP4(server.host, server.port)
    imap.starttls(ssl.create_default_context(cafile=str(server.ca_file)))
    imap.login(server.user, server.password)
    for raw in messages:
        assert imap.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)[0] == "OK"
    imap.logout()


def test_the_sent_folder_is_found_by_its_special_use_flag(dovecot):
    with Mailbox(_settings(dovecot), dovecot.password) as mailbox:
        assert mailbox.sent_folder() == "Sent"
        names = {f.name for f in mailbox.folders()}
    assert {"INBOX", "Sent", "Junk"} <= names


def test_a_wrong_password_an_untrusted_certificate_and_no_encryption_are_refused(
    dovecot, untrusted_certs
):
    with pytest.raises(ImapError, match="refused the login"):
        Mailbox(_settings(dovecot), "wrong").open()
    with pytest.raises(ImapError, match="could not be verified"):
        Mailbox(_settings(dovecot, cafile=untrusted_certs.ca_file), dovecot.password).open()
    with pytest.raises(ImapError, match="without encryption"):
        Mailbox(_settings(dovecot, security=Security.NONE), dovecot.password)


def test_bounces_of_a_real_send_are_matched_listed_and_honoured_by_check(
    tmp_path: Path, dovecot, threaded_smtp_server_factory, monkeypatch, capsys
):
    smtp = threaded_smtp_server_factory()
    campaign = write_campaign_file(tmp_path, 4, "")
    text = campaign.read_text("utf-8").replace(
        "[send]", f'list_unsubscribe = "{UNSUBSCRIBE}"\n\n[send]'
    )
    campaign.write_text(text, "utf-8")
    assert run(["send", str(campaign), *server_options(smtp.port), "--yes"]) == 0
    journal_path = find_journal_for(campaign)
    assert journal_path is not None
    with Journal.open_readonly(journal_path) as journal:
        ids = {row.address: row.message_id for row in journal.rows()}

    unrelated = samples.gmail("<someone-else@example.net>", reader(3))  # not this campaign's
    _deliver(
        dovecot,
        samples.postfix(ids[reader(1)], reader(1)),  # hard
        samples.microsoft_mailbox_full(ids[reader(2)], reader(2)),  # soft
        samples.qq(ids[reader(3)], "stranger@example.net"),  # not that row's recipient
        unrelated,
        samples.ordinary(),
        samples.ordinary(subject="退订", sender=reader(0), to=UNSUBSCRIBE, body="请不要再发了"),
    )
    before = sorted(p.name for p in dovecot.files_in("INBOX"))

    monkeypatch.setenv("HERALD_SMTP_PASSWORD", dovecot.password)
    options = [
        "bounces", str(campaign), "--imap-host", dovecot.host, "--imap-port", str(dovecot.port),
        "--imap-security", "starttls", "--user", dovecot.user, "--cafile", str(dovecot.ca_file),
    ]  # fmt: skip
    capsys.readouterr()
    assert run(options) == 0
    out = capsys.readouterr().out
    assert "Read 6 messages: 2 new bounces of this campaign (1 hard, 1 soft)" in out
    assert "2 of other mail, 1 unsubscribe requests" in out
    assert f"row 3: {reader(1)} bounced (hard) 5.1.1" in out

    with Journal.open_readonly(journal_path) as journal:
        marks = journal.mailbox_marks()
    assert set(marks) == {3, 4}  # workbook rows of reader 1 and reader 2
    assert MailboxMark.BOUNCED_HARD in marks[3] and MailboxMark.BOUNCED_SOFT in marks[4]
    listed = DoNotEmailList.load()
    assert {e.address: e.reason for e in listed} == {
        reader(1): Reason.HARD_BOUNCE,
        reader(0): Reason.UNSUBSCRIBED,
    }
    # the mailbox is as it was: same files, no flag changed (read-only, BODY.PEEK)
    assert sorted(p.name for p in dovecot.files_in("INBOX")) == before

    # a second scan finds the same bounces and counts nothing twice
    assert run(options) == 0
    assert "0 new bounces of this campaign" in capsys.readouterr().out

    # the report shows the bounce; check marks the listed rows
    report = tmp_path / "report.csv"
    assert run(["report", str(campaign), "--out", str(report)]) == 0
    lines = report.read_text("utf-8-sig").splitlines()
    assert lines[0].endswith(",Bounce")
    assert any(reader(1) in line and "hard: " in line for line in lines)
    assert run(["check", str(campaign)]) == 1
    out = capsys.readouterr().out
    assert f"{reader(1)} is on the do-not-email list (it bounced" in out
    assert f"{reader(0)} is on the do-not-email list (it asked to unsubscribe" in out


def _copy_options(campaign: Path, server) -> list[str]:
    return [
        "copy-sent", str(campaign), "--imap-host", server.host, "--imap-port", str(server.port),
        "--imap-security", "starttls", "--user", server.user, "--cafile", str(server.ca_file),
    ]  # fmt: skip


def _sent_ids(server) -> list[str]:
    import email

    ids = []
    for path in server.files_in("Sent"):
        ids.append(email.message_from_bytes(path.read_bytes())["Message-ID"])
    return sorted(ids)


def test_copy_to_sent_files_each_sent_message_once_across_reruns_and_a_lost_mark(
    tmp_path: Path, dovecot, threaded_smtp_server_factory, monkeypatch, capsys
):
    import sqlite3

    smtp = threaded_smtp_server_factory()
    smtp.on("rcpt", "550 5.1.1 no such user", address=reader(2))
    campaign = write_campaign_file(tmp_path, 3, "")
    assert run(["send", str(campaign), *server_options(smtp.port), "--yes"]) == 1  # 1 failed
    journal_path = find_journal_for(campaign)
    assert journal_path is not None
    with Journal.open_readonly(journal_path) as journal:
        sent = sorted(r.message_id for r in journal.rows() if r.state == "sent")
    assert len(sent) == 2

    monkeypatch.setenv("HERALD_SMTP_PASSWORD", dovecot.password)
    capsys.readouterr()
    assert run(_copy_options(campaign, dovecot)) == 0
    assert "Filed 2 copies in Sent; 0 were filed before" in capsys.readouterr().out
    assert _sent_ids(dovecot) == sent  # the failed row has no copy; same Message-IDs
    copy = dovecot.files_in("Sent")[0].read_bytes()
    assert b"Subject: Order for Reader" in copy and b"Date: " in copy

    assert run(_copy_options(campaign, dovecot)) == 0  # again: nothing twice
    assert "Filed 0 copies in Sent; 2 were filed before" in capsys.readouterr().out

    # a crash after the APPEND and before its mark: the copy is found, not filed again
    with sqlite3.connect(journal_path) as db:
        db.execute("DELETE FROM mailbox_marks WHERE kind = 'sent-copy' AND row = 2")
    assert run(_copy_options(campaign, dovecot)) == 0
    assert "1 were there already" in capsys.readouterr().out
    assert _sent_ids(dovecot) == sent


def test_copy_to_sent_refuses_a_provider_that_files_sent_mail_itself(
    tmp_path: Path, capsys, threaded_smtp_server_factory
):
    from app.core.profiles import Profile, ProfileStore

    ProfileStore().save(Profile(name="work", provider="gmail", host="smtp.gmail.com", port=465,
                                security=Security.TLS, user="shop@example.com"))  # fmt: skip
    campaign = write_campaign_file(tmp_path, 1, "")
    # a real send's journal (a test run to the local outbox keeps none)
    smtp = threaded_smtp_server_factory()
    assert run(["send", str(campaign), *server_options(smtp.port), "--yes"]) == 0
    assert run(["copy-sent", str(campaign), "--profile", "work"]) == 2
    assert "Gmail files mail sent over SMTP in Sent by itself" in capsys.readouterr().err


def test_bounces_with_a_profile_read_the_imap_server_saved_in_it(
    tmp_path: Path, dovecot, threaded_smtp_server_factory, monkeypatch, capsys
):
    """The window saves a custom profile's IMAP server in the profile; `--profile` reads it
    (app.core.mailbox.account, the rule both front ends share)."""
    from app.core.profiles import Profile, ProfileStore

    smtp = threaded_smtp_server_factory()
    campaign = write_campaign_file(tmp_path, 2, "")
    assert run(["send", str(campaign), *server_options(smtp.port), "--yes"]) == 0
    journal_path = find_journal_for(campaign)
    assert journal_path is not None
    with Journal.open_readonly(journal_path) as journal:
        ids = {row.address: row.message_id for row in journal.rows()}
    own = Profile(
        "own", host="smtp.example.com", user=dovecot.user, cafile=str(dovecot.ca_file),
        imap_host=dovecot.host, imap_port=dovecot.port, imap_security="starttls",
    )  # fmt: skip
    ProfileStore().save(own)
    _deliver(dovecot, samples.postfix(ids[reader(1)], reader(1)))
    monkeypatch.setenv("HERALD_SMTP_PASSWORD", dovecot.password)
    capsys.readouterr()
    assert run(["bounces", str(campaign), "--profile", "own"]) == 0
    assert "1 new bounces of this campaign (1 hard, 0 soft)" in capsys.readouterr().out
