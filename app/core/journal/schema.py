"""The journal's tables and how a connection to it is opened.

WAL with synchronous=FULL: under NORMAL a committed `sent` can roll back after a power cut,
and a lost `sent` is a duplicate message on resume.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (role TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE recipients (
    row INTEGER PRIMARY KEY,
    address TEXT NOT NULL COLLATE NOCASE UNIQUE,
    envelope TEXT NOT NULL,
    fields TEXT NOT NULL,
    message_sha256 TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at TEXT,
    next_attempt_at TEXT,
    smtp_code INTEGER,
    smtp_text TEXT NOT NULL DEFAULT '',
    stage TEXT,
    sent_at TEXT
);
CREATE INDEX recipients_by_state ON recipients (state, row);
CREATE INDEX recipients_deferred ON recipients (state, next_attempt_at);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL
);
"""

# Fixed width, UTC, so text order is time order in SQL comparisons.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("journal times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime(_TIME_FORMAT)


def from_text(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    return dt.datetime.fromisoformat(text)  # 3.11 reads the trailing Z as UTC


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open with the pragmas every journal connection needs. Raises sqlite3.Error."""
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    if not read_only:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.close()
            raise sqlite3.OperationalError(f"could not switch to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
    return conn
