"""Attachment parts, read and encoded once per file and shared by every message that uses them.

A file common to all rows is attached 10,000 times: reading and base64-encoding it each time
would dominate composing. Entries are keyed by path and validated by (size, mtime) on every use,
so a file changed or removed mid-run is noticed (a vanished file is the caller's problem to
report). The cache is bounded by total encoded bytes, least recently used out first.
"""

from __future__ import annotations

import mimetypes
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from app.core.compose.encoding import CRLF, base64_lines, filename_params


@dataclass(frozen=True, slots=True)
class AttachmentPart:
    """A complete MIME body part (headers, blank line, base64 body) and the file's size."""

    data: bytes
    size: int


class AttachmentUnavailable(Exception):
    """The file is missing, a folder, or unreadable; the message says which, for the user."""


class AttachmentCache:
    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._total = 0
        self._entries: OrderedDict[Path, tuple[tuple[int, int], AttachmentPart]] = OrderedDict()

    def part(self, path: Path) -> AttachmentPart:
        try:
            stat = path.stat()
        except FileNotFoundError as exc:
            raise AttachmentUnavailable(f"the file {str(path)!r} does not exist") from exc
        except OSError as exc:
            raise AttachmentUnavailable(f"the file {str(path)!r} cannot be read: {exc}") from exc
        if not os.path.isfile(path):
            raise AttachmentUnavailable(f"{str(path)!r} is not a file")
        key = (stat.st_size, stat.st_mtime_ns)
        cached = self._entries.get(path)
        if cached is not None and cached[0] == key:
            self._entries.move_to_end(path)
            return cached[1]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise AttachmentUnavailable(f"the file {str(path)!r} cannot be read: {exc}") from exc
        part = AttachmentPart(data=_encode(path.name, content), size=len(content))
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


def _encode(filename: str, content: bytes) -> bytes:
    content_type, _ = mimetypes.guess_type(filename, strict=False)
    content_type = content_type or "application/octet-stream"
    head = (
        f"Content-Type: {content_type}{filename_params('name', filename)}{CRLF}"
        f"Content-Disposition: attachment{filename_params('filename', filename)}{CRLF}"
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}"
    )
    return head.encode("ascii") + base64_lines(content)
