"""kill -9, copies taken mid-run, write failures: the journal must never lie about a send."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.journal import Journal, JournalError
from app.core.send.contracts import RecipientState as S
from tests.core.journal.helpers import REPO, T0, new_journal, start_holder


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_the_journal_runs_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    new_journal(tmp_path).close()
    with Journal.open(tmp_path / "c.herald.sqlite") as journal:
        conn = journal._conn  # the engine's own connection, not a fresh one with defaults
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a_row_left_sending_by_a_killed_process_is_recovered_as_unknown(tmp_path: Path) -> None:
    new_journal(tmp_path, 3).close()
    path = tmp_path / "c.herald.sqlite"
    _kill(start_holder(path, "sending"))

    with Journal.open(path) as journal:
        assert journal.counts()[S.SENDING] == 1
        recovered = journal.recover()
        assert [(r.row, r.state, r.attempts) for r in recovered] == [(2, S.UNKNOWN, 1)]
        assert "may or may not have accepted" in recovered[0].smtp_text
        # never resent without the user's word; the others carry on
        assert [journal.claim_next(T0).row for _ in range(2)] == [3, 4]  # type: ignore[union-attr]
        assert journal.claim_next(T0) is None
        assert journal.recover() == []


def _assert_consistent_prefix(db: Path, total: int) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Journal.open(db) as journal:
        counts = journal.counts()
        assert sum(counts.values()) == total
        assert counts[S.SENT] > 0 and counts[S.SENDING] <= 1
        sent = list(journal.rows(S.SENT))
        assert all(r.smtp_code == 250 and r.sent_at is not None for r in sent)
        assert [r.row for r in sent] == list(range(2, 2 + len(sent)))  # a prefix: nothing skipped


def test_the_files_left_by_a_process_killed_mid_run_copy_and_open_consistently(
    tmp_path: Path,
) -> None:
    # What a crash leaves (the database and its -wal at one instant) is what a copy must hold.
    # A plain file copy of a database still being written is no such instant: SQLite may
    # checkpoint into the main file between the two copies, so live copies use backup() below.
    new_journal(tmp_path, 20_000).close()
    path = tmp_path / "c.herald.sqlite"
    proc = start_holder(path, "churn")
    time.sleep(0.5)
    _kill(proc)
    copy = tmp_path / "copy"
    copy.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{path}{suffix}", copy / f"c.herald.sqlite{suffix}")
    _assert_consistent_prefix(copy / "c.herald.sqlite", 20_000)


def test_an_online_backup_taken_mid_run_opens_consistently(tmp_path: Path) -> None:
    new_journal(tmp_path, 20_000).close()
    path = tmp_path / "c.herald.sqlite"
    proc = start_holder(path, "churn")
    try:
        time.sleep(0.5)
        source = sqlite3.connect(path)
        target = sqlite3.connect(tmp_path / "backup.herald.sqlite")
        source.backup(target)  # SQLite's own consistent snapshot of a live database
        target.close()
        source.close()
    finally:
        _kill(proc)
    _assert_consistent_prefix(tmp_path / "backup.herald.sqlite", 20_000)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="herald-ro-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


_WRITE_READONLY = """
import os, sys, datetime as dt
from pathlib import Path
from app.core.journal import Journal, JournalError
if os.geteuid() == 0:  # root ignores file modes; drop to nobody after the imports
    os.setgid(65534); os.setuid(65534)
try:
    journal = Journal.open(Path(sys.argv[1]))
    row = journal.claim_next(dt.datetime.now(dt.UTC))
    journal.mark_sending(row, row.message_id)
except JournalError as exc:
    print("JournalError:", exc)
else:
    print("WROTE")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_read_only_journal_raises_journal_error_before_anything_is_sent(
    shared_dir: Path,
) -> None:
    new_journal(shared_dir, 2).close()
    path = shared_dir / "c.herald.sqlite"
    path.chmod(0o444)
    Path(f"{path}.lock").chmod(0o666)  # only the journal itself is read-only
    result = subprocess.run(
        [sys.executable, "-c", _WRITE_READONLY, str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert result.stdout.startswith("JournalError:"), result.stdout + result.stderr
    assert str(path) in result.stdout and "resume" in result.stdout
    path.chmod(0o644)
    with Journal.open(path) as journal:
        assert journal.counts()[S.PENDING] == 2


def test_a_database_that_cannot_grow_raises_journal_error_on_write(tmp_path: Path) -> None:
    with new_journal(tmp_path, 1) as journal:
        # a full disk, as SQLite reports it: the file may not grow by another page
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(JournalError, match="Cannot write the send journal"):
            for number in range(1000):
                journal.record_event(journal.events()[0].kind, "x" * 4000 + str(number))
        row = journal.claim_next(T0)
        assert row is not None and row.state is S.PENDING
