"""A scriptable SMTP server on 127.0.0.1 for every send test (and the benchmarks' sink).

It is aiosmtpd's real protocol (so ordinary SMTP behaves like a real server, including the
strict `503 nested MAIL` when a client forgets RSET), with hooks that let a test script faults:

    server = SmtpTestServer(auth=("user", "secret"), tls="starttls", tls_context=ctx)
    server.on("rcpt", "550 5.1.1 No such user", address="bad@example.com")
    server.on("message", DROP, nth=3, store=True)      # 3rd message: keep it, never answer
    port = await server.start()                         # same asyncio loop, no thread

Gates (`server.add_gate(stage, gate)`) answer from state of their own: the real servers' hidden
limits in `server_limits.py` (Postfix anvil, Exim ratelimit, greylisting, NetEase quota) are
gates. Rules answer any code (or DROP the connection) at any stage: greeting, ehlo, auth, mail,
rcpt, data (the DATA command, before 354), message (after the final dot), rset. The server records
connections (total and most at once), every command line (AUTH arguments redacted), every AUTH
attempt and every accepted message (envelope and exact bytes).

Three ways to run it: `await server.start()` in the running loop (what the GUI's qasync loop
needs: aiosmtpd's threaded Controller does not work there), `server.start_in_thread()` for a
client in another process, and `python -m tests.support.smtp_server --port 0` as a process.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import signal
import ssl
import sys
import tempfile
import threading
import time
import warnings
from base64 import b64decode
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

#: A rule reply meaning "close the connection without answering".
DROP = "DROP"

#: A gate decides a stage's reply from state of its own (a rate counter, a greylist, a quota):
#: called with the stage's address (MAIL: sender, RCPT: recipient, greeting: None), it returns a
#: reply to answer instead, or None to let the stage go on. See tests/support/server_limits.py.
Gate = Callable[[str | None], str | None]

STAGES = ("greeting", "ehlo", "auth", "mail", "rcpt", "data", "message", "rset")


@dataclass
class Rule:
    """Answer `reply` at `stage` when the address, occurrence and remaining times all match."""

    stage: str
    reply: str  # "450 4.2.1 Try later" or DROP
    address: str | None = None  # rcpt: the recipient; mail: the sender (case-insensitive)
    nth: int | None = None  # only the nth time this stage is reached on this server (1-based)
    times: int | None = None  # fire at most this often (None: every time)
    store: bool = False  # message stage: keep the message although we refuse/drop/delay
    delay: float = 0.0  # seconds to wait before answering
    fired: int = 0

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"unknown stage {self.stage!r}; use one of {STAGES}")

    def matches(self, count: int, address: str | None) -> bool:
        if self.times is not None and self.fired >= self.times:
            return False
        if self.nth is not None and count != self.nth:
            return False
        return self.address is None or (
            address is not None and address.lower() == self.address.lower()
        )


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes  # exactly what the client sent, dot-unstuffed
    connection: int
    mail_options: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthAttempt:
    mechanism: str
    username: str
    success: bool
    connection: int


@dataclass
class _Conn:
    number: int
    messages: int = 0
    closed: bool = False


class SmtpTestServer:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        tls: Literal["none", "starttls", "tls"] = "none",
        tls_context: ssl.SSLContext | None = None,
        auth: tuple[str, str] | None = None,
        auth_failure_reply: str = "535 5.7.8 Authentication credentials invalid",
        bearer: Callable[[str, str], bool] | None = None,  # XOAUTH2: (user, token) -> valid?
        smtputf8: bool = True,
        delay: float = 0.0,
        rate_limit: tuple[int, float] | None = None,
        rate_limit_reply: str = "450 4.7.1 Rate limit exceeded, try again later",
        max_messages_per_connection: int | None = None,
        max_messages_reply: str = DROP,
        max_connections: int | None = None,
        max_connections_reply: str = "421 4.3.2 Too many concurrent connections",
        keep_messages: bool = True,
        pipelining: bool = False,
        latency: float = 0.0,
        rules: Iterable[Rule] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if tls != "none" and tls_context is None:
            raise ValueError("tls needs tls_context (see tests.support.certs)")
        self.host = host
        self.tls = tls
        self.tls_context = tls_context
        self.auth = auth
        self.auth_failure_reply = auth_failure_reply
        self.bearer = bearer
        self.smtputf8 = smtputf8
        self.delay = delay
        self.rate_limit = rate_limit
        self.rate_limit_reply = rate_limit_reply
        self.max_messages_per_connection = max_messages_per_connection
        self.max_messages_reply = max_messages_reply
        self.max_connections = max_connections
        self.max_connections_reply = max_connections_reply
        self.keep_messages = keep_messages
        self.pipelining = pipelining  # advertise PIPELINING (aiosmtpd reads line by line)
        # Network-like delay: each reply leaves `latency` s after its command was read, without
        # holding up the next command (unlike `delay`), so pipelined commands cost one wait.
        # Plain connections only (a delayed 220 would race STARTTLS).
        self.latency = latency
        self.rules: list[Rule] = list(rules)
        self.gates: dict[str, list[Gate]] = collections.defaultdict(list)  # stage -> gates
        self.clock = clock  # a test's FakeClock.monotonic stamps arrivals in its fake time
        # What happened (read these in tests).
        self.connections = 0
        self.current_connections = 0
        self.max_concurrent = 0
        self.commands: list[tuple[int, str]] = []  # (connection, command line)
        self.auth_attempts: list[AuthAttempt] = []
        self.messages: list[ReceivedMessage] = []
        self.message_count = 0  # also counted when keep_messages is False
        self.received_at: list[float] = []  # `clock()` as each message was stored, in order
        self.port = 0
        self._stage_counts: collections.Counter[str] = collections.Counter()
        self._accepted_at: collections.deque[float] = collections.deque()
        self._protocols: set[_ScriptedSMTP] = set()
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    # ---- scripting -------------------------------------------------------------------------
    def on(self, stage: str, reply: str, **options: Any) -> Rule:
        """Add a rule (see Rule) and return it, e.g. `on("mail", "421 4.7.0 Later", times=1)`."""
        rule = Rule(stage, reply, **options)
        self.rules.append(rule)
        return rule

    def add_gate(self, stage: str, gate: Gate) -> Gate:
        """Consult `gate` at `stage` (greeting, mail or rcpt) before the rules."""
        if stage not in ("greeting", "mail", "rcpt"):
            raise ValueError(f"gates apply at greeting, mail or rcpt, not {stage!r}")
        self.gates[stage].append(gate)
        return gate

    def _gated(self, stage: str, address: str | None = None) -> str | None:
        for gate in self.gates.get(stage, ()):
            reply = gate(address)
            if reply is not None:
                return reply
        return None

    def _match(self, stage: str, address: str | None = None) -> Rule | None:
        self._stage_counts[stage] += 1
        count = self._stage_counts[stage]
        for rule in self.rules:
            if rule.stage == stage and rule.matches(count, address):
                rule.fired += 1
                return rule
        return None

    # ---- what happened ---------------------------------------------------------------------
    def commands_named(self, verb: str) -> list[str]:
        verb = verb.upper()
        return [line for _, line in self.commands if line.split(" ", 1)[0].upper() == verb]

    def recipients(self) -> list[str]:
        return [rcpt for message in self.messages for rcpt in message.rcpt_tos]

    # ---- running in the current loop ---------------------------------------------------------
    async def start(self, port: int = 0) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _ScriptedSMTP(self, loop),
            host=self.host,
            port=port,
            ssl=self.tls_context if self.tls == "tls" else None,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for protocol in list(self._protocols):
            if protocol.transport is not None:
                protocol.transport.close()
        await self._server.wait_closed()
        for _ in range(3):  # let cancelled session tasks finish, so nothing leaks a warning
            await asyncio.sleep(0)
        self._server = None

    # ---- running in a background thread -------------------------------------------------------
    def start_in_thread(self, port: int = 0) -> int:
        """Serve from a thread with its own loop (for clients in a subprocess). Returns the port."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._thread_loop = loop
            try:
                loop.run_until_complete(self.start(port))
            except BaseException as error:  # surface bind errors in the caller's thread
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="smtp-test-server", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self.port

    def stop_thread(self) -> None:
        if self._thread is None or self._thread_loop is None:
            return
        self._thread_loop.call_soon_threadsafe(self._thread_loop.stop)
        self._thread.join(10)
        self._thread = None


