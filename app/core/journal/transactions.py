"""How the journal writes: held changes, durable commits, batches, and what a failure poisons.

A commit with `synchronous=FULL` costs an fsync, and the event loop waits for it. So writes go
into one open transaction and a commit is made only where durability matters: before DATA (the
`sending` mark) and for the user's own actions. Everything written meanwhile rides along.

Each write gets a sequence number; `commit(upto=n)` returns at once when write n is already
durable, so a worker whose `sending` mark was carried by another worker's commit pays nothing.

If a statement fails while other writes are held, the rollback takes them too. Those writes
were promised to their callers (a `sending` mark about to guard a DATA), so from then on every
commit raises: the send stops before anything else goes out (see errors.JournalError).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.core.journal.errors import JournalError


def write_failure(path: Path, exc: BaseException) -> str:
    return (
        f"Cannot write the send journal {path}: {exc}. Sending stops before the next message, "
        "so nothing goes out without a record. Free some disk space or make the file writable, "
        "then resume with `herald send --resume`."
    )


class Transactions:
    def __init__(self, conn: sqlite3.Connection, path: Path, on_rollback: Callable[[], None]):
        self.conn = conn
        self.mutex = threading.RLock()
        self._path = path
        self._on_rollback = on_rollback  # the journal drops what it cached from the table
        self._batch_depth = 0
        self._written = 0  # sequence number of the last write
        self._durable = 0  # every write up to this number is committed
        self._poisoned: JournalError | None = None

    @property
    def written(self) -> int:
        return self._written

    @contextlib.contextmanager
    def writing(self, *, durable: bool) -> Iterator[None]:
        """Write inside the open transaction (opening one if needed); commit if `durable`."""
        with self.mutex:
            if self._batch_depth:  # inside batch(): the batch commits once at its end
                yield
                return
            self._check()
            try:
                held = self.conn.in_transaction
                if not held:
                    self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException as exc:
                    self._rollback(exc, lost_others=held)
                    raise
                self._written += 1
                if durable:
                    self._commit()
            except sqlite3.Error as exc:
                self._rollback(exc, lost_others=held)
                raise JournalError(write_failure(self._path, exc)) from exc

    def commit(self, upto: int | None = None) -> None:
        """Make held writes durable; with `upto`, only if write `upto` is not durable yet."""
        with self.mutex:
            self._check()
            if self._batch_depth or (upto is not None and self._durable >= upto):
                return
            if not self.conn.in_transaction:
                self._durable = self._written
                return
            try:
                self._commit()
            except sqlite3.Error as exc:
                self._rollback(exc, lost_others=True)
                raise JournalError(write_failure(self._path, exc)) from exc

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several writes in one commit, all or none. Held writes are committed first, so a
        failed batch rolls back only its own."""
        with self.mutex:
            if self._batch_depth:
                self._batch_depth += 1
                try:
                    yield
                finally:
                    self._batch_depth -= 1
                return
            self.commit()
            with self.writing(durable=True):
                self._batch_depth = 1
                try:
                    yield
                finally:
                    self._batch_depth = 0

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with self.mutex:
            try:
                return self.conn.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise JournalError(f"Cannot read the journal {self._path}: {exc}.") from exc

    def _commit(self) -> None:
        self.conn.execute("COMMIT")
        self._durable = self._written

    def _check(self) -> None:
        if self._poisoned is not None:
            raise self._poisoned

    def _rollback(self, exc: BaseException, *, lost_others: bool) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        if lost_others and self._durable < self._written:
            self._poisoned = JournalError(write_failure(self._path, exc))
        self._on_rollback()
