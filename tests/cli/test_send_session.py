"""`herald send` through the core's send session: a local-outbox run is a test and never uses
up the campaign, a resume through another account is refused, --start-over keeps the old
journal, a failed start leaves none, a saved profile's limits apply."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from app.cli import run
from app.core.profiles import Profile, ProfileStore
from app.core.send.transport import Security
from tests.cli.send_support import reader, server_options, write_campaign, write_campaign_file


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def _journals(data_dir: Path, pattern: str = "*.herald.sqlite") -> list[Path]:
    return sorted((data_dir / "campaigns").glob(pattern))


def test_a_local_outbox_send_is_a_test_and_the_real_send_afterwards_sends_everyone(
    tmp_path: Path, data_dir: Path, threaded_smtp_server_factory, capsys
):
    campaign = write_campaign_file(tmp_path, 3, "")
    assert run(["send", str(campaign), "--yes"]) == 0
    captured = capsys.readouterr()
    assert "Test run" in captured.err and "not marked as sent" in captured.out
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 3
    assert _journals(data_dir) == []  # nothing real was recorded

    # the report has nothing to show but says why
    assert run(["report", str(campaign), "--out", str(tmp_path / "r.xlsx")]) != 0
    assert "only test runs" in capsys.readouterr().err

    server = threaded_smtp_server_factory()
    assert run(["send", str(campaign), *server_options(server.port), "--yes"]) == 0
    assert Counter(server.recipients()) == Counter(reader(i) for i in range(3))
    assert "3 sent" in capsys.readouterr().out


def test_resuming_through_another_server_is_refused_and_names_the_first(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    first, second = threaded_smtp_server_factory(), threaded_smtp_server_factory()
    campaign = write_campaign_file(tmp_path, 4, "")
    assert run(["send", str(campaign), *server_options(first.port), "--limit", "1", "--yes"]) == 1
    capsys.readouterr()
    code = run(["send", str(campaign), *server_options(second.port), "--resume", "--yes"])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"127.0.0.1:{first.port}" in err and f"127.0.0.1:{second.port}" in err
    assert second.message_count == 0
    # through the account it started with, it continues
    assert run(["send", str(campaign), *server_options(first.port), "--resume", "--yes"]) == 0
    assert "Continuing the send started through" in capsys.readouterr().out
    assert first.message_count == 4


def test_start_over_keeps_the_old_journal_and_sends_everyone_again(
    tmp_path: Path, data_dir: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    campaign = write_campaign_file(tmp_path, 2, "")
    options = [str(campaign), *server_options(server.port), "--yes"]
    assert run(["send", *options]) == 0
    assert run(["send", *options]) == 2  # already sent: says how to continue or start over
    assert "--start-over" in capsys.readouterr().err
    assert run(["send", *options, "--start-over"]) == 0
    assert server.message_count == 4
    archived = list((data_dir / "campaigns").glob("*.archived-*.sqlite"))
    assert len(archived) == 1 and len(_journals(data_dir)) == 1


def test_a_start_that_fails_before_sending_leaves_no_journal(
    tmp_path: Path, data_dir: Path, threaded_smtp_server_factory, capsys, monkeypatch
):
    monkeypatch.setattr("app.core.secrets.get_password", lambda *_a, **_k: None)
    server = threaded_smtp_server_factory()
    options = [*write_campaign(tmp_path, 2), *server_options(server.port), "--yes"]
    assert run(["send", *options, "--user", "shop@example.com"]) == 2  # no password anywhere
    assert "no password for shop@example.com" in capsys.readouterr().err
    assert _journals(data_dir) == []
    assert run(["send", *options]) == 0  # not "already started": the campaign is not stuck
    assert server.message_count == 2


def test_a_saved_profiles_limits_apply_to_herald_send(tmp_path: Path, capsys):
    relay = Profile(name="slow relay", host="127.0.0.1", port=2525, security=Security.NONE)
    ProfileStore().save(replace(relay, per_minute=6))
    options = write_campaign(tmp_path, 3)
    assert run(["send", *options, "--profile", "slow relay", "--dry-run"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "about 30 s at the set limits" in out  # 3 messages at 6/min
    assert run(["send", *options, "--profile", "slow relay", "--rate", "60/min",
                "--dry-run"]) == 0  # fmt: skip
    assert "about 3 s" in " ".join(capsys.readouterr().out.split())
