"""`herald login PROFILE --oauth` (device code in the terminal) and `herald send` signing in
with XOAUTH2 at a test SMTP server that checks bearer tokens with the authorization server: a
refused token is renewed without failing anyone; a revoked sign-in stops the send once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from app.cli import run
from app.core.journal import Journal, find_journal_for
from app.core.profiles import ProfileStore
from tests.cli.send_support import write_campaign_file
from tests.support.oauth_server import CLIENT_ID

USER = "shop@example.com"


def _login(auth_server, capsys) -> str:
    result: list[int] = []
    options = ["login", "work", "--oauth", "--user", USER, "--client-id", CLIENT_ID]
    options += ["--authority", auth_server.issuer]
    worker = threading.Thread(target=lambda: result.append(run(options)))
    worker.start()
    deadline = time.monotonic() + 20
    while not auth_server.devices and time.monotonic() < deadline:
        time.sleep(0.02)
    device = next(iter(auth_server.devices.values()))
    auth_server.approve(device.user_code)  # the user enters the code at the sign-in page
    worker.join(30)
    assert result == [0]
    out = capsys.readouterr().out
    assert device.user_code in out and f"Signed in as {USER}" in out
    return out


def _send(tmp_path: Path, smtp) -> tuple[int, Path]:
    campaign = write_campaign_file(tmp_path, 3, "")
    code = run([
        "send", str(campaign), "--profile", "work", "--smtp-host", "127.0.0.1",
        "--smtp-port", str(smtp.port), "--security", "none", "--yes",
    ])  # fmt: skip
    return code, campaign


def test_login_saves_an_oauth_profile_and_the_token_only_in_the_keychain(
    auth_server, keychain, capsys, data_dir_files
):
    _login(auth_server, capsys)
    profile = ProfileStore().get("work")
    assert profile is not None and profile.oauth == "microsoft"  # the service, signed in here
    assert profile.user == USER and profile.oauth_client_id == CLIENT_ID
    tokens = [t for t, g in auth_server.refresh_tokens.items() if not g.revoked]
    assert any(tokens[0] in v for v in keychain.entries.values())
    for path in data_dir_files():  # no token in any file Herald wrote
        assert tokens[0].encode() not in path.read_bytes()


def test_send_signs_in_with_xoauth2_and_renews_a_refused_token_without_failing_anyone(
    tmp_path, auth_server, keychain, capsys, threaded_smtp_server_factory
):
    _login(auth_server, capsys)
    accepted: list[str] = []

    def check(user: str, token: str) -> bool:
        valid = auth_server.check(user, token)
        if valid and not accepted:
            accepted.append(token)
            auth_server.access_tokens.clear()  # then the token is withdrawn before it expires
        return valid

    # one message per connection, so the second connection presents the withdrawn token
    smtp = threaded_smtp_server_factory(bearer=check, max_messages_per_connection=1)
    code, _campaign = _send(tmp_path, smtp)
    assert code == 0
    assert len(smtp.messages) == 3
    attempts = [(a.mechanism, a.success) for a in smtp.auth_attempts]
    assert attempts[:3] == [("XOAUTH2", True), ("XOAUTH2", False), ("XOAUTH2", True)]
    assert all(m == "XOAUTH2" for m, _ in attempts)
    assert auth_server.token_requests.count("refresh_token") == 2  # at start, then renewed


def test_a_revoked_sign_in_stops_the_send_once_and_fails_nobody(
    tmp_path, auth_server, keychain, capsys, threaded_smtp_server_factory
):
    _login(auth_server, capsys)
    smtp = threaded_smtp_server_factory(bearer=auth_server.check)
    auth_server.revoke()
    auth_server.access_tokens.clear()
    code, campaign = _send(tmp_path, smtp)
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert code != 0 and smtp.messages == []
    assert said.count("Stopped:") == 1 and "sign in again" in said, said
    assert len(smtp.auth_attempts) <= 1  # no retry storm against the server
    journal_path = find_journal_for(campaign)
    assert journal_path is not None
    with Journal.open_readonly(journal_path) as journal:
        assert {str(r.state) for r in journal.rows()} == {"pending"}
