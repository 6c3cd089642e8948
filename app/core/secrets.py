"""SMTP passwords: in the operating system's keychain, or nowhere.

No plaintext fallback, ever: keyring's `fail` and `null` backends, anything below priority 1
and every keyrings.alt backend (plaintext or "encrypted" files) are refused with
KeychainUnavailable, so the caller can offer the session-only choices instead (the
HERALD_SMTP_PASSWORD environment variable, or a prompt).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

# keyring is imported where a password is stored or read (its import, with the entry points
# of its backends, costs about 40 ms of every `herald` start, and most sends have no login).
if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

PASSWORD_ENV = "HERALD_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a secret


class KeychainUnavailable(Exception):
    """No secure keychain to keep the password in (or it refused to work)."""


def service_name(profile: str) -> str:
    """The keychain entry's service: one per Herald profile, so profiles never share a secret."""
    return f"Herald SMTP ({profile})"


def store_password(
    profile: str, user: str, password: str, *, backend: KeyringBackend | None = None
) -> None:
    import keyring.errors

    store = secure_keyring(backend)
    try:
        store.set_password(service_name(profile), user, password)
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailable(_failed("save the password", store, exc)) from exc


def get_password(profile: str, user: str, *, backend: KeyringBackend | None = None) -> str | None:
    import keyring.errors

    store = secure_keyring(backend)
    try:
        return store.get_password(service_name(profile), user)
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailable(_failed("read the password", store, exc)) from exc


def delete_password(profile: str, user: str, *, backend: KeyringBackend | None = None) -> bool:
    """Returns False when there was no password to delete."""
    import keyring.errors

    store = secure_keyring(backend)
    try:
        store.delete_password(service_name(profile), user)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailable(_failed("delete the password", store, exc)) from exc
    return True


def password_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The session-only password from HERALD_SMTP_PASSWORD; None when unset or empty."""
    value = (os.environ if env is None else env).get(PASSWORD_ENV, "")
    return value or None


def secure_keyring(backend: KeyringBackend | None = None) -> KeyringBackend:
    """The keychain to use (the configured one by default), or KeychainUnavailable.

    A chainer is unwrapped to its best acceptable member, so a plaintext backend further down
    the chain can never receive the password when the first one declines.
    """
    import keyring
    from keyring.backends import chainer

    chosen = backend if backend is not None else keyring.get_keyring()
    members = chosen.backends if isinstance(chosen, chainer.ChainerBackend) else [chosen]
    usable = [member for member in members if _acceptable(member)]
    if not usable:
        raise KeychainUnavailable(
            f"No secure keychain is available (found {_describe(chosen)}). Herald keeps "
            "passwords only in the system keychain: Windows Credential Manager, the macOS "
            "Keychain, or a Secret Service such as GNOME Keyring or KWallet on Linux. For "
            f"this session, set {PASSWORD_ENV} or type the password when asked."
        )
    return max(usable, key=_priority)


def _acceptable(backend: KeyringBackend) -> bool:
    from keyring.backends import chainer, fail, null

    if isinstance(backend, (fail.Keyring, null.Keyring, chainer.ChainerBackend)):
        return False
    if type(backend).__module__.startswith("keyrings.alt"):
        return False  # file-based stores: a password file on disk is exactly what we refuse
    return _priority(backend) >= 1


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend reports "not usable here" by raising from priority
        return -1.0


def _describe(backend: KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__name__}"


def _failed(action: str, backend: KeyringBackend, exc: Exception) -> str:
    return (
        f"The system keychain ({_describe(backend)}) could not {action}: {exc}. Unlock the "
        f"keychain and try again, or set {PASSWORD_ENV} for this session."
    )
