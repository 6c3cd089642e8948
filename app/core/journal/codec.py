"""Rows of the `recipients` table to and from Python values."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from app.core.journal.rows import JournalRow
from app.core.journal.schema import from_text
from app.core.journal.snapshot import SnapshotRow
from app.core.send.contracts import RecipientState, Stage

COLUMNS = (
    "row, address, envelope, fields, message_sha256, message_id, state, attempts, "
    "last_attempt_at, next_attempt_at, smtp_code, smtp_text, stage, sent_at"
)


def encode(row: SnapshotRow) -> tuple[int, str, str, str, str, str]:
    return (
        row.row,
        row.address,
        json.dumps(list(row.recipients), ensure_ascii=False),
        json.dumps(dict(row.fields), ensure_ascii=False, default=_tagged),
        row.message_sha256,
        row.message_id,
    )


def _tagged(value: object) -> dict[str, str]:
    """JSON has no dates: a workbook's date or date-time is stored as {"$date": iso}."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"a cell of type {type(value).__name__} cannot be journalled")


def _untagged(found: dict[str, Any]) -> Any:
    if len(found) == 1:
        if "$datetime" in found:
            return dt.datetime.fromisoformat(found["$datetime"])
        if "$date" in found:
            return dt.date.fromisoformat(found["$date"])
    return found


def decode(record: sqlite3.Row | tuple[Any, ...]) -> JournalRow:
    (number, address, envelope, fields, sha, message_id, state, attempts) = record[:8]
    (last_at, next_at, code, text, stage, sent_at) = record[8:]
    return JournalRow(
        row=number,
        address=address,
        recipients=tuple(json.loads(envelope)),
        fields=json.loads(fields, object_hook=_untagged),
        message_sha256=sha,
        message_id=message_id,
        state=RecipientState(state),
        attempts=attempts,
        last_attempt_at=from_text(last_at),
        next_attempt_at=from_text(next_at),
        smtp_code=code,
        smtp_text=text,
        stage=Stage(stage) if stage else None,
        sent_at=from_text(sent_at),
    )
