"""OAuth sign-in with msal against a real authorization server on loopback: browser (PKCE,
loopback redirect) and device code; the refresh token only in the keychain (split into pieces
a Windows keychain can hold); access tokens renewed before expiry; revocation said once."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from app.core.oauth import REFRESH_MARGIN_SECONDS, OAuthError, SignInAgain, TokenSource

USER = "shop@example.com"


def _source(provider, keychain, clock) -> TokenSource:
    return TokenSource(provider, "work", USER, backend=keychain, clock=clock)


def test_browser_sign_in_uses_pkce_and_a_loopback_redirect(
    provider, keychain, clock, auth_server, browser
):
    source = _source(provider, keychain, clock)
    assert source.sign_in_browser(timeout=30) == USER
    query = parse_qs(urlsplit(browser[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["redirect_uri"][0].startswith("http://localhost:")
    assert auth_server.check(USER, source.access_token())
    assert auth_server.token_requests == ["authorization_code"]


def test_device_code_sign_in_shows_the_code_and_keeps_only_the_refresh_token(
    provider, keychain, clock, auth_server
):
    shown: list[str] = []

    def user_types_the_code(text: str) -> None:
        shown.append(text)
        device = next(iter(auth_server.devices.values()))
        assert device.user_code in text
        auth_server.approve(device.user_code)

    source = _source(provider, keychain, clock)
    assert source.sign_in_device(user_types_the_code) == USER
    assert "/device" in shown[0]
    refresh = [t for t in auth_server.refresh_tokens if not auth_server.refresh_tokens[t].revoked]
    stored = "".join(v for (service, _), v in sorted(keychain.entries.items()) if v)
    assert stored == refresh[0]  # the refresh token, and nothing else, in the keychain
    assert all(service.startswith("Herald OAuth (work)") for service, _ in keychain.entries)
    assert source.signed_in()


def test_the_access_token_is_renewed_shortly_before_it_expires_and_rotation_is_kept(
    provider, keychain, clock, auth_server, browser
):
    source = _source(provider, keychain, clock)
    source.sign_in_browser(timeout=30)
    first = source.access_token()
    clock.now += auth_server.expires_in - REFRESH_MARGIN_SECONDS - 1
    assert source.access_token() == first  # still well in date: no request
    assert auth_server.token_requests == ["authorization_code"]
    clock.now += 2  # inside the margin: renewed before the server would refuse it
    second = source.access_token()
    assert second != first and auth_server.check(USER, second)
    assert auth_server.token_requests == ["authorization_code", "refresh_token"]
    # the server rotated the refresh token; a fresh TokenSource (a restart) uses the new one
    restarted = _source(provider, keychain, clock)
    assert auth_server.check(USER, restarted.access_token())


def test_a_revoked_sign_in_says_sign_in_again(provider, keychain, clock, auth_server, browser):
    source = _source(provider, keychain, clock)
    source.sign_in_browser(timeout=30)
    auth_server.revoke()
    with pytest.raises(SignInAgain, match="sign in again"):
        source.access_token(force_refresh=True)


def test_never_signed_in_and_no_client_id_are_clear_errors(provider, keychain, clock):
    with pytest.raises(SignInAgain, match="not signed in"):
        _source(provider, keychain, clock).access_token()
    from dataclasses import replace

    with pytest.raises(OAuthError, match="client id"):
        TokenSource(replace(provider, client_id=""), "work", USER, backend=keychain)


def test_a_long_refresh_token_is_split_for_small_keychains(provider, keychain, clock):
    source = _source(provider, keychain, clock)
    token = "r" * 2500 + "tail"
    source._store_refresh_token(token)
    assert max(len(v) for v in keychain.entries.values()) <= 1000
    assert source._load_refresh_token() == token
    source._store_refresh_token("short")  # a shorter rotated token never reads a stale tail
    assert source._load_refresh_token() == "short"
    source.forget()
    assert not source.signed_in() and not any(keychain.entries.values())
