"""`herald send` takes its limits from the campaign file's [send] table: bandwidth, day cap."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run
from tests.cli.send_support import server_options, write_campaign_file
from tests.support.clocks import SkippingClock

HERALD = Path(sys.executable).with_name("herald")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def test_the_campaign_files_bandwidth_cap_is_shown_in_the_plan(tmp_path: Path, capsys):
    campaign = write_campaign_file(tmp_path, 3, "bandwidth_kbps = 2")
    assert run(["send", str(campaign), "--dry-run"]) == 0
    assert "at most 2 KB/s" in capsys.readouterr().out


def test_the_campaign_files_bandwidth_cap_paces_a_real_send(
    tmp_path: Path, threaded_smtp_server_factory, monkeypatch: pytest.MonkeyPatch
):
    """A real send to a real server, with time injected: `herald send` gets a clock whose
    sleeps are skipped and counted, and the server stamps arrivals with the same clock. What
    the cap costs is then exact, whatever the machine's load (it once failed by 1 ms)."""
    from app.core.send import clock as clocks

    clock = SkippingClock()
    monkeypatch.setattr(clocks, "SystemClock", lambda: clock)  # what `herald send` creates
    server = threaded_smtp_server_factory(clock=clock.monotonic)
    campaign = write_campaign_file(tmp_path, 4, "bandwidth_kbps = 1")
    (tmp_path / "body.txt").write_text("Hello {{ name }},\n" + "x" * 70 + "\n" * 8, "utf-8")
    options = [str(campaign), *server_options(server.port), "--yes"]
    assert run(["send", *options]) == 0
    sizes = [len(m.data) for m in server.messages]
    assert len(sizes) == 4
    # 1 KB/s with a burst of one second's worth: the bytes beyond the first KB take a second
    # per KB. Unpaced, these four would arrive at the same (injected) instant.
    expected = (sum(sizes) - 1024) / 1024
    spread = server.received_at[-1] - server.received_at[0]
    assert expected > 0.3
    assert expected * 0.95 <= spread <= expected * 1.05 + 0.01
    assert sum(clock.sleeps) == pytest.approx(spread, abs=0.05)  # the cap's waits, nothing else


def test_a_daily_cap_continues_across_runs_and_a_full_day_waits_saying_until_when(
    tmp_path: Path, data_dir: Path, threaded_smtp_server_factory, monkeypatch
):
    """5/day for one account: a first campaign of 3, quit, then a second campaign of 4 sends 2
    and waits (saying until when) for the day window instead of failing the other 2."""
    server = threaded_smtp_server_factory(auth=("shop", "pw-for-the-day-cap"))
    monkeypatch.setenv("HERALD_SMTP_PASSWORD", "pw-for-the-day-cap")
    send = 'rates = ["5/day"]\nuser = "shop"'
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    options = [*server_options(server.port), "--yes"]
    assert run(["send", str(write_campaign_file(first, 3, send)), *options]) == 0
    assert server.message_count == 3

    # The second run is its own process (a restart), stopped with Ctrl-C once it says it waits.
    child = subprocess.Popen(
        [str(HERALD), "send", str(write_campaign_file(second, 4, send)), *options],
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
        waiting = lines[-1]
        child.send_signal(signal.SIGINT)  # finish what is in flight, keep the rest
        rest = child.communicate(timeout=30)[0]
    finally:
        if child.poll() is None:
            child.kill()
    assert server.message_count == 5  # 3 + 2: the day's cap, across the two runs
    until = dt.datetime.strptime(waiting.split("Waiting until ")[1][:19], "%Y-%m-%d %H:%M:%S")
    assert dt.timedelta(hours=23) < until - dt.datetime.now() <= dt.timedelta(hours=24)
    assert "daily limit of 5" in waiting
    assert child.returncode == 1
    assert "failed" not in waiting and "0 failed" in rest and "2 left" in rest
    assert "--resume" in rest


def test_a_day_cap_without_a_login_holds_across_runs_for_the_same_from_address_and_relay(
    tmp_path: Path, data_dir: Path, threaded_smtp_server_factory
):
    """A relay without login, 30/day: a first run of 20, then (a restart) a second campaign of
    20 from the same From address sends 10 and waits, saying until when, failing nobody."""
    server = threaded_smtp_server_factory()
    send = 'rates = ["30/day"]'
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    options = [*server_options(server.port), "--yes"]
    assert run(["send", str(write_campaign_file(first, 20, send)), *options]) == 0
    assert server.message_count == 20

    child = subprocess.Popen(
        [str(HERALD), "send", str(write_campaign_file(second, 20, send)), *options],
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
        waiting = lines[-1]
        child.send_signal(signal.SIGINT)
        rest = child.communicate(timeout=30)[0]
    finally:
        if child.poll() is None:
            child.kill()
    assert server.message_count == 30  # 20 + 10: the day's cap for this sender at this relay
    until = dt.datetime.strptime(waiting.split("Waiting until ")[1][:19], "%Y-%m-%d %H:%M:%S")
    assert dt.timedelta(hours=23) < until - dt.datetime.now() <= dt.timedelta(hours=24)
    assert "daily limit of 30" in waiting
    assert "0 failed" in rest and "10 left" in rest
