"""`herald send` against a real Postfix on 127.0.0.1 (and Dovecot as its SASL provider).

The server is configured by the test (tests/support/postfix.py): loopback only, local Maildir
delivery for a few users @example.com, relaying to nobody, STARTTLS required with a test
certificate, and anvil limits set low so Herald meets Postfix's own refusals
(`450 4.7.1 Error: too much mail from 127.0.0.1`, `421 4.7.0 Error: too many connections`).
Each test runs the real `herald send` in a subprocess and then counts the Maildir files.
Skipped only when the Debian packages are missing (`.ci/run` installs them).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import smtplib
import ssl
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import trustme

from tests.support.postfix import Limits, PostfixServer, missing_binaries
from tests.support.server_limits import POSTFIX_TOO_MANY_CONNECTIONS, POSTFIX_TOO_MUCH_MAIL

HERALD = Path(sys.executable).with_name("herald")
RUN_TIMEOUT = 50.0  # seconds; the module as a whole stays under a minute

pytestmark = pytest.mark.skipif(
    missing_binaries(dovecot=True) is not None, reason=missing_binaries(dovecot=True) or ""
)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@contextlib.contextmanager
def _server(ca: trustme.CA, users: list[str], **options: object) -> Iterator[PostfixServer]:
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    server = PostfixServer(
        users=users, cert_chain=leaf.private_key_and_cert_chain_pem.bytes(), **options
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()  # postfix -c DIR stop, dovecot stop, then kill by pid; even on failure


def _campaign(folder: Path, users: list[str]) -> list[str]:
    """A real workbook of readers @example.com and a text template; `herald send` options."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "name"])
    for user in users:
        sheet.append([f"{user}@example.com", user.title()])
    book.save(folder / "recipients.xlsx")
    (folder / "body.txt").write_text("Hello {{ name }},\nyour order has shipped.\n", "utf-8")
    return [
        "--recipients", str(folder / "recipients.xlsx"),
        "--subject", "Order for {{ name }}",
        "--body", str(folder / "body.txt"),
        "--from", "Shop <shop@example.com>",
    ]  # fmt: skip


def _herald_send(
    folder: Path,
    server: PostfixServer,
    ca_file: Path,
    *options: str,
    password: str = "",
    timeout: float = RUN_TIMEOUT,
) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "HERALD_DATA_DIR": str(folder / "data"), "PYTHONIOENCODING": "utf-8"}
    env.pop("HERALD_SMTP_PASSWORD", None)
    if password:
        env["HERALD_SMTP_PASSWORD"] = password  # Herald's normal path when not at a terminal
    command = [
        str(HERALD), "send", *options,
        "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port),
        "--security", "starttls", "--cafile", str(ca_file), "--yes",
    ]  # fmt: skip
    began = time.monotonic()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return done, time.monotonic() - began


def _assert_everyone_delivered_once(server: PostfixServer, users: list[str]) -> None:
    filed = server.wait_for_deliveries(len(users))
    delivered = server.delivered()
    assert {user: len(messages) for user, messages in delivered.items()} == dict.fromkeys(
        users, 1
    ), f"{filed} filed\n{server.log()[-4000:]}"
    ids = Counter(m["Message-ID"] for messages in delivered.values() for m in messages)
    assert len(ids) == len(users) and max(ids.values()) == 1
    for user, (message,) in delivered.items():
        assert message["To"] == f"{user.title()} <{user}@example.com>"
        assert "Hello " + user.title() in message.get_body().get_content()  # type: ignore[union-attr]
        # Postfix notes the TLS session in its Received header: the message went encrypted
        assert "(using TLS" in message["Received"]


def test_herald_delivers_everyone_once_under_postfixs_hidden_message_rate_limit(
    ca: trustme.CA, ca_file: Path, tmp_path: Path
):
    """12 messages per 6 s allowed, 30 to send, Herald not told: Postfix answers `450 4.7.1
    Error: too much mail` beyond the cap; everyone still arrives once, nobody fails."""
    users = [f"reader{i}" for i in range(30)]
    limits = Limits(messages=12, connections=4, time_unit="6s")
    with _server(ca, users, limits=limits) as server:
        campaign = _campaign(tmp_path, users)
        # ideal about 12 s (12 at once, 12 after 6 s, 6 after 12 s); the time is printed,
        # not asserted (a loaded machine is no measure): the timeout only catches a stall
        done, elapsed = _herald_send(tmp_path, server, ca_file, *campaign, timeout=180.0)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "30 sent" in done.stdout and "0 failed" in done.stdout
        _assert_everyone_delivered_once(server, users)
        refusals = server.refusals()["too much mail"]
        ideal = 12.0
        print(
            f"\nPostfix 12 msg/6 s, 30 recipients, 1 connection: {elapsed:.1f} s "
            f"(ideal about {ideal:.0f} s: {elapsed / ideal:.1f}x), {refusals} refusals"
        )


