"""Saved sending accounts ("profiles"), shared by the window and the command line.

A profile is what the window's SMTP profiles dialog fills in: provider preset, host, port,
security, login name, limits, an extra trusted certificate. Never a password: that lives only in
the OS keychain (`app.core.secrets`), under the profile's name. The file is JSON in Herald's data
folder (`profiles.json`), so `herald send --profile NAME` can read the same accounts the window
saved, and a user can read or back it up.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.core.paths import data_dir
from app.core.send.transport import Security

FILE_NAME = "profiles.json"
FORMAT_VERSION = 1

# A key that looks like a secret is refused, so nothing secret reaches the file by accident
# (e.g. through `extra`, which holds free-form provider details).
_SECRET_KEY = re.compile(r"pass|secret|token|credential|auth", re.IGNORECASE)


class ProfileError(ValueError):
    """A profile that cannot be stored; the message says which field and why."""


@dataclass(frozen=True)
class Profile:
    name: str
    provider: str = "custom"  # provider preset id (app/data/providers.toml) or "custom"
    host: str = ""
    port: int = 587
    security: Security = Security.STARTTLS
    user: str = ""  # login name; "" = no login
    per_second: int = 0  # 0 = no limit
    per_minute: int = 0
    per_hour: int = 0
    per_day: int = 0
    connections: int = 1
    pause: float = 0.0  # minimum seconds between messages
    jitter: float = 0.0  # extra random seconds, at most this much
    # a self-hosted server's own certificate (.pem), trusted in addition to the system's
    # (TLS stays verified: this adds one trusted certificate, it never skips the check)
    cafile: str = ""
    # OAuth 2.0 sign-in instead of a password (app/data/oauth.toml id, e.g. "microsoft"); the
    # refresh token is in the keychain, never here. A client id / authority of the profile's
    # own override the build's (an organisation's app registration; a national cloud).
    oauth: str = ""
    oauth_client_id: str = ""
    oauth_authority: str = ""
    # the mailbox over IMAP (bounces, copy to Sent) when the preset names none, or another one:
    # "" / 0 = the preset's (app.core.mailbox.account); security "tls" or "starttls"
    imap_host: str = ""
    imap_port: int = 0
    imap_security: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # "tls" / "starttls" / "none" as typed in a form or read from JSON: the enum from here on
        object.__setattr__(self, "security", Security(self.security))
        if self.imap_security not in ("", "tls", "starttls"):
            raise ValueError(f"imap_security must be tls or starttls, not {self.imap_security!r}")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["security"] = self.security.value
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> Profile:
        """Known fields only (a newer Herald may have added some); raises ProfileError."""
        known = {f.name for f in fields(cls)} - {"name"}
        values = {key: value for key, value in data.items() if key in known}
        try:
            return cls(name=name, **values)
        except (TypeError, ValueError) as error:
            raise ProfileError(f"profile {name!r}: {error}") from None


def default_path() -> Path:
    return data_dir() / FILE_NAME


def _check_no_secret(profile: Profile) -> None:
    for key in profile.extra:
        if _SECRET_KEY.search(key):
            raise ProfileError(
                f"profile {profile.name!r}: {key!r} looks like a secret; passwords go to the "
                "system keychain (`herald login`), never into the profiles file."
            )


class ProfileStore:
    """The profiles file: read whole, written whole and atomically (a crash mid-write leaves
    the previous file), sorted by name so it diffs well."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_path()

    def exists(self) -> bool:
        return self.path.exists()

    def profiles(self) -> dict[str, Profile]:
        """Every readable profile; an unreadable file or entry is skipped (the window must
        still start), so a user can repair the file by hand."""
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = document.get("profiles", {}) if isinstance(document, dict) else {}
        found: dict[str, Profile] = {}
        if not isinstance(entries, dict):
            return found
        for name, values in entries.items():
            if not isinstance(values, dict):
                continue
            try:
                found[name] = Profile.from_json(name, values)
            except ProfileError:
                continue
        return found

    def get(self, name: str) -> Profile | None:
        return self.profiles().get(name)

    def save(self, profile: Profile) -> None:
        if not profile.name.strip():
            raise ProfileError("a profile needs a name")
        _check_no_secret(profile)
        everything = self.profiles()
        everything[profile.name] = profile
        self._write(everything)

    def delete(self, name: str) -> None:
        everything = self.profiles()
        if everything.pop(name, None) is not None:
            self._write(everything)

    def _write(self, profiles: Mapping[str, Profile]) -> None:
        entries = {name: profiles[name].to_json() for name in sorted(profiles)}
        for values in entries.values():
            values.pop("name", None)  # the key is the name
        document = {"version": FORMAT_VERSION, "profiles": entries}
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=".profiles-", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
