"""Per-row checks: one valid address per row, no duplicates, cc/bcc/reply-to, attachments.

Rows with an error problem yield no Recipient; warnings (SMTPUTF8 needed) do not stop a row.
Duplicates are compared normalised and case-insensitively; the first row is kept and every
later one is reported naming it. Nothing is ever split and sent to both halves of a cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.attachment_files import AttachmentRefused, allowed_folders, inspect_attachment
from app.core.model import (
    Address,
    CellValue,
    ColumnMapping,
    InputError,
    Problem,
    ProblemKind,
    Recipient,
    Row,
    Severity,
    Table,
)
from app.core.recipients.addresses import (
    AddressError,
    parse_mailbox,
    split_addresses,
    validate_address,
)


@dataclass(frozen=True, slots=True)
class RecipientList:
    """The rows that can be sent, and every row-level problem (each with row and column).

    `problems` also carries the table's own row-level problems (formula cells without a
    value), so a row is listed in `problem_rows` exactly when it yields no Recipient.
    """

    recipients: tuple[Recipient, ...]
    problems: tuple[Problem, ...]
    problem_rows: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        rows = frozenset(
            p.row for p in self.problems if p.row is not None and p.severity is Severity.ERROR
        )
        object.__setattr__(self, "problem_rows", rows)


def _text(value: CellValue) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _column_index(table: Table, header: str | None) -> int | None:
    if header is None:
        return None
    try:
        return table.headers.index(header)
    except ValueError:
        raise InputError(
            Problem(
                kind=ProblemKind.NO_EMAIL_COLUMN,
                message=f"{table.source.name}: there is no column {header!r}. Columns: "
                + ", ".join(repr(h) for h in table.headers),
                column=header,
            )
        ) from None


class _RowChecker:
    def __init__(
        self,
        table: Table,
        mapping: ColumnMapping,
        base_dir: Path,
        attachment_folders: tuple[Path, ...] | None = None,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.base_dir = base_dir
        # Attachments come only from these (resolved) folders: by default the workbook's own.
        self.folders = allowed_folders(
            [base_dir] if attachment_folders is None else attachment_folders
        )
        self.email = _column_index(table, mapping.email)
        self.name = _column_index(table, mapping.name)
        self.cc = _column_index(table, mapping.cc)
        self.bcc = _column_index(table, mapping.bcc)
        self.reply_to = _column_index(table, mapping.reply_to)
        self.attachments = _column_index(table, mapping.attachments)
        self.first_row: dict[str, int] = {}  # casefolded address -> row that has it first

    def check(self, row: Row, problems: list[Problem]) -> Recipient | None:
        assert self.email is not None and self.mapping.email is not None
        column = self.mapping.email
        before = len(problems)
        to = self._to_address(row, column, problems)
        cc = self._list(row, self.cc, self.mapping.cc, problems)
        bcc = self._list(row, self.bcc, self.mapping.bcc, problems)
        reply_to = self._single(row, self.reply_to, self.mapping.reply_to, problems)
        attachments = self._attachments(row, problems)
        errors = any(p.severity is Severity.ERROR for p in problems[before:])
        if to is None or errors:
            return None
        return Recipient(
            row=row.number,
            to=to,
            fields=self.table.record(row),
            cc=cc,
            bcc=bcc,
            reply_to=reply_to,
            attachments=attachments,
        )

    def _problem(
        self,
        problems: list[Problem],
        kind: ProblemKind,
        message: str,
        row: Row,
        column: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        problems.append(Problem(kind, message, severity, row=row.number, column=column))

    def _to_address(self, row: Row, column: str, problems: list[Problem]) -> Address | None:
        assert self.email is not None
        text = _text(row.values[self.email])
        if not text:
            self._problem(
                problems,
                ProblemKind.EMPTY_ADDRESS,
                "the e-mail cell is empty; fill it in or delete the row",
                row,
                column,
            )
            return None
        address = self._parsed(parse_mailbox, text, row, column, problems)
        if address is None:
            return None
        key = address.address.casefold()
        first = self.first_row.setdefault(key, row.number)
        if first != row.number:
            self._problem(
                problems,
                ProblemKind.DUPLICATE_ADDRESS,
                f"{address.address} already appears in row {first}; only that row "
                "is sent. Delete this row or correct the address.",
                row,
                column,
            )
            return None
        self._mark_smtputf8(address, row, column, problems)
        name = _text(row.values[self.name]) if self.name is not None else ""
        if name:
            return Address(address.address, name, address.smtputf8)
        return address

    def _list(
        self, row: Row, index: int | None, column: str | None, problems: list[Problem]
    ) -> tuple[Address, ...]:
        if index is None or column is None:
            return ()
        found = []
        for part in split_addresses(_text(row.values[index])):
            address = self._checked(part, row, column, problems)
            if address is not None:
                found.append(address)
        return tuple(found)

    def _single(
        self, row: Row, index: int | None, column: str | None, problems: list[Problem]
    ) -> Address | None:
        if index is None or column is None:
            return None
        text = _text(row.values[index])
        return self._checked(text, row, column, problems) if text else None

    def _checked(self, text: str, row: Row, column: str, problems: list[Problem]) -> Address | None:
        address = self._parsed(validate_address, text, row, column, problems)
        if address is not None:
            self._mark_smtputf8(address, row, column, problems)
        return address

    def _parsed(
        self,
        parse: Callable[[str], Address],
        text: str,
        row: Row,
        column: str,
        problems: list[Problem],
    ) -> Address | None:
        try:
            return parse(text)
        except AddressError as exc:
            kind = ProblemKind.MULTIPLE_ADDRESSES if exc.multiple else ProblemKind.INVALID_ADDRESS
            self._problem(problems, kind, exc.reason, row, column)
            return None

    def _mark_smtputf8(
        self, address: Address, row: Row, column: str, problems: list[Problem]
    ) -> None:
        # Still sent: a warning, because only servers offering SMTPUTF8 accept it.
        if address.smtputf8:
            self._problem(
                problems,
                ProblemKind.NEEDS_SMTPUTF8,
                f"{address.address} has non-ASCII characters before the @; only "
                "servers that support SMTPUTF8 accept it",
                row,
                column,
                Severity.WARNING,
            )

    def _attachments(self, row: Row, problems: list[Problem]) -> tuple[Path, ...]:
        if self.attachments is None or self.mapping.attachments is None:
            return ()
        column = self.mapping.attachments
        paths = []
        for part in _text(row.values[self.attachments]).split(";"):
            name = part.strip().strip('"')
            if not name:
                continue
            path = Path(name)
            resolved = path if path.is_absolute() else self.base_dir / path
            try:
                found = inspect_attachment(resolved, self.folders)
            except AttachmentRefused as refused:
                missing = refused.missing
                self._problem(
                    problems,
                    ProblemKind.MISSING_ATTACHMENT if missing else ProblemKind.UNSAFE_ATTACHMENT,
                    f"attachment {name!r} {refused.reason}"
                    + ("; correct the path or put the file there" if missing else ""),
                    row,
                    column,
                )
                continue
            paths.append(found.path)
        return tuple(paths)


def validate_recipients(
    table: Table,
    mapping: ColumnMapping,
    *,
    base_dir: Path | None = None,
    attachment_folders: tuple[Path, ...] | None = None,
) -> RecipientList:
    """Check every row; attachment paths are relative to `base_dir` (default: the file's
    folder) and must resolve inside `attachment_folders` (default: `base_dir` alone).
    Raises InputError(NO_EMAIL_COLUMN) when the mapping has no e-mail column."""
    if mapping.email is None:
        raise InputError(
            Problem(
                kind=ProblemKind.NO_EMAIL_COLUMN,
                message=f"{table.source.name}: no e-mail column chosen. Columns: "
                + ", ".join(repr(h) for h in table.headers),
            )
        )
    checker = _RowChecker(table, mapping, base_dir or table.source.parent, attachment_folders)
    table_problems: dict[int, list[Problem]] = {}
    for problem in table.problems:
        if problem.row is not None:
            table_problems.setdefault(problem.row, []).append(problem)
    recipients: list[Recipient] = []
    problems: list[Problem] = []
    for row in table.rows:
        before = len(problems)
        problems.extend(table_problems.get(row.number, ()))
        recipient = checker.check(row, problems)
        blocked = any(p.severity is Severity.ERROR for p in problems[before:])
        if recipient is not None and not blocked:
            recipients.append(recipient)
    return RecipientList(tuple(recipients), tuple(problems))
