"""Plain data shared by every part of the core. Depends on nothing but the standard library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

#: A cell's value as a person sees it: text, whole number, decimal, date, date-time or bool.
#: Empty cells are "" (never None).
CellValue = str | int | float | bool | dt.date | dt.datetime


class Severity(StrEnum):
    ERROR = "error"  # the row (or the whole input) cannot be sent
    WARNING = "warning"  # worth telling the user; sending may go on


class ProblemKind(StrEnum):
    """What went wrong. Stable strings: they appear in `herald check --json`."""

    # file and table level
    UNREADABLE_FILE = "unreadable-file"
    HEADER_RENAMED = "header-renamed"  # empty or duplicate header given a unique name
    TOO_MANY_ROWS = "too-many-rows"
    NO_EMAIL_COLUMN = "no-email-column"
    UNKNOWN_COLUMN = "unknown-column"  # a column named for a role is not in the sheet
    INVALID_SETTING = "invalid-setting"  # campaign file or option: unknown key, bad value
    # row level: addresses
    EMPTY_ADDRESS = "empty-address"
    INVALID_ADDRESS = "invalid-address"
    MULTIPLE_ADDRESSES = "multiple-addresses"
    DUPLICATE_ADDRESS = "duplicate-address"
    NEEDS_SMTPUTF8 = "needs-smtputf8"
    FORMULA_WITHOUT_VALUE = "formula-without-value"
    # row level: message
    TEMPLATE_ERROR = "template-error"
    UNSAFE_HEADER = "unsafe-header"
    MISSING_ATTACHMENT = "missing-attachment"
    # outside the allowed folders, or not a regular file (FIFO, device, folder, /proc entry)
    UNSAFE_ATTACHMENT = "unsafe-attachment"
    LARGE_ATTACHMENTS = "large-attachments"
    LINE_TOO_LONG = "line-too-long"
    DO_NOT_EMAIL = "do-not-email"  # an address on the do-not-email list (bounced, unsubscribed)
    HEADERS_TOO_LARGE = "headers-too-large"  # the header block is over 64 KB


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, located as precisely as we can: workbook row, column, template line."""

    kind: ProblemKind
    message: str
    severity: Severity = Severity.ERROR
    row: int | None = None  # the workbook's own row number (CSV: line number); None = whole input
    column: str | None = None  # header name as shown in the table
    line: int | None = None  # template line, for template errors

    def location(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts)


class InputError(Exception):
    """The input as a whole is unusable (a file we refuse to read, a template that does not parse).

    Carries a Problem so the CLI and the window can say what, where and what to do.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a table. `number` is the workbook's own row number (CSV: line number)."""

    number: int
    values: tuple[CellValue, ...]  # aligned with Table.headers


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet read from a workbook or CSV: unique, trimmed headers and non-blank rows."""

    source: Path
    sheet: str | None  # None for CSV
    sheets: tuple[str, ...]  # visible sheet names in the file (CSV: empty)
    header_row: int  # row number of the header
    headers: tuple[str, ...]
    rows: Sequence[Row]
    problems: tuple[Problem, ...] = ()  # table-level warnings and per-row cell problems

    def record(self, row: Row) -> dict[str, CellValue]:
        return dict(zip(self.headers, row.values, strict=True))


class Role(StrEnum):
    EMAIL = "email"
    NAME = "name"
    CC = "cc"
    BCC = "bcc"
    REPLY_TO = "reply_to"
    ATTACHMENTS = "attachments"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which header plays which role. `email` is required; the rest are optional."""

    email: str | None = None
    name: str | None = None
    cc: str | None = None
    bcc: str | None = None
    reply_to: str | None = None
    attachments: str | None = None

    def get(self, role: Role) -> str | None:
        value: str | None = getattr(self, role.value)
        return value


