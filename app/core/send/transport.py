"""SMTP connections over aiosmtplib: TLS, one login, reuse, and stage-aware MAIL / RCPT / DATA.

Every fault becomes an `SmtpError` whose Reply names the stage, because the engine's one hard
question is "could this message have been delivered?": a failure before the final dot is safe to
retry, a lost reply after it is not (RFC 1047). So DATA is split in two here: the DATA command
(Stage.DATA, answered by 354) and the body with its final reply (Stage.MESSAGE), each with its
own timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import aiosmtplib
from aiosmtplib.protocol import SMTPProtocol

from app.core.attachment_files import AttachmentChanged
from app.core.compose.streaming import MessageStream
from app.core.model import RenderedMessage
from app.core.send.contracts import (
    AuthenticationFailed,
    BearerCredential,
    Reply,
    SecurityRefused,
    SendResult,
    SmtpError,
    Stage,
)
from app.core.send.smtp_auth import local_reply, login_once
from app.core.send.tls import client_tls_context, describe_tls_failure, is_loopback

__all__ = [
    "AuthenticationFailed",
    "Security",
    "SecurityRefused",
    "SmtpConnection",
    "SmtpConnector",
    "SmtpSettings",
    "test_connection",
]


class Security(StrEnum):
    TLS = "tls"  # implicit TLS from the first byte (port 465), preferred by RFC 8314
    STARTTLS = "starttls"  # plain connect, then a required upgrade (port 587)
    NONE = "none"  # no encryption: only for servers on this machine or by explicit choice


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    username: str | None = None
    local_hostname: str | None = None  # EHLO name; None = this machine's FQDN
    connect_timeout: float = 30
    command_timeout: float = 60
    # The reply to the final dot can take minutes on a busy server; giving up early makes the
    # message "unknown" and tempts a resend, i.e. a duplicate (RFC 5321 §4.5.3.2.6).
    data_timeout: float = 300
    cafile: Path | None = None  # one extra trusted certificate (self-hosted server)
    max_messages_per_connection: int = 100
    # No greeting this long after connecting without TLS: is the port speaking TLS? (A client
    # waiting for "220" and a server waiting for a TLS hello would wait out connect_timeout.)
    tls_probe_after: float = 3.0
    pipelining: bool = True  # MAIL, RCPT and DATA in one write where the server offers it


_OK = 250
_FORWARDED = 251
_START_INPUT = 354
_LINE_ENDINGS = re.compile(rb"\r\n|\r|\n")
# local@domain with nothing that needs parsing or could smuggle ESMTP parameters onto the
# command line; anything else goes through aiosmtplib's own parsing and checks.
_PLAIN_ADDRESS = re.compile(
    r'[^\s\x00-\x1f\x7f<>"()\[\]\\,;:@]+@[^\s\x00-\x1f\x7f<>"()\[\]\\,;:@]+'
)


def _wire_body(data: bytes) -> bytes:
    """CRLF line endings, dot-stuffing and the final dot (RFC 5321 §4.5.2).

    Composed messages already end every line in CRLF, so the common case is three counts and
    one replace (no regular expression pass over each message); anything else is normalised.
    """
    crlf = data.count(b"\r\n")
    if crlf != data.count(b"\n") or crlf != data.count(b"\r"):
        data = _LINE_ENDINGS.sub(b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    if data.startswith(b"."):
        data = b"." + data
    return data.replace(b"\r\n.", b"\r\n..") + b".\r\n"


def _stuffed(piece: bytes) -> bytes:
    """Dot-stuffing for a piece that starts at a line start (every MessageStream piece does);
    base64 bodies contain no dot, so they pass untouched after one scan."""
    if b"." not in piece:
        return piece
    crlf = piece.count(b"\r\n")
    if crlf != piece.count(b"\n") or crlf != piece.count(b"\r"):
        piece = _LINE_ENDINGS.sub(b"\r\n", piece)
    if piece.startswith(b"."):
        piece = b"." + piece
    return piece.replace(b"\r\n.", b"\r\n..")


def _lost(error: BaseException, stage: Stage) -> SmtpError:
    """A fault with no reply (dropped connection, timeout) at `stage`."""
    if isinstance(error, aiosmtplib.SMTPTimeoutError):
        text = f"no reply from the server in time ({error})"
    elif isinstance(error, aiosmtplib.SMTPResponseException):
        text = f"an unreadable reply from the server ({error.message})"
    else:
        text = f"the connection was lost ({error})"
    return SmtpError(Reply(None, text, stage))


async def _drained(protocol: SMTPProtocol) -> None:
    """Wait while the transport's buffer is above its high-water mark. aiosmtplib's protocol
    has asyncio's flow control (`_drain_helper`, as StreamWriter.drain uses) but no public
    drain; without it `write` would queue the whole message in memory."""
    drain = getattr(protocol, "_drain_helper", None)
    if drain is None:
        await asyncio.sleep(0)
        return
    try:
        await drain()
    except ConnectionError as error:
        raise aiosmtplib.SMTPServerDisconnected(str(error)) from None


class SmtpConnection:
    """One live session. Not safe for concurrent use: the engine gives each worker its own."""

    def __init__(self, smtp: aiosmtplib.SMTP, settings: SmtpSettings, summary: str) -> None:
        self._smtp = smtp
        self._settings = settings
        self.summary = summary  # e.g. "TLSv1.3, signed in as x (PLAIN)"
        self.messages_sent = 0
        self.body_sent = False  # the current message's body has been written (see engine)
        self._closed = False

    @property
    def is_open(self) -> bool:
        return not self._closed and self._smtp.is_connected

    async def send(
        self, message: RenderedMessage, *, before_data: Callable[[], object] | None = None
    ) -> SendResult:
        """MAIL, RCPT per address, DATA, body. Refused recipients are returned, not raised.

        Raises SmtpError for a refused MAIL or DATA, a rejected message and every lost
        connection; `error.reply.stage` says how far the message got. `before_data` runs once
        a recipient is accepted, just before the DATA command (the engine makes its `sending`
        mark durable there, so the fsync overlaps the MAIL and RCPT round trips); if it
        raises, the transaction is reset and the error passes through.
        """
        self.body_sent = False
        if not message.recipients:
            raise ValueError(f"row {message.row}: a message needs at least one recipient")
        if not self.is_open:
            raise SmtpError(Reply(None, "the connection is closed", Stage.MAIL))
        if message.smtputf8 and not self._smtp.supports_extension("smtputf8"):
            return self._refuse_all_locally(message)
        # Streamed attachments are opened and checked before MAIL: a file changed since the
        # check is refused here, with nothing on the wire.
        stream = MessageStream(message)
        try:
            stream.__enter__()
        except AttachmentChanged as changed:
            return self._refuse_changed_attachment(message, changed)
        try:
            return await self._transaction(message, stream, before_data)
        finally:
            stream.close()

    async def _transaction(
        self,
        message: RenderedMessage,
        stream: MessageStream,
        before_data: Callable[[], object] | None,
    ) -> SendResult:
        if self._may_pipeline(message):
            try:
                result = await self._send_pipelined(message, stream, before_data)
            except asyncio.CancelledError:
                await self._abandon()
                raise
            return await self._counted(result)
        try:
            await self._mail(message)
            accepted, refused = await self._rcpt_all(message)
            if not accepted:
                await self._reset()
                first = next(iter(refused.values()))
                return SendResult(reply=first, accepted=(), refused=refused)
            if before_data is not None:
                try:
                    before_data()
                except Exception:
                    await self._reset()
                    raise
            await self._data_command()
            reply = await self._body(message, stream)
        except asyncio.CancelledError:
            await self._abandon()  # a half-finished transaction must never be reused
            raise
        return await self._counted(
            SendResult(reply=reply, accepted=tuple(accepted), refused=refused)
        )

    async def _counted(self, result: SendResult) -> SendResult:
        if result.accepted:
            self.messages_sent += 1
            if self.messages_sent >= self._settings.max_messages_per_connection:
                await self.close()  # the engine sees is_open == False and opens a fresh one
        return result

    # ----------------------------------------------------------- PIPELINING (RFC 2920)

    def _may_pipeline(self, message: RenderedMessage) -> bool:
        """MAIL, every RCPT and DATA in one write, where the server offers PIPELINING and
        every address is one we quote ourselves (others go through aiosmtplib one by one)."""
        return (
            self._settings.pipelining
            and self._smtp.supports_extension("pipelining")
            and all(
                _PLAIN_ADDRESS.fullmatch(a) is not None
                for a in (message.sender, *message.recipients)
            )
        )

    async def _send_pipelined(
        self,
        message: RenderedMessage,
        stream: MessageStream,
        before_data: Callable[[], object] | None,
    ) -> SendResult:
        """One round trip for the envelope and DATA, then the body and its reply as usual.

        `before_data` (the journal's durable `sending` mark) runs right after the group is
        written, while it travels, and always before the body: a DATA without its body
        delivers nothing (the server drops the transaction when the connection goes), so the
        crash rule holds (durable before anything deliverable leaves) and the fsync costs no
        round trip. If it raises, the connection is closed: after a pipelined DATA only
        hanging up ends the transaction without a message (docs/ARCHITECTURE.md).
        """
        encoding = "utf-8" if message.smtputf8 else "ascii"
        options = b"".join(b" " + o.encode("ascii") for o in self._mail_options(message))
        group = [b"MAIL FROM:<" + message.sender.encode(encoding) + b">" + options + b"\r\n"]
        group += [b"RCPT TO:<" + a.encode(encoding) + b">\r\n" for a in message.recipients]
        group.append(b"DATA\r\n")
        try:
            replies = await self._pipeline(b"".join(group), len(group), before_data)
        except Exception:
            await self._abandon()  # DATA left with the group: only hanging up ends it cleanly
            raise
        stages = [Stage.MAIL] + [Stage.RCPT] * len(message.recipients) + [Stage.DATA]
        if len(replies) < len(group):  # lost or timed out before every reply came
            missing = stages[len(replies)]
            answered = [Reply(c, t, st) for (c, t), st in zip(replies, stages, strict=False)]
            closing = next((r for r in answered if r.code == 421), None)
            await self._abandon()
            if closing is not None:
                raise SmtpError(closing)  # "421 closing" then the hang-up: the reply counts
            raise SmtpError(Reply(None, self._lost_text, missing))
        mail, *rcpts, data = replies
        if mail[0] != _OK:
            await self._end_refused_group(data[0])
            if mail[0] == 421:
                await self._abandon()
            raise SmtpError(Reply(mail[0], mail[1], Stage.MAIL))
        accepted: list[str] = []
        refused_by: dict[str, Reply] = {}
        for address, (code, text) in zip(message.recipients, rcpts, strict=True):
            if code in (_OK, _FORWARDED):
                accepted.append(address)
                continue
            refused_by[address] = Reply(code, text, Stage.RCPT)
            if code == 421:
                await self._abandon()
                raise SmtpError(refused_by[address])
        if not accepted:
            await self._end_refused_group(data[0])
            first = next(iter(refused_by.values()))
            return SendResult(reply=first, accepted=(), refused=refused_by)
        if data[0] != _START_INPUT:
            if data[0] == 421:
                await self._abandon()
            else:
                await self._reset()
            raise SmtpError(Reply(data[0], data[1], Stage.DATA))
        reply = await self._body(message, stream)
        return SendResult(reply=reply, accepted=tuple(accepted), refused=refused_by)

    _lost_text = "the connection was lost before every pipelined command was answered"

    async def _pipeline(
        self, commands: bytes, expected: int, after_write: Callable[[], object] | None = None
    ) -> list[tuple[int, str]]:
        """Write `commands` at once, run `after_write` while they travel, and collect
        `expected` replies in order. Fewer come back when the connection drops or the wait
        (command_timeout) runs out."""
        protocol = self._smtp.protocol
        transport = protocol.transport if protocol is not None else None
        if protocol is None or not isinstance(transport, asyncio.WriteTransport):
            return []
        if transport.is_closing():
            return []
        collector = _PipelinedReplies(protocol, expected)
        transport.set_protocol(collector)
        try:
            transport.write(commands)
            if after_write is not None:
                after_write()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.shield(collector.done), self._settings.command_timeout
                )
        finally:
            transport.set_protocol(protocol)
        return collector.replies

    async def _end_refused_group(self, data_code: int) -> None:
        """After a refused MAIL or every RCPT refused: a server that still answered 354 to the
        pipelined DATA gets an empty message ended at once (RFC 2920 §3.1), then RSET."""
        if data_code == _START_INPUT and self.is_open:
            protocol = self._smtp.protocol
            try:
                assert protocol is not None
                protocol.write(b".\r\n")
                await protocol.read_response(timeout=self._settings.command_timeout)
            except (aiosmtplib.SMTPException, AssertionError):
                await self._abandon()
                return
        await self._reset()

    def _refuse_all_locally(self, message: RenderedMessage) -> SendResult:
        # What a server without SMTPUTF8 would answer (RFC 6531 §3.7.4.1); decided here so
        # nothing goes on the wire and the connection stays clean for the next message.
        reply = local_reply(
            553,
            "5.6.7 the server does not support SMTPUTF8, so it cannot take this non-ASCII address",
            Stage.RCPT,
        )
        return SendResult(reply=reply, refused=dict.fromkeys(message.recipients, reply))

    def _refuse_changed_attachment(
        self, message: RenderedMessage, changed: AttachmentChanged
    ) -> SendResult:
        reply = local_reply(
            554,
            f"5.6.0 not sent: an attachment {changed.reason}",
            Stage.DATA,
        )
        return SendResult(reply=reply, refused=dict.fromkeys(message.recipients, reply))

    def _mail_options(self, message: RenderedMessage) -> list[str]:
        options = []
        if self._smtp.supports_extension("size"):
            options.append(f"SIZE={message.size}")  # lets the server refuse early
        if message.smtputf8:
            options.append("SMTPUTF8")
        if self._smtp.supports_extension("8bitmime") and not message.is_ascii:
            options.append("BODY=8BITMIME")
        return options

    async def _envelope(
        self, verb: bytes, address: str, options: list[str], encoding: str, ok: tuple[int, ...]
    ) -> None:
        """MAIL FROM or RCPT TO. A plain address is quoted here (aiosmtplib parses every
        address with the email package, a tenth of the cost of a message); any other goes
        through aiosmtplib's parsing and injection checks. Raises like aiosmtplib does."""
        if _PLAIN_ADDRESS.fullmatch(address) is None:
            if verb == b"MAIL":
                await self._smtp.mail(address, options=options, encoding=encoding)
            else:
                await self._smtp.rcpt(address, options=options, encoding=encoding)
            return
        path = (b"FROM:<" if verb == b"MAIL" else b"TO:<") + address.encode(encoding) + b">"
        extra = [option.encode("ascii") for option in options]
        response = await self._smtp.execute_command(verb, path, *extra)
        if response.code not in ok:
            raise aiosmtplib.SMTPResponseException(response.code, response.message)

    async def _mail(self, message: RenderedMessage) -> None:
        encoding = "utf-8" if message.smtputf8 else "ascii"
        try:
            await self._envelope(
                b"MAIL", message.sender, self._mail_options(message), encoding, (_OK,)
            )
        except aiosmtplib.SMTPResponseException as error:
            await self._reset()
            raise SmtpError(Reply(error.code, error.message, Stage.MAIL)) from None
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as error:
            await self._abandon()
            raise _lost(error, Stage.MAIL) from None
        except (ValueError, UnicodeEncodeError) as error:
            # aiosmtplib refuses control characters; validation should have caught them.
            reply = local_reply(553, f"5.1.7 invalid sender address ({error})", Stage.MAIL)
            raise SmtpError(reply) from None

    async def _rcpt_all(self, message: RenderedMessage) -> tuple[list[str], dict[str, Reply]]:
        accepted: list[str] = []
        refused: dict[str, Reply] = {}
        encoding = "utf-8" if message.smtputf8 else "ascii"
        for address in message.recipients:
            try:
                await self._envelope(b"RCPT", address, [], encoding, (_OK, _FORWARDED))
            except aiosmtplib.SMTPResponseException as error:
                refused[address] = Reply(error.code, error.message, Stage.RCPT)
                if error.code == 421 or not self._smtp.is_connected:
                    await self._abandon()  # 421 closes the session: nothing more here
                    raise SmtpError(refused[address]) from None
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as error:
                await self._abandon()
                raise _lost(error, Stage.RCPT) from None
            except (ValueError, UnicodeEncodeError) as error:
                refused[address] = local_reply(553, f"5.1.3 invalid address ({error})", Stage.RCPT)
            else:
                accepted.append(address)
        return accepted, refused

    async def _data_command(self) -> None:
        try:
            response = await self._smtp.execute_command(b"DATA")
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as error:
            await self._abandon()
            raise _lost(error, Stage.DATA) from None
        except aiosmtplib.SMTPResponseException as error:  # a garbled reply
            await self._abandon()
            raise SmtpError(Reply(error.code, error.message, Stage.DATA)) from None
        if response.code != _START_INPUT:
            await self._reset()
            raise SmtpError(Reply(response.code, response.message, Stage.DATA))

    async def _body(self, message: RenderedMessage, stream: MessageStream) -> Reply:
        protocol = self._smtp.protocol
        if protocol is None:
            await self._abandon()
            raise SmtpError(Reply(None, "the connection was lost before the body", Stage.DATA))
        try:
            if not message.tail:
                protocol.write(_wire_body(message.data))
            else:
                await self._streamed_body(protocol, stream)
            self.body_sent = True
        except aiosmtplib.SMTPServerDisconnected as error:
            # The final dot never left this machine: the server discards what it got.
            await self._abandon()
            raise _lost(error, Stage.DATA) from None
        except AttachmentChanged as changed:
            # Half a body went out; closing without the final dot makes the server drop it.
            await self._abandon()
            raise SmtpError(
                Reply(None, f"not sent: an attachment {changed.reason}", Stage.DATA)
            ) from None
        try:
            # The one long wait (data_timeout): the server may scan the message for minutes.
            response = await protocol.read_response(timeout=self._settings.data_timeout)
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as error:
            await self._abandon()
            raise _lost(error, Stage.MESSAGE) from None
        except aiosmtplib.SMTPResponseException as error:
            # The dot went out but the answer is unreadable: as ambiguous as no answer.
            await self._abandon()
            raise _lost(error, Stage.MESSAGE) from None
        reply = Reply(response.code, response.message, Stage.MESSAGE)
        if response.code != _OK:
            if response.code == 421:
                await self._abandon()
            raise SmtpError(reply)
        return reply

    async def _streamed_body(self, protocol: SMTPProtocol, stream: MessageStream) -> None:
        """Write the message a piece at a time, waiting for the socket to drain between pieces,
        so memory holds about one encoded block, not the message."""
        for piece in stream.pieces():
            protocol.write(_stuffed(piece))
            await _drained(protocol)
        protocol.write(b".\r\n")  # every piece ends with CRLF: the dot starts its own line

    async def _reset(self) -> None:
        """RSET after a refusal, so the next MAIL never meets "503 sender already specified"."""
        if not self._smtp.is_connected:
            self._closed = True
            return
        try:
            await self._smtp.rset()
        except aiosmtplib.SMTPException:
            await self._abandon()  # a session we cannot reset is not reused

    async def _abandon(self) -> None:
        self._closed = True
        self._smtp.close()

    async def close(self) -> None:
        """QUIT politely (briefly), then close. Never raises."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._smtp.is_connected:
                with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                    await self._smtp.quit(timeout=min(5.0, self._settings.command_timeout))
        finally:
            self._smtp.close()  # also when the QUIT is cut short (Ctrl-C)


class _PipelinedReplies(asyncio.Protocol):
    """Takes aiosmtplib's place on the transport while a pipelined group is answered.

    aiosmtplib's protocol parses one reply per read and drops data that arrives while a parsed
    reply waits to be picked up, so replies to commands written together would be lost there.
    This collects them in order, and hands a lost connection on to aiosmtplib as well.
    """

    def __init__(self, original: asyncio.BaseProtocol, expected: int) -> None:
        self._original = original
        self._expected = expected
        self._buffer = bytearray()
        self.replies: list[tuple[int, str]] = []
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        self._buffer.extend(data)
        while len(self.replies) < self._expected and self._parse_one():
            pass
        if len(self.replies) >= self._expected:
            self._finish()

    def _parse_one(self) -> bool:
        lines: list[bytes] = []
        offset = 0
        while (end := self._buffer.find(b"\n", offset)) != -1:
            line = bytes(self._buffer[offset : end + 1])
            offset = end + 1
            if not line[:3].isdigit():
                self._finish()  # not SMTP: the group ends here, as if the line dropped
                return False
            lines.append(line)
            if line[3:4] != b"-":
                del self._buffer[:offset]
                text = b"\n".join(x[4:].strip(b" \t\r\n") for x in lines)
                self.replies.append((int(lines[0][:3]), text.decode("utf-8", "surrogateescape")))
                return True
        return False

    def _finish(self) -> None:
        if not self.done.done():
            self.done.set_result(None)

    def eof_received(self) -> bool | None:
        self._finish()
        return self._original.eof_received()  # type: ignore[attr-defined, no-any-return]

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish()
        self._original.connection_lost(exc)

    def pause_writing(self) -> None:
        self._original.pause_writing()

    def resume_writing(self) -> None:
        self._original.resume_writing()


class SmtpConnector:
    """Opens authenticated connections. The password is asked for per connection and kept
    nowhere else, so it never sits in a settings object that might be logged."""

    def __init__(
        self,
        settings: SmtpSettings,
        password_provider: Callable[[], str | BearerCredential | None],
    ):
        self.settings = settings
        self._password_provider = password_provider
        self._context: ssl.SSLContext | None = None

    def _tls_context(self) -> ssl.SSLContext | None:
        # Built once per connector: loading the system roots takes tens of milliseconds, and
        # a context may be shared by any number of connections.
        if self.settings.security is Security.NONE:
            return None
        if self._context is None:
            self._context = client_tls_context(self.settings.cafile)
        return self._context

    def _probe_context(self) -> ssl.SSLContext:
        return self._tls_context() or client_tls_context(self.settings.cafile)

    async def open(self) -> SmtpConnection:
        settings = self.settings
        self._refuse_plaintext_login()
        smtp = aiosmtplib.SMTP(
            hostname=settings.host,
            port=settings.port,
            local_hostname=settings.local_hostname,
            timeout=settings.command_timeout,
            use_tls=settings.security is Security.TLS,
            # Never None (opportunistic): a server hiding STARTTLS would then get our password
            # in clear text. We upgrade ourselves below, after checking the server offers it.
            start_tls=False,
            tls_context=self._tls_context(),
        )
        try:
            summary = await self._establish(smtp)
        except SmtpError as error:
            if error.reply.code is not None or error.reply.stage is Stage.AUTH:
                await self._quit_quietly(smtp)  # the server is still listening: say goodbye
            smtp.close()
            raise
        except BaseException:
            smtp.close()
            raise
        return SmtpConnection(smtp, settings, summary)

    async def _quit_quietly(self, smtp: aiosmtplib.SMTP) -> None:
        """QUIT after a refusal we answer by leaving (a refused login above all): a session
        left hanging counts against the account on some servers (RFC 5321 §4.1.1.10)."""
        if smtp.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await smtp.quit(timeout=min(5.0, self.settings.command_timeout))

    def _refuse_plaintext_login(self) -> None:
        settings = self.settings
        if (
            settings.security is Security.NONE
            and settings.username
            and not is_loopback(settings.host)
        ):
            text = f"Herald will not sign in to {settings.host} over an unencrypted connection."
            raise SecurityRefused(
                Reply(None, text, Stage.CONNECT),
                hint=f"Herald never sends a password unencrypted to {settings.host}. Choose "
                "TLS (port 465) or STARTTLS (port 587).",
            )

    async def _establish(self, smtp: aiosmtplib.SMTP) -> str:
        settings = self.settings
        host = settings.host
        try:
            await self._connect(smtp)
            await smtp.ehlo()
            if settings.security is Security.STARTTLS:
                if not smtp.supports_extension("starttls"):
                    text = f"{host} does not offer STARTTLS, so the connection cannot be encrypted."
                    raise SecurityRefused(
                        Reply(None, text, Stage.CONNECT),
                        hint=f"{host}:{settings.port} offers no encryption, so Herald will not "
                        "send your password there. Check the port (587 for STARTTLS, 465 for "
                        "TLS); something on the network may also be stripping encryption.",
                    )
                await smtp.starttls(timeout=settings.connect_timeout)
                await smtp.ehlo()  # RFC 3207: forget what was said before TLS
        except aiosmtplib.SMTPResponseException as error:
            raise SmtpError(Reply(error.code, error.message, Stage.CONNECT)) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            cause = error.__cause__ if error.__cause__ is not None else error
            if isinstance(cause, ssl.SSLError):
                text = f"The encrypted connection to {host} could not be set up ({cause})."
                hint = describe_tls_failure(cause, host)
                if settings.security is Security.TLS and _plain_text_answer(cause):
                    text = f"{host} port {settings.port} does not speak TLS from the start."
                    hint = mismatch_hint(host, settings.port, Security.TLS)
                raise SecurityRefused(Reply(None, text, Stage.CONNECT), hint=hint) from None
            raise SmtpError(
                Reply(None, str(error), Stage.CONNECT),
                hint=f"Could not reach {host} on port {settings.port}. Check the host name, "
                "the port and your network.",
            ) from None
        summary = [f"{host}:{settings.port}", _tls_summary(smtp)]
        if settings.username:
            password = self._password_provider()
            if password is None:
                text = f"No password is available for {settings.username} on {host}."
                raise SecurityRefused(
                    Reply(None, text, Stage.AUTH),
                    hint="Store the password with `herald login PROFILE`, or set "
                    "HERALD_SMTP_PASSWORD.",
                )
            try:
                mechanism = await login_once(smtp, settings.username, password, host)
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as error:
                raise _lost(error, Stage.AUTH) from None
            summary.append(f"signed in as {settings.username} ({mechanism})")
        else:
            summary.append("no login")
        return ", ".join(summary)

    async def _connect(self, smtp: aiosmtplib.SMTP) -> None:
        """Connect and read the greeting. Without implicit TLS, a greeting slow to come may
        mean the port speaks TLS from the first byte (465): a second, TLS-only connection
        asks it after `tls_probe_after` seconds, so the user hears so within seconds."""
        settings = self.settings
        if settings.security is Security.TLS:
            await smtp.connect(timeout=settings.connect_timeout)
            return
        connecting = asyncio.ensure_future(smtp.connect(timeout=settings.connect_timeout))
        try:
            done, _ = await asyncio.wait({connecting}, timeout=settings.tls_probe_after)
            if not done and await _speaks_tls(settings, self._probe_context()):
                text = f"{settings.host} port {settings.port} speaks TLS from the first byte."
                raise SecurityRefused(
                    Reply(None, text, Stage.CONNECT),
                    hint=mismatch_hint(settings.host, settings.port, settings.security),
                )
            await connecting
        finally:
            if not connecting.done():  # refused above, or this task itself is cancelled
                connecting.cancel()


def mismatch_hint(host: str, port: int, security: Security) -> str:
    """What to change when the port and the security setting disagree."""
    if security is Security.TLS:
        return (
            f"Port {port} of {host} answered in plain text, so it expects STARTTLS (or no "
            "encryption), not TLS from the first byte. Set the security to STARTTLS "
            "(`--security starttls`, usually port 587), or use the server's TLS port "
            "(usually 465)."
        )
    return (
        f"Port {port} of {host} expects TLS from the first byte, not {_plain_name(security)}. "
        "Set the security to TLS (`--security tls`, usually port 465), or use the server's "
        "STARTTLS port (usually 587)."
    )


def _plain_name(security: Security) -> str:
    return "STARTTLS" if security is Security.STARTTLS else "unencrypted SMTP"


def _plain_text_answer(error: ssl.SSLError) -> bool:
    """The TLS hello was answered by something that is not TLS (an SMTP greeting)."""
    reason = (getattr(error, "reason", None) or str(error)).upper()
    return any(
        mark in reason for mark in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST")
    )


async def _speaks_tls(settings: SmtpSettings, context: ssl.SSLContext) -> bool:
    """Does `settings.port` complete (or at least answer) a TLS handshake? Nothing is sent
    over it: the probe connection closes right after the handshake."""
    timeout = max(settings.tls_probe_after, 1.0)
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(
                settings.host,
                settings.port,
                ssl=context,
                server_hostname=settings.host,
                ssl_handshake_timeout=timeout,
            ),
            timeout,
        )
    except ssl.SSLCertVerificationError:
        return True  # a TLS server, just one we do not trust: still TLS
    except (OSError, TimeoutError):
        return False  # plain text (wrong version), silence or refused: not TLS
    writer.close()
    with contextlib.suppress(OSError, ssl.SSLError):
        await writer.wait_closed()
    return True


def _tls_summary(smtp: aiosmtplib.SMTP) -> str:
    ssl_object = smtp.get_transport_info("ssl_object")
    if ssl_object is None:
        return "unencrypted"
    version = ssl_object.version() or "TLS"
    return f"encrypted ({version}, certificate verified)"


async def test_connection(settings: SmtpSettings, password: str | None) -> str:
    """Connect, encrypt, sign in, QUIT. Returns a one-line summary; raises SmtpError (with a
    plain `hint`) on any failure. Used by the window's "Test connection" and `herald login`."""
    connection = await SmtpConnector(settings, lambda: password).open()
    try:
        return f"Connected to {connection.summary}."
    finally:
        await connection.close()


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
