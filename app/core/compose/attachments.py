"""Attachment parts: small files read and encoded once and shared by every message that uses
them; large files (above `streaming.STREAM_ABOVE`) left to be encoded while writing.

A file common to all rows is attached 10,000 times: reading and base64-encoding it each time
would dominate composing. Entries are keyed by path and validated by (size, mtime) on every use,
so a file changed mid-run is noticed. The cache is bounded by total encoded bytes, least
recently used out first. Which files may be attached at all is `app.core.attachment_files`'s
decision, made before anything here reads a byte.
"""

from __future__ import annotations

import mimetypes
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from app.core.attachment_files import AttachmentFile, AttachmentRefused, open_checked
from app.core.compose.encoding import CRLF, FOLD, base64_lines, encoded_words, filename_params
from app.core.compose.streaming import STREAM_ABOVE
from app.core.model import StreamedFile


@dataclass(frozen=True, slots=True)
class AttachmentPart:
    """A complete MIME body part (headers, blank line, base64 body) and the file's size."""

    data: bytes
    size: int


class AttachmentUnavailable(Exception):
    """The file is missing, refused or unreadable; the message says which, for the user."""


class AttachmentCache:
    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._total = 0
        self._entries: OrderedDict[Path, tuple[tuple[int, int], AttachmentPart]] = OrderedDict()

    def parts(self, file: AttachmentFile) -> list[bytes | StreamedFile]:
        """The file's MIME part: complete bytes for a small file, or its head and a
        StreamedFile for a large one (nothing read)."""
        if file.size > STREAM_ABOVE:
            return [part_head(file.path.name), StreamedFile(file.path, file.size, file.mtime_ns)]
        return [self.part(file).data]

    def part(self, file: AttachmentFile) -> AttachmentPart:
        path = file.path
        key = (file.size, file.mtime_ns)
        cached = self._entries.get(path)
        if cached is not None and cached[0] == key:
            self._entries.move_to_end(path)
            return cached[1]
        content = _read(file)
        part = AttachmentPart(data=part_head(path.name) + base64_lines(content), size=len(content))
        self._store(path, key, part)
        return part

    def _store(self, path: Path, key: tuple[int, int], part: AttachmentPart) -> None:
        old = self._entries.pop(path, None)
        if old is not None:
            self._total -= len(old[1].data)
        if len(part.data) > self._max_bytes:
            return  # too big to keep; re-encoded on each use rather than exhausting memory
        self._entries[path] = (key, part)
        self._total += len(part.data)
        while self._total > self._max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self._total -= len(evicted.data)


def _read(file: AttachmentFile) -> bytes:
    """The checked file's bytes (at most STREAM_ABOVE of them), through a descriptor that
    proves it is still the regular file that was stat()ed."""
    try:
        fd = open_checked(file.path, file.size, file.mtime_ns)
    except AttachmentRefused as exc:
        raise AttachmentUnavailable(f"the file {str(file.path)!r} {exc.reason}") from None
    try:
        with os.fdopen(fd, "rb", closefd=True) as handle:
            return handle.read(file.size)
    except OSError as exc:
        raise AttachmentUnavailable(f"the file {str(file.path)!r} cannot be read: {exc}") from exc


def content_type_name(filename: str) -> str:
    """`; name=...` for Content-Type: plain when safe, else RFC 2047 encoded-words in quotes.

    RFC 2231 `filename*=` on Content-Disposition is the standard; Outlook, QQ Mail and munpack
    read only Content-Type's `name`, and only in this (non-standard but universal) form, and
    show "Untitled attachment" or `tcmime.*.bin` without it.
    """
    plain = filename_params("name", filename)
    if "*" not in plain.split("=", 1)[0]:
        return plain
    return f';{FOLD}name="' + FOLD.join(encoded_words(filename)) + '"'


def part_head(filename: str) -> bytes:
    content_type, _ = mimetypes.guess_type(filename, strict=False)
    content_type = content_type or "application/octet-stream"
    head = (
        f"Content-Type: {content_type}{content_type_name(filename)}{CRLF}"
        f"Content-Disposition: attachment{filename_params('filename', filename)}{CRLF}"
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}"
    )
    return head.encode("ascii")
