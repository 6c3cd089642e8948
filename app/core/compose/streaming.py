"""Reading and writing a message whose large attachments are encoded from disk as it goes.

A message's `tail` holds `StreamedFile`s for attachments above `STREAM_ABOVE`: their base64
body is produced here a block at a time (57 x 16,384 bytes in, about 1.2 MB out), so sending a
1 GB file costs a few megabytes of memory instead of six copies of the file. Files are opened
(and checked against what was stat()ed when the message was built) before anything is written,
so a file changed or swapped for a pipe since the check refuses the message rather than sending
half of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from types import TracebackType

from app.core.attachment_files import AttachmentChanged, open_checked
from app.core.compose.encoding import base64_lines
from app.core.model import RenderedMessage, StreamedFile

#: Attachments bigger than this are streamed from the file; smaller ones are encoded once and
#: cached (a shared 1 MB price list is read once for 10,000 messages).
STREAM_ABOVE = 2 * 1024 * 1024
#: Input bytes per encoded block: a multiple of 57, so every block is whole 76-character lines.
BLOCK = 57 * 16384


class MessageStream:
    """`with MessageStream(message) as stream: for piece in stream.pieces(): ...`

    Entering opens every streamed file and checks it (AttachmentChanged otherwise); every
    piece ends at a line start, so a writer may dot-stuff piece by piece.
    """

    def __init__(self, message: RenderedMessage) -> None:
        self._message = message
        self._files: list[int] = []

    def __enter__(self) -> MessageStream:
        try:
            for piece in self._message.tail:
                if isinstance(piece, StreamedFile):
                    self._files.append(open_checked(piece.path, piece.size, piece.mtime_ns))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        while self._files:
            with contextlib.suppress(OSError):
                os.close(self._files.pop())

    def pieces(self) -> Iterator[bytes]:
        yield self._message.data
        files = iter(list(self._files))
        for piece in self._message.tail:
            if isinstance(piece, bytes):
                yield piece
            else:
                yield from _encoded(next(files), piece)


def _encoded(fd: int, file: StreamedFile) -> Iterator[bytes]:
    remaining = file.size
    while remaining > 0:
        block = os.read(fd, min(BLOCK, remaining))
        if not block:
            raise AttachmentChanged(f"became shorter while it was being sent ({file.path})")
        remaining -= len(block)
        yield base64_lines(block)
    if os.read(fd, 1):
        raise AttachmentChanged(f"grew while it was being sent ({file.path})")


def message_pieces(message: RenderedMessage) -> Iterator[bytes]:
    """The whole message, piece by piece (files opened and closed here)."""
    with MessageStream(message) as stream:
        yield from stream.pieces()


def message_bytes(message: RenderedMessage) -> bytes:
    """The whole message in memory: for small messages (tests, `preview --output` uses
    `message_pieces`). A message without streamed parts is returned as is, without copying."""
    if not message.tail:
        return message.data
    return b"".join(message_pieces(message))


def preview_bytes(message: RenderedMessage) -> bytes:
    """The message with every streamed attachment body left empty: enough to show headers,
    text and the list of attachments without reading a large file."""
    if not message.tail:
        return message.data
    return b"".join([message.data, *(p for p in message.tail if isinstance(p, bytes))])


def message_digest(message: RenderedMessage) -> str:
    """SHA-256 of the message as recorded in the journal's snapshot. A streamed attachment
    counts by its identity (resolved path, size, change time), not its bytes: hashing a 20 MB
    file for every one of 10,000 rows would make the snapshot read 200 GB."""
    digest = hashlib.sha256(message.data)
    for piece in message.tail:
        if isinstance(piece, bytes):
            digest.update(piece)
        else:
            digest.update(f"\0file:{piece.path}:{piece.size}:{piece.mtime_ns}\0".encode())
    return digest.hexdigest()
