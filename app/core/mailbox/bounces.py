"""Reading bounces: delivery status notifications and the common non-standard bounce mails.

A bounce names the recipient that failed, whether the failure is permanent ("hard": the
address does not exist, the domain is gone) or temporary ("soft": mailbox full, delayed), the
server's diagnostic, and - when it carries the original message or its headers - the original
Message-ID, which is how Herald matches it to a campaign row.

Two shapes are read:
- RFC 3464 `multipart/report; report-type=delivery-status` (Postfix, Exim, Gmail, Microsoft
  365 and most servers): per-recipient `Final-Recipient`, `Action`, `Status`,
  `Diagnostic-Code`, and the original as `message/rfc822` or `text/rfc822-headers`.
- Plain-text bounces (QQ, 163/126 and older servers) recognised by their subject or sender
  ("Undelivered Mail", "系统退信", "退信", "投递失败" ...): the recipient, the status and the
  original Message-ID are found in the text and in any attached message.

Every input is untrusted: sizes are bounded, parsing never raises, nothing is decoded into
the terminal or a header without going through the caller's own escaping.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage, Message
from enum import StrEnum

MAX_BOUNCE_BYTES = 2 * 1024 * 1024  # bigger mails are not read as bounces
_MAX_TEXT = 200_000  # characters of a plain-text bounce searched for addresses and codes


class Severity(StrEnum):
    HARD = "hard"  # permanent: the address is put on the do-not-email list
    SOFT = "soft"  # temporary: shown, the address stays


@dataclass(frozen=True, slots=True)
class Bounce:
    recipient: str  # lower-case address that failed
    severity: Severity
    status: str  # enhanced status code ("5.1.1") or the reply code ("550"); "" if none given
    diagnostic: str  # the server's words, one line, at most 300 characters
    original_message_id: str  # "<...>" of the message that bounced; "" when not carried


_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-=']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_REPLY = re.compile(r"\b([45]\d\d)[ \-]")
_MESSAGE_ID = re.compile(r"(?im)^\s*Message-ID:\s*(<[^<>\s]{1,250}>)")
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|returned mail|return(ed)? to sender|delivery status notification"
    r"|delivery (has )?failed|mail delivery failed|failure notice|delivery failure"
    r"|non[- ]?delivery|could not be delivered|系统退信|退信|投递失败|无法送达|未能送达|邮件被退回",
    re.IGNORECASE,
)
_BOUNCE_SENDER = re.compile(r"mailer-daemon|postmaster|mail delivery (subsystem|system)", re.I)
_SOFT_TEXT = re.compile(
    r"mailbox (is )?full|over quota|quota exceeded|temporar|try again|delayed|空间不足|已满",
    re.IGNORECASE,
)


def parse_bounce(raw: bytes, *, own_addresses: Iterable[str] = ()) -> list[Bounce]:
    """The bounces reported by one mail (several recipients may be listed); [] when the mail
    is not a bounce. `own_addresses` (the sender's) are never taken as the failed recipient."""
    if len(raw) > MAX_BOUNCE_BYTES:
        return []
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # a mail the parser cannot read is not a bounce we can use
        return []
    own = {a.lower() for a in own_addresses}
    try:
        if _is_delivery_report(message):
            found = _from_report(message)
            if found:
                return found
        if _looks_like_bounce(message):
            return _from_text(message, own)
    except Exception:  # hostile structure: never let one mail stop the scan
        return []
    return []


def _is_delivery_report(message: Message) -> bool:
    return (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type", "")).lower() == "delivery-status"
    )


def _looks_like_bounce(message: Message) -> bool:
    subject = str(message.get("Subject", ""))
    sender = str(message.get("From", ""))
    return bool(_BOUNCE_SUBJECT.search(subject)) or bool(_BOUNCE_SENDER.search(sender))


def _from_report(message: Message) -> list[Bounce]:
    original_id = ""
    blocks: list[Message] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):
                blocks.extend(p for p in payload if isinstance(p, Message))
        elif kind in ("message/rfc822", "message/global") and not original_id:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original_id = _clean_id(str(inner[0].get("Message-ID", "")))
        elif kind in ("text/rfc822-headers", "message/global-headers") and not original_id:
            original_id = _id_in_text(_text_of(part))
    bounces = []
    for block in blocks[1:] if len(blocks) > 1 else blocks:  # the first is per-message
        recipient = _address_of(str(block.get("Final-Recipient", "")))
        recipient = recipient or _address_of(str(block.get("Original-Recipient", "")))
        action = str(block.get("Action", "")).strip().lower()
        if not recipient or action not in ("failed", "delayed"):
            continue
        status = str(block.get("Status", "")).strip()
        diagnostic = _one_line(str(block.get("Diagnostic-Code", "")))
        diagnostic = re.sub(r"^\s*smtp\s*;\s*", "", diagnostic, flags=re.IGNORECASE)
        hard = action == "failed" and not status.startswith("4")
        bounces.append(
            Bounce(
                recipient=recipient,
                severity=Severity.HARD if hard else Severity.SOFT,
                status=status[:16],
                diagnostic=diagnostic,
                original_message_id=original_id,
            )
        )
    return bounces