def test_herald_keeps_to_the_connection_count_limit_it_is_given_and_sends_over_starttls(
    ca: trustme.CA, ca_file: Path, tmp_path: Path
):
    """Postfix allows 2 connections per client; `--connections 2` uses both, with a rate
    Herald is told to keep (under the server's), so there are no refusals at all."""
    users = [f"buyer{i}" for i in range(12)]
    limits = Limits(messages=30, connections=2, time_unit="10s")
    with _server(ca, users, limits=limits) as server:
        options = [*_campaign(tmp_path, users), "--connections", "2", "--rate", "3/s"]
        done, elapsed = _herald_send(tmp_path, server, ca_file, *options)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "12 sent" in done.stdout and "0 failed" in done.stdout
        _assert_everyone_delivered_once(server, users)
        assert server.refusals() == {"too much mail": 0, "too many connections": 0}
        print(f"\nPostfix, --rate 3/s, 12 recipients, 2 connections: {elapsed:.1f} s (ideal 3.7 s)")


def test_login_through_dovecot_sasl_over_starttls_with_the_environment_password(
    ca: trustme.CA, ca_file: Path, tmp_path: Path
):
    """AUTH PLAIN after STARTTLS against Dovecot's passwd-file; the password reaches Herald
    the normal way when no one is at a terminal (HERALD_SMTP_PASSWORD), never as an option.
    A wrong password stops the send with exit 2 and delivers nothing."""
    users = ["ann", "bo", "cy"]
    password = secrets.token_urlsafe(12)
    with _server(ca, users, sasl_users={"shop": password}) as server:
        campaign = _campaign(tmp_path, users)
        wrong, _ = _herald_send(
            tmp_path / "wrong", server, ca_file, *campaign, "--user", "shop", password="nope"
        )
        assert wrong.returncode == 2, wrong.stdout + wrong.stderr
        assert server.wait_for_deliveries(1, timeout=1) == 0

        done, _ = _herald_send(
            tmp_path, server, ca_file, *campaign, "--user", "shop", password=password
        )
        assert done.returncode == 0, done.stdout + done.stderr
        _assert_everyone_delivered_once(server, users)
        log = server.log()
        assert log.count("sasl_method=PLAIN, sasl_username=shop") == len(users)
        assert password not in done.stdout + done.stderr


def test_the_test_server_listens_on_loopback_only_and_relays_nothing(ca: trustme.CA):
    """What the configuration promises, checked on the wire: STARTTLS required before MAIL,
    local users accepted, any other domain refused (even after a login), and the anvil limits
    apply to loopback clients too, with Postfix's own replies."""
    password = secrets.token_urlsafe(12)
    limits = Limits(messages=2, connections=1, time_unit="60s")
    with _server(ca, ["ann"], sasl_users={"shop": password}, limits=limits) as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.ehlo()
            code, text = client.mail("shop@example.com")
            assert code == 530 and b"STARTTLS" in text  # nothing without encryption
            context = ssl.create_default_context()
            ca.configure_trust(context)
            client.starttls(context=context)
            client.ehlo()
            client.login("shop", password)
            assert client.mail("shop@example.com")[0] == 250
            code, text = client.rcpt("someone@example.net")
            assert code in (454, 554) and b"Relay access denied" in text
            assert client.rcpt("nobody@example.com")[0] == 550  # not a mailbox here
            assert client.rcpt("ann@example.com")[0] == 250
            client.rset()
            assert client.mail("shop@example.com")[0] == 250  # the second of 2 per minute
            client.rset()
            # word for word what the fault server (tests/support/server_limits.py) answers
            code, text = client.mail("shop@example.com")
            assert f"{code} {text.decode()}" == POSTFIX_TOO_MUCH_MAIL
            client.rset()
            with pytest.raises(smtplib.SMTPConnectError) as refused:
                smtplib.SMTP("127.0.0.1", server.port, timeout=10)  # 1 connection allowed
            error = refused.value
            assert f"{error.smtp_code} {error.smtp_error.decode()}" == POSTFIX_TOO_MANY_CONNECTIONS
        assert server.refusals() == {"too much mail": 1, "too many connections": 1}
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        ours = [line.split()[1] for line in listening if line.split()[3] == "0A"]
        ports = {entry.rsplit(":", 1)[1]: entry.rsplit(":", 1)[0] for entry in ours}
        assert ports[f"{server.port:04X}"] == "0100007F"  # 127.0.0.1, not 0.0.0.0
