"""Rendered parts + recipient -> the exact bytes that go on the wire.

Who receives the message is decided here from the Recipient alone: the envelope is To + Cc +
Bcc from validated addresses, never parsed back from headers, and Bcc is never written into a
header. Every value bound for a header is checked first (headers.check_header_value); a row
with an unsafe value raises ComposeError naming the row and the column.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

from app.core.attachment_files import (
    AttachmentFile,
    AttachmentRefused,
    allowed_folders,
    inspect_attachment,
    too_large,
)
from app.core.compose import encoding as enc
from app.core.compose.attachments import AttachmentCache, AttachmentUnavailable
from app.core.headers import check_header_value
from app.core.model import (
    Address,
    AttachedFile,
    CellValue,
    ColumnMapping,
    MessageSettings,
    Problem,
    ProblemKind,
    Recipient,
    RenderedMessage,
    Severity,
    StreamedFile,
)
from app.core.templates import RenderedParts

Piece = bytes | StreamedFile

CRLF = enc.CRLF
_MB = 1024 * 1024  # as the limit is set (attachment_warn_mb) and as file managers count
#: Above this a header block is a row problem, not a message some server cuts or refuses
#: (Postfix's header_size_limit is 100 KB); no real header block comes near it.
MAX_HEADER_BYTES = 64 * 1024


class ComposeError(Exception):
    """The row cannot be made into a message; `problems` says every reason found."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _column_holding(fields: Mapping[str, CellValue], value: str) -> str | None:
    """The column whose text contains `value`'s offending part (for a precise problem)."""
    for column, cell in fields.items():
        holds = isinstance(cell, str) and cell != "" and cell in value
        if holds and check_header_value(str(cell)) is not None:
            return column
    return None