class _ScriptedSMTP(SMTP):  # type: ignore[misc]
    """aiosmtpd's protocol with the test server's rules, delays and records wired in."""

    def __init__(self, owner: SmtpTestServer, loop: asyncio.AbstractEventLoop) -> None:
        owner.connections += 1
        owner.current_connections += 1
        owner.max_concurrent = max(owner.max_concurrent, owner.current_connections)
        self.owner = owner
        self.conn = _Conn(owner.connections)
        self._greeted = False
        self._over_capacity = (
            owner.max_connections is not None and owner.current_connections > owner.max_connections
        )
        # Implicit TLS is invisible to aiosmtpd (it only knows STARTTLS), so "AUTH needs TLS"
        # is enforced by aiosmtpd for starttls only; "none" deliberately allows plaintext AUTH
        # (loopback tests), which aiosmtpd warns about.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            super().__init__(
                _Handler(owner),
                loop=loop,
                hostname="smtp.example.test",  # a fixed name: socket.getfqdn() can stall on DNS
                enable_SMTPUTF8=owner.smtputf8,
                tls_context=owner.tls_context if owner.tls == "starttls" else None,
                require_starttls=owner.tls == "starttls",
                auth_required=owner.auth is not None or owner.bearer is not None,
                auth_require_tls=owner.tls == "starttls",
                authenticator=self._check_login,
                auth_exclude_mechanism=[] if owner.bearer is not None else ["XOAUTH2"],
            )
        owner._protocols.add(self)

    def _cb_client_connected(self, reader: asyncio.StreamReader, writer: Any) -> None:
        super()._cb_client_connected(reader, writer)
        original = reader.readuntil

        # aiosmtpd reads commands with readuntil() (default separator) and message lines with
        # readuntil(b"\r\n"): recording only the former gives every command line on the wire,
        # including those refused before dispatch (e.g. AUTH before STARTTLS).
        async def readuntil(separator: bytes = b"\n") -> bytes:
            line = await original(separator)
            if separator == b"\n":
                self._record(line)
            return line

        reader.readuntil = readuntil  # type: ignore[method-assign]

    def _record(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if line[:4].upper() == "AUTH":
            line = " ".join(line.split()[:2])  # never keep the credentials
        self.owner.commands.append((self.conn.number, line))

    def connection_lost(self, error: Exception | None) -> None:
        if not self.conn.closed:
            self.conn.closed = True
            self.owner.current_connections -= 1
            self.owner._protocols.discard(self)
        super().connection_lost(error)

    async def push(self, status: str | bytes) -> None:
        text = status if isinstance(status, str) else status.decode("utf-8", "replace")
        greeting = not self._greeted
        if greeting:
            self._greeted = True
            gated = None if self._over_capacity else self.owner._gated("greeting")
            rule = None if self._over_capacity or gated else self.owner._match("greeting")
            if self._over_capacity:
                text = status = self.owner.max_connections_reply
            elif gated is not None:
                text = status = gated
            elif rule is not None:
                await asyncio.sleep(rule.delay)
                text = status = rule.reply
        if self.owner.delay and text[3:4] != "-":  # once per reply, not per EHLO line
            await asyncio.sleep(self.owner.delay)
        # A 421 closes the session at any stage (RFC 5321 §3.8); so does a refused greeting.
        closes = text.startswith(("421", "432")) or (greeting and not text.startswith("220"))
        if self.owner.latency:
            self._delayed(status, text, closes)
            return
        if text == DROP:
            self._close()
            return
        if self.transport is None or self.transport.is_closing():
            return
        await super().push(status)
        if closes:
            self._close()

    def _delayed(self, status: str | bytes, text: str, closes: bool) -> None:
        """Queue a reply to leave `latency` after now, in order (see SmtpTestServer.latency)."""
        loop = asyncio.get_running_loop()
        due = loop.time() + self.owner.latency
        if not hasattr(self, "_outgoing"):
            self._outgoing: asyncio.Queue[tuple[float, str | bytes, str, bool]] = asyncio.Queue()
            self._sender = loop.create_task(self._send_delayed())
        self._outgoing.put_nowait((due, status, text, closes))

    async def _send_delayed(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, status, text, closes = await self._outgoing.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            if text == DROP or self.transport is None or self.transport.is_closing():
                self._close()
                return
            data = status if isinstance(status, bytes) else status.encode("utf-8")
            self.transport.write(data + b"\r\n")
            if closes:
                self._close()
                return

    def _close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    async def smtp_DATA(self, arg: str) -> None:
        # aiosmtpd has no hook before its 354, so the "data" stage is scripted here.
        if self.envelope is not None and self.envelope.rcpt_tos and not arg:
            rule = self.owner._match("data")
            if rule is not None:
                await asyncio.sleep(rule.delay)
                await self.push(rule.reply)
                return
        await super().smtp_DATA(arg)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """RFC-less but universal (Google, Microsoft): base64 of
        "user=U\x01auth=Bearer TOKEN\x01\x01"; a refusal is a 334 with a JSON error, an empty
        line from the client, then 535."""
        owner = self.owner
        raw = args[1] if len(args) > 1 else ""
        try:
            fields = dict(
                part.split("=", 1) for part in b64decode(raw).decode().split("\x01") if "=" in part
            )
        except (ValueError, UnicodeDecodeError):
            fields = {}
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        valid = owner.bearer is not None and owner.bearer(user, token)
        owner.auth_attempts.append(AuthAttempt("XOAUTH2", user, valid, self.conn.number))
        if valid:
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        error = (
            b'{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/SMTP.Send"}'
        )
        await self.challenge_auth(error)
        return AuthResult(success=False, handled=False, message=owner.auth_failure_reply)

    def _check_login(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        owner = self.owner
        assert isinstance(data, LoginPassword)
        username = data.login.decode("utf-8", "replace")
        password = data.password.decode("utf-8", "replace")
        rule = owner._match("auth")
        success = rule is None and owner.auth is not None and owner.auth == (username, password)
        owner.auth_attempts.append(AuthAttempt(mechanism, username, success, self.conn.number))
        if success:
            return AuthResult(success=True, auth_data=data)
        message = rule.reply if rule is not None else owner.auth_failure_reply
        if message == DROP:
            self._close()
            return AuthResult(success=False, handled=True)
        return AuthResult(success=False, handled=False, message=message)


class _Handler:
    """aiosmtpd handler hooks: the MAIL / RCPT / after-dot decisions."""

    def __init__(self, owner: SmtpTestServer) -> None:
        self.owner = owner

    async def handle_EHLO(
        self,
        server: _ScriptedSMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        rule = self.owner._match("ehlo")
        if rule is not None:
            await asyncio.sleep(rule.delay)
            return [rule.reply]
        session.host_name = hostname
        if self.owner.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")  # before "250 HELP"
        return responses

    async def handle_MAIL(
        self,
        server: _ScriptedSMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        owner = self.owner
        limit = owner.max_messages_per_connection
        if limit is not None and server.conn.messages >= limit:
            return owner.max_messages_reply
        if owner.rate_limit is not None and self._over_rate(*owner.rate_limit):
            return owner.rate_limit_reply
        gated = owner._gated("mail", address)
        if gated is not None:
            return gated
        rule = owner._match("mail", address)
        if rule is not None:
            await asyncio.sleep(rule.delay)
            return rule.reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    def _over_rate(self, count: int, window: float) -> bool:
        accepted = self.owner._accepted_at
        now = self.owner.clock()
        while accepted and accepted[0] <= now - window:
            accepted.popleft()
        return len(accepted) >= count

    async def handle_RCPT(
        self,
        server: _ScriptedSMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        gated = self.owner._gated("rcpt", address)
        if gated is not None:
            return gated
        rule = self.owner._match("rcpt", address)
        if rule is not None:
            await asyncio.sleep(rule.delay)
            return rule.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_RSET(self, server: _ScriptedSMTP, session: Session, envelope: Envelope):
        rule = self.owner._match("rset")
        return rule.reply if rule is not None else "250 OK"

    async def handle_DATA(self, server: _ScriptedSMTP, session: Session, envelope: Envelope) -> str:
        rule = self.owner._match("message")
        reply = "250 OK: queued" if rule is None else rule.reply
        if rule is None or rule.store or reply.startswith("2"):
            self._store(server, envelope)
        if rule is not None:
            await asyncio.sleep(rule.delay)
        return reply

    def _store(self, server: _ScriptedSMTP, envelope: Envelope) -> None:
        owner = self.owner
        owner.message_count += 1
        server.conn.messages += 1
        now = owner.clock()
        owner._accepted_at.append(now)
        owner.received_at.append(now)
        if owner.keep_messages:
            owner.messages.append(
                ReceivedMessage(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=bytes(envelope.original_content),
                    connection=server.conn.number,
                    mail_options=tuple(envelope.mail_options),
                )
            )


# ---- as a process: python -m tests.support.smtp_server --port 0 ---------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Loopback SMTP sink for Herald's benchmarks.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="wait before every reply")
    parser.add_argument("--tls", choices=("none", "starttls", "tls"), default="none")
    parser.add_argument("--cert-dir", type=Path, help="where to write ca.pem (with --tls)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require this login")
    parser.add_argument("--keep", action="store_true", help="keep messages (default: count)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="network-like reply delay")
    parser.add_argument("--pipelining", action="store_true", help="advertise PIPELINING")
    args = parser.parse_args(argv)

    context = None
    if args.tls != "none":
        from tests.support.certs import make_certificates

        folder = args.cert_dir or Path(tempfile.mkdtemp(prefix="herald-sink-"))
        certificates = make_certificates(folder)
        context = certificates.server_context()
    server = SmtpTestServer(
        tls=args.tls,
        tls_context=context,
        auth=tuple(args.auth.split(":", 1)) if args.auth else None,
        delay=args.delay_ms / 1000,
        latency=args.latency_ms / 1000,
        pipelining=args.pipelining,
        keep_messages=args.keep,
    )

    async def serve() -> None:
        port = await server.start(args.port)
        print(port, flush=True)
        if context is not None:
            print(certificates.ca_file, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        await server.stop()
        print(f"received {server.message_count} messages", file=sys.stderr, flush=True)

    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
