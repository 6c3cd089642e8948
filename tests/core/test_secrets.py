"""Passwords live in a real keychain backend or nowhere; nothing Herald writes contains one."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from app.core import secrets
from app.core.journal import CampaignSnapshot, Journal
from app.core.report import export_report
from app.core.send.contracts import Stage
from tests.core.journal.helpers import T0, make_snapshot

PASSWORD = "Tr0ub4dor&3-授权码"  # a test secret we look for in files


class MemoryKeyring(KeyringBackend):
    """A complete keyring backend that keeps entries in a dict: the system keychain's stand-in."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


class LowPriorityKeyring(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]  # what keyrings.alt's file stores declare


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


def test_a_password_round_trips_through_the_configured_keychain(
    memory_keyring: MemoryKeyring,
) -> None:
    secrets.store_password("work", "me@example.com", PASSWORD)
    assert secrets.get_password("work", "me@example.com") == PASSWORD
    assert secrets.get_password("home", "me@example.com") is None  # profiles never share
    assert memory_keyring.entries == {("Herald SMTP (work)", "me@example.com"): PASSWORD}
    assert secrets.delete_password("work", "me@example.com") is True
    assert secrets.delete_password("work", "me@example.com") is False
    assert secrets.get_password("work", "me@example.com") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LowPriorityKeyring()])
def test_insecure_or_missing_keychains_are_refused_without_any_fallback(
    backend: KeyringBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(secrets.KeychainUnavailable, match="HERALD_SMTP_PASSWORD"):
        secrets.store_password("work", "me@example.com", PASSWORD, backend=backend)
    with pytest.raises(secrets.KeychainUnavailable, match="No secure keychain"):
        secrets.get_password("work", "me@example.com", backend=backend)
    assert list(tmp_path.iterdir()) == []  # not a byte written anywhere instead


def test_the_fail_backend_set_as_the_keyring_is_refused() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(secrets.KeychainUnavailable, match=r"keyring\.backends\.fail"):
            secrets.store_password("work", "me@example.com", PASSWORD)
    finally:
        keyring.set_keyring(previous)


def test_the_environment_password_is_used_only_when_set_and_not_empty() -> None:
    assert secrets.password_from_env({"HERALD_SMTP_PASSWORD": PASSWORD}) == PASSWORD
    assert secrets.password_from_env({"HERALD_SMTP_PASSWORD": ""}) is None
    assert secrets.password_from_env({}) is None


def test_nothing_the_journal_or_report_writes_contains_the_password(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path / "data"))
    secrets.store_password("work", "me@example.com", PASSWORD)
    base = make_snapshot(tmp_path, 3)
    settings = {"profile": "work", "user": "me@example.com", "smtp_host": "smtp.example.com"}
    snapshot = CampaignSnapshot(base.name, base.sources, settings, base.rows, base.headers)
    journal = Journal.create(tmp_path / "data" / "c.herald.sqlite", snapshot)
    row = journal.claim_next(T0)
    assert row is not None
    journal.mark_failed(row, 535, "5.7.8 Authentication failed", Stage.AUTH)
    export_report(journal, tmp_path / "report.csv")
    export_report(journal, tmp_path / "report.xlsx")
    journal.close()

    needles = [PASSWORD.encode(enc) for enc in ("utf-8", "utf-16-le")]
    scanned = 0
    for path in tmp_path.rglob("*"):
        if not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            assert not any(needle in blob for needle in needles), path
        scanned += 1
    assert scanned >= 4  # journal, lock, both reports: the scan really looked
