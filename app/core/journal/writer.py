"""Writing a new journal: schema, campaign metadata and every row, in one transaction.

One transaction so a crash while snapshotting leaves no half-written campaign that a resume
could mistake for the whole one. Rows go in batches through executemany (100,000 rows take
about a second), and duplicates are refused here as a last guard against mailing anyone twice.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping

from app.core.journal.codec import encode
from app.core.journal.errors import JournalError
from app.core.journal.schema import DDL, SCHEMA_VERSION, to_text
from app.core.journal.snapshot import CampaignSnapshot, JsonValue, SnapshotRow

BATCH = 5000
_SECRET_WORDS = ("password", "passwd", "secret", "token", "credential")


def write_snapshot(conn: sqlite3.Connection, snapshot: CampaignSnapshot, now: dt.datetime) -> int:
    """Create the tables and fill them; returns the number of rows. Caller owns the transaction."""
    refuse_secrets(snapshot.settings)
    for statement in DDL.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.executemany(
        "INSERT INTO sources (role, path, sha256) VALUES (?, ?, ?)",
        [(s.role.value, str(s.path), s.sha256) for s in snapshot.sources],
    )
    headers = list(snapshot.headers)
    count = 0
    rows = _checked(snapshot.rows)
    while batch := _take(rows, BATCH):
        if not headers:
            headers = list(batch[0].fields)
        conn.executemany(
            "INSERT INTO recipients (row, address, envelope, fields, message_sha256, message_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [encode(row) for row in batch],
        )
        count += len(batch)
    meta = {
        "name": snapshot.name,
        "created_at": to_text(now),
        "settings": json.dumps(snapshot.settings, ensure_ascii=False),
        "headers": json.dumps(headers, ensure_ascii=False),
        "outbox_used": "0",
    }
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
    return count


def refuse_secrets(settings: Mapping[str, JsonValue], where: str = "settings") -> None:
    """Passwords live in the keychain only; a journal is a file the user may send to support."""
    for key, value in settings.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise ValueError(f"{where}.{key} looks like a secret; it must not go into a journal")
        if isinstance(value, dict):
            refuse_secrets(value, f"{where}.{key}")


def _checked(rows: Iterable[SnapshotRow]) -> Iterator[SnapshotRow]:
    seen_rows: set[int] = set()
    seen_addresses: dict[str, int] = {}
    for row in rows:
        if row.row in seen_rows:
            raise JournalError(f"Row {row.row} appears twice in the campaign snapshot.")
        key = row.address.casefold()
        if key in seen_addresses:
            raise JournalError(
                f"Rows {seen_addresses[key]} and {row.row} both go to {row.address}. Remove the "
                "duplicate (herald check lists them) so nobody gets the message twice."
            )
        seen_rows.add(row.row)
        seen_addresses[key] = row.row
        yield row


def _take(rows: Iterator[SnapshotRow], size: int) -> list[SnapshotRow]:
    batch: list[SnapshotRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            break
    return batch
