"""What a campaign is made of, as settings: files, columns, message and send options.

These are plain values (paths already absolute); reading them from TOML lives in
`campaign_file.py`, turning them into checked recipients and a compiled template in `loader.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.core.attachment_files import DEFAULT_ATTACHMENT_MAX_MB
from app.core.model import BodyKind, ColumnMapping

# One Security for the whole program: the transport's. Its values are the campaign file's
# strings ("tls", "starttls", "none"), so the TOML format is unchanged. Re-exported here and by
# app.core.campaign for code that only deals with campaign settings.
from app.core.send.transport import Security

__all__ = [
    "BODY_SUFFIXES",
    "DEFAULT_ATTACHMENT_MAX_MB",
    "DEFAULT_ATTACHMENT_WARN_MB",
    "DEFAULT_MAX_ROWS",
    "RATE_PATTERN",
    "CampaignConfig",
    "Security",
    "SendConfig",
    "body_kind_for",
]

DEFAULT_ATTACHMENT_WARN_MB = 20.0
DEFAULT_MAX_ROWS = 1_000_000  # more data rows than this: the file is refused

# The units `herald send --rate` accepts; kept here so a campaign file is checked on load.
RATE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(s|min|h|day)\s*$")

_BODY_KINDS = {
    ".html": BodyKind.HTML,
    ".htm": BodyKind.HTML,
    ".md": BodyKind.MARKDOWN,
    ".markdown": BodyKind.MARKDOWN,
    ".txt": BodyKind.TEXT,
    ".text": BodyKind.TEXT,
}
BODY_SUFFIXES = tuple(_BODY_KINDS)


def body_kind_for(path: Path) -> BodyKind | None:
    """The body's kind from its file name; None when the suffix is not one we know."""
    return _BODY_KINDS.get(path.suffix.lower())


@dataclass(frozen=True, slots=True)
class SendConfig:
    """How to send. None means "not set here": the profile or the sender's defaults apply."""

    profile: str | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    security: Security | None = None
    user: str | None = None  # never a password: that lives in the keychain or the environment
    rates: tuple[str, ...] = ()  # "10/s", "600/min", "100/h", "500/day"
    connections: int | None = None
    pause: float | None = None  # minimum seconds between messages
    jitter: float | None = None  # extra random seconds added to the pause, at most this much
    max_per_connection: int | None = None
    bandwidth_kbps: float | None = None  # KB/s of message bytes (1 KB = 1024 bytes)
    # When sending is allowed (app.core.send.schedule reads these; local time):
    start_at: str | None = None  # "2026-12-08 09:00"
    send_hours: str | None = None  # "09:00-18:00"
    send_days: str | None = None  # "mon-fri"


@dataclass(frozen=True, slots=True)
class CampaignConfig:
    """Everything needed to build a campaign. Paths are absolute once loaded."""

    recipients: Path | None = None
    sheet: str | None = None
    header_row: int | None = None  # None: the first non-empty row
    max_rows: int = DEFAULT_MAX_ROWS
    # Workbook row numbers left out as if not in the sheet: neither checked nor sent.
    exclude_rows: tuple[int, ...] = ()
    columns: ColumnMapping = field(default_factory=ColumnMapping)  # explicit roles only
    subject: str = ""
    body: Path | None = None
    text: Path | None = None  # optional plain-text body
    attachments: tuple[Path, ...] = ()  # common to every message
    sender: str | None = None  # "Name <address>" (the file's `from`)
    reply_to: str | None = None
    list_unsubscribe: str | None = None  # mailto address
    list_unsubscribe_url: str | None = None  # RFC 8058 one-click https URL ("{email}" filled)
    attachment_warn_mb: float = DEFAULT_ATTACHMENT_WARN_MB
    attachment_max_mb: float = DEFAULT_ATTACHMENT_MAX_MB  # above this a row is refused
    # folders the user allowed attachments from, besides the workbook's and the campaign's
    attachment_folders: tuple[Path, ...] = ()
    send: SendConfig = field(default_factory=SendConfig)
    source: Path | None = None  # the campaign file this came from, if any

    @property
    def body_kind(self) -> BodyKind:
        kind = body_kind_for(self.body) if self.body is not None else None
        return kind or BodyKind.HTML

    @property
    def attachment_warn_bytes(self) -> int:
        return int(self.attachment_warn_mb * 1024 * 1024)

    @property
    def attachment_max_bytes(self) -> int:
        return int(self.attachment_max_mb * 1024 * 1024)

    def allowed_attachment_folders(self) -> tuple[Path, ...]:
        """Where attachments may come from: the workbook's folder, the campaign file's folder
        and the folders allowed by name, resolved (symlinks followed)."""
        from app.core.attachment_files import allowed_folders

        return allowed_folders(
            [
                self.recipients.parent if self.recipients is not None else None,
                self.source.parent if self.source is not None else None,
                *self.attachment_folders,
            ]
        )
