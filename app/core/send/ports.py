"""What the engine needs from the journal. The journal is handed in, never imported, so the
engine's contract with it is written down here; `app.core.journal.Journal` satisfies it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from app.core.send.contracts import RecipientState, Stage


class ClaimedRow(Protocol):
    """A row the engine is working on: its workbook row, To address and attempts so far."""

    @property
    def row(self) -> int: ...
    @property
    def address(self) -> str: ...
    @property
    def attempts(self) -> int: ...


class SendJournal(Protocol):
    """`mark_sending` is committed before it returns (with every change before it), so the
    row is `sending` on disk before DATA; with durable=False it is held and returns a number to
    pass to `commit(upto=...)` just before DATA (with PIPELINING: as the pipelined MAIL/RCPT/
    DATA leave, before the body), so one fsync can carry several workers' marks.
    Outcomes and releases are visible at once but may be held until the next commit (group
    commit): a crash before then leaves the row `sending`, i.e. `unknown` after recovery, never
    a duplicate. Claims live in memory only.
    """

    def counts(self) -> Mapping[RecipientState, int]: ...
    def claim_next(self, now: dt.datetime) -> ClaimedRow | None: ...
    def release(self, row: Any) -> Any: ...
    def next_deferred_at(self) -> dt.datetime | None: ...
    def mark_sending(self, row: Any, message_id: str, *, durable: bool = True) -> int: ...
    def mark_sent(self, row: Any, reply_code: int, reply_text: str) -> Any: ...
    def mark_failed(self, row: Any, code: int | None, text: str, stage: Stage) -> Any: ...
    def mark_deferred(
        self, row: Any, code: int | None, text: str, stage: Stage, next_attempt_at: dt.datetime
    ) -> Any: ...
    def mark_unknown(self, row: Any, code: int | None, text: str) -> Any: ...
    def commit(self, upto: int | None = None) -> None: ...
