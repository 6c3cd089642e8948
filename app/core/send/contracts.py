"""The seams of the send engine. Concrete parts (transport, limiter, journal) satisfy these,
and the engine depends only on them, so it is tested with a fake clock and a real loopback server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

from app.core.model import RenderedMessage


class Stage(StrEnum):
    """Where in the SMTP dialogue a reply (or a fault) happened."""

    CONNECT = "connect"  # TCP connect, greeting, EHLO, STARTTLS
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    DATA = "data"  # the DATA command itself (before the 354): nothing sent yet
    MESSAGE = "message"  # after the final dot: a lost reply here is ambiguous
    RSET = "rset"
    QUIT = "quit"


class Scope(StrEnum):
    RECIPIENT = "recipient"  # only this address is affected
    MESSAGE = "message"  # this message's content (e.g. rejected as spam)
    CONNECTION = "connection"  # reconnect and carry on
    ACCOUNT = "account"  # the whole send: login refused, quota exhausted, throttled


class Action(StrEnum):
    """What the engine does about a reply."""

    SUCCESS = "success"
    FAIL = "fail"  # permanent for this scope: never retried
    RETRY = "retry"  # transient: defer and retry with backoff
    THROTTLE = "throttle"  # server push-back: slow down (and maybe pause), retry
    PAUSE_QUOTA = "pause-quota"  # quota exhausted: pause until the window reopens, retry
    STOP = "stop"  # stop the whole send now (authentication, security)
    UNKNOWN = "unknown"  # reply lost after the final dot: never resend without the user's word


@dataclass(frozen=True, slots=True)
class Reply:
    code: int | None  # None when there was no reply (timeout, dropped connection)
    text: str
    stage: Stage

    def __str__(self) -> str:
        return f"{self.code} {self.text}" if self.code is not None else self.text


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    scope: Scope
    reason: str  # plain-language explanation for the user (English; translated at the edge)
    pause_seconds: float | None = None  # how long the reply implies we should wait, if it does


@dataclass(frozen=True, slots=True)
class SendResult:
    """Outcome of one message on one connection. Raised faults become a SendResult too."""

    reply: Reply  # the final reply (250 on success)
    accepted: tuple[str, ...] = ()
    refused: Mapping[str, Reply] = field(default_factory=dict)  # per-address RCPT refusals


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def now(self) -> dt.datetime: ...  # aware UTC wall clock, for journals and windows on disk
    async def sleep(self, seconds: float) -> None: ...


class Connection(Protocol):
    """One live, authenticated SMTP session. Stage-aware: MAIL, RCPT, DATA are separate steps."""

    async def send(
        self, message: RenderedMessage, *, before_data: Callable[[], object] | None = None
    ) -> SendResult:
        """`before_data` runs before the body can leave: after RCPT, just before the DATA
        command, or (PIPELINING) right after MAIL/RCPT/DATA were written together, before the
        354 is read. If it raises, no body is sent for this message (the transaction is reset,
        or the connection closed) and the error passes through."""
        ...

    async def close(self) -> None: ...

    @property
    def is_open(self) -> bool: ...


class Connector(Protocol):
    """Opens connections (connect, TLS, EHLO, AUTH once). Raises SmtpError on failure."""

    async def open(self) -> Connection: ...


class SmtpError(Exception):
    """A fault with its reply and stage; the engine classifies `reply` to decide what to do."""

    def __init__(self, reply: Reply, *, hint: str = "") -> None:
        super().__init__(f"{reply.stage}: {reply}" + (f" ({hint})" if hint else ""))
        self.reply = reply
        self.hint = hint


class SecurityRefused(SmtpError):
    """Herald itself refused to go on: the connection cannot be made safe (no STARTTLS, a
    certificate that does not verify, a login that would cross the network unencrypted), or
    a login cannot even be attempted (no password, no AUTH or no mechanism Herald can use).

    No server said this, so `reply.code` is None and `reply.text` is a plain sentence; `hint`
    says what to change. Retrying cannot cure it: the engine stops the whole send at once.
    """


class AuthenticationFailed(SmtpError):
    """The server refused the login (its reply in `reply`). Never retried automatically: one
    failed login per start, because repeated failures are how accounts get locked."""


@runtime_checkable
class BearerCredential(Protocol):
    """An OAuth 2.0 sign-in (app.core.oauth.TokenSource): what the connector asks for an
    access token instead of a password, to log in with XOAUTH2."""

    async def token(self, *, force_refresh: bool = False) -> str: ...


class RecipientState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # committed before DATA; found after a crash it becomes UNKNOWN
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"  # transient failure; retried at `next_attempt_at`
    UNKNOWN = "unknown"  # reply to the final dot lost: never resent without the user's word


class WaitCallback(Protocol):
    def __call__(self, until_monotonic: float, reason: str) -> None: ...


class Limiter(Protocol):
    """Every user limit at once, plus the adaptive factor. Shared by all workers of one send."""

    async def acquire(
        self, recipients: int, size: int, on_wait: WaitCallback | None = None
    ) -> None:
        """Wait until `recipients` more (and `size` more bytes) fit every window, then count them.

        Calls `on_wait` once when the wait is long enough to be worth telling the user.
        """
        ...

    def on_pushback(self, verdict: Verdict) -> float | None:
        """Server push-back; returns the monotonic time until which sending waits, if any."""
        ...

    def on_success(self) -> None: ...

    def on_unsent(self) -> None:
        """An admitted message went back without reaching the server (no seat, a connection
        fault, the send stopping): the probe it may have carried will not be answered."""
        ...
