"""The sending accounts the window offers: the local test outbox first, then saved profiles.

A profile is host, port, security, user name, provider preset and limits: never a password
(that goes to the OS keychain through app.core.secrets). Profiles are stored by the core
(`app.core.profiles`, `profiles.json` in Herald's data folder) so the command line can read
the accounts the window saved; this module adds the built-in outbox, the labels and the last
choice. Profiles an older Herald kept in the window's settings file are moved over once.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication

from app.core.profiles import Profile, ProfileError
from app.core.profiles import ProfileStore as CoreProfileStore
from app.core.send.transport import Security
from app.gui.settings import GuiSettings

__all__ = ["OUTBOX", "Profile", "ProfileStore", "outbox_profile"]

OUTBOX = "outbox"
_OLD_KEY = "profiles"  # where the window kept profiles before the core stored them


def outbox_profile() -> Profile:
    return Profile(name=OUTBOX, provider="outbox", host="127.0.0.1", port=0, security=Security.NONE)


class ProfileStore:
    def __init__(
        self, settings: GuiSettings | None = None, store: CoreProfileStore | None = None
    ) -> None:
        self._settings = settings or GuiSettings()
        self._store = store or CoreProfileStore()
        self._migrate()

    def _migrate(self) -> None:
        """Move profiles from the window's settings file into the shared file (once)."""
        raw = self._settings.raw(_OLD_KEY, "")
        if not raw:
            return
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        known = self._store.profiles()
        for name, values in data.items() if isinstance(data, dict) else ():
            if name == OUTBOX or name in known or not isinstance(values, dict):
                continue  # the shared file wins over an old copy
            try:
                self._store.save(Profile.from_json(name, values))
            except ProfileError:
                continue
        self._settings.remove(_OLD_KEY)

    def profiles(self) -> dict[str, Profile]:
        return {n: p for n, p in self._store.profiles().items() if n != OUTBOX}

    def save(self, profile: Profile) -> None:
        if profile.name == OUTBOX:
            raise ValueError("the local outbox is built in")
        self._store.save(profile)

    def delete(self, name: str) -> None:
        self._store.delete(name)

    def chosen_name(self, name: str | None) -> str:
        """The account a campaign sends through: its own choice, else the last one chosen
        (the rule the Compose and Send pages share, so they cannot show different accounts).
        A name that is not saved here stays as it is: `find` then says it is missing."""
        return name or self.default_name()

    def find(self, name: str | None) -> Profile | None:
        """The profile called `name` (the built-in outbox for `outbox`), None if not saved."""
        if not name or name == OUTBOX:
            return outbox_profile()
        return self.profiles().get(name)

    def get(self, name: str | None) -> Profile:
        if not name or name == OUTBOX:
            return outbox_profile()
        return self.profiles().get(name) or outbox_profile()

    def choices(self) -> list[tuple[str, str]]:
        items = [
            (
                OUTBOX,
                QCoreApplication.translate(
                    "ProfileStore", "Local test outbox (nothing leaves this computer)"
                ),
            )
        ]
        for name, profile in sorted(self.profiles().items()):
            items.append((name, f"{name} — {profile.user or '?'} @ {profile.host}"))
        return items

    def default_name(self) -> str:
        last = self._settings.last_profile()
        return last if last and (last == OUTBOX or last in self.profiles()) else OUTBOX

    def remember_last(self, name: str | None) -> None:
        self._settings.set_last_profile(name or "")

    def label(self, name: str | None) -> str:
        for key, label in self.choices():
            if key == (name or OUTBOX):
                return label
        return name or ""
