"""Where `herald send` sends to, how fast, and with which password.

Options win over the campaign file, which wins over a profile saved by the window
(`app.core.profiles`), which wins over the provider preset. With no host and no profile (or
`--profile local`) the target is the embedded local test outbox.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console

from app.core.campaign import CampaignConfig
from app.core.profiles import Profile, ProfileStore
from app.core.providers import (
    Provider,
    clamp_connections,
    clamp_limits,
    get_provider,
    load_providers,
)
from app.core.secrets import KeychainUnavailable, get_password, password_from_env
from app.core.send import prepare
from app.core.send.history import SendHistory
from app.core.send.limiter import Limits
from app.core.send.tls import is_loopback
from app.core.send.transport import Security, SmtpConnector, SmtpSettings

LOCAL = prepare.LOCAL_PRESET
_DEFAULT_PORTS = {Security.TLS: 465, Security.STARTTLS: 587, Security.NONE: 25}


class SetupError(Exception):
    """The server settings cannot work; the message says which option to fix."""


@dataclass(frozen=True)
class Target:
    profile: str  # keychain entry name (`herald login PROFILE`) and label
    host: str
    port: int
    security: Security
    user: str | None = None
    cafile: Path | None = None
    connections: int = 1
    max_per_connection: int = 100
    local: bool = False
    provider: Provider | None = None
    warnings: list[str] = field(default_factory=list)

    def on_port(self, port: int) -> Target:
        return replace(self, host="127.0.0.1", port=port)

    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=self.host,
            port=self.port,
            security=self.security,
            username=self.user,
            cafile=self.cafile,
            max_messages_per_connection=self.max_per_connection,
        )

    def connector(self, password: Callable[[], str | None]) -> SmtpConnector:
        return SmtpConnector(self.settings(), password)

    def history(self, sender: str | None = None) -> SendHistory | None:
        """The identity's rolling 24 h count (the login, or without one the From address
        `sender` at this server), so a daily cap holds across restarts."""
        return prepare.account_history(
            self.user, self.host, local=self.local, port=self.port, sender=sender
        )


def account_label(target: Target) -> str:
    if target.local:
        return "the local test outbox (nothing leaves this computer)"
    who = f"{target.user} at " if target.user else ""
    return f"{who}{target.host}:{target.port} ({target.security})"


def choose_target(args: argparse.Namespace, config: CampaignConfig) -> Target:
    send = config.send
    profile = args.profile or send.profile
    host = args.smtp_host or send.smtp_host
    connections = args.connections or send.connections or 1
    if host is None and profile in (None, LOCAL):
        return Target(
            profile=LOCAL,
            host="127.0.0.1",
            port=args.smtp_port or send.smtp_port or prepare.local_outbox_port(),
            security=Security.NONE,
            connections=connections,
            local=True,
        )
    saved, provider = _profile_and_preset(profile)
    host = host or (saved.host if saved else "") or (provider.host if provider else "")
    if not host:
        raise SetupError("no SMTP server given: add --smtp-host HOST (or --profile NAME).")
    chosen = (
        args.security
        or send.security
        or (saved.security if saved else None)
        or (provider.security if provider else None)
    )
    port = (
        args.smtp_port
        or send.smtp_port
        or (saved.port if saved else None)
        or (provider.port if provider and not chosen else None)
    )
    if chosen is None:
        chosen = "tls" if port == 465 else "starttls"
    security = Security(str(chosen))
    port = port or (provider.port if provider else _DEFAULT_PORTS[security])
    warnings = []
    if security is Security.NONE and not is_loopback(host):
        warnings.append(
            f"--security none: everything sent to {host} travels unencrypted and can be read "
            "on the way. Use tls or starttls unless this server is on your own network."
        )
    if provider is not None:
        connections, notes = clamp_connections(connections, provider)
        warnings.extend(notes)
    per_connection = send.max_per_connection or (
        provider.messages_per_connection if provider else None
    )
    return Target(
        profile=profile or host,
        host=host,
        port=port,
        security=security,
        user=args.user or send.user or (saved.user if saved else None) or None,
        cafile=args.cafile or (Path(saved.cafile) if saved and saved.cafile else None),
        connections=connections,
        max_per_connection=per_connection or 100,
        provider=provider,
        warnings=warnings,
    )


def _profile_and_preset(name: str | None) -> tuple[Profile | None, Provider | None]:
    """The profile saved by the window under `name` (if any) and the provider preset that
    applies: the saved profile's own preset, else the preset called `name`. A saved profile
    wins over a preset of the same name: it is what this user set up. Raises SetupError naming
    every saved profile and preset when `name` is neither."""
    if name in (None, LOCAL, "custom"):
        return None, None
    store = ProfileStore()
    saved = store.get(name)
    preset_id = saved.provider if saved is not None else name
    if preset_id in (LOCAL, "custom", ""):
        return saved, None
    try:
        return saved, get_provider(preset_id)
    except KeyError:
        if saved is not None:  # an unknown preset in a saved profile: its own settings suffice
            return saved, None
    names = ", ".join(sorted(store.profiles())) or "none"
    presets = ", ".join(p.id for p in load_providers())
    raise SetupError(
        f"--profile {name!r} is neither a saved profile nor a provider preset. Saved profiles "
        f"({store.path}): {names}. Presets: {presets}. Save the account in the window's SMTP "
        "profiles, or give the server with --smtp-host."
    )


def build_limits(args: argparse.Namespace, config: CampaignConfig, target: Target) -> Limits:
    send = config.send
    rates = tuple(args.rate) if args.rate else send.rates
    limits = Limits.from_rates(
        rates,
        min_interval=send.pause or 0.0,
        jitter=send.jitter or 0.0,
        bandwidth_kbps=send.bandwidth_kbps,  # large attachments to many saturate an uplink
    )
    if target.provider is not None:
        limits, notes = clamp_limits(limits, target.provider)
        target.warnings.extend(notes)
    return limits


def password_provider(target: Target, err: Console) -> Callable[[], str | None]:
    """Resolve the password once, before the first connection: environment, keychain, prompt.
    It lives only in this closure; it is never an option, a file or a log line."""
    if not target.user or target.local:
        return lambda: None
    password = password_from_env()
    if password is None:
        try:
            password = get_password(target.profile, target.user)
        except KeychainUnavailable as error:
            err.print(f"note: {error}")
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {target.user} at {target.host}: ") or None
    if password is None:
        raise SetupError(
            f"no password for {target.user}: store it with `herald login {target.profile} "
            f"--user {target.user}`, or set HERALD_SMTP_PASSWORD for this run."
        )
    secret = password
    return lambda: secret
