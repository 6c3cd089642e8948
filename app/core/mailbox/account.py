"""Which mailbox a sending profile reads over IMAP: shared by `herald bounces`/`copy-sent` and
the window's Report page, so both read the same server for the same profile.

The IMAP server comes, in this order, from what the caller gives (command-line options), the
profile's own `imap_host`/`imap_port`/`imap_security` (saved by the window when the preset
knows none, or typed by the user), then the provider preset (`app/data/providers.toml`).
"""

from __future__ import annotations

from pathlib import Path

from app.core.mailbox.imap import ImapSettings
from app.core.profiles import Profile
from app.core.providers import Provider, get_provider
from app.core.send.transport import Security


class MailboxSetupError(Exception):
    """Which mailbox cannot be worked out; the message says what to give."""


def provider_of(profile: Profile | None) -> Provider | None:
    if profile is None or profile.provider in ("", "custom", "outbox"):
        return None
    try:
        return get_provider(profile.provider)
    except KeyError:
        return None


def files_sent_itself(profile: Profile | None) -> Provider | None:
    """The preset when its provider files SMTP-sent mail in Sent itself (a copy would be a
    duplicate), else None."""
    provider = provider_of(profile)
    return provider if provider is not None and provider.files_sent_itself else None


def imap_known(profile: Profile | None) -> bool:
    """The profile (or its preset) names an IMAP server: nothing needs asking."""
    provider = provider_of(profile)
    return bool((profile is not None and profile.imap_host) or (provider and provider.imap_host))


def imap_settings_for(
    profile: Profile | None,
    *,
    host: str | None = None,
    port: int | None = None,
    security: Security | str | None = None,
    user: str | None = None,
    cafile: Path | None = None,
) -> tuple[ImapSettings, Provider | None]:
    """The IMAP settings for `profile`, with the given values overriding its own and its
    preset's. Raises MailboxSetupError when the login name or server is unknown."""
    provider = provider_of(profile)
    login = user or (profile.user if profile else "")
    if not login:
        raise MailboxSetupError("Which mailbox? Give --user (or a --profile with a login name).")
    own_host = profile.imap_host if profile else ""
    chosen_host = host or own_host or (provider.imap_host if provider else "")
    if not chosen_host:
        raise MailboxSetupError("Which IMAP server? Give --imap-host (e.g. imap.example.com).")
    if security is not None:
        chosen_security = Security(security)
    elif profile is not None and profile.imap_security and not host:
        chosen_security = Security(profile.imap_security)
    else:
        chosen_security = Security.TLS
    if port:
        chosen_port = port
    elif host:  # a server of the caller's own: the usual port for its security
        chosen_port = 993 if chosen_security is Security.TLS else 143
    elif own_host and profile is not None and profile.imap_port:
        chosen_port = profile.imap_port
    elif not own_host and provider is not None and provider.imap_host:
        chosen_port = provider.imap_port
    else:
        chosen_port = 993 if chosen_security is Security.TLS else 143
    trusted = cafile or (Path(profile.cafile) if profile and profile.cafile else None)
    return ImapSettings(chosen_host, chosen_port, chosen_security, login, trusted), provider
