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
from app.core.send.transport import Security

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
    oauth = parser.add_argument_group("OAuth sign-in (Microsoft 365, Outlook.com)")
    oauth.add_argument(
        "--oauth",
        action="store_true",
        help="sign in with OAuth instead of a password: a device code is printed here, "
        "to enter at the sign-in page on any device",
    )
    oauth.add_argument(
        "--service", default="microsoft", help="sign-in service (default: microsoft)"
    )
    oauth.add_argument("--client-id", help="your organisation's app registration (client id)")
    oauth.add_argument("--authority", help="a sign-in authority URL other than the service's")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.oauth:
        return _oauth(args)
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


def _oauth(args: argparse.Namespace) -> int:
    """Device-code sign-in; the profile is saved (or updated) to sign in with OAuth, and the
    refresh token goes to the keychain only."""
    from dataclasses import replace

    from app.core.oauth import OAuthError, token_source_for
    from app.core.profiles import Profile, ProfileError, ProfileStore
    from app.core.providers import get_provider

    store = ProfileStore()
    saved = store.get(args.profile)
    try:
        user = args.user or (saved.user if saved else "") or input("User name (your e-mail): ")
    except (EOFError, KeyboardInterrupt):
        return _fail("Cancelled; nothing was saved.", EXIT_INPUT)
    user = user.strip()
    if not user:
        return _fail("No user name given; nothing was saved.", EXIT_INPUT)
    if saved is None:  # a new account: Microsoft 365's server settings
        preset = get_provider("microsoft365")
        saved = Profile(
            name=args.profile, provider=preset.id, host=preset.host, port=preset.port,
            security=Security(preset.security),
        )  # fmt: skip
    profile = replace(
        saved,
        user=user,
        oauth=args.service,
        oauth_client_id=args.client_id or saved.oauth_client_id,
        oauth_authority=args.authority or saved.oauth_authority,
    )
    try:
        source = token_source_for(profile)
        assert source is not None
        if args.forget:
            source.forget()
            print(f"Signed {user} out (profile {args.profile!r}).")
            return EXIT_OK
        signed_in = source.sign_in_device(lambda text: print(text, flush=True))
        store.save(profile)
    except OAuthError as exc:
        return _fail(str(exc), EXIT_INPUT)
    except (KeychainUnavailable, ProfileError) as exc:
        return _fail(str(exc), EXIT_KEYCHAIN)
    except KeyboardInterrupt:
        return _fail("Cancelled; nothing was saved.", EXIT_INPUT)
    print(
        f"Signed in as {signed_in} with {source.provider.name} (profile {args.profile!r}); "
        "the sign-in is kept in the system keychain."
    )
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"herald login: {message}", file=sys.stderr)
    return code
