# ruff: noqa: S608 - SQL text is assembled only from constants in this module; values are bound.
"""The journal of one campaign send: who is pending, sending, sent, failed, deferred, unknown.

The one write that must be on disk before its step is `mark_sending`: it commits before DATA
goes out, so after kill -9 a row that may have reached the server is `sending` (recovered as
`unknown`, never resent without the user's word), never `pending`.

Outcomes (`mark_sent`, `mark_failed`, `mark_deferred`, `mark_unknown`, `release`) are written at
once, so every read sees them, but committed with the next durable write: the next
`mark_sending` of any worker, `commit()`, a user action, or `close()`. One fsync per message
instead of two (group commit). The cost is bounded and safe: a crash before that commit leaves
the row `sending`, recovered as `unknown` - a sent message may be listed as unknown, a message
is never sent twice. The engine commits within a fraction of a second of every outcome.

Claiming is in memory only: a claimed row is still `pending` on disk, so a crash between claim
and `mark_sending` loses nothing and resends nothing (see claims.py for the read-ahead).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from app.core.journal.claims import Claimer
from app.core.journal.codec import COLUMNS, decode
from app.core.journal.errors import JournalError, JournalStateError
from app.core.journal.lock import ProcessLock
from app.core.journal.rows import (
    EventKind,
    JournalEvent,
    JournalRow,
    MailboxMark,
    RowOutcome,
)
from app.core.journal.schema import SCHEMA_VERSION, connect, from_text, to_text
from app.core.journal.snapshot import (
    CampaignSnapshot,
    JsonValue,
    SourceChange,
    SourceFile,
    SourceRole,
    sha256_file,
)
from app.core.journal.transactions import Transactions, write_failure
from app.core.journal.writer import write_snapshot
from app.core.send.contracts import RecipientState, Stage

S = RecipientState
Now = Callable[[], dt.datetime]
RowRef = JournalRow | int

LOST_REPLY = (
    "Herald stopped while this message was being sent; the server may or may not have accepted it."
)
_PAGE = 1000
_MARKS_DDL = (
    "CREATE TABLE IF NOT EXISTS mailbox_marks (row INTEGER NOT NULL, kind TEXT NOT NULL, "
    "detail TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (row, kind))"
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _number(row: RowRef) -> int:
    return row if isinstance(row, int) else row.row


class Journal:
    """Use `Journal.create`, `Journal.open` or `Journal.open_readonly`; close when done."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, lock: ProcessLock | None, now: Now
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self._now = now
        self._tx = Transactions(conn, path, self._forget_read_ahead)
        self._mutex = self._tx.mutex
        self._claims = Claimer(self._query)
        self._statements: dict[tuple[str, str, tuple[RecipientState, ...]], str] = {}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.name: str = meta["name"]
        self.created_at = from_text(meta["created_at"])
        self.settings: dict[str, JsonValue] = json.loads(meta["settings"])
        self.headers: tuple[str, ...] = tuple(json.loads(meta["headers"]))
        self.sources = tuple(
            SourceFile(SourceRole(role), Path(path), sha)
            for role, path, sha in conn.execute("SELECT role, path, sha256 FROM sources")
        )

    # ---- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, snapshot: CampaignSnapshot, *, now: Now = _utc_now) -> Journal:
        """Snapshot a campaign into a new journal file; refuses to overwrite an existing one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = ProcessLock(path)
        lock.acquire()
        conn: sqlite3.Connection | None = None
        try:
            if path.exists() and path.stat().st_size > 0:
                raise JournalError(
                    f"A journal already exists at {path}. Resume that send (herald send "
                    "--resume), or delete the file to start the campaign over."
                )
            conn = connect(path)
            conn.execute("BEGIN IMMEDIATE")
            write_snapshot(conn, snapshot, now())
            conn.execute(
                "INSERT INTO events (at, kind, detail) VALUES (?, ?, '')",
                (to_text(now()), EventKind.STARTED.value),
            )
            conn.execute("COMMIT")
            return cls(path, conn, lock, now)
        except BaseException as exc:
            if conn is not None:
                conn.close()
                for leftover in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm"))):
                    leftover.unlink(missing_ok=True)
            lock.release()
            if isinstance(exc, sqlite3.Error):
                raise JournalError(write_failure(path, exc)) from exc
            raise

    @classmethod
    def open(cls, path: Path, *, now: Now = _utc_now) -> Journal:
        """Open for resuming. Takes the campaign lock; call `recover()` next."""
        if not path.is_file():
            raise JournalError(f"No journal at {path}: this campaign has not been sent yet.")
        lock = ProcessLock(path)
        lock.acquire()
        try:
            conn = connect(path)
            return cls._checked(path, conn, lock, now)
        except BaseException as exc:
            lock.release()
            if isinstance(exc, sqlite3.Error):
                raise JournalError(write_failure(path, exc)) from exc
            raise

    @classmethod
    def open_readonly(cls, path: Path) -> Journal:
        """For reports: no lock, so it works while a send is running; every write fails."""
        if not path.is_file():
            raise JournalError(f"No journal at {path}: this campaign has not been sent yet.")
        try:
            return cls._checked(path, connect(path, read_only=True), None, _utc_now)
        except sqlite3.Error as exc:
            raise JournalError(f"Cannot read the journal {path}: {exc}.") from exc

    @classmethod
    def _checked(
        cls, path: Path, conn: sqlite3.Connection, lock: ProcessLock | None, now: Now
    ) -> Journal:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            conn.close()
            raise JournalError(
                f"{path} is not a Herald journal this version can read (format {version})."
            )
        return cls(path, conn, lock, now)

    def close(self) -> None:
        """Commit what is held, close, release the campaign lock (even if the commit fails)."""
        with self._mutex:
            try:
                if self._lock is not None:
                    self.commit()
            finally:
                self._conn.close()
                if self._lock is not None:
                    self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the engine's side -----------------------------------------------------------------

    def claim_next(self, now: dt.datetime) -> JournalRow | None:
        """The next row to send: a deferred row now due, else the first pending row."""
        with self._mutex:
            taken = self._claims.next(now)
            if taken is None:
                return None
            number, record = taken
            return decode(record) if record is not None else self.get(number)

    def mark_sending(self, row: RowRef, message_id: str, *, durable: bool = True) -> int:
        """Committed (with everything held) before it returns, i.e. before DATA: from here a
        crash makes the row `unknown`, never `pending`. With durable=False the mark is held and
        the caller must `commit(upto=<returned number>)` before DATA (MAIL and RCPT may go
        first: a crash before the commit leaves the row pending, and no message went out)."""
        self._move(
            row, S.SENDING, (S.PENDING, S.DEFERRED),
            "message_id = ?, last_attempt_at = ?, next_attempt_at = NULL",
            (message_id, self._stamp()), durable=durable,
        )  # fmt: skip
        return self._tx.written

    def mark_sent(self, row: RowRef, reply_code: int, reply_text: str) -> None:
        stamp = self._stamp()
        self._move(
            row, S.SENT, (S.SENDING,),
            "attempts = attempts + 1, smtp_code = ?, smtp_text = ?, stage = ?, sent_at = ?,"
            " last_attempt_at = ?",
            (reply_code, reply_text, Stage.MESSAGE.value, stamp, stamp),
        )  # fmt: skip

    def mark_failed(self, row: RowRef, code: int | None, text: str, stage: Stage) -> None:
        self._outcome(row, S.FAILED, code, text, stage, None)

    def mark_deferred(
        self, row: RowRef, code: int | None, text: str, stage: Stage, next_attempt_at: dt.datetime
    ) -> None:
        self._outcome(row, S.DEFERRED, code, text, stage, to_text(next_attempt_at))
        self._claims.deferred_changed()

    def mark_unknown(self, row: RowRef, code: int | None, text: str) -> None:
        self._move(
            row, S.UNKNOWN, (S.SENDING,),
            "attempts = attempts + 1, smtp_code = ?, smtp_text = ?, stage = ?,"
            " last_attempt_at = ?",
            (code, text, Stage.MESSAGE.value, self._stamp()),
        )  # fmt: skip

    def release(self, row: RowRef) -> None:
        """Back to pending when nothing reached the server (e.g. connection lost before MAIL)."""
        self._move(row, S.PENDING, (S.PENDING, S.DEFERRED, S.SENDING), "next_attempt_at = NULL", ())

    def commit(self, upto: int | None = None) -> None:
        """Make held writes durable (one fsync); with `upto` (from `mark_sending(...,
        durable=False)`), only if that write is not durable yet. Cheap when nothing is held."""
        self._tx.commit(upto)

    def recover(self) -> list[JournalRow]:
        """After a crash: rows left `sending` become `unknown`. Returns them for the user."""
        numbers = [r for (r,) in self._query("SELECT row FROM recipients WHERE state = 'sending'")]
        if numbers:
            with self._tx.writing(durable=True):
                self._conn.execute(
                    "UPDATE recipients SET state = 'unknown', attempts = attempts + 1,"
                    " stage = 'message', smtp_text = CASE WHEN smtp_text = '' THEN ?"
                    " ELSE smtp_text END WHERE state = 'sending'",
                    (LOST_REPLY,),
                )
                self._insert_event(EventKind.RECOVERED, f"{len(numbers)} row(s) now unknown")
        self._claims.claimed.clear()
        self._forget_read_ahead()
        return [r for n in numbers if (r := self.get(n)) is not None]

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Several changes in one commit, all or none: if anything in the batch fails, the
        whole batch is rolled back and the error raised (held outcomes are committed first)."""
        return self._tx.batch()

    # ---- the user's side -------------------------------------------------------------------

    def retry_failed(self, rows: Iterable[RowRef] | None = None) -> int:
        """Failed rows (all, or those of `rows`) go back to pending (attempts kept)."""
        return self._bulk(S.FAILED, S.PENDING, rows, "next_attempt_at = NULL")

    def resend_unknown(self, rows: Iterable[RowRef] | None = None) -> int:
        """Only on the user's word: the server may already hold these messages."""
        return self._bulk(S.UNKNOWN, S.PENDING, rows, "next_attempt_at = NULL")

    def mark_unknown_as_sent(self, rows: Iterable[RowRef] | None = None) -> int:
        return self._bulk(
            S.UNKNOWN, S.SENT, rows,
            "sent_at = last_attempt_at, smtp_text = smtp_text || ' (marked as sent by the user)'",
        )  # fmt: skip

    # ---- reading ---------------------------------------------------------------------------

    def get(self, row: RowRef) -> JournalRow | None:
        sql = f"SELECT {COLUMNS} FROM recipients WHERE row = ?"
        return self._read_one(sql, (_number(row),))

    def counts(self) -> dict[RecipientState, int]:
        found = dict(self._query("SELECT state, COUNT(*) FROM recipients GROUP BY state"))
        return {state: found.get(state.value, 0) for state in RecipientState}

    def rows(self, state: RecipientState | None = None) -> Iterator[JournalRow]:
        """Every row in workbook order, read a page at a time (no long read transaction)."""
        where = "" if state is None else "AND state = ?"
        after = -1
        while True:
            page = self._query(
                f"SELECT {COLUMNS} FROM recipients WHERE row > ? {where} ORDER BY row LIMIT ?",
                (after, *(() if state is None else (state.value,)), _PAGE),
            )
            yield from (decode(record) for record in page)
            if len(page) < _PAGE:
                return
            after = page[-1][0]

    def row_numbers(self) -> set[int]:
        """The workbook rows this journal holds (the others were skipped by the send)."""
        return {number for (number,) in self._query("SELECT row FROM recipients")}

    def outcomes(self) -> Iterator[RowOutcome]:
        """Each row's state and last reply in workbook order, without its fields (no JSON to
        decode: ten times quicker than `rows()` for the Report page's 100,000-row table)."""
        after = -1
        sql = (
            "SELECT row, address, state, smtp_code, smtp_text, COALESCE(sent_at, last_attempt_at)"
            " FROM recipients WHERE row > ? ORDER BY row LIMIT ?"
        )
        while True:
            page = self._query(sql, (after, _PAGE))
            for number, address, state, code, text, at in page:
                yield RowOutcome(
                    number, address, RecipientState(state), code, text or "", from_text(at)
                )
            if len(page) < _PAGE:
                return
            after = page[-1][0]

    def next_deferred_at(self) -> dt.datetime | None:
        sql = "SELECT MIN(next_attempt_at) FROM recipients WHERE state = 'deferred'"
        return from_text(self._query(sql)[0][0])

    def changed_sources(self) -> list[SourceChange]:
        """Files that differ from the snapshot: resume warns, then follows the snapshot."""
        changes = []
        for source in self.sources:
            if not source.path.is_file():
                changes.append(SourceChange(source, "missing"))
            elif sha256_file(source.path) != source.sha256:
                changes.append(SourceChange(source, "changed"))
        return changes

    # ---- campaign events and flags ---------------------------------------------------------

    def record_event(self, kind: EventKind, detail: str = "") -> None:
        with self._tx.writing(durable=True):
            self._insert_event(kind, detail)

    def events(self) -> list[JournalEvent]:
        return [
            JournalEvent(at, EventKind(kind), detail)
            for text, kind, detail in self._query("SELECT at, kind, detail FROM events ORDER BY id")
            if (at := from_text(text)) is not None
        ]

    @property
    def outbox_used(self) -> bool:
        found: str = self._query("SELECT value FROM meta WHERE key = 'outbox_used'")[0][0]
        return found == "1"

    def set_outbox_used(self, used: bool) -> None:
        with self._tx.writing(durable=True):
            self._conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'outbox_used'", ("1" if used else "0",)
            )

    # ---- what the mailbox said afterwards (bounces, the copy filed in Sent) ---------------

    def mark_mailbox(self, row: RowRef, kind: MailboxMark, detail: str = "") -> bool:
        """Record a mailbox fact about a row once; False when it was already recorded (so a
        rescan or a resumed copy-to-Sent never counts or appends twice)."""
        with self._tx.writing(durable=True):
            self._conn.execute(_MARKS_DDL)
            cursor = self._conn.execute(
                "INSERT OR IGNORE INTO mailbox_marks (row, kind, detail, at) VALUES (?, ?, ?, ?)",
                (_number(row), kind.value, detail, self._stamp()),
            )
            return cursor.rowcount == 1

    def mailbox_marks(self, kind: MailboxMark | None = None) -> dict[int, dict[MailboxMark, str]]:
        """row -> {mark: detail}; empty for a journal no mailbox was read for."""
        made = self._query("SELECT 1 FROM sqlite_master WHERE name = 'mailbox_marks'")
        if not made:  # the table is made on the first mark
            return {}
        found = self._query("SELECT row, kind, detail FROM mailbox_marks ORDER BY row")
        marks: dict[int, dict[MailboxMark, str]] = {}
        for row, text, detail in found:
            mark = MailboxMark(text)
            if kind is None or mark is kind:
                marks.setdefault(row, {})[mark] = detail
        return marks

    # ---- plumbing --------------------------------------------------------------------------

    def _outcome(
        self,
        row: RowRef,
        state: RecipientState,
        code: int | None,
        text: str,
        stage: Stage,
        next_at: str | None,
    ) -> None:
        self._move(
            row, state, (S.PENDING, S.DEFERRED, S.SENDING),
            "attempts = attempts + 1, smtp_code = ?, smtp_text = ?, stage = ?,"
            " last_attempt_at = ?, next_attempt_at = ?",
            (code, text, stage.value, self._stamp(), next_at),
        )  # fmt: skip

    def _move(
        self,
        row: RowRef,
        to: RecipientState,
        allowed: tuple[RecipientState, ...],
        assignments: str,
        args: tuple[Any, ...],
        *,
        durable: bool = False,
    ) -> None:
        """One UPDATE, checked by its row count; the row is not read back (this is the hot
        path: twice per message)."""
        number = _number(row)
        key = (to.value, assignments, allowed)
        sql = self._statements.get(key)
        if sql is None:  # built once per transition; sqlite3 caches the prepared statement
            marks = ",".join(f"'{s.value}'" for s in allowed)
            sql = f"UPDATE recipients SET state = '{to.value}', {assignments}"
            sql += f" WHERE row = ? AND state IN ({marks})"
            self._statements[key] = sql
        with self._tx.writing(durable=durable):
            changed = self._conn.execute(sql, (*args, number)).rowcount
        if changed != 1:
            current = self.get(number)
            raise JournalStateError(
                f"Row {number} cannot become {to}: it is "
                + (f"{current.state}." if current else "not in this campaign.")
            )
        claims = self._claims
        if number not in claims.claimed:
            self._forget_read_ahead()  # not a row we handed out: the read-ahead may hold it
        if to is S.PENDING:
            claims.queue.returned(number)
        elif to is not S.SENDING:
            claims.claimed.discard(number)

    def _bulk(
        self,
        old: RecipientState,
        new: RecipientState,
        rows: Iterable[RowRef] | None,
        assignments: str,
    ) -> int:
        sql = f"UPDATE recipients SET state = ?, {assignments} WHERE state = ?"
        self._forget_read_ahead()
        with self._tx.writing(durable=True):
            if rows is None:
                return self._conn.execute(sql, (new.value, old.value)).rowcount
            args = [(new.value, old.value, _number(r)) for r in rows]
            before = self._conn.total_changes
            self._conn.executemany(f"{sql} AND row = ?", args)
            return self._conn.total_changes - before

    def _insert_event(self, kind: EventKind, detail: str) -> None:
        self._conn.execute(
            "INSERT INTO events (at, kind, detail) VALUES (?, ?, ?)",
            (self._stamp(), kind.value, detail),
        )

    def _stamp(self) -> str:
        return to_text(self._now())

    def _forget_read_ahead(self) -> None:
        self._claims.forget()

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        return self._tx.query(sql, args)

    def _read_one(self, sql: str, args: tuple[Any, ...]) -> JournalRow | None:
        found = self._query(sql, args)
        return decode(found[0]) if found else None
