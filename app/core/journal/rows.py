"""What the journal hands back: one recipient row with its state, and campaign events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.core.model import CellValue
from app.core.send.contracts import RecipientState, Stage


@dataclass(frozen=True, slots=True)
class JournalRow:
    row: int  # workbook row number; the key of the row in the journal
    address: str
    recipients: tuple[str, ...]
    fields: Mapping[str, CellValue]  # as the workbook typed them (old journals: text)
    message_sha256: str
    message_id: str
    state: RecipientState
    attempts: int  # outcomes recorded so far (sent, failed, deferred, unknown)
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None  # only for deferred rows
    smtp_code: int | None
    smtp_text: str
    stage: Stage | None
    sent_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """A row's state and last server reply, without the row's fields."""

    row: int
    address: str
    state: RecipientState
    smtp_code: int | None
    smtp_text: str
    at: dt.datetime | None  # sent, else last attempted


class EventKind(StrEnum):
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    CANCELLED = "cancelled"
    FINISHED = "finished"
    THROTTLED = "throttled"  # a rate window full or the server pushing back: sending waits
    STOPPED = "stopped"  # the whole send stopped at once (login refused...)
    RECOVERED = "recovered"  # opened after a crash; `detail` says how many rows became unknown
    SOURCES_CHANGED = "sources-changed"


@dataclass(frozen=True, slots=True)
class JournalEvent:
    at: dt.datetime
    kind: EventKind
    detail: str


class MailboxMark(StrEnum):
    """What reading the account's mailbox found out about a row after it was sent."""

    BOUNCED_HARD = "bounced-hard"  # a permanent bounce: the address is on the do-not-email list
    BOUNCED_SOFT = "bounced-soft"  # a temporary one (mailbox full, delayed)
    SENT_COPY_BEGUN = "sent-copy-begun"  # durable before the APPEND (see mailbox/sent_copy.py)
    SENT_COPY = "sent-copy"  # a copy was filed in the account's Sent folder