@dataclass(frozen=True, slots=True)
class Address:
    """A validated mailbox. `address` is the normalised form used on the wire (ASCII domain)."""

    address: str
    display_name: str = ""
    smtputf8: bool = False  # the local part needs SMTPUTF8

    def __str__(self) -> str:
        return f"{self.display_name} <{self.address}>" if self.display_name else self.address


@dataclass(frozen=True, slots=True)
class Recipient:
    """A row that passed address validation: who gets the message and the fields to render."""

    row: int
    to: Address
    fields: Mapping[str, CellValue]
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    reply_to: Address | None = None
    attachments: tuple[Path, ...] = ()  # resolved against the workbook's folder

    @property
    def envelope_recipients(self) -> tuple[str, ...]:
        return (self.to.address, *(a.address for a in self.cc), *(a.address for a in self.bcc))


class BodyKind(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Template:
    subject: str
    body: str
    kind: BodyKind = BodyKind.HTML
    text: str | None = None  # optional separate plain-text body; generated from HTML when None


@dataclass(frozen=True, slots=True)
class MessageSettings:
    """Everything about the message that is the same for every recipient."""

    sender: Address
    template: Template
    reply_to: Address | None = None
    list_unsubscribe: str | None = None  # mailto address
    # RFC 8058 one-click https URL; "{email}" in it becomes the recipient's address, encoded
    list_unsubscribe_url: str | None = None
    attachments: tuple[Path, ...] = ()  # common to all
    attachment_warn_bytes: int = 20 * 1024 * 1024
    # above this the row is refused, decided from stat() before any file is read
    attachment_max_bytes: int = 25 * 1024 * 1024
    # resolved folders attachments may come from; None: not restricted (library use only,
    # every front end passes the campaign's folders)
    attachment_folders: tuple[Path, ...] | None = None


@dataclass(frozen=True, slots=True)
class StreamedFile:
    """A large attachment's base64 body, encoded from the file while the message is written
    (`app.core.compose.streaming`), so a 1 GB file never sits in memory. `size` and `mtime_ns`
    are what was checked: a file that differs at send time is refused, never sent."""

    path: Path  # resolved
    size: int
    mtime_ns: int

    @property
    def encoded_size(self) -> int:
        """Bytes of its base64 body: 76-character lines, each ending in CRLF."""
        chars = 4 * ((self.size + 2) // 3)
        return chars + 2 * ((chars + 75) // 76)


@dataclass(frozen=True, slots=True)
class AttachedFile:
    """One file a message carries, for listing: where it really is and how big."""

    path: Path  # resolved (symlinks followed)
    size: int


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """One recipient's message, ready for the wire.

    `data` is the exact bytes of the message up to its first streamed attachment (the whole
    message when `tail` is empty, as it is without attachments above the streaming threshold);
    `tail` is the rest: bytes, and file bodies encoded while writing. Use `size` for the
    length and `app.core.compose.streaming` to read or write the whole.
    """

    row: int
    message_id: str
    sender: str  # envelope MAIL FROM
    recipients: tuple[str, ...]  # envelope RCPT TO (To + Cc + Bcc), never parsed from headers
    data: bytes  # exact bytes, CRLF line endings (the head, when `tail` is not empty)
    smtputf8: bool = False
    problems: tuple[Problem, ...] = field(default=())  # warnings that do not stop sending
    tail: tuple[bytes | StreamedFile, ...] = ()
    attachments: tuple[AttachedFile, ...] = ()  # every attached file, common ones first

    @property
    def size(self) -> int:
        """Bytes on the wire (before dot-stuffing), streamed parts included."""
        return len(self.data) + sum(
            len(piece) if isinstance(piece, bytes) else piece.encoded_size for piece in self.tail
        )

    @property
    def is_ascii(self) -> bool:
        """Only 7-bit bytes (streamed bodies are base64, so ASCII by construction)."""
        return self.data.isascii() and all(
            piece.isascii() for piece in self.tail if isinstance(piece, bytes)
        )
