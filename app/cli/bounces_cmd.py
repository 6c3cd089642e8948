"""`herald bounces CAMPAIGN`: read the account's mailbox for this campaign's bounces.

Reads INBOX (and any `--folder`) over IMAP, read-only, for delivery status notifications and
unsubscribe requests; marks bounced rows in the campaign's journal (shown by `herald report`)
and puts hard bounces and unsubscribers on the do-not-email list, which `check`, `send` and
the window honour from then on. Nothing in the mailbox is deleted, moved or marked as read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_INPUT, EXIT_OK
from app.core.do_not_email import DoNotEmailError, DoNotEmailList
from app.core.journal import Journal, JournalError, find_journal_for
from app.core.mailbox.imap import ImapError, ImapSettings, Mailbox
from app.core.mailbox.scan import scan
from app.core.profiles import ProfileStore
from app.core.secrets import KeychainUnavailable, get_password, password_from_env
from app.core.send.transport import Security

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
    parser.add_argument("--profile", help="saved profile: login name and keychain entry")
    parser.add_argument("--imap-host", required=True, metavar="HOST")
    parser.add_argument("--imap-port", type=int, metavar="PORT", help="default 993 (TLS)")
    parser.add_argument(
        "--imap-security",
        choices=("tls", "starttls"),
        default="tls",
        help="tls (port 993, default) or starttls (port 143); never unencrypted",
    )
    parser.add_argument("--user", help="login name (default: the profile's)")
    parser.add_argument("--cafile", type=Path, help="an extra trusted certificate (.pem)")
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
    profile = ProfileStore().get(args.profile) if args.profile else None
    user = args.user or (profile.user if profile else "")
    if not user:
        return _fail("Which mailbox? Give --user (or a --profile with a login name).", EXIT_INPUT)
    security = Security(args.imap_security)
    port = args.imap_port or (993 if security is Security.TLS else 143)
    password = _password(args.profile or "", user, args.imap_host)
    if password is None:
        return _fail(
            f"No password for {user}: store it with `herald login {args.profile or 'PROFILE'} "
            f"--user {user}`, or set HERALD_SMTP_PASSWORD for this run.",
            EXIT_INPUT,
        )
    settings = ImapSettings(args.imap_host, port, security, user, args.cafile)
    try:
        do_not_email = DoNotEmailList.load()
        with Journal.open(journal_path) as journal:
            since = args.since or journal.created_at.date()
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


def _password(profile: str, user: str, host: str) -> str | None:
    password = password_from_env()
    if password is None and profile:
        try:
            password = get_password(profile, user)
        except KeychainUnavailable as error:
            print(f"note: {error}", file=sys.stderr)
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {user} at {host}: ") or None
    return password


def _printable(text: str) -> str:
    # diagnostics come from other servers: no control characters reach the terminal
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _fail(message: str, code: int) -> int:
    print(f"herald bounces: {message}", file=sys.stderr)
    return code
