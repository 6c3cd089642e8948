"""`herald send` on a schedule: --start-at / --send-hours / --send-days and the campaign file's
keys; the send waits saying until when, goes on by itself, and a resumed send keeps its
schedule (kept in the journal)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run
from tests.cli.send_support import server_options, write_campaign, write_campaign_file

HERALD = Path(sys.executable).with_name("herald")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def _until_waiting(options: list[str]) -> tuple[str, str, int]:
    """Run `herald send` (its own process) until it says it waits, then Ctrl-C it: the
    waiting line, the rest of its output, its exit status."""
    child = subprocess.Popen(
        [str(HERALD), "send", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
    )
    try:
        assert child.stdout is not None
        lines: list[str] = []
        for line in child.stdout:
            lines.append(line)
            if "Waiting until" in line:
                break
        child.send_signal(signal.SIGINT)
        rest = child.communicate(timeout=30)[0]
    finally:
        if child.poll() is None:
            child.kill()
    return lines[-1], "".join(lines) + rest, child.returncode


def test_a_start_time_waits_saying_until_when_and_a_resume_keeps_it(
    tmp_path: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory()
    start = (dt.datetime.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    written = start.strftime("%Y-%m-%d %H:%M")
    options = [*write_campaign(tmp_path, 3), *server_options(server.port), "--yes"]

    waiting, output, status = _until_waiting([*options, "--start-at", written])
    assert waiting.startswith(f"Waiting until {written}:00")
    assert f"the send is set to start at {written}" in waiting
    assert status == 1 and "3 left" in output and "--resume" in output
    assert server.message_count == 0

    # Resumed without the option: the journal's schedule still holds.
    waiting, output, _ = _until_waiting([*options, "--resume"])
    assert waiting.startswith(f"Waiting until {written}:00")
    assert server.message_count == 0


def test_a_start_time_a_few_seconds_ahead_sends_by_itself_once_it_comes(
    tmp_path: Path, threaded_smtp_server_factory, capsys
):
    server = threaded_smtp_server_factory()
    start = dt.datetime.now() + dt.timedelta(seconds=2)
    options = [*write_campaign(tmp_path, 2), *server_options(server.port), "--yes"]
    assert run(["send", *options, "--start-at", start.isoformat(sep=" ")]) == 0
    assert dt.datetime.now() >= start and server.message_count == 2
    out = capsys.readouterr().out
    assert "Waiting until" in out and "2 sent" in out


def test_the_campaign_files_sending_hours_and_days_show_in_the_plan(tmp_path: Path, capsys):
    campaign = write_campaign_file(
        tmp_path, 2, 'send_hours = "09:00-18:00"\nsend_days = ["mon", "tue-fri"]'
    )
    assert run(["send", str(campaign), "--dry-run"]) == 0
    assert "sending only 09:00-18:00, Mon–Fri (local time)" in capsys.readouterr().out
    assert run(["send", str(campaign), "--dry-run", "--send-days", "sat-sun"]) == 0
    assert "only 09:00-18:00, Sat–Sun" in capsys.readouterr().out  # the option wins


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--start-at", "tomorrow", '"2026-12-08 09:00"'),
        ("--send-hours", "9am-6pm", '"09:00-18:00"'),
        ("--send-days", "weekdays", '"mon-fri"'),
    ],
)
def test_an_unreadable_schedule_option_exits_2_saying_how_to_write_it(
    tmp_path: Path, option: str, value: str, says: str, capsys
):
    assert run(["send", *write_campaign(tmp_path, 1), option, value, "--dry-run"]) == 2
    assert says in capsys.readouterr().err


def test_an_unreadable_schedule_in_the_campaign_file_names_the_key(tmp_path: Path, capsys):
    campaign = write_campaign_file(tmp_path, 1, 'send_hours = "all day"')
    assert run(["send", str(campaign), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "send.send_hours" in err and '"09:00-18:00"' in err
