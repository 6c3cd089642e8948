"""The do-not-email list: addresses Herald never sends to, across every campaign.

Hard bounces and unsubscribe requests are added by `herald bounces`; the user can add, remove
and import addresses (`herald do-not-email ...`). The list is a CSV file in Herald's data
folder (`do-not-email.csv`: address, reason, added_at, source) so a user can read it, back it
up, or edit it in a spreadsheet. Addresses are compared case-insensitively on the domain and,
as every big provider does in practice, on the local part too.

Rows whose address is on the list are never sent: `assemble_campaign` turns them into row
problems ("on the do-not-email list"), which `herald check`, `herald send` and the window all
show, until the user removes the address from the list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.core.model import ColumnMapping, Problem, ProblemKind, Recipient, Role, Severity
from app.core.paths import data_dir

FILE_NAME = "do-not-email.csv"
_HEADER = ("address", "reason", "added_at", "source")
_MAX_IMPORT_BYTES = 50 * 1024 * 1024  # a list bigger than this is not a list of addresses
_PARSED: dict[Path, tuple[tuple[int, int], tuple[Entry, ...]]] = {}  # path -> (version, entries)


class Reason(StrEnum):
    HARD_BOUNCE = "hard-bounce"
    UNSUBSCRIBED = "unsubscribed"
    ADDED_BY_USER = "added-by-user"
    IMPORTED = "imported"


@dataclass(frozen=True, slots=True)
class Entry:
    address: str  # as first seen; compare with `key`
    reason: Reason
    added_at: dt.datetime
    source: str = ""  # e.g. the campaign and diagnostic that put it here

    @property
    def key(self) -> str:
        return normalise(self.address)


class DoNotEmailError(ValueError):
    """The list (or a file to import) cannot be read or written; the message says why."""


def normalise(address: str) -> str:
    return address.strip().strip("<>").strip().lower()


def default_path() -> Path:
    return data_dir() / FILE_NAME


class DoNotEmailList:
    """The list in memory; `save()` writes it back atomically."""

    def __init__(self, path: Path, entries: Iterable[Entry] = ()) -> None:
        self.path = path
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            self._entries.setdefault(entry.key, entry)

    @classmethod
    def load(cls, path: Path | None = None) -> DoNotEmailList:
        try:
            path = path or default_path()
        except OSError as exc:  # the data folder itself is unusable (a file in its place...)
            raise DoNotEmailError(
                f"Cannot open Herald's data folder to read the do-not-email list: {exc}."
            ) from exc
        try:
            stat = path.stat()
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise DoNotEmailError(f"Cannot read the do-not-email list {path}: {exc}.") from exc
        # Every campaign check reads the list (the window: after each edit): parse the file
        # once per version of it. Entries are frozen, so lists built from them never share state.
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _PARSED.get(path)
        if cached is not None and cached[0] == key:
            return cls(path, cached[1])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DoNotEmailError(
                f"Cannot read the do-not-email list {path}: {exc}. Fix or remove the file."
            ) from exc
        entries = tuple(_parse(text, path))
        _PARSED[path] = (key, entries)
        return cls(path, entries)

    def __contains__(self, address: object) -> bool:
        return isinstance(address, str) and normalise(address) in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def get(self, address: str) -> Entry | None:
        return self._entries.get(normalise(address))

    def add(
        self,
        address: str,
        reason: Reason,
        *,
        source: str = "",
        now: dt.datetime | None = None,
    ) -> bool:
        """True when the address was not on the list before."""
        key = normalise(address)
        if not key or "@" not in key:
            raise DoNotEmailError(f"{address!r} is not an e-mail address.")
        if key in self._entries:
            return False
        when = now or dt.datetime.now(dt.UTC)
        self._entries[key] = Entry(address.strip().strip("<>").strip(), reason, when, source)
        return True

    def remove(self, address: str) -> bool:
        return self._entries.pop(normalise(address), None) is not None

    def import_file(self, path: Path, *, now: dt.datetime | None = None) -> int:
        """Add every address found in a CSV/text file (first column, or an `address`/`email`
        column); returns how many were new."""
        try:
            if path.stat().st_size > _MAX_IMPORT_BYTES:
                raise DoNotEmailError(f"{path} is too large to be a list of addresses.")
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DoNotEmailError(f"Cannot read {path}: {exc}.") from exc
        added = 0
        for address in _addresses_in(text):
            if self.add(address, Reason.IMPORTED, source=path.name, now=now):
                added += 1
        return added

    def save(self) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_HEADER)
        for entry in self._entries.values():
            writer.writerow(
                (entry.address, entry.reason.value, entry.added_at.isoformat(), entry.source)
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".do-not-email-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                stream.write(buffer.getvalue())
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, self.path)
            _PARSED.pop(self.path, None)  # a coarse file clock might hide this write
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _parse(text: str, path: Path) -> list[Entry]:
    entries: list[Entry] = []
    reader = csv.reader(io.StringIO(text))
    for number, record in enumerate(reader, start=1):
        if not record or (number == 1 and record[0].strip().lower() == "address"):
            continue
        address = record[0].strip()
        if not address or address.startswith("#"):
            continue
        try:
            reason = Reason(record[1].strip()) if len(record) > 1 and record[1].strip() else None
        except ValueError:
            reason = None
        try:
            added = dt.datetime.fromisoformat(record[2]) if len(record) > 2 else None
        except ValueError:
            added = None
        entries.append(
            Entry(
                address,
                reason or Reason.ADDED_BY_USER,
                added or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC),
                record[3] if len(record) > 3 else "",
            )
        )
    return entries


def _addresses_in(text: str) -> Iterator[str]:
    reader = csv.reader(io.StringIO(text))
    column = 0
    for number, record in enumerate(reader, start=1):
        if not record:
            continue
        if number == 1:
            lowered = [cell.strip().lower() for cell in record]
            for name in ("address", "email", "e-mail", "邮箱", "电子邮件"):
                if name in lowered:
                    column = lowered.index(name)
                    break
            else:
                column = next((i for i, cell in enumerate(record) if "@" in cell), 0)
            if "@" not in (record[column] if column < len(record) else ""):
                continue  # a header row
        cell = record[column].strip() if column < len(record) else ""
        if "@" in cell:
            yield cell


def listed_problems(
    recipients: Iterable[Recipient],
    listed: DoNotEmailList | None,
    mapping: ColumnMapping | None = None,
) -> list[Problem]:
    """A DO_NOT_EMAIL row problem for every recipient with an address on the list (To, Cc or
    Bcc); `listed` None reads the list in Herald's data folder. An unreadable list stops
    nothing silently: it is a whole-input problem, so nobody on it is sent to by mistake."""
    if listed is None:
        try:
            listed = DoNotEmailList.load()
        except DoNotEmailError as exc:
            # said, not hidden: whoever sends is told the list was not consulted
            return [
                Problem(
                    ProblemKind.DO_NOT_EMAIL,
                    f"{exc} Rows were not checked against it.",
                    severity=Severity.WARNING,
                )
            ]
    if not len(listed):
        return []
    problems = []
    for recipient in recipients:
        for role, addresses in (
            ("email", (recipient.to,)),
            ("cc", recipient.cc),
            ("bcc", recipient.bcc),
        ):
            for address in addresses:
                entry = listed.get(address.address)
                if entry is None:
                    continue
                column = mapping.get(Role(role)) if mapping is not None else None
                problems.append(
                    Problem(
                        ProblemKind.DO_NOT_EMAIL,
                        f"{address.address} is on the do-not-email list ({_why(entry)}); "
                        "remove it from the list to send to it again",
                        row=recipient.row,
                        column=column,
                    )
                )
    return problems


def _why(entry: Entry) -> str:
    words = {
        Reason.HARD_BOUNCE: "it bounced",
        Reason.UNSUBSCRIBED: "it asked to unsubscribe",
        Reason.ADDED_BY_USER: "added by you",
        Reason.IMPORTED: "imported",
    }
    return f"{words[entry.reason]} on {entry.added_at.date().isoformat()}"
