"""The per-recipient state machine, as the send engine drives it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.journal import Journal, JournalStateError
from app.core.send.contracts import RecipientState as S
from app.core.send.contracts import Stage
from tests.core.journal.helpers import T0, FakeNow, new_journal


def test_claim_next_walks_pending_rows_in_workbook_order_without_repeating(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        claimed = [journal.claim_next(T0) for _ in range(4)]
        assert [r.row if r else None for r in claimed] == [2, 3, 4, None]
        # claiming is in memory only: on disk every row is still pending
        assert journal.counts()[S.PENDING] == 3


def test_a_sent_row_records_reply_attempt_and_times(tmp_path: Path) -> None:
    now = FakeNow()
    with new_journal(tmp_path, 2, now) as journal:
        row = journal.claim_next(T0)
        assert row is not None
        journal.mark_sending(row, "<new@herald.example.org>")
        sending = journal.get(row)
        assert sending is not None
        assert sending.state is S.SENDING and sending.last_attempt_at == T0
        now.advance(2)
        journal.mark_sent(row, 250, "2.0.0 Ok: queued as 42")
        sent = journal.get(row)
        assert sent is not None
        assert (sent.state, sent.attempts, sent.smtp_code) == (S.SENT, 1, 250)
        assert sent.smtp_text == "2.0.0 Ok: queued as 42"
        assert sent.message_id == "<new@herald.example.org>"
        assert sent.sent_at == T0 + dt.timedelta(seconds=2)
        assert sent.stage is Stage.MESSAGE


def test_a_permanent_failure_before_data_is_failed_and_never_claimed_again(tmp_path: Path) -> None:
    with new_journal(tmp_path, 2) as journal:
        row = journal.claim_next(T0)
        assert row is not None
        journal.mark_failed(row, 550, "5.1.1 User unknown", Stage.RCPT)
        failed = journal.get(row)
        assert failed is not None
        assert (failed.state, failed.attempts, failed.stage) == (S.FAILED, 1, Stage.RCPT)
        nxt = journal.claim_next(T0 + dt.timedelta(days=1))
        assert nxt is not None and nxt.row == 3
        assert journal.claim_next(T0 + dt.timedelta(days=1)) is None


def test_a_deferred_row_comes_back_only_when_due_and_before_pending_rows(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        first = journal.claim_next(T0)
        assert first is not None
        due = T0 + dt.timedelta(seconds=60)
        journal.mark_deferred(first, 450, "4.2.1 try later", Stage.RCPT, due)
        assert journal.next_deferred_at() == due
        assert journal.claim_next(T0).row == 3  # type: ignore[union-attr]
        again = journal.claim_next(due)
        assert again is not None and again.row == 2 and again.attempts == 1
        journal.mark_sending(again, again.message_id)
        journal.mark_sent(again, 250, "ok")
        sent = journal.get(again)
        assert sent is not None
        assert (sent.attempts, sent.next_attempt_at) == (2, None)
        assert journal.next_deferred_at() is None


def test_release_returns_a_row_to_pending_without_counting_an_attempt(tmp_path: Path) -> None:
    with new_journal(tmp_path, 1) as journal:
        row = journal.claim_next(T0)
        assert row is not None
        journal.mark_sending(row, row.message_id)
        journal.release(row)
        released = journal.get(row)
        assert released is not None
        assert (released.state, released.attempts) == (S.PENDING, 0)
        assert journal.claim_next(T0) == released


def test_a_lost_final_reply_makes_the_row_unknown_and_it_is_not_claimed(tmp_path: Path) -> None:
    with new_journal(tmp_path, 1) as journal:
        row = journal.claim_next(T0)
        assert row is not None
        journal.mark_sending(row, row.message_id)
        journal.mark_unknown(row, None, "connection closed after the final dot")
        unknown = journal.get(row)
        assert unknown is not None
        assert (unknown.state, unknown.smtp_code, unknown.attempts) == (S.UNKNOWN, None, 1)
        assert journal.claim_next(T0 + dt.timedelta(days=1)) is None


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ("pending", lambda j, r: j.mark_sent(r, 250, "ok")),
        ("pending", lambda j, r: j.mark_unknown(r, None, "lost")),
        ("sent", lambda j, r: j.mark_sending(r, "<x@example.org>")),
        ("sent", lambda j, r: j.mark_failed(r, 550, "no", Stage.RCPT)),
        ("sent", lambda j, r: j.release(r)),
        ("unknown", lambda j, r: j.mark_sending(r, "<x@example.org>")),
    ],
)
def test_transitions_outside_the_state_machine_are_refused(tmp_path, setup, move) -> None:
    with new_journal(tmp_path, 1) as journal:
        row = journal.claim_next(T0)
        if setup in ("sent", "unknown"):
            journal.mark_sending(row, row.message_id)
            if setup == "sent":
                journal.mark_sent(row, 250, "ok")
            else:
                journal.mark_unknown(row, None, "lost")
        before = journal.get(row)
        with pytest.raises(JournalStateError, match="Row 2 cannot become"):
            move(journal, row)
        assert journal.get(row) == before


def test_retry_failed_puts_failed_rows_back_keeping_their_attempts(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        for _ in range(2):
            row = journal.claim_next(T0)
            journal.mark_failed(row, 550, "no", Stage.RCPT)  # type: ignore[arg-type]
        assert journal.retry_failed() == 2
        again = journal.claim_next(T0)
        assert again is not None and again.row == 2 and again.attempts == 1
        assert journal.counts()[S.FAILED] == 0


def test_unknown_rows_move_only_when_the_user_says_which(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        for _ in range(3):
            row = journal.claim_next(T0)
            journal.mark_sending(row, row.message_id)  # type: ignore[union-attr]
            journal.mark_unknown(row, None, "lost")  # type: ignore[arg-type]
        assert journal.resend_unknown([2]) == 1
        assert journal.mark_unknown_as_sent([3]) == 1
        assert journal.get(2).state is S.PENDING  # type: ignore[union-attr]
        marked = journal.get(3)
        assert marked is not None and marked.state is S.SENT and marked.sent_at == T0
        assert "marked as sent by the user" in marked.smtp_text
        assert journal.resend_unknown() == 1  # the rest: row 4
        assert journal.counts() == {s: 0 for s in S} | {S.PENDING: 2, S.SENT: 1}


def test_rows_iterates_every_row_across_pages_and_filters_by_state(tmp_path: Path) -> None:
    with new_journal(tmp_path, 2500) as journal:
        assert [r.row for r in journal.rows()] == list(range(2, 2502))
        row = journal.claim_next(T0)
        journal.mark_failed(row, 550, "no", Stage.RCPT)  # type: ignore[arg-type]
        assert [r.row for r in journal.rows(S.FAILED)] == [2]
        assert len(list(journal.rows(S.PENDING))) == 2499


def test_campaign_events_and_the_outbox_flag_are_kept(tmp_path: Path) -> None:
    from app.core.journal import EventKind

    now = FakeNow()
    with new_journal(tmp_path, 1, now) as journal:
        now.advance(5)
        journal.record_event(EventKind.PAUSED, "10 failures in a row")
        journal.set_outbox_used(True)
    from app.core.journal import Journal

    with Journal.open(tmp_path / "c.herald.sqlite") as reopened:
        kinds = [(e.kind, e.detail) for e in reopened.events()]
        assert kinds == [(EventKind.STARTED, ""), (EventKind.PAUSED, "10 failures in a row")]
        assert reopened.events()[1].at == T0 + dt.timedelta(seconds=5)
        assert reopened.outbox_used is True


def test_a_batch_commits_several_changes_at_once_or_none_of_them(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3) as journal:
        first, second = journal.claim_next(T0), journal.claim_next(T0)
        assert first is not None and second is not None
        journal.mark_sending(first, first.message_id)
        before = journal._conn.total_changes
        with journal.batch():
            journal.mark_sent(first, 250, "ok")
            journal.mark_sending(second, second.message_id)
            # not yet visible to another connection: nothing is committed inside the batch
            with Journal.open_readonly(journal.path) as view:
                assert view.counts()[S.SENT] == 0
        assert journal._conn.total_changes - before == 2
        assert journal.counts()[S.SENT] == 1 and journal.counts()[S.SENDING] == 1

        third = journal.claim_next(T0)
        with pytest.raises(JournalStateError), journal.batch():
            journal.mark_sent(second, 250, "ok")
            journal.mark_sent(third, 250, "ok")  # type: ignore[arg-type]  # never marked sending
        assert journal.get(second).state is S.SENDING  # type: ignore[union-attr]  # rolled back
