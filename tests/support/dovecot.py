"""A real Dovecot IMAP server (Debian's dovecot-imapd) on 127.0.0.1, in userspace, for tests.

The configuration is written by the test into its own folder: one listener on a free loopback
port, STARTTLS required with a trustme certificate, one test user from a passwd file, a Maildir
with a \\Sent and a \\Junk folder (RFC 6154 special use). Mail runs as `nobody` (Dovecot refuses
uid 0 for mail), so the mail home lives in a world-traversable temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import trustme

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "shop@example.com"
PASSWORD = "Imap-test-7Qx2"  # a test user of a server that lives for one test
_NOBODY = 65534


@dataclass(frozen=True)
class DovecotServer:
    host: str
    port: int
    user: str
    password: str
    ca_file: Path
    maildir: Path

    def files_in(self, folder: str = "INBOX") -> list[Path]:
        base = self.maildir if folder == "INBOX" else self.maildir / f".{folder}"
        found: list[Path] = []
        for sub in ("cur", "new"):
            if (base / sub).is_dir():
                found.extend(sorted((base / sub).iterdir()))
        return found


def available() -> bool:
    return Path(DOVECOT).exists() and Path("/usr/lib/dovecot/imap").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(root: Path, home: Path, port: int, uid: int) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
first_valid_uid = 1
default_login_user = dovenull
default_internal_user = dovecot
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={home}/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Junk {{
    special_use = \\Junk
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@contextlib.contextmanager
def dovecot_server(folder: Path) -> Iterator[DovecotServer]:
    """Start Dovecot; stop it (and everything it started) when the block ends. Its files live
    in a world-traversable temporary folder (pytest's are private to root, and Dovecot's auth
    and mail processes run as other users); `folder` gets a copy of the log at the end."""
    root = Path(tempfile.mkdtemp(prefix="herald-dovecot-"))
    os.chmod(root, 0o755)
    for sub in ("run", "state"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(root / "ca.pem"))
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    leaf.private_key_pem.write_to_path(str(root / "key.pem"))
    (root / "cert.pem").write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", "utf-8")
    uid = os.getuid() if os.getuid() != 0 else _NOBODY
    home = root / "home"
    (home / USER).mkdir(parents=True)
    os.chmod(home, 0o755)
    if os.getuid() == 0:
        os.chown(home / USER, uid, uid)
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(_config(root, home, port, uid), "utf-8")
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(port, process, root)
        yield DovecotServer(
            "127.0.0.1", port, USER, PASSWORD, root / "ca.pem", home / USER / "Maildir"
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(OSError):
            shutil.copy(root / "dovecot.log", folder / "dovecot.log")
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited at start: {output}\n{log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not start listening within 20 s")
