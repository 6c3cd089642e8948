"""Which column is the e-mail address, the name, cc, bcc, reply-to, attachments.

Found from the header (English and Chinese names, ignoring case, spaces, '-' and '_'),
the e-mail column failing that from its content. An explicit choice always wins; an
explicit header that does not exist is an error that lists the headers that do.
"""

from __future__ import annotations

import re
from dataclasses import fields
from itertools import islice

from app.core.model import ColumnMapping, InputError, Problem, ProblemKind, Role, Table

_SYNONYMS: dict[Role, tuple[str, ...]] = {
    Role.EMAIL: (
        "email",
        "e-mail",
        "mail",
        "email address",
        "e-mail address",
        "mail address",
        "emailaddress",
        "email addr",
        "to",
        "recipient",
        "电子邮件",
        "电子邮箱",
        "邮箱",
        "邮件",
        "邮件地址",
        "邮箱地址",
        "电邮",
        "电子邮件地址",
        "收件人",
        "收件人邮箱",
        "メール",
        "メールアドレス",
    ),
    Role.NAME: (
        "name",
        "full name",
        "fullname",
        "display name",
        "contact name",
        "recipient name",
        "姓名",
        "名字",
        "称呼",
        "联系人",
        "收件人姓名",
        "名称",
        "全名",
    ),
    Role.CC: ("cc", "carbon copy", "抄送", "抄送人", "抄送地址"),
    Role.BCC: ("bcc", "blind carbon copy", "密送", "暗送", "密送人", "密送地址"),
    Role.REPLY_TO: ("reply-to", "reply to", "replyto", "回复地址", "回复", "回复邮箱"),
    Role.ATTACHMENTS: (
        "attachment",
        "attachments",
        "file",
        "files",
        "attach",
        "附件",
        "附件路径",
        "文件",
    ),
}
_ROLE_ORDER = (Role.EMAIL, Role.CC, Role.BCC, Role.REPLY_TO, Role.NAME, Role.ATTACHMENTS)
_LOOKS_LIKE_ADDRESS = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
_CONTENT_SAMPLE = 500  # rows looked at when finding the e-mail column by content


def normalise_header(text: str) -> str:
    return re.sub(r"[\s\-_.:：]+", "", text).casefold()


_LOOKUP: dict[Role, frozenset[str]] = {
    role: frozenset(normalise_header(s) for s in names) for role, names in _SYNONYMS.items()
}


def find_header(table: Table, wanted: str) -> str | None:
    """The table's header for `wanted`: exact, else ignoring case and spaces."""
    if wanted in table.headers:
        return wanted
    key = normalise_header(wanted)
    return next((h for h in table.headers if normalise_header(h) == key), None)


#: Where a role's column is chosen explicitly, for the "what to do" part of a message.
_HOW_TO_CHOOSE = {
    Role.EMAIL: "--email-column NAME",
    Role.NAME: "--name-column NAME",
    Role.ATTACHMENTS: "--attach-column NAME",
}


def _unknown_column(table: Table, role: Role, wanted: str) -> InputError:
    label = role.value.replace("_", "-")
    option = _HOW_TO_CHOOSE.get(role)
    how = f"{option} or `{role.value}`" if option else f"`{role.value}`"
    return InputError(
        Problem(
            kind=ProblemKind.UNKNOWN_COLUMN,
            message=f"{table.source.name}: there is no column {wanted!r} (asked for as the "
            f"{label} column; header row {table.header_row}). Columns: {_header_list(table)}. "
            f"Give one of these names with {how} under [columns] in the campaign file, "
            "or rename the column in the sheet.",
            column=wanted,
        )
    )


def _header_list(table: Table) -> str:
    return ", ".join(repr(h) for h in table.headers) or "(none)"


def detect_mapping(table: Table, explicit: ColumnMapping | None = None) -> ColumnMapping:
    """Roles from `explicit` where given, from headers or content otherwise.

    Raises InputError(NO_EMAIL_COLUMN) when no e-mail column can be found.
    """
    explicit = explicit or ColumnMapping()
    chosen: dict[Role, str] = {}
    for role in _ROLE_ORDER:
        wanted = explicit.get(role)
        if wanted is not None:
            header = find_header(table, wanted)
            if header is None:
                raise _unknown_column(table, role, wanted)
            chosen[role] = header
    taken = set(chosen.values())
    for role in _ROLE_ORDER:
        if role in chosen:
            continue
        header = next(
            (h for h in table.headers if h not in taken and normalise_header(h) in _LOOKUP[role]),
            None,
        )
        if header is None and role is Role.EMAIL:
            header = _email_by_content(table, taken)
            if header is None:
                raise InputError(
                    Problem(
                        kind=ProblemKind.NO_EMAIL_COLUMN,
                        message=f"{table.source.name}: no column of e-mail addresses found. "
                        f"Columns: {_header_list(table)}. Name the address column 'Email' "
                        "(or 邮箱), or choose it explicitly.",
                    )
                )
        if header is not None:
            chosen[role] = header
            taken.add(header)
    return ColumnMapping(**{f.name: chosen.get(Role(f.name)) for f in fields(ColumnMapping)})


def _email_by_content(table: Table, taken: set[str]) -> str | None:
    """The column where most non-empty cells look like one address (leftmost on a tie)."""
    best, best_share = None, 0.5
    sample = list(islice(table.rows, _CONTENT_SAMPLE))
    for index, header in enumerate(table.headers):
        if header in taken:
            continue
        cells = [str(row.values[index]) for row in sample if row.values[index] != ""]
        if not cells:
            continue
        share = sum(bool(_LOOKS_LIKE_ADDRESS.fullmatch(c.strip())) for c in cells) / len(cells)
        if share > best_share:
            best, best_share = header, share
    return best
