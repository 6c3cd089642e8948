"""SendHistory: per-account SQLite counters that survive a restart and forget after 24 h."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.core.send.history import SendHistory, account_key

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def test_counts_survive_closing_and_reopening_the_file(tmp_path: Path) -> None:
    with SendHistory.for_account("a@example.com", "smtp.example.com", tmp_path) as history:
        history.record(3, NOW - dt.timedelta(hours=2))
        history.record(4, NOW - dt.timedelta(minutes=10))
    with SendHistory.for_account("a@example.com", "smtp.example.com", tmp_path) as history:
        assert history.count_since(NOW - dt.timedelta(hours=24)) == 7
        assert history.count_since(NOW - dt.timedelta(hours=1)) == 4
        events = history.events_since(NOW - dt.timedelta(hours=24))
        assert events == [(NOW - dt.timedelta(hours=2), 3), (NOW - dt.timedelta(minutes=10), 4)]


def test_prune_forgets_sends_older_than_a_day(tmp_path: Path) -> None:
    with SendHistory(tmp_path / "h.sqlite3") as history:
        history.record(100, NOW - dt.timedelta(hours=25))
        history.record(1, NOW - dt.timedelta(hours=23))
        history.prune(NOW)
        assert history.count_since(NOW - dt.timedelta(days=30)) == 1


def test_accounts_are_keyed_case_insensitively_and_kept_apart(tmp_path: Path) -> None:
    key = account_key(" Bob@Example.COM", "SMTP.Example.com ")
    assert key == "bob@example.com@smtp.example.com"
    with SendHistory.for_account("Bob@Example.com", "smtp.example.com", tmp_path) as bob:
        bob.record(5, NOW)
    with SendHistory.for_account("carol@example.com", "smtp.example.com", tmp_path) as carol:
        assert carol.count_since(NOW - dt.timedelta(hours=1)) == 0
    with SendHistory.for_account("bob@example.com", "smtp.example.com", tmp_path) as bob:
        assert bob.count_since(NOW - dt.timedelta(hours=1)) == 5
    assert len(list(tmp_path.glob("*.sqlite3"))) == 2


def test_file_is_wal_and_holds_only_times_and_counts(tmp_path: Path) -> None:
    with SendHistory.for_account("a@example.com", "smtp.example.com", tmp_path) as history:
        history.record(2, NOW)
        path = history.path
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = [row[1] for row in db.execute("PRAGMA table_info(sends)")]
    assert columns == ["at", "recipients"]
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"account": "a@example.com@smtp.example.com"}
    db.close()


def test_default_folder_follows_herald_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path))
    with SendHistory.for_account("a@example.com", "smtp.example.com") as history:
        assert history.path.parent == tmp_path / "history"


def test_naive_times_and_empty_accounts_are_refused(tmp_path: Path) -> None:
    with SendHistory(tmp_path / "h.sqlite3") as history, pytest.raises(ValueError, match="aware"):
        history.record(1, dt.datetime(2026, 1, 5, 9, 0))
    with pytest.raises(ValueError, match="user name and an SMTP host"):
        account_key("", "smtp.example.com")
