"""Per-identity send history: the rolling hour and day windows survive a restart.

One SQLite file per sending identity holding only (UTC time, recipient count) rows for the last
24 hours. The identity is what a server counts against: with a login, the account ("user@host",
lower-cased; any port, since a provider's quota is the account's whichever port it is reached
on); without one, the From address at that relay ("from via host:port"), as a relay without
login counts by sender. No password, no addresses, no content. The send journal (one file
per campaign) is the record of who got mail; this file only remembers how much this account
sent, whatever the campaign, so that a 500/day cap still holds after quitting and restarting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from pathlib import Path
from types import TracebackType

from app.core.paths import history_dir

DAY = dt.timedelta(hours=24)
_PRUNE_EVERY = 200  # records between prunes; pruning on each insert would be wasted work
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (at REAL NOT NULL, recipients INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sends_at ON sends (at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def account_key(user: str, host: str) -> str:
    """The identity of a sending account: login name at SMTP host, lower-cased."""
    user, host = user.strip(), host.strip()
    if not user or not host:
        raise ValueError("an account needs both a user name and an SMTP host")
    return f"{user}@{host}".lower()


def relay_sender_key(sender: str, host: str, port: int) -> str:
    """The identity of sending without a login: the From address through one relay."""
    sender, host = sender.strip(), host.strip()
    if not sender or not host:
        raise ValueError("a relay identity needs both a From address and an SMTP host")
    return f"{sender} via {host}:{port}".lower()


def _file_name(key: str) -> str:
    # Readable but safe on every OS; the hash keeps two keys that sanitise alike apart.
    safe = re.sub(r"[^a-z0-9@._-]", "_", key)[:80]  # "a via h:25" -> "a_via_h_25"
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{safe}-{digest}.sqlite3"


def _epoch(when: dt.datetime) -> float:
    if when.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return when.timestamp()


class SendHistory:
    """Recipients sent per account over the last 24 h, in SQLite (WAL)."""

    def __init__(self, path: Path, *, key: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL survives an application crash (the restart case that matters); only a power
        # loss could forget the last few sends. The campaign journal uses FULL, since it decides
        # who gets mail; this file only paces.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        if key:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('account', ?)", (key,))
        self._since_prune = 0

    @classmethod
    def for_account(cls, user: str, host: str, data_dir: Path | None = None) -> SendHistory:
        key = account_key(user, host)
        folder = data_dir if data_dir is not None else history_dir()
        return cls(folder / _file_name(key), key=key)

    @classmethod
    def for_relay_sender(
        cls, sender: str, host: str, port: int, data_dir: Path | None = None
    ) -> SendHistory:
        key = relay_sender_key(sender, host, port)
        folder = data_dir if data_dir is not None else history_dir()
        return cls(folder / _file_name(key), key=key)

    def record(self, recipients: int, when: dt.datetime) -> None:
        if recipients < 0:
            raise ValueError("recipients must not be negative")
        self._db.execute("INSERT INTO sends VALUES (?, ?)", (_epoch(when), recipients))
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self.prune(when)

    def count_since(self, when: dt.datetime) -> int:
        row = self._db.execute(
            "SELECT COALESCE(SUM(recipients), 0) FROM sends WHERE at > ?", (_epoch(when),)
        ).fetchone()
        return int(row[0])

    def events_since(self, when: dt.datetime) -> list[tuple[dt.datetime, int]]:
        """(UTC time, recipients) of every send after `when`, oldest first."""
        rows = self._db.execute(
            "SELECT at, recipients FROM sends WHERE at > ? ORDER BY at", (_epoch(when),)
        ).fetchall()
        return [(dt.datetime.fromtimestamp(at, dt.UTC), int(n)) for at, n in rows]

    def prune(self, now: dt.datetime) -> None:
        """Forget sends older than 24 h (no window looks further back)."""
        self._db.execute("DELETE FROM sends WHERE at <= ?", (_epoch(now - DAY),))
        self._since_prune = 0

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SendHistory:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
