"""The account's mailbox over IMAP: find the Sent folder, append a copy, read mail for bounces.

Blocking (the standard library's imaplib); callers in an event loop run it in a thread. The
same rules as the SMTP side: TLS is always verified (implicit TLS on 993, or a required
STARTTLS upgrade on 143), there is no way to log in over an unencrypted connection, and the
password comes from the caller (the OS keychain), never from a file.

Reading is strictly read-only: folders are opened with EXAMINE and messages fetched with
BODY.PEEK, so scanning for bounces never marks mail as read, moves or deletes anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import re
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from app.core.send.tls import client_tls_context
from app.core.send.transport import Security

SPECIAL_USE_SENT = "\\Sent"
MAX_FETCH_BYTES = 2 * 1024 * 1024  # bigger messages are skipped when scanning for bounces
_LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\)\s+(?P<sep>"[^"]*"|NIL)\s+(?P<name>.+)$')


class ImapError(Exception):
    """A mailbox operation failed; the message says what to check."""


@dataclass(frozen=True, slots=True)
class ImapSettings:
    host: str
    port: int = 993
    security: Security = Security.TLS
    user: str = ""
    cafile: Path | None = None
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Folder:
    name: str  # as the server names it (decoded from modified UTF-7 is not needed to use it)
    flags: frozenset[str]


class Mailbox:
    """One logged-in IMAP session. Use as a context manager."""

    def __init__(self, settings: ImapSettings, password: str) -> None:
        if settings.security is Security.NONE:
            raise ImapError(
                f"Herald does not sign in to {settings.host} without encryption: choose TLS "
                "(port 993) or STARTTLS (port 143)."
            )
        if not settings.user:
            raise ImapError("The mailbox needs a login name.")
        self.settings = settings
        self._password = password
        self._imap: imaplib.IMAP4 | None = None

    def __enter__(self) -> Mailbox:
        self.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # ---- session -------------------------------------------------------------------------

    def open(self) -> None:
        s = self.settings
        try:
            context = client_tls_context(s.cafile)
        except (OSError, ssl.SSLError) as exc:
            raise ImapError(f"The trusted certificate {s.cafile} cannot be used: {exc}.") from exc
        try:
            if s.security is Security.TLS:
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    s.host, s.port, ssl_context=context, timeout=s.timeout
                )
            else:
                imap = imaplib.IMAP4(s.host, s.port, timeout=s.timeout)
                if "STARTTLS" not in imap.capabilities:
                    imap.shutdown()
                    raise ImapError(
                        f"{s.host}:{s.port} does not offer STARTTLS, so Herald will not sign "
                        "in there. Use TLS on port 993."
                    )
                imap.starttls(context)
        except ssl.SSLCertVerificationError as exc:
            raise ImapError(
                f"The certificate of {s.host} could not be verified "
                f"({exc.verify_message or exc}). Check the host name, or trust your own "
                "server's certificate in the profile."
            ) from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(
                f"Cannot reach the mailbox at {s.host}:{s.port} ({exc}). Check the IMAP host, "
                "port and security."
            ) from exc
        try:
            imap.login(s.user, self._password)
        except imaplib.IMAP4.error as exc:
            _quietly_logout(imap)
            raise ImapError(
                f"The mailbox refused the login for {s.user} ({_text(exc)}). Check the "
                "password or app password (授权码) and that IMAP is enabled for the account."
            ) from exc
        self._imap = imap

    def close(self) -> None:
        if self._imap is not None:
            _quietly_logout(self._imap)
            self._imap = None

    @property
    def imap(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise ImapError("The mailbox is not open.")
        return self._imap

    # ---- folders -------------------------------------------------------------------------

    def folders(self) -> list[Folder]:
        imap = self.imap
        try:
            if "SPECIAL-USE" in imap.capabilities:
                status, lines = imap._simple_command("LIST", "(SPECIAL-USE)", '""', '"*"')
                lines = imap._untagged_response(status, lines, "LIST")[1]
                special = _parse_list(lines)
            else:
                special = []
            status, lines = imap.list()
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"Listing the folders failed: {_text(exc)}.") from exc
        everything = _parse_list(lines or [])
        by_name = {f.name: f for f in everything}
        for folder in special:
            known = by_name.get(folder.name)
            by_name[folder.name] = Folder(
                folder.name, folder.flags | (known.flags if known else frozenset())
            )
        return list(by_name.values())

    def sent_folder(self) -> str:
        """The folder flagged \\Sent (RFC 6154); ImapError when the server flags none."""
        for folder in self.folders():
            if SPECIAL_USE_SENT.lower() in {f.lower() for f in folder.flags}:
                return folder.name
        raise ImapError(
            "The mailbox has no folder marked as Sent (RFC 6154 special use). Name the Sent "
            "folder in the profile."
        )

    # ---- writing -------------------------------------------------------------------------

    def append(self, folder: str, message: bytes, *, when: dt.datetime | None = None) -> None:
        """File `message` in `folder`, marked as read (it is a copy of mail we sent)."""
        stamp = imaplib.Time2Internaldate((when or dt.datetime.now(dt.UTC)).timestamp())
        try:
            status, data = self.imap.append(_quote(folder), "(\\Seen)", stamp, message)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"Filing a copy in {folder} failed: {_text(exc)}.") from exc
        if status != "OK":
            raise ImapError(f"Filing a copy in {folder} failed: {_first(data)}.")

    def has_message_id(self, folder: str, message_id: str) -> bool:
        imap = self.imap
        try:
            self._examine(folder)
            status, data = imap.uid("SEARCH", "HEADER", "Message-ID", _quote(message_id))
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"Searching {folder} failed: {_text(exc)}.") from exc
        return status == "OK" and bool(data and data[0] and data[0].split())

    def message_ids(self, folder: str, *, since: dt.date | None = None) -> set[str]:
        """The Message-IDs (lower-case) of `folder`'s mail since `since`, read in one pass of
        header fetches, so checking thousands of messages costs one search, not thousands."""
        imap = self.imap
        found: set[str] = set()
        try:
            self._examine(folder)
            criteria = ["SINCE", since.strftime("%d-%b-%Y")] if since else ["ALL"]
            status, data = imap.uid("SEARCH", *criteria)
            uids = data[0].split() if status == "OK" and data and data[0] else []
            for start in range(0, len(uids), 500):
                batch = b",".join(uids[start : start + 500]).decode("ascii")
                status, fetched = imap.uid(
                    "FETCH", batch, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
                )
                for item in fetched or []:
                    if isinstance(item, tuple) and len(item) == 2:
                        match = re.search(rb"<[^<>\s]+>", item[1])
                        if match:
                            found.add(match.group(0).decode("utf-8", "replace").lower())
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"Reading {folder} failed: {_text(exc)}.") from exc
        return found

    # ---- reading -------------------------------------------------------------------------

    def messages(self, folder: str, *, since: dt.date | None = None) -> Iterator[bytes]:
        """Every message of `folder` (received on or after `since`) no bigger than
        MAX_FETCH_BYTES, read without changing its flags."""
        imap = self.imap
        try:
            self._examine(folder)
            criteria = ["SINCE", since.strftime("%d-%b-%Y")] if since else ["ALL"]
            status, data = imap.uid("SEARCH", *criteria)
            uids = data[0].split() if status == "OK" and data and data[0] else []
            for uid in uids:
                status, sized = imap.uid("FETCH", uid, "(RFC822.SIZE)")
                size = _size_of(sized)
                if size is None or size > MAX_FETCH_BYTES:
                    continue
                status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                for item in fetched or []:
                    if isinstance(item, tuple) and len(item) == 2:
                        yield item[1]
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"Reading {folder} failed: {_text(exc)}.") from exc

    def _examine(self, folder: str) -> None:
        status, data = self.imap.select(_quote(folder), readonly=True)
        if status != "OK":
            raise ImapError(f"The folder {folder} cannot be opened: {_first(data)}.")


def _parse_list(lines: Sequence[object]) -> list[Folder]:
    folders = []
    for line in lines:
        if isinstance(line, tuple) and len(line) == 2:  # a literal name: b'(..) "/" {5}', b'Sent'
            head, literal = line
            if isinstance(head, bytes) and isinstance(literal, bytes):
                line = head.rsplit(b"{", 1)[0] + b'"' + literal.replace(b'"', b'\\"') + b'"'
        if not isinstance(line, bytes):
            continue
        match = _LIST_LINE.match(line.strip())
        if match is None:
            continue
        name = match.group("name").strip()
        if name.startswith(b'"') and name.endswith(b'"'):
            name = name[1:-1].replace(b'\\"', b'"').replace(b"\\\\", b"\\")
        flags = frozenset(f.decode("ascii", "replace") for f in match.group("flags").split())
        folders.append(Folder(name.decode("utf-8", "replace"), flags))
    return folders


def _size_of(data: list[bytes | tuple[bytes, bytes] | None] | None) -> int | None:
    for item in data or []:
        raw = item[0] if isinstance(item, tuple) else item
        if isinstance(raw, bytes):
            found = re.search(rb"RFC822\.SIZE (\d+)", raw)
            if found:
                return int(found.group(1))
    return None


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quietly_logout(imap: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        imap.logout()


def _first(data: object) -> str:
    if isinstance(data, list) and data and isinstance(data[0], bytes):
        return data[0].decode("utf-8", "replace")
    return str(data)


def _text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text
