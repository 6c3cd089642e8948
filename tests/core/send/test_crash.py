"""kill -9 of a sending `herald send` process, then `--resume`: nobody twice, nobody skipped.

The sender runs as a real subprocess; the SMTP server runs in a thread of the test, so it
outlives every kill and counts what it really received.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from app.core.journal import Journal
from app.core.send.contracts import RecipientState
from tests.cli.send_support import reader, server_options, write_campaign

ROWS = 24


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "HERALD_SMTP_PASSWORD"}
    environment["HERALD_DATA_DIR"] = str(tmp_path / "data")
    return environment


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "send", *args, "--yes"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kill_when(process: subprocess.Popen[bytes], ready, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sender never got that far"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def _finish(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "app", "send", *args, "--yes"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )


def _journal_states(env: dict[str, str]) -> dict[str, RecipientState]:
    (path,) = Path(env["HERALD_DATA_DIR"], "campaigns").glob("*.herald.sqlite")
    journal = Journal.open_readonly(path)
    try:
        return {row.address: row.state for row in journal.rows()}
    finally:
        journal.close()


def _assert_exactly_once_except_unknown(server, env) -> dict[str, RecipientState]:
    copies = Counter(server.recipients())
    states = _journal_states(env)
    assert len(states) == ROWS
    for address, state in states.items():
        if state is RecipientState.SENT:
            assert copies[address] == 1, f"{address} sent {copies[address]} times"
        else:
            assert state is RecipientState.UNKNOWN, f"{address} left {state}"
            assert copies[address] <= 1
    return states


def test_kill_at_several_points_then_resume_sends_everyone_exactly_once(
    tmp_path: Path, threaded_smtp_server_factory, env
):
    server = threaded_smtp_server_factory()
    args = [*write_campaign(tmp_path, ROWS), *server_options(server.port), "--rate", "60/s"]
    _kill_when(_start(args, env), lambda: server.message_count >= 5)
    assert server.message_count < ROWS  # killed mid-run
    resume = [*args, "--resume"]
    _kill_when(_start(resume, env), lambda: server.message_count >= 13)
    assert server.message_count < ROWS
    done = _finish(resume, env)
    assert done.returncode in (0, 1), done.stderr.decode()
    states = _assert_exactly_once_except_unknown(server, env)
    unknown = [a for a, s in states.items() if s is RecipientState.UNKNOWN]
    assert done.returncode == (1 if unknown else 0)
    assert len(server.recipients()) >= ROWS - len(unknown)


def test_kill_while_the_reply_to_the_dot_is_delayed_leaves_that_row_unknown_not_resent(
    tmp_path: Path, threaded_smtp_server_factory, env
):
    server = threaded_smtp_server_factory()
    server.on("message", "250 2.0.0 Queued at last", nth=3, delay=60, store=True)
    args = [*write_campaign(tmp_path, ROWS), *server_options(server.port)]
    _kill_when(_start(args, env), lambda: server.message_count >= 3)
    done = _finish([*args, "--resume"], env)
    assert done.returncode == 1  # one row's delivery is unknown
    assert "--resend-unknown" in done.stderr.decode()
    states = _assert_exactly_once_except_unknown(server, env)
    assert states[reader(2)] is RecipientState.UNKNOWN
    assert Counter(server.recipients())[reader(2)] == 1  # the server holds it once, not twice
    again = _finish([*args, "--resend-unknown"], env)  # only on the user's word
    assert again.returncode == 0, again.stderr.decode()
    assert Counter(server.recipients())[reader(2)] == 2


def test_a_second_process_on_the_same_campaign_is_refused(
    tmp_path: Path, threaded_smtp_server_factory, env
):
    server = threaded_smtp_server_factory()
    args = [*write_campaign(tmp_path, ROWS), *server_options(server.port), "--rate", "8/s"]
    first = _start(args, env)
    deadline = time.monotonic() + 20
    while server.message_count < 1:
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    second = _finish([*args, "--resume"], env)
    assert second.returncode == 2
    assert "in use by process" in second.stderr.decode()
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    done = _finish([*args, "--resume"], env)
    assert done.returncode in (0, 1)
    _assert_exactly_once_except_unknown(server, env)


def test_five_kills_at_random_moments_of_a_full_speed_send_keep_everyone_at_most_once(
    tmp_path: Path, threaded_smtp_server_factory, env
):
    """200 rows, no rate limit, 4 connections; five SIGKILLs, each a random few milliseconds
    after the server saw progress. After the final --resume every row is sent or unknown, no
    address has two copies, and only --resend-unknown sends the unknown ones again."""
    rows = 200
    chance = random.Random(20261127)
    server = threaded_smtp_server_factory()
    args = [*write_campaign(tmp_path, rows), *server_options(server.port), "--connections", "4"]
    kills = 0
    for attempt in range(5):
        before = server.message_count
        process = _start([*args, "--resume"] if attempt else args, env)
        deadline = time.monotonic() + 30
        while server.message_count <= before and process.poll() is None:
            assert time.monotonic() < deadline, "the sender made no progress"
            time.sleep(0.002)
        time.sleep(chance.uniform(0.0, 0.04))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(10)
        assert max(Counter(server.recipients()).values()) == 1  # never a second copy
    assert kills >= 3  # most runs were really cut short (the last may have finished first)
    done = _finish([*args, "--resume"], env)
    assert done.returncode in (0, 1), done.stderr.decode()
    copies = Counter(server.recipients())
    states = _journal_states(env)
    assert set(states) == {reader(i) for i in range(rows)}  # nobody skipped, nobody extra
    assert set(states.values()) <= {RecipientState.SENT, RecipientState.UNKNOWN}
    assert all(copies[a] == 1 for a, s in states.items() if s is RecipientState.SENT)
    assert max(copies.values()) == 1
    unknown = sorted(a for a, s in states.items() if s is RecipientState.UNKNOWN)
    assert done.returncode == (1 if unknown else 0)
    if unknown:
        assert "--resend-unknown" in done.stderr.decode()
    again = _finish([*args, "--resend-unknown"], env)  # the user's word
    assert again.returncode == 0, again.stderr.decode()
    final = Counter(server.recipients())
    assert set(_journal_states(env).values()) == {RecipientState.SENT}
    for address in states:
        expected = copies[address] + (1 if address in unknown else 0)
        assert final[address] == expected  # only unknown rows got another copy
