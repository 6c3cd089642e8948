"""A real Postfix (and optionally Dovecot as its SASL provider) on 127.0.0.1, for the suite.

Everything lives in one folder made for the test: Postfix's own config_directory, queue and
data directories, the virtual Maildirs, the log, the certificate, Dovecot's config and sockets.
Nothing is read from or written to /etc/postfix or /etc/dovecot, no system daemon is used, and
the servers are stopped (and their processes killed by pid if need be) whatever the test did.

What the configuration promises (see `_main_cf`):
- listens on 127.0.0.1 only, on a free unprivileged port (`inet_interfaces = loopback-only`);
- delivers only to the listed users @example.com, each into a Maildir (virtual(8));
- relays to nobody: no relayhost, `reject_unauth_destination` with no exceptions (not even
  for loopback or logged-in clients), and every non-local transport is `error`;
- STARTTLS is required before MAIL (and before AUTH) with a certificate from a test CA;
- anvil limits (messages and connections per client) apply to loopback too: Postfix exempts
  `$mynetworks` by default, so `smtpd_client_event_limit_exceptions` is emptied.

Postfix's master must run as root (it drops to `mail_owner` for the daemons); this module is
for a machine where the tests run as root, as CI and the development VM do.
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
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOMAIN = "example.com"
MAILDIR_UID = 65534  # nobody: virtual(8) refuses uids below virtual_minimum_uid (100)
START_TIMEOUT = 20.0


def missing_binaries(*, dovecot: bool = False) -> str | None:
    """Why a real-server test cannot run here (None when it can)."""
    needed = [POSTFIX] + ([DOVECOT] if dovecot else [])
    missing = [path for path in needed if not os.access(path, os.X_OK)]
    if missing:
        packages = "postfix" + (" dovecot-core" if dovecot else "")
        return f"{', '.join(missing)} not installed (apt-get install {packages}; see .ci/run)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Limits:
    """Postfix anvil limits per client (None: Postfix's default)."""

    messages: int | None = None  # smtpd_client_message_rate_limit
    connections: int | None = None  # smtpd_client_connection_count_limit
    time_unit: str = "60s"  # anvil_rate_time_unit


@dataclass
class PostfixServer:
    """`with PostfixServer(users=[...], cert=..., key=...) as server:` starts and stops it."""

    users: list[str]
    cert_chain: bytes  # PEM: server certificate (+ chain) and private key
    limits: Limits = field(default_factory=Limits)
    sasl_users: dict[str, str] = field(default_factory=dict)  # login -> password (Dovecot)
    port: int = 0
    root: Path = field(init=False)

    def __post_init__(self) -> None:
        # Not under pytest's tmp_path: that is mode 0700 and the postfix user must reach the
        # queue and the Maildirs.
        self.root = Path(tempfile.mkdtemp(prefix="herald-postfix-"))
        self.root.chmod(0o755)
        self.port = self.port or free_port()
        self._postfix_started = False
        self._dovecot_started = False

    # ------------------------------------------------------------------ folders and files

    @property
    def config_dir(self) -> Path:
        return self.root / "etc"

    @property
    def queue_dir(self) -> Path:
        return self.root / "queue"

    @property
    def mail_dir(self) -> Path:
        return self.root / "mail"

    @property
    def log_file(self) -> Path:
        return self.root / "postfix.log"

    @property
    def dovecot_conf(self) -> Path:
        return self.root / "dovecot" / "dovecot.conf"

    def address(self, user: str) -> str:
        return f"{user}@{DOMAIN}"

    def maildir_files(self, user: str) -> list[Path]:
        """The messages delivered to `user` (new/ and cur/ of their Maildir)."""
        box = self.mail_dir / DOMAIN / user
        return sorted(p for sub in ("new", "cur") for p in (box / sub).glob("*") if p.is_file())

    def delivered(self) -> dict[str, list[Message]]:
        return {
            user: [
                message_from_bytes(p.read_bytes(), policy=default_policy)
                for p in self.maildir_files(user)
            ]
            for user in self.users
        }

    def log(self) -> str:
        try:
            return self.log_file.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def refusals(self) -> dict[str, int]:
        """Postfix's anvil refusals so far, as its log counts them (the reply texts are not
        logged): `too much mail` (450 at MAIL) and `too many connections` (421 at connect)."""
        log = self.log()
        return {
            "too much mail": log.count("Message delivery request rate limit exceeded"),
            "too many connections": log.count("Connection concurrency limit exceeded"),
        }

    def _write(self) -> None:
        for folder in (self.config_dir, self.queue_dir, self.root / "data", self.mail_dir):
            folder.mkdir(parents=True, exist_ok=True)
        # root-owned like Postfix's own /etc/postfix and /var/spool/postfix (postfix check)
        self.queue_dir.chmod(0o755)
        os.chown(self.root / "data", _uid("postfix"), _gid("postfix"))
        os.chown(self.mail_dir, MAILDIR_UID, MAILDIR_UID)
        key = self.config_dir / "server.pem"
        key.write_bytes(self.cert_chain)
        key.chmod(0o600)
        (self.config_dir / "vmailbox").write_text(
            "".join(f"{self.address(u)} {DOMAIN}/{u}/\n" for u in self.users), "utf-8"
        )
        (self.config_dir / "main.cf").write_text(self._main_cf(), "utf-8")
        (self.config_dir / "master.cf").write_text(self._master_cf(), "utf-8")

    def _main_cf(self) -> str:
        root, limits = self.root, self.limits
        lines = {
            "compatibility_level": "3.6",
            "queue_directory": str(self.queue_dir),
            "data_directory": str(root / "data"),
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "maillog_file": str(self.log_file),
            "maillog_file_prefixes": str(root),
            "inet_interfaces": "loopback-only",
            "inet_protocols": "ipv4",
            "myhostname": f"mail.{DOMAIN}",
            "mydomain": DOMAIN,
            "myorigin": DOMAIN,
            "mydestination": "",
            "mynetworks": "127.0.0.0/8",
            "relayhost": "",
            "smtpd_relay_restrictions": "reject_unauth_destination",
            "smtpd_recipient_restrictions": "",
            "default_transport": "error:this test server relays nothing",
            "relay_transport": "error:this test server relays nothing",
            "local_transport": "error:no local delivery on this test server",
            "alias_maps": "",
            "alias_database": "",
            "disable_dns_lookups": "yes",
            "smtp_host_lookup": "native",
            "biff": "no",
            "virtual_mailbox_domains": DOMAIN,
            "virtual_mailbox_base": str(self.mail_dir),
            "virtual_mailbox_maps": f"texthash:{self.config_dir / 'vmailbox'}",
            "virtual_uid_maps": f"static:{MAILDIR_UID}",
            "virtual_gid_maps": f"static:{MAILDIR_UID}",
            "smtpd_banner": "$myhostname ESMTP Postfix (Herald test server)",
            "smtpd_tls_security_level": "encrypt",
            "smtpd_tls_chain_files": str(self.config_dir / "server.pem"),
            "smtpd_tls_received_header": "yes",
            "smtpd_tls_auth_only": "yes",
            "smtpd_client_event_limit_exceptions": "",
            "smtpd_error_sleep_time": "0",  # the tests make refusals on purpose; no tarpit
            "anvil_rate_time_unit": limits.time_unit,
        }
        if limits.messages is not None:
            lines["smtpd_client_message_rate_limit"] = str(limits.messages)
        if limits.connections is not None:
            lines["smtpd_client_connection_count_limit"] = str(limits.connections)
        if self.sasl_users:
            lines |= {
                "smtpd_sasl_auth_enable": "yes",
                "smtpd_sasl_type": "dovecot",
                "smtpd_sasl_path": "private/auth",  # relative to the queue directory
                "smtpd_sasl_security_options": "noanonymous",
            }
        return "".join(f"{k} = {v}\n" for k, v in lines.items())

    def _master_cf(self) -> str:
        services = [
            f"127.0.0.1:{self.port} inet n - n - - smtpd",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "virtual unix - n n - - virtual",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
        ]
        return "\n".join(services) + "\n"

    def _write_dovecot(self) -> None:
        folder = self.dovecot_conf.parent
        (folder / "run").mkdir(parents=True, exist_ok=True)
        (folder / "state").mkdir(exist_ok=True)
        passwd = folder / "passwd"
        passwd.write_text(
            "".join(f"{login}:{{PLAIN}}{pw}::::::\n" for login, pw in self.sasl_users.items()),
            "utf-8",
        )
        # read by Dovecot's auth process, which runs as the unprivileged `dovecot` user
        passwd.chmod(0o640)
        os.chown(passwd, 0, _gid("dovecot"))
        socket_path = self.queue_dir / "private" / "auth"
        self.dovecot_conf.write_text(
            f"""protocols =
base_dir = {folder / "run"}
state_dir = {folder / "state"}
log_path = {folder / "dovecot.log"}
ssl = no
auth_verbose = yes
auth_failure_delay = 0
auth_mechanisms = plain login
disable_plaintext_auth = no
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid={MAILDIR_UID} gid={MAILDIR_UID} home=/nonexistent
}}
# the tests fail a login on purpose; no growing delay for the next one from 127.0.0.1
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service auth {{
  unix_listener {socket_path} {{
    mode = 0660
    user = postfix
    group = postfix
  }}
}}
""",
            "utf-8",
        )

    # ---------------------------------------------------------------------- start and stop

    def start(self) -> None:
        self._write()
        try:
            if self.sasl_users:  # Dovecot's socket goes where smtpd looks, made as Postfix
                # would make it (postfix start makes the rest of the queue)
                private = self.queue_dir / "private"
                private.mkdir(mode=0o700, exist_ok=True)
                os.chown(private, _uid("postfix"), 0)
                self._write_dovecot()
                self._run(DOVECOT, "-c", str(self.dovecot_conf))
                self._dovecot_started = True
                self._wait_for(lambda: (self.queue_dir / "private" / "auth").exists(), "dovecot")
            self._run(POSTFIX, "-c", str(self.config_dir), "start")
            self._postfix_started = True
            self._wait_for(self._accepts_connections, "postfix")
        except BaseException:
            self.stop()
            raise

    def _run(self, *command: str) -> None:
        # Output to a file, not a pipe: a daemonising master keeps inherited pipes open, so
        # reading them to the end would wait for the server to stop. Postfix writes its fatal
        # errors to syslog (absent here) unless stderr is a terminal; see `log()` too.
        output = self.root / "commands.log"
        with output.open("ab") as sink:
            done = subprocess.run(
                command, stdout=sink, stderr=sink, stdin=subprocess.DEVNULL, timeout=START_TIMEOUT
            )
        if done.returncode != 0:
            said = output.read_text("utf-8", errors="replace")
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}): {said}\n{self.log()}"
            )

    def _accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                return sock.recv(100).startswith(b"220")
        except OSError:
            return False

    def _wait_for(self, ready: object, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if ready():  # type: ignore[operator]
                return
            time.sleep(0.05)
        raise RuntimeError(f"{what} did not start within {START_TIMEOUT:g} s:\n{self.log()}")

    def wait_for_deliveries(self, count: int, timeout: float = 20.0) -> int:
        """Postfix delivers after accepting (qmgr -> virtual); wait until `count` are filed."""
        deadline = time.monotonic() + timeout
        filed = 0
        while time.monotonic() < deadline:
            filed = sum(len(self.maildir_files(u)) for u in self.users)
            if filed >= count:
                return filed
            time.sleep(0.05)
        return filed

    def stop(self) -> None:
        """Stop Postfix and Dovecot; kill what is left by pid; remove the folder."""
        if self._postfix_started:
            with contextlib.suppress(Exception):
                subprocess.run(
                    [POSTFIX, "-c", str(self.config_dir), "stop"],
                    capture_output=True,
                    timeout=START_TIMEOUT,
                )
            _kill_pid_file(self.queue_dir / "pid" / "master.pid")
            self._postfix_started = False
        if self._dovecot_started:  # SIGTERM to its master is `dovecot stop` without the
            # wait of up to 2 s it adds
            _kill_pid_file(self.dovecot_conf.parent / "run" / "master.pid")
            self._dovecot_started = False
        _kill_processes_under(self.root)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostfixServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


def _gid(name: str) -> int:
    import grp

    return grp.getgrnam(name).gr_gid


def _kill_pid_file(path: Path, wait: float = 5.0) -> None:
    """SIGTERM the process named in `path` (a master), then SIGKILL if it lingers."""
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    _terminate(pid, wait)


def _terminate(pid: int, wait: float) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if not _alive(pid):
            return
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running, not merely a zombie: a daemon's master is re-parented to PID 1, which in a
    container may never reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _kill_processes_under(root: Path) -> None:
    """Any process still working in our folder or naming it in its command line (Postfix's
    daemons run in the queue directory): a daemon that missed its master's stop. Only ours,
    since the folder name is unique to this server."""
    marker = str(root).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            where = os.readlink(entry / "cwd").encode()
        except OSError:
            continue
        if marker in command or where.startswith(marker):
            _terminate(int(entry.name), 2.0)
