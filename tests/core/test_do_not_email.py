"""The do-not-email list: kept in the data folder, case-insensitive, importable, and honoured
by `herald check` and `herald send` (rows on it are shown and never sent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.cli import run
from app.core.do_not_email import DoNotEmailError, DoNotEmailList, Reason, default_path
from tests.cli.send_support import reader, server_options, write_campaign, write_campaign_file

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def test_the_list_round_trips_through_its_file_and_ignores_case(tmp_path: Path):
    listed = DoNotEmailList(tmp_path / "dne.csv")
    assert listed.add("Gone@Example.org", Reason.HARD_BOUNCE, source="spring row 3", now=NOW)
    assert not listed.add("gone@example.ORG", Reason.ADDED_BY_USER)  # already there
    listed.save()

    again = DoNotEmailList.load(tmp_path / "dne.csv")
    assert "GONE@example.org" in again and len(again) == 1
    entry = again.get("gone@example.org")
    assert entry is not None and entry.reason is Reason.HARD_BOUNCE and entry.added_at == NOW
    assert entry.source == "spring row 3"
    assert again.remove("gone@example.org") and "gone@example.org" not in again


def test_import_takes_the_address_column_of_a_csv(tmp_path: Path):
    source = tmp_path / "old-list.csv"
    source.write_text("name,邮箱\nAnn,ann@example.org\nBob,bob@example.net\n,\n", "utf-8")
    listed = DoNotEmailList(tmp_path / "dne.csv")
    assert listed.import_file(source) == 2
    assert "ann@example.org" in listed and "bob@example.net" in listed


def test_a_non_address_is_refused(tmp_path: Path):
    with pytest.raises(DoNotEmailError):
        DoNotEmailList(tmp_path / "dne.csv").add("nobody", Reason.ADDED_BY_USER)


def _list(*addresses: str) -> None:
    listed = DoNotEmailList.load()
    for address in addresses:
        listed.add(address, Reason.UNSUBSCRIBED, now=NOW)
    listed.save()


def test_check_marks_rows_on_the_list_and_exits_1(tmp_path: Path, capsys):
    options = write_campaign(tmp_path, 3)
    _list(reader(1).upper())
    assert run(["check", *options]) == 1
    out = capsys.readouterr().out
    assert "row 3" in out and "do-not-email" in out
    assert f"{reader(1)} is on the do-not-email list" in out


def test_send_never_sends_to_a_listed_address(tmp_path: Path, threaded_smtp_server_factory, capsys):
    server = threaded_smtp_server_factory()
    options = write_campaign(tmp_path, 3)
    _list(reader(2))
    # listed rows are skipped without --skip-invalid (that is what the list is for), and said
    assert run(["send", *options, *server_options(server.port), "--yes"]) == 0
    sent_to = sorted(a for m in server.messages for a in m.rcpt_tos)
    assert sent_to == [reader(0), reader(1)]
    assert "Skipping 1 row(s) on the do-not-email list." in capsys.readouterr().err


def test_the_cli_edits_the_list_in_the_data_folder(tmp_path: Path, capsys):
    assert run(["do-not-email", "add", "a@example.org", "b@example.org"]) == 0
    assert run(["do-not-email", "remove", "a@example.org"]) == 0
    assert run(["do-not-email", "list"]) == 0
    out = capsys.readouterr().out
    assert "b@example.org\tadded-by-user" in out and "a@example.org" not in out
    assert default_path().is_file()


def test_an_address_listed_after_the_send_began_is_not_sent_on_resume(
    tmp_path: Path, threaded_smtp_server_factory
):
    from app.core.journal import Journal, find_journal_for

    server = threaded_smtp_server_factory()
    campaign = write_campaign_file(tmp_path, 3, "")
    smtp = [*server_options(server.port), "--yes"]
    assert run(["send", str(campaign), *smtp, "--limit", "1"]) == 1  # not finished
    _list(reader(2))  # e.g. `herald bounces` or an unsubscribe reply, between the two runs
    run(["send", str(campaign), *smtp, "--resume"])
    assert sorted(a for m in server.messages for a in m.rcpt_tos) == [reader(0), reader(1)]
    journal_path = find_journal_for(campaign)
    assert journal_path is not None
    with Journal.open_readonly(journal_path) as journal:
        row = next(r for r in journal.rows() if r.address == reader(2))
    assert row.state == "failed" and "do-not-email list" in row.smtp_text


def test_the_list_is_parsed_once_per_version_of_its_file(tmp_path: Path, monkeypatch):
    path = tmp_path / "dne.csv"
    first = DoNotEmailList(path)
    first.add("a@example.org", Reason.ADDED_BY_USER, now=NOW)
    first.save()
    reads: list[Path] = []
    original = Path.read_text

    def counting(self: Path, *args, **kwargs) -> str:
        reads.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    assert "a@example.org" in DoNotEmailList.load(path)
    assert "a@example.org" in DoNotEmailList.load(path)
    assert reads == [path]  # the second load used the parsed copy
    path.write_text("address\na@example.org\nb@example.net\n", "utf-8")  # edited elsewhere
    again = DoNotEmailList.load(path)
    assert "b@example.net" in again and reads == [path, path]
    again.add("c@example.com", Reason.ADDED_BY_USER)  # the copy is the list's own
    assert "c@example.com" not in DoNotEmailList.load(path)
