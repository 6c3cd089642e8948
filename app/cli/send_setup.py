"""`herald send`'s options -> the core's send session (`app.core.send.session`).

Which account, how fast and the engine's wiring are decided once, in the core, for the window
and the command line alike. Options win over the campaign file, which wins over a profile saved
by the window (its server *and* its limits), which wins over the provider preset. With no host
and no profile (or `--profile local`) the target is the embedded local test outbox: a test run.
What stays here is what only a terminal has: asking for the password.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from rich.console import Console

from app.core.campaign import CampaignConfig
from app.core.secrets import KeychainUnavailable
from app.core.send.contracts import BearerCredential
from app.core.send.session import (
    LOCAL,
    Account,
    AccountChoice,
    Pace,
    SetupError,
    choose_account,
    choose_pace,
    find_password,
    oauth_credential,
)

__all__ = [
    "LOCAL",
    "SetupError",
    "account_label",
    "build_pace",
    "choose_target",
    "password_provider",
]


def choose_target(args: argparse.Namespace, config: CampaignConfig) -> Account:
    choice = AccountChoice(
        profile=args.profile,
        host=args.smtp_host,
        port=args.smtp_port,
        security=args.security,
        user=args.user,
        cafile=args.cafile,
    )
    return choose_account(choice, config.send)


def build_pace(args: argparse.Namespace, config: CampaignConfig, target: Account) -> Pace:
    """Options' --rate / --connections, else the campaign's, else the saved profile's."""
    rates = tuple(getattr(args, "rate", None) or ())
    return choose_pace(target, config.send, rates=rates, connections=args.connections)


def account_label(target: Account) -> str:
    return target.label()


def password_provider(target: Account, err: Console) -> Callable[[], str | BearerCredential | None]:
    """Resolve the password once, before the first connection: environment, keychain, prompt.
    It lives only in this closure; it is never an option, a file or a log line. A profile
    that signs in with OAuth gets its token source instead (tokens, never a password)."""
    if not target.user or target.local:
        return lambda: None
    credential = oauth_credential(target)
    if credential is not None:
        return lambda: credential
    password = None
    try:
        password = find_password(target)
    except KeychainUnavailable as error:
        err.print(f"note: {error}")
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {target.user} at {target.host}: ") or None
    if password is None:
        raise SetupError(
            f"no password for {target.user}: store it with `herald login {target.name} "
            f"--user {target.user}`, or set HERALD_SMTP_PASSWORD for this run."
        )
    secret = password
    return lambda: secret
