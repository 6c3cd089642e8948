"""A local OAuth 2.0 authorization server over https (trustme), a memory keychain, and the
system browser replaced by one that does what a user's browser does with the sign-in page."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.core.oauth import OAuthProvider
from tests.core.test_secrets import MemoryKeyring
from tests.support.certs import make_certificates
from tests.support.oauth_server import CLIENT_ID, SCOPE, OAuthTestServer, follow_sign_in


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth_server(tmp_path_factory, clock, monkeypatch) -> Iterator[OAuthTestServer]:
    certs = make_certificates(tmp_path_factory.mktemp("oauth-certs"))
    server = OAuthTestServer(tls=certs.server_context(), clock=clock).start()
    # msal's requests trust the test CA the way a user's machine trusts a corporate one
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certs.ca_file))
    server.ca_file = certs.ca_file  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture
def provider(auth_server: OAuthTestServer) -> OAuthProvider:
    return OAuthProvider("test", "Test sign-in", auth_server.issuer, (SCOPE,), CLIENT_ID, oidc=True)


@pytest.fixture
def keychain() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def browser(auth_server, monkeypatch) -> list[str]:
    """webbrowser.open: load the sign-in page and submit it, as a signed-in user would."""
    opened: list[str] = []

    def open_(url: str, *args, **kwargs) -> bool:
        opened.append(url)
        ca = str(Path(auth_server.ca_file))
        threading.Thread(target=follow_sign_in, args=(url, ca), daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", open_)
    return opened


@pytest.fixture
def data_dir_files():
    import os

    def files() -> list[Path]:
        root = Path(os.environ["HERALD_DATA_DIR"])
        return [p for p in root.rglob("*") if p.is_file()]

    return files
