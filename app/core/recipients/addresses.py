"""Check one e-mail address (email-validator, no DNS) and say why it is wrong if it is.

Addresses are returned with the domain in ASCII (punycode) so look-alike international
domains are visible (admin@xn--80ak6aa92e.com, not admin@аррӏе.com). A non-ASCII local part
is accepted but marked: it can only go to servers that offer SMTPUTF8.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from app.core.model import Address

# Two or more things that each look like an address, split by , ; or white space.
_SEPARATORS = re.compile(r"[,;\s]+")


class AddressError(ValueError):
    """The text is not one usable address; str(error) is the reason, for the user."""

    def __init__(self, reason: str, *, multiple: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.multiple = multiple


def looks_like_several(text: str) -> bool:
    """`a@x.com, b@y.com` (or `;` or spaces): never pick one, never send to both."""
    return text.count("@") > 1 and sum("@" in p for p in _SEPARATORS.split(text)) > 1


# `Display Name <address>`: the name is whatever precedes the last <...>, quoted or not.
_MAILBOX = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<address>[^<>]*)>\s*$", re.DOTALL)


def validate_address(text: str) -> Address:
    """One bare address (`user@example.com`) -> Address, or AddressError with the reason."""
    text = _one_address_text(text)
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise AddressError(f"{text!r} is not a valid address: {exc}") from None
    return Address(
        address=f"{result.local_part}@{result.ascii_domain}",
        smtputf8=not result.local_part.isascii(),
    )


def parse_mailbox(text: str) -> Address:
    """Like validate_address but also accepts `Display Name <user@example.com>`.

    The name may be any text, Chinese included, quoted or not: people paste `王芳 <wang@
    example.com>` from their mail program, which RFC 5322 would only allow quoted or encoded.
    """
    text = _one_address_text(text)
    found = _MAILBOX.match(text)
    if found is None:
        return validate_address(text)
    name = found["name"]
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    try:
        address = validate_address(found["address"])
    except AddressError as exc:
        raise AddressError(f"{text!r}: {exc.reason}") from None
    return Address(address.address, name.strip(), address.smtputf8)


def _one_address_text(text: str) -> str:
    """`text` stripped, or AddressError if it is empty, several addresses, or encoded."""
    text = text.strip()
    if not text:
        raise AddressError("the address is empty")
    if looks_like_several(text):
        raise AddressError(
            f"{text!r} holds more than one address; put one address per cell "
            "(use the Cc column for copies)",
            multiple=True,
        )
    if "=?" in text:
        # An RFC 2047 encoded-word could smuggle a line break into a header (CVE-2024-6923).
        raise AddressError(f"{text!r} contains '=?', which is not allowed in an address here")
    return text


def split_addresses(text: str) -> list[str]:
    """A cc/bcc cell may list several addresses separated by , or ;."""
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
