"""Claiming from the read-ahead: workbook order, no repeats, nothing stale handed out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.journal.claims import READ_AHEAD
from app.core.send.contracts import RecipientState as S
from app.core.send.contracts import Stage
from tests.core.journal.helpers import T0, new_journal


def _claim_all(journal) -> list[int]:  # type: ignore[no-untyped-def]
    rows = []
    while (row := journal.claim_next(T0)) is not None:
        rows.append(row.row)
    return rows


def test_claims_cross_read_ahead_pages_in_workbook_order_without_repeats(tmp_path: Path) -> None:
    count = 2 * READ_AHEAD + 7
    with new_journal(tmp_path, count) as journal:
        assert _claim_all(journal) == list(range(2, count + 2))


def test_a_released_row_comes_back_before_later_rows(tmp_path: Path) -> None:
    with new_journal(tmp_path, 5) as journal:
        rows = [journal.claim_next(T0) for _ in range(3)]
        assert [r.row for r in rows if r] == [2, 3, 4]
        journal.mark_sending(rows[1], rows[1].message_id)  # type: ignore[union-attr]
        journal.release(rows[1])
        assert _claim_all(journal) == [3, 5, 6]


def test_a_deferred_row_released_after_the_read_ahead_passed_it_is_claimed_again(
    tmp_path: Path,
) -> None:
    with new_journal(tmp_path, 3) as journal:
        first = journal.claim_next(T0)
        assert first is not None
        journal.mark_deferred(first, 451, "4.3.0 later", Stage.MESSAGE, T0)
        again = journal.claim_next(T0)
        assert again is not None and again.row == 2 and again.state is S.DEFERRED
        journal.release(again)  # e.g. the connection dropped before MAIL
        assert _claim_all(journal) == [2, 3, 4]


def test_a_row_changed_without_being_claimed_is_not_handed_out(tmp_path: Path) -> None:
    with new_journal(tmp_path, 4) as journal:
        first = journal.claim_next(T0)  # reads rows 2..5 ahead
        assert first is not None and first.row == 2
        journal.mark_failed(3, 550, "5.1.1 removed by hand", Stage.RCPT)  # never claimed
        assert _claim_all(journal) == [4, 5]


def test_rows_put_back_by_the_user_are_claimed_again_in_order(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        for _ in range(3):
            row = journal.claim_next(T0)
            journal.mark_failed(row, 550, "no", Stage.RCPT)  # type: ignore[arg-type]
        assert journal.claim_next(T0) is None
        assert journal.retry_failed() == 3
        assert _claim_all(journal) == [2, 3, 4]


def test_a_due_deferred_row_goes_before_pending_rows_and_only_once(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        first = journal.claim_next(T0)
        due = T0 + dt.timedelta(seconds=30)
        journal.mark_deferred(first, 450, "later", Stage.RCPT, due)  # type: ignore[arg-type]
        assert journal.claim_next(T0).row == 3  # type: ignore[union-attr]
        later = due + dt.timedelta(seconds=1)
        assert [journal.claim_next(later).row for _ in range(2)] == [2, 4]  # type: ignore[union-attr]
        assert journal.claim_next(later) is None
