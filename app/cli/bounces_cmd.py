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

from app.cli.common import EXIT_INPUT, EXIT_OK, visible
from app.cli.mailbox_options import (
    MailboxSetupError,
    add_imap_options,
    imap_password,
    imap_settings,
)
from app.core.do_not_email import DoNotEmailError
from app.core.journal import JournalError, find_journal_for
from app.core.mailbox.imap import ImapError
from app.core.mailbox.scan import scan_campaign

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
    try:
        result, do_not_email = scan_campaign(
            journal_path, settings, password, args.folder, args.since
        )
    except (ImapError, JournalError, DoNotEmailError, OSError) as exc:
        return _fail(str(exc), EXIT_INPUT)
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
            f"{match.bounce.status} {visible(match.bounce.diagnostic)}".rstrip()
        )
    added = result.added
    if added:
        print(f"Added {len(added)} addresses to the do-not-email list ({do_not_email.path}).")
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"herald bounces: {message}", file=sys.stderr)
    return code
