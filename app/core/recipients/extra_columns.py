"""Cc, Bcc and Reply-To columns in use, and what they add, so no front end uses one silently.

A column headed `密送` or `Bcc` is picked up by its header (roles.py). That is what most people
want, but a workbook from someone else can hide recipients that way: every front end says which
of these columns are in use, whether they were *found* (by header) rather than chosen, and how
many recipients they add: `herald check`, the send plan and confirmation, the window's
recipients summary, and the window asks once before the first send.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.model import ColumnMapping, Recipient, Role

_ROLES = (Role.BCC, Role.CC, Role.REPLY_TO)


@dataclass(frozen=True, slots=True)
class ExtraColumn:
    """One Cc/Bcc/Reply-To column in use: `addresses` over `rows` rows (for Reply-To, the
    rows whose replies it redirects). `found` when detected by its header, not chosen."""

    role: Role
    column: str
    found: bool
    addresses: int
    rows: int

    def describe(self) -> str:
        rows = _plural(self.rows, "row")
        if self.role is Role.BCC:
            what = f"adds {_plural(self.addresses, 'hidden recipient')} on {rows}"
        elif self.role is Role.CC:
            what = f"adds {_plural(self.addresses, 'Cc recipient')} on {rows}"
        else:
            what = f"sends replies elsewhere on {rows}"
        label = {Role.BCC: "Bcc", Role.CC: "Cc", Role.REPLY_TO: "Reply-To"}[self.role]
        text = f"{label} column {self.column!r} {what}"
        if self.found:
            text += (
                " (found by its header, not chosen: rename the column, or choose another one, "
                "if it is not meant that way)"
            )
        return text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def extra_columns(
    mapping: ColumnMapping, explicit: ColumnMapping, recipients: Iterable[Recipient]
) -> tuple[ExtraColumn, ...]:
    """The Cc, Bcc and Reply-To columns of `mapping` that add something to `recipients`,
    Bcc first. A role is `found` when `explicit` (what the user or campaign file chose)
    leaves it unset."""
    in_use = [(role, column) for role in _ROLES if (column := mapping.get(role)) is not None]
    if not in_use:
        return ()
    counts = {role: [0, 0] for role, _column in in_use}
    for recipient in recipients:
        for role, tally in counts.items():
            if role is Role.REPLY_TO:
                added = 1 if recipient.reply_to is not None else 0
            else:
                added = len(recipient.bcc if role is Role.BCC else recipient.cc)
            if added:
                tally[0] += added
                tally[1] += 1
    return tuple(
        ExtraColumn(
            role=role,
            column=column,
            found=explicit.get(role) is None,
            addresses=counts[role][0],
            rows=counts[role][1],
        )
        for role, column in in_use
        if counts[role][1]
    )
