"""Copy to Sent: each sent message filed once in the account's Sent folder.

Most providers keep no copy of mail sent over SMTP, so a user looking in their Sent folder
finds nothing of the campaign. Gmail and Microsoft 365 file SMTP-sent mail themselves (their
presets say `files_sent_itself`), so there copying is off by default: it would duplicate.

Once only, across crashes and resumes: before each APPEND the journal durably records that a
copy is begun; after it, that it is done. A copy begun but not recorded done (a crash in
between) is looked for in the folder by its Message-ID before it is appended again; and
before any APPEND, every Message-ID already in the folder since the send began is read in one
pass, so a copy the server (or an earlier run) filed is never filed twice.

The copy is the message as composed for that row, with the Message-ID recorded at the snapshot
and the Date of the moment it was sent.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.campaign import Campaign
from app.core.compose import ComposeError
from app.core.journal import Journal, JournalRow, MailboxMark
from app.core.mailbox.imap import ImapSettings, Mailbox
from app.core.model import RenderedMessage
from app.core.send.contracts import RecipientState
from app.core.send.prepare import with_message_id
from app.core.templates import TemplateRenderError

_DATE = re.compile(rb"^Date: [^\r\n]*\r\n", re.MULTILINE)


@dataclass(slots=True)
class CopyResult:
    folder: str
    copied: int = 0
    already: int = 0  # recorded as copied by an earlier run
    found_in_folder: int = 0  # the folder had it already (filed by the server, or a crash)
    not_rendered: int = 0  # the row's message cannot be built now (template or file changed)


def copy_sent(
    journal: Journal,
    render: Callable[[JournalRow], RenderedMessage | None],
    mailbox: Mailbox,
    *,
    folder: str | None = None,
    on_copied: Callable[[int], None] | None = None,
) -> CopyResult:
    """File every `sent` row's message in `folder` (default: the \\Sent folder) once."""
    target = folder or mailbox.sent_folder()
    result = CopyResult(target)
    marks = journal.mailbox_marks()
    todo = []
    for row in journal.rows(RecipientState.SENT):
        done = marks.get(row.row, {})
        if MailboxMark.SENT_COPY in done:
            result.already += 1
        else:
            todo.append(row)
    if not todo:
        return result
    # a day's slack: IMAP compares dates in the server's time zone, not UTC
    since = journal.created_at.date() - dt.timedelta(days=1) if journal.created_at else None
    present = mailbox.message_ids(target, since=since)
    for row in todo:
        if row.message_id.lower() in present:
            journal.mark_mailbox(row.row, MailboxMark.SENT_COPY, target)
            result.found_in_folder += 1
            continue
        message = render(row)
        if message is None:
            result.not_rendered += 1
            continue
        journal.mark_mailbox(row.row, MailboxMark.SENT_COPY_BEGUN, target)
        when = row.sent_at or dt.datetime.now(dt.UTC)
        mailbox.append(target, with_date(message.data, when), when=when)
        journal.mark_mailbox(row.row, MailboxMark.SENT_COPY, target)
        result.copied += 1
        if on_copied is not None:
            on_copied(row.row)
    return result


def sent_row_renderer(campaign: Campaign) -> Callable[[JournalRow], RenderedMessage | None]:
    """Each sent row's message as composed, with the Message-ID recorded at the send; None
    when the row cannot be built now (the workbook or template changed since)."""

    def render(row: JournalRow) -> RenderedMessage | None:
        # the row was sent: build it as composed then, even if its address is now on the
        # do-not-email list (which would stop a new send, not a copy of an old one)
        recipient = campaign.by_row.get(row.row)
        if recipient is None:
            return None
        try:
            parts = campaign.template.render(recipient.fields, row=row.row)
            message = campaign.builder.build(recipient, parts)
        except (TemplateRenderError, ComposeError):
            return None
        return with_message_id(message, row.message_id)

    return render


def copy_sent_campaign(
    journal_path: Path,
    settings: ImapSettings,
    password: str,
    render: Callable[[JournalRow], RenderedMessage | None],
    *,
    folder: str | None = None,
) -> CopyResult:
    """`copy_sent` for the campaign whose journal is at `journal_path`, in a mailbox of its
    own: what the CLI and the window's Report page (in a worker thread) both run."""
    with Journal.open(journal_path) as journal, Mailbox(settings, password) as mailbox:
        return copy_sent(journal, render, mailbox, folder=folder)


def with_date(data: bytes, when: dt.datetime) -> bytes:
    """`data` with its Date header set to `when` (the moment the server took the message)."""
    stamp = email.utils.format_datetime(when.astimezone(dt.UTC)).encode("ascii")
    header_end = data.find(b"\r\n\r\n")
    head = data[: header_end + 2] if header_end >= 0 else data
    if _DATE.search(head):
        head = _DATE.sub(b"Date: " + stamp + b"\r\n", head, count=1)
    else:
        head = b"Date: " + stamp + b"\r\n" + head
    return head + (data[header_end + 2 :] if header_end >= 0 else b"")
