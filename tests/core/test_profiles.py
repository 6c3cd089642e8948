"""Saved sending accounts: one JSON file both the window and the CLI read; never a password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.profiles import Profile, ProfileError, ProfileStore, default_path
from app.core.send.transport import Security

PASSWORD = "correct horse battery staple"


def _work() -> Profile:
    return Profile(
        name="work 工作",
        provider="qq",
        host="smtp.example.com",
        port=465,
        security="tls",  # type: ignore[arg-type]  # as a form or JSON gives it
        user="me@example.com",
        per_minute=20,
        per_day=500,
        connections=2,
        pause=1.5,
        jitter=0.5,
        cafile="/tmp/ca.pem",
    )


def test_a_saved_profile_reads_back_equal_with_security_as_the_enum(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(_work())

    again = ProfileStore(tmp_path / "profiles.json").get("work 工作")

    assert again == _work()
    assert again is not None and again.security is Security.TLS
    document = json.loads((tmp_path / "profiles.json").read_text(encoding="utf-8"))
    assert document["profiles"]["work 工作"]["security"] == "tls"  # the campaign file's words


def test_the_default_file_is_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERALD_DATA_DIR", str(tmp_path))
    ProfileStore().save(_work())
    assert default_path() == tmp_path / "profiles.json"
    assert (tmp_path / "profiles.json").exists()


def test_no_field_can_carry_a_password_into_the_file(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    with pytest.raises(TypeError):
        Profile(name="x", password=PASSWORD)  # type: ignore[call-arg]
    with pytest.raises(ProfileError, match="keychain"):
        store.save(Profile(name="x", extra={"smtp_password": PASSWORD}))
    store.save(Profile(name="y", user="me@example.com", extra={"region": "eu"}))
    assert PASSWORD not in (tmp_path / "profiles.json").read_text(encoding="utf-8")
    assert "pass" not in (tmp_path / "profiles.json").read_text(encoding="utf-8").lower()


def test_delete_removes_only_that_profile(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(_work())
    store.save(Profile(name="home", host="mail.example.org"))
    store.delete("work 工作")
    assert set(store.profiles()) == {"home"}


def test_a_damaged_entry_is_skipped_and_the_others_still_read(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    document = {
        "version": 1,
        "profiles": {
            "good": {"host": "smtp.example.com", "security": "starttls", "newer_field": 1},
            "bad": {"host": "smtp.example.net", "security": "ssl-maybe"},
        },
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    found = ProfileStore(path).profiles()
    assert set(found) == {"good"}
    path.write_text("{not json", encoding="utf-8")
    assert ProfileStore(path).profiles() == {}
