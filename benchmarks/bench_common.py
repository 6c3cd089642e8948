"""Shared parts of the send benchmarks: the sink process, messages, a journal, the engine."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.journal import CampaignSnapshot, Journal, SnapshotRow
from app.core.model import RenderedMessage

ROOT = Path(__file__).resolve().parents[1]
SENDER = "bench@example.com"
USER, PASSWORD = "bench", "bench-password"


def address(row: int) -> str:
    return f"reader{row}@example.org"


_LINE = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n"
_BODY = _LINE * 62  # about 5 KB


def message_for(row: int) -> RenderedMessage:
    """A ~5 KB message. Prebuilt bytes: building an EmailMessage (about 1 ms) is measured
    separately, so these figures are the sending machinery alone."""
    data = (
        f"From: {SENDER}\r\nTo: {address(row)}\r\nSubject: Benchmark {row}\r\n"
        f"Message-ID: <bench{row}@example.com>\r\n\r\n{_BODY}"
    ).encode()
    return RenderedMessage(
        row=row,
        message_id=f"<bench{row}@example.com>",
        sender=SENDER,
        recipients=(address(row),),
        data=data,
    )


def snapshot(count: int) -> CampaignSnapshot:
    def rows() -> Iterator[SnapshotRow]:
        for row in range(2, count + 2):
            message = message_for(row)
            yield SnapshotRow(
                row=row,
                address=address(row),
                recipients=message.recipients,
                fields={"email": address(row)},
                message_sha256=hashlib.sha256(message.data).hexdigest(),
                message_id=message.message_id,
            )

    return CampaignSnapshot(name="bench", sources=(), settings={}, rows=rows())


def new_journal(folder: Path, count: int) -> Journal:
    path = Path(tempfile.mkdtemp(dir=folder)) / "bench.herald.sqlite"
    return Journal.create(path, snapshot(count))


@dataclass
class Sink:
    port: int
    ca_file: Path | None
    process: subprocess.Popen[str]


@contextmanager
def sink(
    folder: Path, *, delay_ms: float = 0, starttls: bool = False, auth: bool = False
) -> Iterator[Sink]:
    """The scriptable aiosmtpd server in its own process (it gets a core of its own)."""
    command = [sys.executable, "-m", "tests.support.smtp_server", "--port", "0"]
    command += ["--delay-ms", str(delay_ms)]
    if starttls:
        command += ["--tls", "starttls", "--cert-dir", str(folder)]
    if auth:
        command += ["--auth", f"{USER}:{PASSWORD}"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    ca_file = Path(process.stdout.readline().strip()) if starttls else None
    try:
        yield Sink(port, ca_file, process)
    finally:
        process.terminate()
        process.wait(10)


def table(title: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        pairs = enumerate(zip(row, widths, strict=True))
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)

    out = [f"\n{title}", line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)
