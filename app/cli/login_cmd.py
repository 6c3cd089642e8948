"""`herald login PROFILE [--user U]`: keep an SMTP password in the system keychain.

The password is typed at a hidden prompt, never given as an option: options end up in shell
history and in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from app.cli.common import EXIT_INPUT, EXIT_OK
from app.core.secrets import KeychainUnavailable, delete_password, store_password

EXIT_KEYCHAIN = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "login",
        help="save an SMTP password in the system keychain",
        description=(
            "Ask for the SMTP password (or app password / authorization code 授权码) of a "
            "profile and keep it in the system keychain. Nothing is written to any file."
        ),
    )
    parser.add_argument("profile", metavar="PROFILE")
    parser.add_argument("--user", help="the SMTP user name (asked for when not given)")
    parser.add_argument("--forget", action="store_true", help="remove the saved password instead")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    profile: str = args.profile
    try:
        user = args.user or input(f"User name for profile {profile!r}: ").strip()
        if not user:
            return _fail("No user name given; nothing was saved.", EXIT_INPUT)
        if args.forget:
            found = delete_password(profile, user)
            print(
                f"Removed the password of {user} (profile {profile!r})."
                if found
                else f"No password was saved for {user} (profile {profile!r})."
            )
            return EXIT_OK
        password = getpass.getpass(f"Password for {user} (profile {profile!r}): ")
        if not password:
            return _fail("The password was empty; nothing was saved.", EXIT_INPUT)
        store_password(profile, user, password)
    except KeychainUnavailable as exc:
        return _fail(str(exc), EXIT_KEYCHAIN)
    except (EOFError, KeyboardInterrupt):
        return _fail("Cancelled; nothing was saved.", EXIT_INPUT)
    print(f"Saved the password of {user} (profile {profile!r}) in the system keychain.")
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"herald login: {message}", file=sys.stderr)
    return code
