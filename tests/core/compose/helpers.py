"""Build messages and parse them back with the stdlib `email` package, as a receiver would."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from app.core.compose import MessageBuilder
from app.core.compose.encoding import display_header
from app.core.model import Address, BodyKind, MessageSettings, Recipient, RenderedMessage, Template
from app.core.templates import RenderedParts

SENDER = Address("news@example.com", "Herald 新闻")
FIXED_NOW = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def settings(**kw: object) -> MessageSettings:
    values: dict[str, object] = {
        "sender": SENDER,
        "template": Template(subject="s", body="b", kind=BodyKind.HTML),
    }
    values.update(kw)
    return MessageSettings(**values)  # type: ignore[arg-type]


def recipient(
    name: str = "Ann", address: str = "ann@example.org", *, row: int = 2, **kw: object
) -> Recipient:
    fields = kw.pop("fields", {"Name": name, "Email": address})
    return Recipient(row=row, to=Address(address, name), fields=fields, **kw)  # type: ignore[arg-type]


def parts(
    subject: str = "Hello", html: str | None = "<p>Hi</p>", text: str = "Hi\n"
) -> RenderedParts:
    return RenderedParts(subject=subject, html=html, text=text)


def build(
    rcpt: Recipient | None = None,
    rendered: RenderedParts | None = None,
    *,
    attachments: tuple[Path, ...] = (),
    **kw: object,
) -> RenderedMessage:
    builder = MessageBuilder(settings(attachments=attachments, **kw), now=lambda: FIXED_NOW)
    return builder.build(rcpt or recipient(), rendered or parts())


def parse(message: RenderedMessage) -> EmailMessage:
    parsed = email.message_from_bytes(message.data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def header_names(message: RenderedMessage) -> list[str]:
    return [name.lower() for name, _ in parse(message).items()]


def to_display_name(message: RenderedMessage) -> str:
    """The To display name as an RFC 2047 reader shows it. Python's address parser puts a space
    between adjacent encoded-words (a long name takes several), so decode the raw header."""
    raw = dict(parse(message).raw_items())["To"]
    if "=?" not in raw:
        name = parse(message)["To"].addresses[0].display_name
        assert isinstance(name, str)
        return name
    decoded = display_header(raw)
    assert decoded.endswith(" <ann@example.org>")
    return decoded.removesuffix(" <ann@example.org>")


def header_lines(message: RenderedMessage) -> list[str]:
    """The header block's physical lines (continuations separate), without the CRLFs."""
    head = message.data.split(b"\r\n\r\n", 1)[0].decode("utf-8")
    return head.split("\r\n")
