"""`herald send` against set-up faults (issue 9): an unusable --cafile is refused before
anything starts, and Ctrl-C stops a send to a slow server at once with a consistent journal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import run
from tests.cli.send_support import server_options, write_campaign_file

HERALD = Path(sys.executable).with_name("herald")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def test_a_missing_cafile_is_refused_before_anything_starts(
    tmp_path: Path, capsys, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory()
    campaign = write_campaign_file(tmp_path, 2, "")
    missing = tmp_path / "no-such-ca.pem"
    options = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port)]

    code = run(["send", str(campaign), *options, "--security", "tls", "--cafile", str(missing)])

    err = capsys.readouterr().err
    assert code == 2
    assert str(missing.name) in err and "does not exist" in err
    assert server.connections == 0
    from app.core.send import prepare

    recipients = tmp_path / "recipients.xlsx"
    assert not prepare.journal_path(campaign, recipients).exists()  # nothing was started


def _interrupt_when(child: subprocess.Popen, ready, limit: float = 60.0) -> str:
    """SIGINT once `ready()`; the child's whole output. The generous limit only keeps a
    broken build from hanging the suite; the outcome is what is asserted."""
    deadline = time.monotonic() + limit
    while not ready():
        assert child.poll() is None, child.communicate()[0]
        assert time.monotonic() < deadline, "the send never reached the slow step"
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    try:
        return child.communicate(timeout=limit)[0]
    finally:
        if child.poll() is None:
            child.kill()


def _spawn(campaign: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(HERALD), "send", str(campaign), *server_options(port), "--yes"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
    )


def test_ctrl_c_while_the_server_sits_on_the_final_reply_stops_with_the_row_unknown(
    tmp_path: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory()
    # the first message is kept but answered only after 10 minutes (twice data_timeout)
    server.on("message", "250 OK", delay=600, store=True, times=1)
    child = _spawn(write_campaign_file(tmp_path, 3, ""), server.port)

    out = _interrupt_when(child, lambda: server.message_count == 1)

    assert child.returncode == 1, out
    assert "Stopping" in out
    assert "0 sent, 0 failed, 1 unknown, 2 left" in out  # the journal, as the summary says
    assert server.message_count == 1


def test_ctrl_c_before_the_body_left_stops_with_every_row_left_to_send(
    tmp_path: Path, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory()
    server.on("rcpt", "250 OK", delay=600, times=1)  # a server that stalls at RCPT
    child = _spawn(write_campaign_file(tmp_path, 3, ""), server.port)

    out = _interrupt_when(child, lambda: bool(server.commands_named("RCPT")))

    assert child.returncode == 1, out
    assert "0 sent, 0 failed, 0 unknown, 3 left" in out
    assert "--resume" in out and server.message_count == 0


def test_a_connection_cap_below_connections_is_shown_and_everyone_is_delivered(
    tmp_path: Path, capsys, threaded_smtp_server_factory
):
    server = threaded_smtp_server_factory(
        max_connections=2,
        max_connections_reply="421 4.7.0 smtp.example.test Error: too many connections",
    )
    campaign = write_campaign_file(tmp_path, 12, "")

    code = run(["send", str(campaign), *server_options(server.port), "--connections", "5", "--yes"])

    out = " ".join(capsys.readouterr().out.split())
    assert code == 0 and server.message_count == 12
    assert "Connections: 2 of 5." in out and "too many connections" in out
    assert "12 sent, 0 failed" in out
