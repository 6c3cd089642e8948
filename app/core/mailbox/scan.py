"""Matching what the mailbox holds to one campaign: bounces to rows, unsubscribe requests.

A bounce belongs to the campaign when it carries the Message-ID Herald gave one of its rows,
and the failed recipient is one of that row's envelope recipients; a bounce without the
original's Message-ID is matched by address alone, and only to a row that was sent. Anything
else in the mailbox is left alone (not counted as this campaign's, never moved or deleted).

An unsubscribe request is a mail to the campaign's List-Unsubscribe mailto address whose
subject or first lines say "unsubscribe" (or 退订 / 取消订阅): its sender goes on the
do-not-email list.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.do_not_email import DoNotEmailList, Reason
from app.core.journal import Journal, JournalRow, MailboxMark
from app.core.mailbox.bounces import Bounce, Severity, parse_bounce
from app.core.mailbox.imap import ImapSettings, Mailbox
from app.core.send.contracts import RecipientState

_UNSUBSCRIBE = re.compile(r"unsubscribe|退订|取消订阅|退定", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MatchedBounce:
    row: int
    address: str
    bounce: Bounce
    new: bool  # False when an earlier scan already recorded it


@dataclass(slots=True)
class ScanResult:
    scanned: int = 0
    bounces: list[MatchedBounce] = field(default_factory=list)
    other_bounces: int = 0  # bounces of mail that is not this campaign's
    unsubscribed: list[str] = field(default_factory=list)  # newly added to the list
    listed: list[str] = field(default_factory=list)  # hard-bounced, newly added to the list

    @property
    def hard(self) -> int:
        return sum(1 for m in self.bounces if m.bounce.severity is Severity.HARD)

    @property
    def soft(self) -> int:
        return sum(1 for m in self.bounces if m.bounce.severity is Severity.SOFT)

    @property
    def new(self) -> list[MatchedBounce]:
        """The bounces this scan recorded (not known from an earlier one)."""
        return [m for m in self.bounces if m.new]

    @property
    def added(self) -> list[str]:
        """Addresses this scan put on the do-not-email list."""
        return [*self.listed, *self.unsubscribed]

    def merge(self, other: ScanResult) -> None:
        self.scanned += other.scanned
        self.bounces.extend(other.bounces)
        self.other_bounces += other.other_bounces
        self.unsubscribed.extend(other.unsubscribed)
        self.listed.extend(other.listed)


class CampaignIndex:
    """The campaign's rows by Message-ID and by envelope address."""

    def __init__(self, rows: Iterable[JournalRow]) -> None:
        self.by_message_id: dict[str, JournalRow] = {}
        self.by_address: dict[str, JournalRow] = {}
        for row in rows:
            self.by_message_id[row.message_id.strip().lower()] = row
            for address in row.recipients:
                self.by_address.setdefault(address.lower(), row)

    def match(self, bounce: Bounce) -> JournalRow | None:
        if bounce.original_message_id:
            row = self.by_message_id.get(bounce.original_message_id.lower())
            if row is None:
                return None  # another mail's bounce, even if the address is in this campaign
            addresses = {a.lower() for a in row.recipients}
            return row if bounce.recipient in addresses else None
        row = self.by_address.get(bounce.recipient)
        if row is None or row.state not in (RecipientState.SENT, RecipientState.UNKNOWN):
            return None
        return row


def scan(
    messages: Iterable[bytes],
    journal: Journal,
    do_not_email: DoNotEmailList,
    *,
    unsubscribe_address: str | None = None,
    own_addresses: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> ScanResult:
    """Read `messages`; record matched bounces in the journal (once each) and add hard
    bounces and unsubscribe requests to `do_not_email` (the caller saves it)."""
    index = CampaignIndex(journal.rows())
    own = tuple(own_addresses)
    result = ScanResult()
    for raw in messages:
        result.scanned += 1
        bounces = parse_bounce(raw, own_addresses=own)
        if not bounces:
            sender = _unsubscribe_request(raw, unsubscribe_address)
            if sender and do_not_email.add(
                sender, Reason.UNSUBSCRIBED, source=f"reply to {unsubscribe_address}", now=now
            ):
                result.unsubscribed.append(sender)
            continue
        for bounce in bounces:
            row = index.match(bounce)
            if row is None:
                result.other_bounces += 1
                continue
            mark = (
                MailboxMark.BOUNCED_HARD
                if bounce.severity is Severity.HARD
                else MailboxMark.BOUNCED_SOFT
            )
            detail = " ".join(p for p in (bounce.status, bounce.diagnostic) if p)
            new = journal.mark_mailbox(row.row, mark, f"{bounce.recipient}: {detail}")
            result.bounces.append(MatchedBounce(row.row, bounce.recipient, bounce, new))
            if bounce.severity is Severity.HARD and do_not_email.add(
                bounce.recipient,
                Reason.HARD_BOUNCE,
                source=f"{journal.name} row {row.row}: {detail}"[:300],
                now=now,
            ):
                result.listed.append(bounce.recipient)
    return result


def scan_campaign(
    journal_path: Path,
    settings: ImapSettings,
    password: str,
    folders: Sequence[str] = (),
    since: dt.date | None = None,
    *,
    do_not_email: DoNotEmailList | None = None,
) -> tuple[ScanResult, DoNotEmailList]:
    """Read INBOX and `folders` of the account for this campaign's bounces and unsubscribe
    requests: record marks in its journal and save the do-not-email list. Blocking (IMAP and
    SQLite); the window runs it in a worker thread. `since` defaults to the day before the
    send began (IMAP compares dates in the server's time zone, not UTC). Raises ImapError,
    JournalError, DoNotEmailError or OSError with a message for the user."""
    listed = do_not_email if do_not_email is not None else DoNotEmailList.load()
    result = ScanResult()
    with Journal.open(journal_path) as journal:
        started = journal.created_at.date() - dt.timedelta(days=1) if journal.created_at else None
        unsubscribe = journal.settings.get("list_unsubscribe")
        sender = journal.settings.get("from")
        own = (settings.user, sender) if isinstance(sender, str) else (settings.user,)
        with Mailbox(settings, password) as mailbox:
            for folder in ["INBOX", *(f for f in dict.fromkeys(folders) if f != "INBOX")]:
                result.merge(
                    scan(
                        mailbox.messages(folder, since=since or started),
                        journal,
                        listed,
                        unsubscribe_address=unsubscribe if isinstance(unsubscribe, str) else None,
                        own_addresses=own,
                    )
                )
    listed.save()
    return result, listed


def _unsubscribe_request(raw: bytes, unsubscribe_address: str | None) -> str | None:
    """The sender's address when `raw` asks to unsubscribe through the campaign's address."""
    if not unsubscribe_address or len(raw) > 1024 * 1024:
        return None
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        to = [a.lower() for _, a in email.utils.getaddresses(message.get_all("To", []))]
        if unsubscribe_address.lower() not in to:
            return None
        subject = str(message.get("Subject", ""))
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content()[:2000] if body is not None else ""
        if not (_UNSUBSCRIBE.search(subject) or _UNSUBSCRIBE.search(str(text))):
            return None
        senders = email.utils.getaddresses(message.get_all("From", []))
    except Exception:  # an unreadable mail asks for nothing
        return None
    address = senders[0][1].strip().lower() if senders else ""
    return address if "@" in address else None