def _from_text(message: Message, own: set[str]) -> list[Bounce]:
    text = ""
    original_id = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original_id = original_id or _clean_id(str(inner[0].get("Message-ID", "")))
        elif part.get_content_maintype() == "text" and len(text) < _MAX_TEXT:
            text += "\n" + _text_of(part)
    text = text[:_MAX_TEXT]
    original_id = original_id or _id_in_text(text)
    diagnostic_line = _diagnostic_line(text)
    status = _status_in(diagnostic_line or text)
    sender = _address_of(str(message.get("From", "")))
    candidates = []
    for match in _ADDRESS.finditer(text):
        address = match.group(0).lower().strip(".")
        if address in own or address == sender or _BOUNCE_SENDER.search(address):
            continue
        if address not in candidates:
            candidates.append(address)
    if not candidates:
        return []
    recipient = candidates[0]
    soft = status.startswith("4") or (not status and bool(_SOFT_TEXT.search(text)))
    return [
        Bounce(
            recipient=recipient,
            severity=Severity.SOFT if soft else Severity.HARD,
            status=status,
            diagnostic=_one_line(diagnostic_line or ""),
            original_message_id=original_id,
        )
    ]


def _diagnostic_line(text: str) -> str:
    for line in text.splitlines():
        if _ENHANCED.search(line) or _REPLY.search(line + " "):
            stripped = line.strip()
            if stripped and not stripped.lower().startswith(("date:", "message-id:")):
                return stripped
    return ""


def _status_in(text: str) -> str:
    enhanced = _ENHANCED.search(text)
    if enhanced:
        return enhanced.group(0)
    reply = _REPLY.search(text + " ")
    return reply.group(1) if reply else ""


def _text_of(part: Message) -> str:
    try:
        if isinstance(part, EmailMessage):
            content = part.get_content()
            if isinstance(content, str):
                return content[:_MAX_TEXT]
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload[:_MAX_TEXT].decode(part.get_content_charset() or "utf-8", "replace")
    except (LookupError, KeyError, ValueError, AttributeError):
        pass
    raw = part.get_payload()
    return raw[:_MAX_TEXT] if isinstance(raw, str) else ""


def _address_of(value: str) -> str:
    # "rfc822; someone@example.com" or "Name <someone@example.com>"
    match = _ADDRESS.search(value)
    return match.group(0).lower() if match else ""


def _id_in_text(text: str) -> str:
    match = _MESSAGE_ID.search(text)
    return match.group(1) if match else ""


def _clean_id(value: str) -> str:
    value = value.strip()
    match = re.search(r"<[^<>\s]{1,250}>", value)
    return match.group(0) if match else ""


def _one_line(value: str) -> str:
    return " ".join(value.split())[:300]
