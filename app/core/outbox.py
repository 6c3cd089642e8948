"""The local test outbox: an SMTP server on 127.0.0.1 that files every message as an .eml.

It is Herald's default profile, so a fresh install can "send" the demo campaign with no account
and the user can open the results in any mail program. It runs inside the caller's asyncio loop
(the GUI's qasync loop or the CLI's), with no thread: aiosmtpd's threaded Controller does not
work under qasync on Python 3.11.

Each file holds the exact bytes received, preceded by two trace lines an MTA would add on
delivery: `Return-Path: <sender>` and `X-Herald-Envelope-To: <rcpt>, ...`. The envelope has to be
kept somewhere because Bcc recipients appear in no header; prepending trace fields is how real
MTAs record it (Postfix adds Return-Path and X-Original-To), keeps one self-contained file per
message that mail programs still open, and leaves the received bytes intact after the prefix.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import itertools
import os
import tempfile
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from app.core import paths

HOST = "127.0.0.1"
ENVELOPE_HEADER = "X-Herald-Envelope-To"


def default_outbox_folder() -> Path:
    """The Outbox folder under Herald's data folder (HERALD_DATA_DIR overrides; see paths)."""
    return paths.outbox_dir()


def envelope_prefix(sender: str, recipients: list[str]) -> bytes:
    """The trace lines put before the received bytes. Long recipient lists are folded."""
    lines = [f"Return-Path: <{sender}>"]
    folded = ",\r\n ".join(f"<{r}>" for r in recipients)
    lines.append(f"{ENVELOPE_HEADER}: {folded}")
    # aiosmtpd has already refused CR/LF in addresses, so these lines cannot inject headers.
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


class _FilingHandler:
    def __init__(self, outbox: LocalOutbox) -> None:
        self._outbox = outbox

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # aiosmtpd only calls this after MAIL and DATA, so both are set.
        sender = envelope.mail_from or ""
        data = envelope.original_content or b""
        try:
            path = await self._outbox.file(sender, list(envelope.rcpt_tos), data)
        except OSError as error:
            # 451: the client keeps the message and may retry; nothing is half-written.
            return f"451 4.3.0 Could not save the message in the Outbox folder: {error}"
        return f"250 2.0.0 Saved as {path.name}"


class LocalOutbox:
    """`port = await LocalOutbox(folder).start()`; connect with security "none", no login."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port: int | None = None
        self._server: asyncio.Server | None = None
        self._sessions: set[SMTP] = set()
        self._counter = itertools.count(1)

    @property
    def listening_port(self) -> int:
        """The port it listens on, for code that runs between `start` and `stop` (where `port`
        cannot be None); asking outside that window is a bug, so it raises."""
        if self.port is None:
            raise RuntimeError("the local outbox is not listening: start() it first")
        return self.port

    async def start(self, port: int = 0, *, any_port_if_taken: bool = False) -> int:
        """Listen on `port` (0: any free port); returns the port. With `any_port_if_taken`,
        a busy port (another send, another program) falls back to any free one, so the
        preset's port is a preference, never a reason for a send to fail."""
        self.folder.mkdir(parents=True, exist_ok=True)
        loop = asyncio.get_running_loop()
        handler = _FilingHandler(self)

        def session() -> SMTP:
            protocol = _OutboxSMTP(handler, self._sessions, loop=loop)
            self._sessions.add(protocol)
            return protocol

        try:
            self._server = await loop.create_server(session, host=HOST, port=port)
        except OSError as error:
            if not (any_port_if_taken and port and error.errno == errno.EADDRINUSE):
                raise
            self._server = await loop.create_server(session, host=HOST, port=0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for protocol in list(self._sessions):
            if protocol.transport is not None:
                protocol.transport.close()
        await self._server.wait_closed()
        await asyncio.sleep(0)  # let the closed sessions' tasks finish cancelling
        self._server = None
        self.port = None

    async def file(self, sender: str, recipients: list[str], data: bytes) -> Path:
        """Write one message atomically (temporary file, fsync, rename); return its path."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        name = f"{stamp}-{next(self._counter):06d}.eml"
        content = envelope_prefix(sender, recipients) + data
        # Disk writes off the event loop: the GUI keeps painting while a big message lands.
        return await asyncio.to_thread(_write_atomically, self.folder, name, content)


def _write_atomically(folder: Path, name: str, content: bytes) -> Path:
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        target = folder / name
        while target.exists():  # never overwrite (a restart within the same microsecond)
            target = target.with_name(f"{target.stem}-x{target.suffix}")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


class _OutboxSMTP(SMTP):
    def __init__(self, handler: _FilingHandler, sessions: set[SMTP], **kwargs: Any) -> None:
        super().__init__(
            handler,
            hostname="herald-outbox.localhost",  # fixed: socket.getfqdn() can stall on DNS
            enable_SMTPUTF8=True,
            data_size_limit=200 * 1024 * 1024,
            **kwargs,
        )
        self._sessions = sessions

    def connection_lost(self, error: Exception | None) -> None:
        self._sessions.discard(self)
        super().connection_lost(error)
