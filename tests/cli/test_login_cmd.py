"""`herald login`: the password is prompted for, stored in the keychain, never an option."""

from __future__ import annotations

import getpass
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from app.cli import build_parser, run
from tests.core.test_secrets import MemoryKeyring


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def _answer(monkeypatch: pytest.MonkeyPatch, password: str, user: str = "") -> None:
    """The person at the keyboard: answers the prompts."""
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": password)
    monkeypatch.setattr("builtins.input", lambda prompt="": user)


def test_login_prompts_for_the_password_and_stores_it_in_the_keychain(
    store: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answer(monkeypatch, "app-password-1")
    assert run(["login", "work", "--user", "me@example.com"]) == 0
    assert store.entries == {("Herald SMTP (work)", "me@example.com"): "app-password-1"}
    out = capsys.readouterr().out
    assert "Saved the password of me@example.com" in out and "app-password-1" not in out


def test_login_asks_for_the_user_when_not_given_and_can_forget(
    store: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, "pw", user="me@example.org")
    assert run(["login", "home"]) == 0
    assert run(["login", "home", "--forget"]) == 0
    assert store.entries == {}


def test_login_refuses_an_insecure_keychain_and_says_what_to_do_instead(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        _answer(monkeypatch, "pw")
        assert run(["login", "work", "--user", "me@example.com"]) == 1
    finally:
        keyring.set_keyring(previous)
    assert "HERALD_SMTP_PASSWORD" in capsys.readouterr().err


def test_there_is_no_password_option() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["login", "work", "--password", "x"])
