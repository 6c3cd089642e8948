"""Builders shared by the engine tests: a real journal, real transport, real limiter."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.core.journal import CampaignSnapshot, Journal, SnapshotRow
from app.core.model import RenderedMessage
from app.core.send.clock import FakeClock
from app.core.send.engine import SendEngine
from app.core.send.events import AnyEvent, Finished
from app.core.send.limiter import Limits, RateLimiter
from app.core.send.policy import EngineOptions
from app.core.send.transport import Security, SmtpConnector, SmtpSettings
from tests.support.smtp_server import SmtpTestServer

SENDER = "news@example.com"
FIRST_ROW = 2  # row 1 of the workbook is the header


def address(row: int) -> str:
    return f"reader{row}@example.org"


def message_for(row: int, extra: Sequence[str] = ()) -> RenderedMessage:
    to = address(row)
    body = "".join(f"Line {i} for row {row}, kept under 78 characters.\r\n" for i in range(8))
    data = (
        f"From: {SENDER}\r\nTo: {to}\r\nSubject: Hello {row}\r\n"
        f"Message-ID: <row{row}@example.com>\r\n\r\n{body}"
    ).encode()
    return RenderedMessage(
        row=row,
        message_id=f"<row{row}@example.com>",
        sender=SENDER,
        recipients=(to, *extra),
        data=data,
    )


class Campaign:
    """`rows` recipients in a fresh journal, each message rendered on demand."""

    def __init__(self, tmp_path: Path, rows: int, extra: dict[int, Sequence[str]] | None = None):
        self.extra = extra or {}
        self.rendered = 0
        self.rows = list(range(FIRST_ROW, FIRST_ROW + rows))
        self.path = tmp_path / "campaign.herald-journal"
        snapshot = CampaignSnapshot(
            name="test",
            sources=(),
            settings={},
            rows=(self._snapshot_row(r) for r in self.rows),
        )
        self.journal = Journal.create(self.path, snapshot)

    def _snapshot_row(self, row: int) -> SnapshotRow:
        message = self.message(row)
        return SnapshotRow(
            row=row,
            address=address(row),
            recipients=message.recipients,
            fields={"email": address(row)},
            message_sha256=hashlib.sha256(message.data).hexdigest(),
            message_id=message.message_id,
        )

    def message(self, row: int) -> RenderedMessage:
        self.rendered += 1
        return message_for(row, self.extra.get(row, ()))

    def state(self, row: int) -> str:
        found = self.journal.get(row)
        assert found is not None
        return str(found.state)

    def counts(self) -> dict[str, int]:
        return {str(k): v for k, v in self.journal.counts().items() if v}


def connector(
    server: SmtpTestServer,
    *,
    security: Security = Security.NONE,
    username: str | None = None,
    password: str | None = None,
    cafile: Path | None = None,
) -> SmtpConnector:
    settings = SmtpSettings(
        host="127.0.0.1",
        port=server.port,
        security=security,
        username=username,
        local_hostname="client.example.com",
        connect_timeout=5,
        command_timeout=5,
        data_timeout=5,
        cafile=cafile,
    )
    return SmtpConnector(settings, lambda: password)


def engine(
    campaign: Campaign,
    server: SmtpTestServer,
    *,
    clock: FakeClock | None = None,
    limits: Limits | None = None,
    events: list[AnyEvent] | None = None,
    connection: SmtpConnector | None = None,
    **options: Any,
) -> SendEngine:
    clock = clock or FakeClock()
    return SendEngine(
        campaign.journal,
        campaign.message,
        connection or connector(server),
        RateLimiter(limits or Limits(), clock),
        clock,
        EngineOptions(**options),
        on_event=events.append if events is not None else None,
    )


async def run(send: SendEngine, timeout: float = 20) -> Finished:
    return await asyncio.wait_for(send.run(), timeout)


def of_type(events: list[AnyEvent], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]
