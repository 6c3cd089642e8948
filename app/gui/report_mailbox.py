"""The Report page's mailbox actions: "Read bounces…" and "Copy to Sent…".

Both read the campaign's sending account over IMAP (app.gui.mailbox_access) and run the core's
own code (app.core.mailbox.scan.scan_campaign, sent_copy.copy_sent_campaign, the same the CLI
runs) in a worker thread: network waits and SQLite release the GIL, so the window keeps
painting while a slow server answers. Afterwards the report table shows the bounced rows and
the Recipients step re-validates against the updated do-not-email list.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from app.gui.mailbox_access import NoMailbox, campaign_profile, mailbox_access, why_no_mailbox
from app.gui.profiles import ProfileStore
from app.gui.tasks import in_thread

log = logging.getLogger("herald.gui")


def _chosen(page: Any) -> str | None:
    return page.session.config.send.profile  # type: ignore[no-any-return]


def copy_refusal(store: ProfileStore, chosen: str | None) -> str:
    """Why Copy to Sent is not offered for the campaign's account ("" when it is)."""
    from app.core.mailbox.account import files_sent_itself

    reason = why_no_mailbox(store, chosen)
    if reason:
        return reason
    provider = files_sent_itself(campaign_profile(store, chosen))
    if provider is not None:
        return QCoreApplication.translate(
            "ReportMailbox",
            "{provider} files mail sent over SMTP in Sent by itself: a copy from Herald would be a duplicate.",  # noqa: E501
        ).format(provider=provider.name(_language()))
    return ""


def _language() -> str:
    from PySide6.QtCore import QLocale

    return "zh" if QLocale().name().startswith("zh") else "en"


def update_buttons(page: Any) -> None:
    store = ProfileStore()
    sent = page.counts.get("sent", 0) > 0
    no_mailbox = why_no_mailbox(store, _chosen(page))
    refusal = copy_refusal(store, _chosen(page))
    idle = not page.mailbox_busy and not page.controller.running
    page.bounces_button.setEnabled(sent and idle and not no_mailbox)
    page.copy_sent_button.setEnabled(sent and idle and not refusal)
    page.bounces_button.setVisible(sent)
    page.copy_sent_button.setVisible(sent)
    # the reason stays readable beside the disabled button, not only in a tooltip
    page.copy_sent_button.setToolTip(refusal)
    page.bounces_button.setToolTip(no_mailbox or page.bounces_help)
    note = no_mailbox or refusal
    page.mailbox_note.setText(note if sent else "")
    page.mailbox_note.setVisible(bool(sent and note))


async def _access(page: Any, title: str) -> Any:
    try:
        return mailbox_access(page, ProfileStore(), _chosen(page))
    except NoMailbox as exc:
        QMessageBox.warning(page, title, str(exc))
        return None


def _journal_path(page: Any) -> Any:
    from app.core.send.prepare import journal_path

    recipients = page.session.config.recipients
    if recipients is None or page.session.path is None:
        return None
    path = journal_path(page.session.path, recipients)
    return path if path.exists() else None


async def read_bounces(page: Any) -> Any:
    from app.core.do_not_email import DoNotEmailError
    from app.core.journal import JournalError
    from app.core.mailbox.imap import ImapError
    from app.core.mailbox.scan import scan_campaign

    title = QCoreApplication.translate("ReportMailbox", "Read bounces")
    path = _journal_path(page)
    if path is None or page.controller.running:
        return None
    access = await _access(page, title)
    if access is None:
        return None
    page.mailbox_busy = True
    update_buttons(page)
    page.mailbox_note.setVisible(True)
    page.mailbox_note.setText(
        QCoreApplication.translate("ReportMailbox", "Reading {host}…").format(
            host=access.settings.host
        )
    )
    try:
        result, _listed = await in_thread(scan_campaign, path, access.settings, access.password)
    except (ImapError, JournalError, DoNotEmailError, OSError) as exc:
        QMessageBox.warning(page, title, str(exc))
        return None
    finally:
        page.mailbox_busy = False
        update_buttons(page)
    new = result.new
    hard = sum(1 for m in new if m.bounce.severity == "hard")
    text = QCoreApplication.translate(
        "ReportMailbox",
        "{bounces} bounces ({hard} hard, {soft} soft), {unsubscribes} unsubscribe requests; {added} addresses added to the do-not-email list.",  # noqa: E501
    ).format(
        bounces=len(new),
        hard=hard,
        soft=len(new) - hard,
        unsubscribes=len(result.unsubscribed),
        added=len(result.added),
    )
    known = len(result.bounces) - len(new)
    if known:
        text += " " + QCoreApplication.translate(
            "ReportMailbox", "{known} bounces were known from an earlier reading."
        ).format(known=known)
    text += " " + QCoreApplication.translate(
        "ReportMailbox", "{count} messages read; nothing in the mailbox was changed."
    ).format(count=result.scanned)
    log.info("%s", text)
    page.refresh()
    await _revalidate(page)
    QMessageBox.information(page, title, text)
    return result


async def _revalidate(page: Any) -> None:
    """The Recipients step marks rows now on the do-not-email list (computed in set_mapping)."""
    session = page.session
    if session.table is not None and session.recipient_list is not None:
        await session.set_mapping(session.mapping)


async def copy_to_sent(page: Any) -> Any:
    from app.core.journal import JournalError
    from app.core.mailbox.imap import ImapError
    from app.core.mailbox.sent_copy import copy_sent_campaign, sent_row_renderer
    from app.core.model import InputError
    from app.gui.session import build_campaign

    title = QCoreApplication.translate("ReportMailbox", "Copy to Sent")
    path = _journal_path(page)
    if path is None or page.controller.running:
        return None
    refusal = copy_refusal(ProfileStore(), _chosen(page))
    if refusal:
        QMessageBox.warning(page, title, refusal)
        return None
    try:
        campaign = build_campaign(page.session)
    except InputError as exc:
        QMessageBox.warning(page, title, exc.problem.message)
        return None
    access = await _access(page, title)
    if access is None:
        return None
    page.mailbox_busy = True
    update_buttons(page)
    try:
        result = await in_thread(
            copy_sent_campaign, path, access.settings, access.password, sent_row_renderer(campaign)
        )
    except (ImapError, JournalError, OSError) as exc:
        QMessageBox.warning(page, title, str(exc))
        return None
    finally:
        page.mailbox_busy = False
        update_buttons(page)
    text = QCoreApplication.translate(
        "ReportMailbox",
        "Filed {copied} copies in {folder}; {already} were filed before, {present} were there already.",  # noqa: E501
    ).format(
        copied=result.copied,
        folder=result.folder,
        already=result.already,
        present=result.found_in_folder,
    )
    if result.not_rendered:
        text += " " + QCoreApplication.translate(
            "ReportMailbox",
            "{n} sent messages could not be built again (the workbook or template changed since): no copy of them was filed.",  # noqa: E501
        ).format(n=result.not_rendered)
    log.info("%s", text)
    QMessageBox.information(page, title, text)
    return result
