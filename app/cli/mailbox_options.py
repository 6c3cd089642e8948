"""The IMAP options `herald bounces` and `herald copy-sent` share, and the mailbox they open."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.core.mailbox.imap import ImapSettings
from app.core.profiles import ProfileStore
from app.core.providers import Provider, get_provider
from app.core.secrets import KeychainUnavailable, get_password, password_from_env
from app.core.send.transport import Security


class MailboxSetupError(Exception):
    """Which mailbox, or its password, cannot be worked out; the message says what to give."""


def add_imap_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the mailbox (IMAP)")
    group.add_argument("--profile", help="saved profile: login name, provider and keychain entry")
    group.add_argument("--imap-host", metavar="HOST", help="default: the provider preset's")
    group.add_argument("--imap-port", type=int, metavar="PORT", help="default 993 (TLS)")
    group.add_argument(
        "--imap-security",
        choices=("tls", "starttls"),
        default="tls",
        help="tls (port 993, default) or starttls (port 143); never unencrypted",
    )
    group.add_argument("--user", help="login name (default: the profile's)")
    group.add_argument("--cafile", type=Path, help="an extra trusted certificate (.pem)")


def imap_settings(args: argparse.Namespace) -> tuple[ImapSettings, Provider | None]:
    profile = ProfileStore().get(args.profile) if args.profile else None
    provider: Provider | None = None
    if profile is not None and profile.provider not in ("", "custom"):
        try:
            provider = get_provider(profile.provider)
        except KeyError:
            provider = None
    user = args.user or (profile.user if profile else "")
    if not user:
        raise MailboxSetupError("Which mailbox? Give --user (or a --profile with a login name).")
    host = args.imap_host or (provider.imap_host if provider else "")
    if not host:
        raise MailboxSetupError("Which IMAP server? Give --imap-host (e.g. imap.example.com).")
    security = Security(args.imap_security)
    port = args.imap_port or (
        provider.imap_port
        if provider and not args.imap_host
        else (993 if security is Security.TLS else 143)
    )
    cafile = args.cafile or (Path(profile.cafile) if profile and profile.cafile else None)
    return ImapSettings(host, port, security, user, cafile), provider


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
