"""Snapshotting a campaign: what is kept, what is refused, how fast, and how it is found."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.core.journal import (
    CampaignSnapshot,
    Journal,
    JournalError,
    SnapshotRow,
    SourceFile,
    SourceRole,
    find_journal_for,
    journal_path_for,
)
from app.core.model import Address, Recipient, RenderedMessage
from tests.core.journal.helpers import T0, make_snapshot, new_journal, snapshot_row


def test_the_snapshot_keeps_rows_sources_settings_and_column_order(tmp_path: Path) -> None:
    with new_journal(tmp_path, 2) as journal:
        assert journal.headers == ("Email", "Name")
        assert journal.settings == {"rate": ["10/s"], "connections": 1}
        assert [s.role for s in journal.sources] == [SourceRole.RECIPIENTS]
        first = journal.get(2)
        assert first is not None and first.fields == {
            "Email": "user2@example.com",
            "Name": "User 2",
        }
        assert first.message_id == "<2@herald.example.org>" and first.recipients == (first.address,)


def test_a_snapshot_row_is_built_from_a_recipient_and_its_rendered_message() -> None:
    import datetime as dt
    import hashlib

    recipient = Recipient(
        row=7,
        to=Address("li.lei@example.com", "李雷"),
        fields={
            "Email": "li.lei@example.com",
            "Name": "李雷",
            "Paid": 12.0,
            "Due": dt.date(2025, 1, 2),
        },
        bcc=(Address("audit@example.org"),),
    )
    message = RenderedMessage(
        7, "<7@example.org>", "me@example.net", recipient.envelope_recipients, b"x"
    )
    row = SnapshotRow.of(recipient, message)
    assert row.recipients == ("li.lei@example.com", "audit@example.org")
    assert row.fields == {  # the workbook's own types: the report writes them back as such
        "Email": "li.lei@example.com",
        "Name": "李雷",
        "Paid": 12.0,
        "Due": dt.date(2025, 1, 2),
    }
    assert row.message_sha256 == hashlib.sha256(b"x").hexdigest()


def test_editing_the_workbook_after_the_start_is_reported_but_the_snapshot_stands(
    tmp_path: Path,
) -> None:
    with new_journal(tmp_path, 2) as journal:
        assert journal.changed_sources() == []
        (tmp_path / "people.csv").write_text(
            "Email,Name\nnew@example.com,Inserted\n", encoding="utf-8"
        )
        changes = journal.changed_sources()
        assert [c.reason for c in changes] == ["changed"]
        assert "was changed since the send started" in str(changes[0])
        assert [r.address for r in journal.rows()] == ["user2@example.com", "user3@example.com"]
        (tmp_path / "people.csv").unlink()
        assert [c.reason for c in journal.changed_sources()] == ["missing"]


def test_two_rows_to_the_same_address_are_refused_naming_both_rows(tmp_path: Path) -> None:
    snapshot = make_snapshot(tmp_path)
    twin = SnapshotRow(
        9, "USER2@example.com", ("USER2@example.com",), {}, "0" * 64, "<9@x.example>"
    )
    snapshot = CampaignSnapshot(snapshot.name, snapshot.sources, {}, [snapshot_row(2), twin])
    with pytest.raises(JournalError, match=r"Rows 2 and 9 both go to USER2@example\.com"):
        Journal.create(tmp_path / "c.herald.sqlite", snapshot)
    assert not (tmp_path / "c.herald.sqlite").exists()  # nothing half-written left behind
    Journal.create(tmp_path / "c.herald.sqlite", make_snapshot(tmp_path)).close()


def test_settings_that_look_like_secrets_are_refused(tmp_path: Path) -> None:
    snapshot = make_snapshot(tmp_path)
    leaky = CampaignSnapshot("x", (), {"smtp": {"user": "u", "password": "hunter2"}}, snapshot.rows)
    with pytest.raises(ValueError, match=r"settings\.smtp\.password looks like a secret"):
        Journal.create(tmp_path / "c.herald.sqlite", leaky)


def test_an_existing_journal_is_never_overwritten_by_a_new_snapshot(tmp_path: Path) -> None:
    new_journal(tmp_path).close()
    with pytest.raises(JournalError, match=r"already exists.*--resume"):
        new_journal(tmp_path)


def test_opening_a_missing_journal_says_the_campaign_was_not_sent(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="has not been sent yet"):
        Journal.open(tmp_path / "none.herald.sqlite")


def test_a_campaign_file_finds_its_journal_in_the_data_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path / "data"))
    campaign = tmp_path / "spring.toml"
    campaign.write_text("[campaign]\n", encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("Email\n", encoding="utf-8")
    path = journal_path_for(campaign, people, None)
    assert path.parent == tmp_path / "data" / "campaigns" and path.name.startswith("spring-")
    assert path == journal_path_for(campaign, people, None)
    assert path != journal_path_for(campaign, tmp_path / "other.csv", None)
    assert find_journal_for(campaign) is None
    base = make_snapshot(tmp_path)
    sources = (SourceFile.of(SourceRole.CAMPAIGN, campaign), *base.sources)
    Journal.create(path, CampaignSnapshot("Spring", sources, {}, base.rows)).close()
    assert find_journal_for(campaign) == path
    assert find_journal_for(people) is None


def test_a_100000_row_snapshot_is_written_whole(tmp_path: Path) -> None:
    """How long it takes is benchmarks/bench_journal.py's question (a wall-clock bound here
    would fail on a loaded machine); this says every row gets there."""
    rows = 100_000
    started = time.perf_counter()
    journal = Journal.create(tmp_path / "big.herald.sqlite", make_snapshot(tmp_path, rows))
    print(f"\nsnapshot of {rows:,} rows: {time.perf_counter() - started:.2f} s")
    with journal:
        assert sum(journal.counts().values()) == rows


def test_outcomes_and_row_numbers_agree_with_the_full_rows(tmp_path: Path) -> None:
    from app.core.send.contracts import Stage

    with new_journal(tmp_path, 3) as journal:
        first = journal.claim_next(T0)
        assert first is not None
        journal.mark_sending(first, first.message_id)
        journal.mark_failed(first, 550, "5.1.1 no such user", Stage.RCPT)
        full = list(journal.rows())
        light = list(journal.outcomes())
        assert journal.row_numbers() == {r.row for r in full} == {2, 3, 4}
        assert [(o.row, o.address, o.state, o.smtp_code, o.smtp_text) for o in light] == [
            (r.row, r.address, r.state, r.smtp_code, r.smtp_text) for r in full
        ]
        assert light[0].at == full[0].last_attempt_at is not None
