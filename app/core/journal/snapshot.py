"""What a send is fixed to when it starts: the rows, their rendered messages, the sources.

Resuming follows the snapshot, never the workbook as it is now, so a row inserted or deleted
after a crash cannot shift anyone onto someone else's message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.core.compose.streaming import message_digest
from app.core.model import CellValue, Recipient, RenderedMessage

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cell_text(value: CellValue) -> str:
    """A cell as the user would read it; the report shows these, never our own re-typing."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SourceRole(StrEnum):
    CAMPAIGN = "campaign"
    RECIPIENTS = "recipients"
    TEMPLATE = "template"
    TEXT = "text"
    ATTACHMENT = "attachment"


@dataclass(frozen=True, slots=True)
class SourceFile:
    role: SourceRole
    path: Path
    sha256: str

    @classmethod
    def of(cls, role: SourceRole, path: Path) -> SourceFile:
        resolved = path.resolve()
        return cls(role, resolved, sha256_file(resolved))


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    row: int  # the workbook's own row number
    address: str  # envelope To
    recipients: tuple[str, ...]  # every envelope recipient (To + Cc + Bcc)
    fields: Mapping[str, CellValue]  # the original row with the workbook's types, in order
    message_sha256: str
    message_id: str

    @classmethod
    def of(cls, recipient: Recipient, message: RenderedMessage) -> SnapshotRow:
        return cls(
            row=recipient.row,
            address=recipient.to.address,
            recipients=message.recipients,
            fields=dict(recipient.fields),  # typed: the report writes dates as dates
            message_sha256=message_digest(message),
            message_id=message.message_id,
        )


@dataclass(frozen=True, slots=True)
class CampaignSnapshot:
    name: str
    sources: tuple[SourceFile, ...]
    settings: Mapping[str, JsonValue]  # no secrets: Journal.create refuses password-like keys
    rows: Iterable[SnapshotRow]  # may be a generator: 100,000 rows are streamed in batches
    headers: tuple[str, ...] = ()  # column order for the report; taken from the rows if empty


@dataclass(frozen=True, slots=True)
class SourceChange:
    source: SourceFile
    reason: str  # "changed" or "missing"

    def __str__(self) -> str:
        what = "was changed" if self.reason == "changed" else "is missing"
        return f"{self.source.role} file {self.source.path} {what} since the send started"
