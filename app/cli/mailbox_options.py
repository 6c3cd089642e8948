"""The IMAP options `herald bounces` and `herald copy-sent` share, and the mailbox they open."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.core.mailbox.account import MailboxSetupError, imap_settings_for
from app.core.mailbox.imap import ImapSettings
from app.core.profiles import ProfileStore
from app.core.providers import Provider
from app.core.secrets import KeychainUnavailable, get_password, password_from_env

__all__ = ["MailboxSetupError", "add_imap_options", "imap_password", "imap_settings"]


def add_imap_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the mailbox (IMAP)")
    group.add_argument("--profile", help="saved profile: login name, provider and keychain entry")
    group.add_argument("--imap-host", metavar="HOST", help="default: the provider preset's")
    group.add_argument("--imap-port", type=int, metavar="PORT", help="default 993 (TLS)")
    group.add_argument(
        "--imap-security",
        choices=("tls", "starttls"),
        default=None,
        help="tls (port 993, default) or starttls (port 143); never unencrypted",
    )
    group.add_argument("--user", help="login name (default: the profile's)")
    group.add_argument("--cafile", type=Path, help="an extra trusted certificate (.pem)")


def imap_settings(args: argparse.Namespace) -> tuple[ImapSettings, Provider | None]:
    """The options over the profile's and its preset's (the same rule as the window's)."""
    profile = ProfileStore().get(args.profile) if args.profile else None
    return imap_settings_for(
        profile,
        host=args.imap_host,
        port=args.imap_port,
        security=args.imap_security,
        user=args.user,
        cafile=args.cafile,
    )


def imap_password(profile: str, user: str, host: str) -> str:
    """Environment (this run only), keychain, or a hidden prompt on a terminal; never a file."""
    password = password_from_env()
    if password is None and profile:
        try:
            password = get_password(profile, user)
        except KeychainUnavailable as error:
            print(f"note: {error}", file=sys.stderr)
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {user} at {host}: ") or None
    if password is None:
        raise MailboxSetupError(
            f"No password for {user}: store it with `herald login {profile or 'PROFILE'} "
            f"--user {user}`, or set HERALD_SMTP_PASSWORD for this run."
        )
    return password
