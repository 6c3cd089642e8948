"""Which row goes next: the journal's in-memory claims and its read-ahead of pending rows.

Claims live in memory only (a claimed row is still `pending` on disk until `mark_sending`), so
choosing the next row needs no write. Reading one row per claim costs a query or two per
message, a fifth of what the journal spends; so pending rows are read a page at a time, in
workbook order, and handed out from memory. The page is only a cache: anything that could make
it wrong (a row released back to pending, a bulk change, a failed write) either feeds the
released row back in order or throws the page away, and the next claim reads afresh.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import Any

READ_AHEAD = 256  # rows per read; small enough to stay cheap, large enough to amortise


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
