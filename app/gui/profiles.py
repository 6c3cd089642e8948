"""The sending accounts the window offers: the local test outbox first, then saved profiles.

A profile is host, port, security, user name, provider preset and limits: never a password
(that goes to the OS keychain through app.core.secrets). Profiles are kept in the window's
settings file until the core grows a shared settings module the CLI reads too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from PySide6.QtCore import QCoreApplication

from app.gui.settings import GuiSettings

OUTBOX = "outbox"


@dataclass
class Profile:
    name: str
    provider: str = "custom"
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    per_second: int = 0  # 0 = no limit
    per_minute: int = 0
    per_hour: int = 0
    per_day: int = 0
    connections: int = 1
    pause: float = 0.0
    jitter: float = 0.0
    # a self-hosted server's own certificate (.pem), trusted in addition to the system's
    # (TLS stays verified: this adds one trusted certificate, it never skips the check)
    cafile: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def outbox_profile() -> Profile:
    return Profile(name=OUTBOX, provider="outbox", host="127.0.0.1", port=0, security="none")


class ProfileStore:
    def __init__(self, settings: GuiSettings | None = None) -> None:
        self._settings = settings or GuiSettings()

    def profiles(self) -> dict[str, Profile]:
        raw = self._settings.raw("profiles", "")
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return {}
        found = {}
        for name, values in data.items():
            try:
                found[name] = Profile(**values)
            except TypeError:
                continue
        return found

    def save(self, profile: Profile) -> None:
        if profile.name == OUTBOX:
            raise ValueError("the local outbox is built in")
        everything = {name: asdict(p) for name, p in self.profiles().items()}
        everything[profile.name] = asdict(profile)
        self._settings.set_raw("profiles", json.dumps(everything, ensure_ascii=False))

    def delete(self, name: str) -> None:
        everything = {n: asdict(p) for n, p in self.profiles().items() if n != name}
        self._settings.set_raw("profiles", json.dumps(everything, ensure_ascii=False))

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