class MessageBuilder:
    """Builds one RenderedMessage per recipient. Create once per campaign and reuse it.

    `mapping`, when given, names the columns that hold names and addresses so header problems
    point at the right column; without it the column is found by looking for the value.
    """

    def __init__(
        self,
        settings: MessageSettings,
        *,
        domain: str | None = None,
        now: Callable[[], datetime] | None = None,
        mapping: ColumnMapping | None = None,
        attachment_cache: AttachmentCache | None = None,
    ) -> None:
        self._settings = settings
        self._domain = domain or settings.sender.address.rpartition("@")[2] or "localhost"
        self._now = now or _local_now
        self._mapping = mapping or ColumnMapping()
        self._attachments = attachment_cache or AttachmentCache()
        self._folders = (
            allowed_folders(settings.attachment_folders)
            if settings.attachment_folders is not None
            else None
        )
        self._fixed_problems = self._check_settings()
        self._from = enc.header(
            "From", enc.mailbox(settings.sender.address, _name(settings.sender))
        )
        self._unsubscribe = (
            enc.header("List-Unsubscribe", f"<mailto:{settings.list_unsubscribe}>")
            if settings.list_unsubscribe and not settings.list_unsubscribe_url
            else ""
        )

    def _one_click(self, recipient: Recipient) -> str:
        """RFC 8058: List-Unsubscribe with the https URL (and the mailto, if any) plus
        List-Unsubscribe-Post, which tells mail programs a single POST unsubscribes."""
        url = self._settings.list_unsubscribe_url
        if not url:
            return ""
        # the address goes in percent-encoded: nothing in a cell can break the header or URL
        url = url.replace("{email}", quote(recipient.to.address, safe="@"))
        entries = [f"<{url}>"]
        if self._settings.list_unsubscribe:
            entries.insert(0, f"<mailto:{self._settings.list_unsubscribe}>")
        return enc.header("List-Unsubscribe", ", ".join(entries)) + enc.header(
            "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"
        )

    def _check_settings(self) -> list[Problem]:
        s = self._settings
        values = [("From", s.sender.display_name), ("From", s.sender.address)]
        if s.reply_to is not None:
            values += [("Reply-To", s.reply_to.display_name), ("Reply-To", s.reply_to.address)]
        if s.list_unsubscribe:
            values.append(("List-Unsubscribe", s.list_unsubscribe))
        problems = []
        for label, value in values:
            problem = check_header_value(value)
            if problem is not None:
                problems.append(
                    Problem(kind=problem.kind, message=f"{label} setting: {problem.message}")
                )
        return problems

    def build(self, recipient: Recipient, parts: RenderedParts) -> RenderedMessage:
        problems = list(self._fixed_problems)
        self._check_row_headers(recipient, parts, problems)
        files = self._attachment_files(recipient, problems)
        size = sum(file.size for file in files)
        self._check_total(recipient, size, problems)  # from stat() sizes: nothing read yet
        attachment_data = [] if problems else self._attachment_parts(recipient, files, problems)
        if problems:
            raise ComposeError(tuple(dict.fromkeys(problems)))  # one name cell, two headers

        message_id = f"<{secrets.token_hex(16)}@{self._domain}>"
        head = [
            self._from,
            enc.header("To", enc.mailbox(recipient.to.address, _name(recipient.to))),
        ]
        if recipient.cc:
            head.append(
                enc.header(
                    "Cc", enc.address_list([enc.mailbox(a.address, _name(a)) for a in recipient.cc])
                )
            )
        reply_to = recipient.reply_to or self._settings.reply_to
        if reply_to is not None:
            head.append(enc.header("Reply-To", enc.mailbox(reply_to.address, _name(reply_to))))
        head += [
            enc.header("Subject", enc.unstructured(parts.subject)),
            enc.header("Date", format_datetime(self._now())),
            enc.header("Message-ID", message_id),
            self._unsubscribe or self._one_click(recipient),
            "MIME-Version: 1.0" + CRLF,
        ]
        head_bytes = "".join(head).encode("utf-8")
        if len(head_bytes) > MAX_HEADER_BYTES:
            raise ComposeError((self._headers_too_large(recipient, head, len(head_bytes)),))
        pieces: list[Piece] = [head_bytes, *_body(parts, attachment_data)]
        data, tail = _joined(pieces)

        warnings: tuple[Problem, ...] = ()
        if size > self._settings.attachment_warn_bytes:
            warnings = (
                Problem(
                    kind=ProblemKind.LARGE_ATTACHMENTS,
                    severity=Severity.WARNING,
                    row=recipient.row,
                    column=self._mapping.attachments,
                    message=(
                        f"The attachments add up to {size / _MB:.1f} MB, more than "
                        f"{self._settings.attachment_warn_bytes / _MB:.1f} MB; many mail "
                        "servers refuse messages that large. Consider sending a link instead."
                    ),
                ),
            )
        everyone = (recipient.to, *recipient.cc, *recipient.bcc)
        return RenderedMessage(
            row=recipient.row,
            message_id=message_id,
            sender=self._settings.sender.address,
            recipients=recipient.envelope_recipients,
            data=data,
            smtputf8=any(_needs_smtputf8(a) for a in (*everyone, self._settings.sender)),
            problems=warnings,
            tail=tail,
            attachments=tuple(AttachedFile(file.path, file.size) for file in files),
        )

    def _headers_too_large(self, recipient: Recipient, head: list[str], size: int) -> Problem:
        """Name what makes the header block so big: the longest header and its column."""
        longest = max(head, key=len)
        name = longest.partition(":")[0]
        column = {"To": self._mapping.name, "Cc": self._mapping.cc}.get(name)
        if name == "Reply-To" and recipient.reply_to is not None:
            column = self._mapping.reply_to
        what = "the subject" if name == "Subject" else f"the {name} header"
        return Problem(
            kind=ProblemKind.HEADERS_TOO_LARGE,
            row=recipient.row,
            column=column,
            message=(
                f"The message's headers come to {size / 1024:.0f} KB, more than the "
                f"{MAX_HEADER_BYTES // 1024} KB mail servers accept; most of it is {what} "
                f"({len(longest.encode('utf-8')) / 1024:.0f} KB). Shorten it."
            ),
        )

    def _check_row_headers(
        self, recipient: Recipient, parts: RenderedParts, problems: list[Problem]
    ) -> None:
        m = self._mapping
        row = recipient.row
        checks: list[tuple[str, str | None]] = [
            (recipient.to.display_name, m.name),
            (recipient.to.address, m.email),
            *((a.display_name, m.cc) for a in recipient.cc),
            *((a.address, m.cc) for a in recipient.cc),
            *((a.address, m.bcc) for a in recipient.bcc),
        ]
        if recipient.reply_to is not None:
            checks += [
                (recipient.reply_to.display_name, m.reply_to),
                (recipient.reply_to.address, m.reply_to),
            ]
        for value, column in checks:
            if not value:
                continue
            problem = check_header_value(
                value, column=column or _column_holding(recipient.fields, value), row=row
            )
            if problem is not None:
                problems.append(problem)
        subject_problem = check_header_value(parts.subject, row=row)
        if subject_problem is not None:
            column = _column_holding(recipient.fields, parts.subject)
            located = check_header_value(parts.subject, column=column, row=row)
            if column is None or located is None:
                located = Problem(
                    kind=ProblemKind.UNSAFE_HEADER,
                    row=row,
                    message="The subject: " + subject_problem.message,
                )
            problems.append(located)

    def _attachment_files(
        self, recipient: Recipient, problems: list[Problem]
    ) -> list[AttachmentFile]:
        """Every attachment checked from stat() alone: inside the allowed folders, a regular
        file. Nothing is opened here."""
        files: list[AttachmentFile] = []
        paths: list[tuple[Path, str | None]] = [(p, None) for p in self._settings.attachments]
        paths += [(p, self._mapping.attachments) for p in recipient.attachments]
        for path, column in paths:
            try:
                files.append(inspect_attachment(path, self._folders))
            except AttachmentRefused as refused:
                problems.append(self._refused(recipient, column, path, refused))
        return files

    def _refused(
        self, recipient: Recipient, column: str | None, path: Path, refused: AttachmentRefused
    ) -> Problem:
        if refused.missing:
            kind, message = (
                ProblemKind.MISSING_ATTACHMENT,
                f"Attachment missing: the file {str(path)!r} {refused.reason}. "
                "Put the file back or fix the path.",
            )
        else:
            kind, message = (
                ProblemKind.UNSAFE_ATTACHMENT,
                f"The attachment {str(path)!r} {refused.reason}.",
            )
        return Problem(kind=kind, row=recipient.row, column=column, message=message)

    def _check_total(self, recipient: Recipient, size: int, problems: list[Problem]) -> None:
        message = too_large(size, self._settings.attachment_max_bytes)
        if message is not None:
            problems.append(
                Problem(
                    kind=ProblemKind.LARGE_ATTACHMENTS,
                    row=recipient.row,
                    column=self._mapping.attachments,
                    message=message,
                )
            )

    def _attachment_parts(
        self, recipient: Recipient, files: list[AttachmentFile], problems: list[Problem]
    ) -> list[list[Piece]]:
        parts: list[list[Piece]] = []
        for file in files:
            try:
                parts.append(self._attachments.parts(file))
            except AttachmentUnavailable as exc:
                problems.append(
                    Problem(
                        kind=ProblemKind.MISSING_ATTACHMENT,
                        row=recipient.row,
                        message=f"Attachment unavailable: {exc}. Check the file and try again.",
                    )
                )
        return parts


