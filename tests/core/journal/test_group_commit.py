"""Group commit: `sending` is durable before DATA; outcomes ride along with the next commit."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from app.core.journal import Journal, JournalError
from app.core.send.contracts import RecipientState as S
from app.core.send.contracts import Stage
from tests.core.journal.helpers import T0, new_journal, start_holder


def _on_disk(path: Path, row: int) -> S:
    with Journal.open_readonly(path) as view:  # another connection sees committed data only
        found = view.get(row)
        assert found is not None
        return found.state


def test_sending_is_on_disk_when_mark_sending_returns(tmp_path: Path) -> None:
    with new_journal(tmp_path, 2) as journal:
        row = journal.claim_next(T0)
        assert row is not None
        journal.mark_sending(row, row.message_id)
        assert _on_disk(journal.path, row.row) is S.SENDING


def test_an_outcome_is_read_at_once_and_committed_with_the_next_sending_mark(
    tmp_path: Path,
) -> None:
    with new_journal(tmp_path, 2) as journal:
        first, second = journal.claim_next(T0), journal.claim_next(T0)
        assert first is not None and second is not None
        journal.mark_sending(first, first.message_id)
        journal.mark_sent(first, 250, "ok")
        assert journal.counts()[S.SENT] == 1  # this connection reads its own writes
        assert _on_disk(journal.path, first.row) is S.SENDING  # held: not yet committed
        journal.mark_sending(second, second.message_id)  # one commit for both
        assert _on_disk(journal.path, first.row) is S.SENT
        assert _on_disk(journal.path, second.row) is S.SENDING


def test_commit_and_close_make_held_outcomes_durable(tmp_path: Path) -> None:
    journal = new_journal(tmp_path, 3)
    rows = [journal.claim_next(T0) for _ in range(3)]
    for row in rows[:2]:
        assert row is not None
        journal.mark_sending(row, row.message_id)
        journal.mark_failed(row, 550, "5.1.1 no such user", Stage.RCPT)
    journal.commit()
    assert _on_disk(journal.path, 3) is S.FAILED
    journal.release(rows[2])
    journal.mark_failed(rows[2], 550, "5.1.1 no such user", Stage.RCPT)
    journal.close()
    assert _on_disk(journal.path, 4) is S.FAILED


def test_a_crash_before_the_commit_turns_a_held_sent_into_unknown_never_pending(
    tmp_path: Path,
) -> None:
    new_journal(tmp_path, 3).close()
    path = tmp_path / "c.herald.sqlite"
    holder = start_holder(path, "held")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    with Journal.open(path) as journal:
        recovered = journal.recover()
        assert [(r.row, r.state) for r in recovered] == [(2, S.UNKNOWN)]
        assert journal.counts()[S.PENDING] == 2  # never resent: only rows 3 and 4 are left
        assert [journal.claim_next(T0).row for _ in range(2)] == [3, 4]  # type: ignore[union-attr]


def test_a_failed_batch_does_not_roll_back_outcomes_held_before_it(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        first, second = journal.claim_next(T0), journal.claim_next(T0)
        assert first is not None and second is not None
        journal.mark_sending(first, first.message_id)
        journal.mark_sent(first, 250, "ok")
        with pytest.raises(JournalError), journal.batch():
            journal.mark_sending(second, second.message_id)
            journal._conn.execute("INSERT INTO nowhere VALUES (1)")  # an SQL failure mid-batch
        assert _on_disk(journal.path, first.row) is S.SENT
        assert journal.get(second.row).state is S.PENDING  # type: ignore[union-attr]
