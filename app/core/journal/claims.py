# ruff: noqa: S608 - SQL text is assembled only from constants in this module; values are bound.
"""Which row goes next: the journal's in-memory claims and its read-ahead of pending rows.

Claims live in memory only (a claimed row is still `pending` on disk until `mark_sending`), so
choosing the next row needs no write. Reading one row per claim costs a query or two per
message, a fifth of what the journal spends; so pending rows are read a page at a time, in
workbook order, and handed out from memory. The page is only a cache: anything that could make
it wrong (a row released back to pending, a bulk change, a failed write) either feeds the
released row back in order or throws the page away, and the next claim reads afresh.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import deque
from collections.abc import Callable
from typing import Any

from app.core.journal.codec import COLUMNS
from app.core.journal.schema import from_text, to_text

READ_AHEAD = 256  # rows per read; small enough to stay cheap, large enough to amortise
Query = Callable[[str, tuple[Any, ...]], list[Any]]
Taken = tuple[int, tuple[Any, ...] | None]  # (row, its record, or None: read it afresh)

_PENDING_PAGE = (
    f"SELECT {COLUMNS} FROM recipients WHERE state = 'pending' AND row > ? ORDER BY row LIMIT ?"
)
_DUE = f"SELECT {COLUMNS} FROM recipients WHERE state = 'deferred' AND next_attempt_at <= ?"
_EARLIEST_DUE = "SELECT MIN(next_attempt_at) FROM recipients WHERE state = 'deferred'"


class Claimer:
    """Picks the next row: a deferred row now due first, else the next pending row."""

    def __init__(self, query: Query) -> None:
        self._query = query
        self.queue = ClaimQueue()
        self._due: dt.datetime | None = None  # earliest unclaimed deferred row, when known
        self._due_known = False

    @property
    def claimed(self) -> set[int]:
        return self.queue.claimed

    def forget(self) -> None:
        """Drop everything read ahead (not the claims): the table changed under us."""
        self.queue.reset()
        self._due_known = False

    def deferred_changed(self) -> None:
        self._due_known = False

    def next(self, now: dt.datetime) -> Taken | None:
        due = self._earliest_due()
        if due is not None and due <= now:
            self._due_known = False  # the row claimed now no longer counts
            sql = f"{_DUE}{self._not_claimed()} ORDER BY next_attempt_at, row LIMIT 1"
            found = self._query(sql, (to_text(now),))
            if found:
                self.claimed.add(found[0][0])
                return found[0][0], found[0]
        queue = self.queue
        while (taken := queue.take_next()) is None:
            if not queue.needs_page():
                return None
            queue.fill(self._query(_PENDING_PAGE, (queue.page_after(), READ_AHEAD)), READ_AHEAD)
        return taken

    def _earliest_due(self) -> dt.datetime | None:
        if not self._due_known:
            self._due = from_text(self._query(_EARLIEST_DUE + self._not_claimed(), ())[0][0])
            self._due_known = True
        return self._due

    def _not_claimed(self) -> str:
        claimed = self.claimed
        return f" AND row NOT IN ({','.join(map(str, sorted(claimed)))})" if claimed else ""


class ClaimQueue:
    """Claimed row numbers, the read-ahead of pending records, and released rows to redo."""

    def __init__(self) -> None:
        self.claimed: set[int] = set()
        self._ahead: deque[tuple[Any, ...]] = deque()  # raw `recipients` records, row order
        self._after = -1  # the last row number read ahead
        self._exhausted = False  # no pending row after `_after` (until something changes)
        self._returned: list[int] = []  # heap: rows released back to pending, redone first

    def reset(self) -> None:
        """Forget the read-ahead (not the claims): the next claim reads from the table."""
        self._ahead.clear()
        self._after = -1
        self._exhausted = False
        self._returned.clear()

    def returned(self, row: int) -> None:
        """A claimed row went back to pending: offer it again, in workbook order."""
        self.claimed.discard(row)
        if row <= self._after:
            heapq.heappush(self._returned, row)
        else:  # met when the next page is read
            self._exhausted = False

    def needs_page(self) -> bool:
        return not self._ahead and not self._exhausted

    def page_after(self) -> int:
        return self._after

    def fill(self, records: list[tuple[Any, ...]], page: int) -> None:
        self._ahead.extend(records)
        if records:
            self._after = records[-1][0]
        self._exhausted = len(records) < page

    def take_next(self) -> tuple[int, tuple[Any, ...] | None] | None:
        """Claim the lowest unclaimed candidate: (row, its record read ahead or None for a
        returned row, which the caller reads afresh). None when a page must be read first."""
        while self._returned and self._returned[0] in self.claimed:
            heapq.heappop(self._returned)
        while self._ahead and self._ahead[0][0] in self.claimed:
            self._ahead.popleft()
        if self._returned and (not self._ahead or self._returned[0] < self._ahead[0][0]):
            row = heapq.heappop(self._returned)
            self.claimed.add(row)
            return row, None
        if self._ahead:
            record = self._ahead.popleft()
            self.claimed.add(record[0])
            return record[0], record
        return None
