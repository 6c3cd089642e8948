"""SMTP provider presets, read from app/data/providers.toml (data, not code).

Each preset knows its server, its security, the hint users need (app password, 授权码 ...) and
default caps. Caps a provider documents are hard ceilings (`clamp_limits` lowers a user's
setting to them); our own conservative defaults for silent providers only produce a warning.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from app.core.send.limiter import Limits

SECURITIES = ("tls", "starttls", "none")
LIMIT_FIELDS = (
    "per_minute",
    "per_hour",
    "per_day",
    "connections",
    "max_recipients",
    "messages_per_connection",
)
_WINDOW_FIELDS = {"per_minute": "/min", "per_hour": "/h", "per_day": "/day"}
_WINDOW_WORDS = {"per_minute": "per-minute", "per_hour": "hourly", "per_day": "daily"}


class ProviderDataError(ValueError):
    """The presets file is malformed; the message names the preset and the field."""


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name_en: str
    name_zh: str
    host: str  # empty for "custom"
    port: int
    security: str  # "tls" | "starttls" | "none"
    hint_en: str
    hint_zh: str
    limits_source: str  # URL(s), or "not published: ..."
    per_minute: int | None = None
    per_hour: int | None = None
    per_day: int | None = None
    connections: int | None = None
    max_recipients: int | None = None
    messages_per_connection: int | None = None
    published: frozenset[str] = frozenset()  # fields the provider itself documents
    # the mailbox over IMAP (copy to Sent, bounces): "" = not known for this preset
    imap_host: str = ""
    imap_port: int = 993
    # the provider files SMTP-sent mail in Sent by itself (Gmail, Microsoft): a copy from
    # Herald would be a duplicate, so copying to Sent is off by default for these
    files_sent_itself: bool = False
    # signs in with OAuth by default (app/data/oauth.toml id): Microsoft ended passwords
    oauth: str = ""

    def name(self, language: str = "en") -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def hint(self, language: str = "en") -> str:
        return self.hint_zh if language.startswith("zh") else self.hint_en

    def default_limits(self) -> Limits:
        return Limits(per_minute=self.per_minute, per_hour=self.per_hour, per_day=self.per_day)


def _default_path() -> Path:
    return Path(str(resources.files("app").joinpath("data", "providers.toml")))


def _provider(entry: dict[str, Any], index: int) -> Provider:
    where = f"preset #{index + 1} ({entry.get('id', '?')})"
    limits = dict(entry.pop("limits", {}))
    published = limits.pop("published", [])
    source = limits.pop("limits_source", "")
    unknown = set(limits) - set(LIMIT_FIELDS)
    if unknown:
        raise ProviderDataError(f"{where}: unknown limit field(s) {sorted(unknown)}")
    if set(published) - set(LIMIT_FIELDS) or set(published) - set(limits):
        raise ProviderDataError(f"{where}: 'published' names a limit the preset does not set")
    if not source:
        raise ProviderDataError(f"{where}: limits_source is missing (a URL or 'not published')")
    try:
        provider = Provider(**entry, **limits, limits_source=source, published=frozenset(published))
    except TypeError as error:
        raise ProviderDataError(f"{where}: {error}") from None
    if provider.security not in SECURITIES:
        raise ProviderDataError(f"{where}: security must be one of {', '.join(SECURITIES)}")
    if not 0 < provider.port < 65536:
        raise ProviderDataError(f"{where}: port {provider.port} is out of range")
    return provider


@cache
def _load(path: Path) -> tuple[Provider, ...]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    providers = tuple(_provider(dict(e), i) for i, e in enumerate(data.get("provider", [])))
    ids = [p.id for p in providers]
    if len(set(ids)) != len(ids):
        raise ProviderDataError(f"{path}: duplicate preset ids")
    return providers


def load_providers(path: Path | None = None) -> tuple[Provider, ...]:
    """Every preset, in file order (the order the UI lists them)."""
    return _load(path if path is not None else _default_path())


def get_provider(provider_id: str, path: Path | None = None) -> Provider:
    for provider in load_providers(path):
        if provider.id == provider_id:
            return provider
    known = ", ".join(p.id for p in load_providers(path))
    raise KeyError(f"no provider preset {provider_id!r}; known presets: {known}")


def clamp_limits(user: Limits, provider: Provider) -> tuple[Limits, list[str]]:
    """The user's limits within what the provider allows, and what was changed or risky.

    A documented cap lowers the user's setting (a missing user cap takes the provider's);
    an undocumented default of ours only warns, because the provider may well allow more.
    """
    changes: dict[str, int] = {}
    warnings: list[str] = []
    for field, unit in _WINDOW_FIELDS.items():
        cap: int | None = getattr(provider, field)
        wanted: int | None = getattr(user, field)
        if cap is None or (wanted is not None and wanted <= cap):
            continue
        asked = "no limit" if wanted is None else f"{wanted}{unit}"
        if field in provider.published:
            changes[field] = cap
            warnings.append(
                f"{provider.name_en} allows at most {cap}{unit}; your setting ({asked}) "
                f"was lowered to {cap}{unit}. Source: {provider.limits_source}"
            )
        else:
            warnings.append(
                f"{provider.name_en} publishes no {_WINDOW_WORDS[field]} limit; Herald suggests "
                f"{cap}{unit}. With {asked} the server may refuse or block the account."
            )
    return dataclasses.replace(user, **changes), warnings


def clamp_connections(wanted: int, provider: Provider) -> tuple[int, list[str]]:
    """Parallel connections within the provider's documented maximum."""
    cap = provider.connections
    if cap is None or wanted <= cap:
        return wanted, []
    if "connections" in provider.published:
        return cap, [
            f"{provider.name_en} allows at most {cap} connections at once; "
            f"{wanted} was lowered to {cap}."
        ]
    return wanted, [f"{provider.name_en} suggests at most {cap} connections at once."]
