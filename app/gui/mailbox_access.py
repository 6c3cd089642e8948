"""The mailbox of the account a campaign sends through, for the Report page's "Read bounces…"
and "Copy to Sent…": the IMAP server (the preset's, the profile's own, or asked once and saved
in the profile) and the password from the profile's keychain entry (never a file)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from app.gui.profiles import OUTBOX, Profile, ProfileStore


@dataclass(frozen=True, slots=True)
class MailboxAccess:
    profile: Profile
    settings: Any  # app.core.mailbox.imap.ImapSettings
    password: str


class NoMailbox(Exception):
    """Why the campaign's mailbox cannot be read now; the message is for the user."""


def campaign_profile(store: ProfileStore, chosen: str | None) -> Profile | None:
    """The campaign's sending profile; None for the local test outbox (no mailbox at all)."""
    name = store.chosen_name(chosen)
    if name == OUTBOX:
        return None
    return store.find(name)


def why_no_mailbox(store: ProfileStore, chosen: str | None) -> str:
    """ "" when the campaign's account has a mailbox to read, else why not."""
    name = store.chosen_name(chosen)
    if name == OUTBOX:
        return QCoreApplication.translate(
            "MailboxAccess",
            "The campaign sends to the local test outbox: there is no mailbox to read.",
        )
    profile = store.find(name)
    if profile is None:
        return QCoreApplication.translate(
            "MailboxAccess", "The account “{name}” is not saved on this computer."
        ).format(name=name)
    if not profile.user:
        return QCoreApplication.translate(
            "MailboxAccess", "The account “{name}” has no login name."
        ).format(name=name)
    return ""


def ask_server(parent: QWidget | None, profile: Profile, store: ProfileStore) -> Profile | None:
    """Ask for the IMAP server once and save it in the profile; None when the user cancels."""
    from app.gui.imap_server_dialog import ImapServerDialog

    dialog = ImapServerDialog(profile.user or profile.name, "", parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    host, port, security = dialog.values()
    updated = replace(profile, imap_host=host, imap_port=port, imap_security=security)
    store.save(updated)
    return updated


def mailbox_access(
    parent: QWidget | None, store: ProfileStore, chosen: str | None
) -> MailboxAccess | None:
    """The campaign's mailbox, asking for its server if nobody knows it. Raises NoMailbox
    with the reason; None when the user cancelled the question."""
    from app.core.mailbox.account import MailboxSetupError, imap_known, imap_settings_for
    from app.core.secrets import KeychainUnavailable, get_password

    reason = why_no_mailbox(store, chosen)
    profile = campaign_profile(store, chosen)
    if reason or profile is None:
        raise NoMailbox(reason)
    if not imap_known(profile):
        asked = ask_server(parent, profile, store)
        if asked is None:
            return None
        profile = asked
    if profile.oauth:
        raise NoMailbox(
            QCoreApplication.translate(
                "MailboxAccess",
                "The account “{name}” signs in with OAuth, and Herald cannot read a mailbox with an OAuth sign-in yet: read its bounces in your mail program for now.",  # noqa: E501
            ).format(name=profile.name)
        )
    try:
        settings, _ = imap_settings_for(profile)
    except MailboxSetupError as exc:
        raise NoMailbox(str(exc)) from exc
    try:
        password = get_password(profile.name, profile.user)
    except KeychainUnavailable as exc:
        raise NoMailbox(str(exc)) from exc
    if not password:
        raise NoMailbox(
            QCoreApplication.translate(
                "MailboxAccess",
                "No password is saved for {user}: type it in File › SMTP profiles… and save (it goes to the system keychain). The mailbox uses the same password or authorization code (授权码) as sending.",  # noqa: E501
            ).format(user=profile.user)
        )
    return MailboxAccess(profile, settings, password)
