"""`herald bounces CAMPAIGN`: read the account's mailbox for this campaign's bounces.

Reads INBOX (and any `--folder`) over IMAP, read-only, for delivery status notifications and
unsubscribe requests; marks bounced rows in the campaign's journal (shown by `herald report`)
and puts hard bounces and unsubscribers on the do-not-email list, which `check`, `send` and
the window honour from then on. Nothing in the mailbox is deleted, moved or marked as read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_INPUT, EXIT_OK
from app.cli.mailbox_options import (
    MailboxSetupError,
    add_imap_options,
    imap_password,
    imap_settings,
)
from app.core.do_not_email import DoNotEmailError, DoNotEmailList
from app.core.journal import Journal, JournalError, find_journal_for
from app.core.mailbox.imap import ImapError, Mailbox
from app.core.mailbox.scan import scan

EXIT_NO_JOURNAL = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bounces",
        help="read the mailbox for a campaign's bounces and unsubscribe requests",
        description=(
            "Read the account's INBOX over IMAP (read-only) for bounces of this campaign's "
            "messages and for unsubscribe replies; mark bounced rows and add hard bounces and "
            "unsubscribers to the do-not-email list."
        ),
    )
    parser.add_argument("campaign", type=Path, metavar="CAMPAIGN.toml")
    add_imap_options(parser)
    parser.add_argument(
        "--folder",
        action="append",
        default=[],
        metavar="NAME",
        help="also read this folder (repeatable); INBOX is always read",
    )
    parser.add_argument(
        "--since",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="only mail received on or after this day (default: the day the send started)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    campaign: Path = args.campaign
    journal_path = find_journal_for(campaign) if campaign.is_file() else None
    if journal_path is None:
        return _fail(
            f"There is no send journal for {campaign}: bounces belong to a send. "
            f"Run `herald send {campaign}` first.",
            EXIT_NO_JOURNAL,
        )
    try:
        settings, _ = imap_settings(args)
        password = imap_password(args.profile or "", settings.user, settings.host)
    except MailboxSetupError as exc:
        return _fail(str(exc), EXIT_INPUT)
    user = settings.user
    try:
        do_not_email = DoNotEmailList.load()
        with Journal.open(journal_path) as journal:
            # a day's slack: IMAP compares dates in the server's time zone, not UTC
            started = (
                journal.created_at.date() - dt.timedelta(days=1) if journal.created_at else None
            )
            since = args.since or started
            unsubscribe = journal.settings.get("list_unsubscribe")
            with Mailbox(settings, password) as mailbox:
                folders = ["INBOX", *(f for f in args.folder if f != "INBOX")]
                result = None
                for folder in folders:
                    found = scan(
                        mailbox.messages(folder, since=since),
                        journal,
                        do_not_email,
                        unsubscribe_address=unsubscribe if isinstance(unsubscribe, str) else None,
                        own_addresses=_own(user, journal.settings.get("from")),
                    )
                    result = found if result is None else _merge(result, found)
        do_not_email.save()
    except (ImapError, JournalError, DoNotEmailError, OSError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    assert result is not None
    new = [m for m in result.bounces if m.new]
    print(
        f"Read {result.scanned} messages: {len(new)} new bounces of this campaign "
        f"({sum(1 for m in new if m.bounce.severity == 'hard')} hard, "
        f"{sum(1 for m in new if m.bounce.severity == 'soft')} soft), "
        f"{len(result.bounces) - len(new)} already known, "
        f"{result.other_bounces} of other mail, {len(result.unsubscribed)} unsubscribe requests."
    )
    for match in new:
        print(
            f"  row {match.row}: {match.address} bounced ({match.bounce.severity}) "
            f"{match.bounce.status} {_printable(match.bounce.diagnostic)}".rstrip()
        )
    added = [*result.listed, *result.unsubscribed]
    if added:
        print(f"Added {len(added)} addresses to the do-not-email list ({do_not_email.path}).")
    return EXIT_OK


def _own(user: str, sender: object) -> tuple[str, ...]:
    return (user, sender) if isinstance(sender, str) else (user,)


def _merge(a: Any, b: Any) -> Any:
    a.scanned += b.scanned
    a.bounces.extend(b.bounces)
    a.other_bounces += b.other_bounces
    a.unsubscribed.extend(b.unsubscribed)
    a.listed.extend(b.listed)
    return a


def _printable(text: str) -> str:
    # diagnostics come from other servers: no control characters reach the terminal
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _fail(message: str, code: int) -> int:
    print(f"herald bounces: {message}", file=sys.stderr)
    return code