def _name(address: Address) -> str:
    return address.display_name


def _needs_smtputf8(address: Address) -> bool:
    return address.smtputf8 or not address.address.isascii()


def _boundary() -> str:
    # Random, so no body can contain it by chance; the characters are safe unquoted too.
    return "herald-" + secrets.token_hex(12)


def _joined(pieces: list[Piece]) -> tuple[bytes, tuple[Piece, ...]]:
    """The message as (bytes up to the first streamed file, the rest with adjacent bytes
    joined): joined once at the end so small attachments are copied once."""
    head: list[bytes] = []
    rest: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, bytes) and not rest:
            head.append(piece)
        elif isinstance(piece, bytes) and isinstance(last := rest[-1], bytes):
            rest[-1] = last + piece
        else:
            rest.append(piece)
    return b"".join(head), tuple(rest)


def _text_part(subtype: str, text: str) -> list[Piece]:
    cte, payload = enc.encode_text_body(text)
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: {cte}{CRLF}{CRLF}"
    )
    return [head.encode("ascii"), payload]


def _multipart(subtype: str, parts: list[list[Piece]]) -> list[Piece]:
    """Chunks of a multipart entity; joined once at the end so big attachments copy once."""
    boundary = _boundary()
    delimiter = f"{CRLF}--{boundary}{CRLF}".encode("ascii")
    chunks: list[Piece] = [
        f'Content-Type: multipart/{subtype}; boundary="{boundary}"{CRLF}{CRLF}'.encode()
    ]
    for part in parts:
        chunks.append(delimiter)  # its leading CRLF before the first part: an empty preamble
        chunks += part
    chunks.append(f"{CRLF}--{boundary}--{CRLF}".encode("ascii"))
    return chunks


def _body(parts: RenderedParts, attachments: list[list[Piece]]) -> list[Piece]:
    if parts.html is None:
        content = _text_part("plain", parts.text)
    else:
        content = _multipart(
            "alternative", [_text_part("plain", parts.text), _text_part("html", parts.html)]
        )
    if attachments:
        return _multipart("mixed", [content, *attachments])
    return content
