"""Only one Herald may send a campaign: a second process is refused, a dead one frees it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from app.core.journal import Journal, JournalLocked
from tests.core.journal.helpers import new_journal, start_holder


def test_a_second_process_is_refused_and_named_until_the_first_is_killed(tmp_path: Path) -> None:
    new_journal(tmp_path).close()
    path = tmp_path / "c.herald.sqlite"
    holder = start_holder(path, "hold")
    try:
        with pytest.raises(JournalLocked) as refused:
            Journal.open(path)
        assert refused.value.pid == holder.pid
        assert str(holder.pid) in str(refused.value) and "one Herald" in str(refused.value)
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # no cleanup runs: the OS must drop the lock
        holder.wait(timeout=10)
    with Journal.open(path) as journal:
        assert journal.name == "Spring letter"


def test_the_lock_is_released_on_close_and_held_while_open(tmp_path: Path) -> None:
    journal = new_journal(tmp_path)
    path = tmp_path / "c.herald.sqlite"
    with pytest.raises(JournalLocked):
        Journal.open(path)
    journal.close()
    Journal.open(path).close()


def test_a_read_only_report_view_works_while_a_send_holds_the_lock(tmp_path: Path) -> None:
    with new_journal(tmp_path, 3), Journal.open_readonly(tmp_path / "c.herald.sqlite") as view:
        assert len(list(view.rows())) == 3
