"""The window's side of app.core.recipients.extra_columns: Cc, Bcc and Reply-To columns in use
are shown in the recipients summary, and ones found by their headers are confirmed once, in a
dialog, before the first send. Confirming makes them the campaign's chosen columns, so the
question is not asked again (and a saved campaign keeps them as chosen)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.model import Role
from app.core.recipients.extra_columns import ExtraColumn, extra_columns
from app.gui.session import Session

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text") calls


def columns_in_use(session: Session) -> tuple[ExtraColumn, ...]:
    found: Any = session.recipient_list
    recipients = found.recipients if found is not None else ()
    return extra_columns(session.mapping, session.config.columns, recipients)


def column_text(column: ExtraColumn) -> str:
    """One line, translated: `Bcc column '密送' adds 3 hidden recipients on 2 rows`."""
    if column.role is Role.BCC:
        text = translate(
            "FoundColumns",
            "Bcc column “{column}” adds {count} hidden recipient(s) on {rows} row(s)",
        )
    elif column.role is Role.CC:
        text = translate(
            "FoundColumns", "Cc column “{column}” adds {count} Cc recipient(s) on {rows} row(s)"
        )
    else:
        text = translate(
            "FoundColumns", "Reply-To column “{column}” sends replies elsewhere on {rows} row(s)"
        )
    text = text.format(column=column.column, count=column.addresses, rows=column.rows)
    if column.found:
        text += " " + translate("FoundColumns", "(found by its header)")
    return text


def summary_text(session: Session) -> str:
    return "\n".join(column_text(c) for c in columns_in_use(session))


def confirm_found_columns(parent: QWidget, session: Session) -> bool:
    """Ask before the first send whether found Cc/Bcc/Reply-To columns are meant; True to go on."""
    found = [c for c in columns_in_use(session) if c.found]
    if not found:
        return True
    lines = "\n".join("• " + column_text(c) for c in found)
    answer = QMessageBox.question(
        parent,
        translate("FoundColumns", "Columns found by their headers"),
        translate(
            "FoundColumns",
            "Herald found these columns by their headers, and will use them:\n\n{lines}\n\n"
            "Send with them? To leave one out, choose “(none)” for it on the Recipients page.",
        ).format(lines=lines),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    chosen = {c.role.value: c.column for c in found}
    session.config = replace(session.config, columns=replace(session.config.columns, **chosen))
    return True
