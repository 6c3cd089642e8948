"""`herald send` and `herald outbox` end to end: real workbook, real journal, real SMTP."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from app.cli import run
from tests.cli.send_support import reader, server_options, write_campaign


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def test_send_defaults_to_the_local_outbox_and_says_where_the_files_are(
    tmp_path: Path, data_dir: Path, capsys
):
    options = write_campaign(tmp_path, 4)
    assert run(["send", *options, "--yes"]) == 0
    files = sorted((data_dir / "outbox").glob("*.eml"))
    assert len(files) == 4
    assert b"Hello Reader 0" in b"".join(f.read_bytes() for f in files)
    out = capsys.readouterr().out
    assert "4 sent" in out and str(data_dir / "outbox") in out


def test_outbox_command_prints_the_outbox_folder(data_dir: Path, capsys):
    assert run(["outbox"]) == 0
    assert capsys.readouterr().out.strip() == str(data_dir / "outbox")


def test_dry_run_shows_the_plan_and_sends_nothing(tmp_path: Path, data_dir: Path, capsys):
    options = write_campaign(tmp_path, 3)
    assert run(["send", *options, "--dry-run", "--rate", "1/s"]) == 0
    out = capsys.readouterr().out
    assert "3 message(s)" in out and "Nothing was sent" in out
    assert not list(data_dir.rglob("*.eml"))
    assert not list(data_dir.rglob("*.sqlite"))


def test_an_unsendable_row_blocks_the_send_unless_skip_invalid(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    options = [*write_campaign(tmp_path, 4, bad=(2,)), *server_options(server.port), "--yes"]
    assert run(["send", *options]) == 2
    err = capsys.readouterr().err
    assert "row 4" in err and "--skip-invalid" in err
    assert server.message_count == 0
    assert run(["send", *options, "--skip-invalid"]) == 0
    assert sorted(server.recipients()) == sorted(reader(i) for i in (0, 1, 3))


def test_send_without_yes_off_a_terminal_asks_for_it_and_sends_nothing(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    assert run(["send", *write_campaign(tmp_path, 2), *server_options(server.port)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert server.message_count == 0


def test_login_uses_the_environment_password_which_never_reaches_the_log(
    tmp_path: Path, threaded_smtp_server_factory, monkeypatch: pytest.MonkeyPatch, capsys
):
    server = threaded_smtp_server_factory(auth=("shop", "s3cret-Pa55"))
    monkeypatch.setenv("HERALD_SMTP_PASSWORD", "s3cret-Pa55")
    log = tmp_path / "events.jsonl"
    options = [*write_campaign(tmp_path, 3), *server_options(server.port), "--user", "shop"]
    assert run(["send", *options, "--yes", "--log-json", str(log)]) == 0
    assert Counter(server.recipients()) == Counter(reader(i) for i in range(3))
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [e["event"] for e in events] == ["started", "sent", "sent", "sent", "finished"]
    assert events[1]["row"] == 2 and events[1]["address"] == reader(0) and events[1]["code"] == 250
    captured = capsys.readouterr()
    for text in (log.read_text("utf-8"), captured.out, captured.err):
        assert "s3cret-Pa55" not in text


def test_wrong_password_stops_after_one_login_with_exit_2(
    tmp_path: Path, threaded_smtp_server_factory, monkeypatch: pytest.MonkeyPatch, capsys
):
    server = threaded_smtp_server_factory(auth=("shop", "right"))
    monkeypatch.setenv("HERALD_SMTP_PASSWORD", "wrong")
    options = [*write_campaign(tmp_path, 3), *server_options(server.port), "--user", "shop"]
    assert run(["send", *options, "--yes", "--connections", "3"]) == 2
    assert len(server.auth_attempts) == 1
    err_and_out = "".join(capsys.readouterr())
    assert "Stopped" in err_and_out and "password" in err_and_out


def test_a_refused_row_exits_1_and_retry_failed_sends_it_later(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    rule = server.on("rcpt", "550 5.1.1 No such user", address=reader(1))
    options = [*write_campaign(tmp_path, 3), *server_options(server.port), "--yes"]
    assert run(["send", *options]) == 1
    out = capsys.readouterr().out
    assert "No such user" in out and "--retry-failed" in out
    server.rules.remove(rule)
    assert run(["send", *options, "--retry-failed"]) == 0
    assert Counter(server.recipients()) == Counter(reader(i) for i in range(3))


def test_a_second_send_of_the_same_campaign_points_to_resume(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    options = [*write_campaign(tmp_path, 2), *server_options(server.port), "--yes"]
    assert run(["send", *options]) == 0
    assert run(["send", *options]) == 2
    assert "--resume" in capsys.readouterr().err
    assert server.message_count == 2


def test_unencrypted_remote_server_is_warned_about(tmp_path: Path, capsys):
    options = [*write_campaign(tmp_path, 1), "--smtp-host", "mail.example.net"]
    assert run(["send", *options, "--security", "none", "--dry-run"]) == 0
    assert "unencrypted" in capsys.readouterr().err


def test_limit_sends_only_that_many_then_resume_sends_the_rest(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    options = [*write_campaign(tmp_path, 5), *server_options(server.port), "--yes"]
    assert run(["send", *options, "--limit", "2"]) == 1
    assert server.message_count == 2
    assert run(["send", *options, "--resume"]) == 0
    assert Counter(server.recipients()) == Counter(reader(i) for i in range(5))


def test_a_journal_started_by_herald_send_is_the_one_the_window_finds_and_vice_versa(
    tmp_path: Path, data_dir: Path, capsys
):
    from app.core.campaign import load_campaign, load_campaign_file
    from app.core.journal import Journal, journal_path_for
    from app.core.send import prepare
    from tests.cli.send_support import write_campaign_file

    # CLI first: the window (prepare.journal_path) finds that journal, at the path earlier
    # CLI runs used (campaign file + workbook, named after the campaign file).
    (tmp_path / "cli").mkdir()
    (tmp_path / "window").mkdir()
    campaign_file = write_campaign_file(tmp_path / "cli", 3, "")
    # (the local outbox: a test run, whose journal is apart from the real one's)
    assert run(["send", str(campaign_file), "--limit", "1", "--yes"]) == 1
    config = load_campaign_file(campaign_file)
    path = prepare.journal_path(campaign_file, config.recipients, test=True)
    assert path == journal_path_for(
        campaign_file, config.recipients, name=campaign_file.stem, test=True
    )
    assert sorted((data_dir / "campaigns").glob("*.herald-test.sqlite")) == [path]
    assert not list((data_dir / "campaigns").glob("*.herald.sqlite"))  # nothing real counted
    with Journal.open(path) as journal:
        assert journal.counts()["sent"] == 1

    # Window first: a journal made through prepare is the one `herald send --resume` continues.
    campaign_file = write_campaign_file(tmp_path / "window", 2, "")
    campaign = load_campaign(load_campaign_file(campaign_file))
    snapshot = prepare.campaign_snapshot(
        campaign, campaign_file=campaign_file, profile="local", host="127.0.0.1", user=None
    )
    Journal.create(
        prepare.journal_path(campaign_file, campaign.config.recipients, test=True), snapshot
    ).close()
    capsys.readouterr()
    assert run(["send", str(campaign_file), "--resume", "--yes"]) == 0
    assert "2 sent" in capsys.readouterr().out
