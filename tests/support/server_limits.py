"""Real servers' limits and refusals, word for word, scripted on the test server.

Each function arms an `SmtpTestServer` (smtp_server.py) with one behaviour measured against the
real thing (issue 9), with the real reply text, so a fast test meets what Herald meets in the
wild without a Postfix or Exim running:

    server = await smtp_server_factory()
    anvil = postfix_message_rate_limit(server, 20, per=10.0)   # hidden: Herald is not told
    postfix_connection_count_limit(server, 2)

The counters run on `server.clock` (a test's `FakeClock.monotonic` for fake time).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.smtp_server import SmtpTestServer

POSTFIX_TOO_MUCH_MAIL = "450 4.7.1 Error: too much mail from 127.0.0.1"
# Postfix names itself in this one (myhostname; mail.example.com in tests/support/postfix.py);
# tests/servers/test_postfix.py checks both texts against a real Postfix.
POSTFIX_TOO_MANY_CONNECTIONS = (
    "421 4.7.0 mail.example.com Error: too many connections from 127.0.0.1"
)
EXIM_SENDER_RATE = "451 Sender rate exceeds {count} messages per {seconds:g}s"
GREYLISTED = "451 4.7.1 Greylisted, try again later"
ACCESS_DENIED = "554 5.7.1 Access denied"
NETEASE_DAILY_QUOTA = "554 5.5.0 MI:STC Too many mails sent today, try again tomorrow"
NETEASE_RP_TRC = "550 RP:TRC Too many recipients today, try again tomorrow"


@dataclass
class PostfixAnvil:
    """Postfix's `smtpd_client_message_rate_limit`: every MAIL FROM counts (refused ones too,
    as anvil counts requests), in fixed windows of `anvil_rate_time_unit` that start at the
    client's first request; over the limit MAIL gets 450 until the window ends."""

    server: SmtpTestServer
    limit: int
    per: float
    window_start: float | None = None
    requests: int = 0
    refused: int = 0

    def __call__(self, address: str | None) -> str | None:
        now = self.server.clock()
        if self.window_start is None or now - self.window_start >= self.per:
            self.window_start, self.requests = now, 0
        self.requests += 1
        if self.requests > self.limit:
            self.refused += 1
            return POSTFIX_TOO_MUCH_MAIL
        return None


def postfix_message_rate_limit(server: SmtpTestServer, limit: int, *, per: float) -> PostfixAnvil:
    """`smtpd_client_message_rate_limit = limit`, `anvil_rate_time_unit = per` seconds."""
    anvil = PostfixAnvil(server, limit, per)
    server.add_gate("mail", anvil)
    return anvil


def postfix_connection_count_limit(server: SmtpTestServer, limit: int) -> None:
    """`smtpd_client_connection_count_limit = limit`: a connection beyond it is greeted with
    Postfix's 421 and closed."""
    server.max_connections = limit
    server.max_connections_reply = POSTFIX_TOO_MANY_CONNECTIONS


@dataclass
class EximRateLimit:
    """Exim's `ratelimit = count / seconds / per_mail` ACL: accepted messages in a sliding
    window; over it MAIL gets Exim's documented 451 (refused attempts do not count)."""

    server: SmtpTestServer
    count: int
    seconds: float
    refused: int = 0

    def __call__(self, address: str | None) -> str | None:
        now = self.server.clock()
        recent = [t for t in self.server.received_at if t > now - self.seconds]
        if len(recent) >= self.count:
            self.refused += 1
            return EXIM_SENDER_RATE.format(count=self.count, seconds=self.seconds)
        return None


def exim_sender_rate_limit(server: SmtpTestServer, count: int, *, per: float) -> EximRateLimit:
    limit = EximRateLimit(server, count, per)
    server.add_gate("mail", limit)
    return limit


@dataclass
class Greylist:
    """Greylisting at RCPT: the first attempt for `address` is refused with 451, and so is
    every attempt until `seconds` after it; then the address is accepted for good."""

    server: SmtpTestServer
    address: str
    seconds: float
    first_seen: float | None = None
    refused: int = 0

    def __call__(self, address: str | None) -> str | None:
        if address is None or address.lower() != self.address.lower():
            return None
        now = self.server.clock()
        if self.first_seen is None:
            self.first_seen = now
        if now - self.first_seen < self.seconds:
            self.refused += 1
            return GREYLISTED
        return None


def greylist(server: SmtpTestServer, address: str, *, seconds: float) -> Greylist:
    grey = Greylist(server, address, seconds)
    server.add_gate("rcpt", grey)
    return grey


def access_denied_at_rcpt(server: SmtpTestServer) -> None:
    """A relay that refuses every recipient from a client that has not logged in (the reply is
    about the account, not about any address)."""
    server.add_gate("rcpt", lambda address: ACCESS_DENIED)


@dataclass
class NeteaseQuota:
    """163/126's daily quota: after `per_day` messages every MAIL gets `reply` (MI:STC by
    default, or RP:TRC) for the rest of the day."""

    server: SmtpTestServer
    per_day: int
    reply: str = NETEASE_DAILY_QUOTA
    refused: list[str] = field(default_factory=list)

    def __call__(self, address: str | None) -> str | None:
        if self.server.message_count >= self.per_day:
            self.refused.append(address or "")
            return self.reply
        return None


def netease_daily_quota(
    server: SmtpTestServer, per_day: int, *, reply: str = NETEASE_DAILY_QUOTA
) -> NeteaseQuota:
    quota = NeteaseQuota(server, per_day, reply)
    server.add_gate("mail", quota)
    return quota
