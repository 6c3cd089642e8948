"""OAuth 2.0 sign-in for SMTP (XOAUTH2), with Microsoft's library (msal).

Microsoft 365 turns basic authentication for SMTP AUTH off by default at the end of 2026 and
Outlook.com already has: a password no longer signs in. The user signs in once in the system
browser (authorization code with PKCE and a loopback redirect, `http://localhost:PORT`) or,
where no browser can be opened, with a device code typed on any device. Herald keeps only the
refresh token, and only in the OS keychain, like a password; access tokens live in memory and
are refreshed shortly before they expire, or when the server refuses one.

The client id is configuration, not code: the profile's own, else the build's default
(`app/data/oauth.toml`); docs/OAUTH.md says how an administrator registers it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import keyring.errors
from keyring.backend import KeyringBackend

from app.core.secrets import KeychainUnavailable, secure_keyring

REFRESH_MARGIN_SECONDS = 300.0  # refresh this long before the access token expires
_CHUNK = 1000  # characters per keychain entry: Windows Credential Manager holds 2,560 bytes
_MAX_CHUNKS = 16


class OAuthError(Exception):
    """Sign-in or token refresh failed; the message says what happened and what to do."""


class SignInAgain(OAuthError):
    """The refresh token is gone, expired or revoked: the user must sign in again."""


class HttpClient(Protocol):  # what msal needs of an HTTP client (requests.Session fits)
    def get(self, url: str, **kwargs: Any) -> Any: ...
    def post(self, url: str, **kwargs: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class OAuthProvider:
    """Where to sign in and what to ask for."""

    id: str
    name: str
    authority: str  # e.g. https://login.microsoftonline.com/common
    scopes: tuple[str, ...]  # e.g. ("https://outlook.office.com/SMTP.Send",)
    client_id: str = ""  # the build's default; a profile may name its own
    oidc: bool = False  # `authority` is a plain OpenID Connect issuer, not Microsoft Entra


def _data_path() -> Path:
    return Path(str(resources.files("app").joinpath("data", "oauth.toml")))


@cache
def oauth_providers(path: Path | None = None) -> Mapping[str, OAuthProvider]:
    """The sign-in services Herald knows (app/data/oauth.toml), by id."""
    with (path or _data_path()).open("rb") as handle:
        data = tomllib.load(handle)
    found = {}
    for entry in data.get("oauth", []):
        provider = OAuthProvider(
            id=entry["id"],
            name=entry["name"],
            authority=entry["authority"],
            scopes=tuple(entry["scopes"]),
            client_id=entry.get("client_id", ""),
            oidc=bool(entry.get("oidc", False)),
        )
        found[provider.id] = provider
    return found


def token_source_for(profile: Any) -> TokenSource | None:
    """The sign-in of a saved profile (`app.core.profiles.Profile`) that uses OAuth, else
    None (it signs in with a password). Raises OAuthError for an unknown sign-in service."""
    service = getattr(profile, "oauth", "")
    if not service:
        return None
    provider = oauth_providers().get(service)
    if provider is None:
        known = ", ".join(oauth_providers()) or "none"
        raise OAuthError(f"Unknown sign-in service {service!r} (known: {known}).")
    authority = getattr(profile, "oauth_authority", "")
    if authority:
        provider = dataclasses.replace(provider, authority=authority, oidc=_is_oidc(authority))
    return TokenSource(
        provider, profile.name, profile.user, client_id=getattr(profile, "oauth_client_id", "")
    )


def _is_oidc(authority: str) -> bool:
    """Microsoft Entra authorities are validated as such by msal; any other issuer is a plain
    OpenID Connect one."""
    host = authority.split("//", 1)[-1].split("/", 1)[0].lower()
    return not (host.startswith("login.microsoftonline.") or host.startswith("login.partner."))


def token_service(profile: str) -> str:
    """The keychain entry's service for a profile's refresh token (never shared with SMTP)."""
    return f"Herald OAuth ({profile})"


class TokenSource:
    """Access tokens for one account of one profile.

    `sign_in_browser` / `sign_in_device` sign the user in and keep the refresh token in the
    keychain; `token()` (async) and `access_token()` return a valid access token, refreshing
    when it is within REFRESH_MARGIN_SECONDS of expiry or when `force_refresh` is asked (the
    server refused it). A refused refresh (`invalid_grant`: revoked, expired, password changed)
    raises SignInAgain, once, with a sentence that says so.
    """

    def __init__(
        self,
        provider: OAuthProvider,
        profile: str,
        user: str,
        *,
        client_id: str = "",
        http_client: HttpClient | None = None,
        cafile: Path | None = None,
        clock: Callable[[], float] = time.time,
        backend: KeyringBackend | None = None,
    ) -> None:
        self.provider = provider
        self.profile = profile
        self.user = user
        self.client_id = client_id or provider.client_id
        if not self.client_id:
            raise OAuthError(
                f"No app (client id) is set up for signing in with {provider.name}. Your "
                "administrator registers one (see docs/OAUTH.md) and enters its client id in "
                "the profile."
            )
        self._http = http_client
        self._cafile = cafile  # one extra trusted certificate (tests; a corporate proxy)
        self._clock = clock
        self._backend = backend
        self._access: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self._app: Any = None

    # ---- signing in ----------------------------------------------------------------------

    def sign_in_browser(self, *, port: int | None = None, timeout: float = 600) -> str:
        """The system browser (Python's `webbrowser`) signs in; the answer comes back to
        http://localhost:PORT (any free port unless given). Blocks until then: run it in a
        thread from a window."""
        result = self._msal().acquire_token_interactive(
            list(self.provider.scopes),
            login_hint=self.user or None,
            port=port,
            timeout=timeout,
            prompt="select_account",
        )
        return self._signed_in(result)

    def sign_in_device(self, show: Callable[[str], None], *, timeout: float = 900) -> str:
        """Device code: `show` tells the user where to go and which code to type."""
        app = self._msal()
        flow = app.initiate_device_flow(scopes=list(self.provider.scopes))
        if "user_code" not in flow:
            raise OAuthError(f"{self.provider.name} refused to start a sign-in: {_why(flow)}.")
        show(
            flow.get("message")
            or f"Open {flow['verification_uri']} and enter the code {flow['user_code']}."
        )
        flow["expires_at"] = min(float(flow.get("expires_at", 0) or 0), time.time() + timeout)
        return self._signed_in(app.acquire_token_by_device_flow(flow))

    def signed_in(self) -> bool:
        """True when a refresh token for this account is in the keychain."""
        return self._load_refresh_token() is not None

    def forget(self) -> None:
        self._access = None
        self._expires_at = 0.0
        store = secure_keyring(self._backend)
        for index in range(_MAX_CHUNKS):
            try:
                store.delete_password(_chunk_service(self.profile, index), self.user)
            except keyring.errors.PasswordDeleteError:
                break
            except keyring.errors.KeyringError as exc:
                raise KeychainUnavailable(str(exc)) from exc

    # ---- tokens --------------------------------------------------------------------------

    def access_token(self, *, force_refresh: bool = False) -> str:
        """A valid access token (blocking: it may call the token endpoint)."""
        with self._lock:
            now = self._clock()
            if (
                not force_refresh
                and self._access is not None
                and now < self._expires_at - REFRESH_MARGIN_SECONDS
            ):
                return self._access
            refresh_token = self._load_refresh_token()
            if refresh_token is None:
                raise SignInAgain(
                    f"{self.user} is not signed in with {self.provider.name}: sign in again "
                    f"(`herald login {self.profile} --oauth`, or “Sign in” in the profile)."
                )
            result = self._msal().acquire_token_by_refresh_token(
                refresh_token, list(self.provider.scopes)
            )
            if "access_token" not in result:
                if result.get("error") in ("invalid_grant", "interaction_required"):
                    raise SignInAgain(
                        f"The sign-in of {self.user} with {self.provider.name} has expired or "
                        f"was revoked ({_why(result)}): sign in again (`herald login "
                        f"{self.profile} --oauth`, or “Sign in” in the profile)."
                    )
                raise OAuthError(
                    f"{self.provider.name} did not renew the sign-in of {self.user}: "
                    f"{_why(result)}. Try again later."
                )
            self._keep(result)
            assert self._access is not None
            return self._access

    async def token(self, *, force_refresh: bool = False) -> str:
        """`access_token` off the event loop (refreshing is an HTTP request)."""
        return await asyncio.to_thread(self.access_token, force_refresh=force_refresh)

    # ---- plumbing ------------------------------------------------------------------------

    def _msal(self) -> Any:
        if self._app is None:
            import msal  # a few hundred ms to import: only when OAuth is used

            options: dict[str, Any] = {"token_cache": msal.TokenCache()}  # memory only
            if self._http is not None:
                options["http_client"] = self._http
            elif self._cafile is not None:
                options["http_client"] = _session_trusting(self._cafile)
            if self.provider.oidc:
                options["oidc_authority"] = self.provider.authority
            else:
                options["authority"] = self.provider.authority
            try:
                self._app = msal.PublicClientApplication(self.client_id, **options)
            except ValueError as exc:
                raise OAuthError(f"Cannot use {self.provider.name} to sign in: {exc}") from exc
        return self._app

    def _signed_in(self, result: Mapping[str, Any]) -> str:
        if "access_token" not in result:
            raise OAuthError(f"Signing in with {self.provider.name} failed: {_why(result)}.")
        if not result.get("refresh_token"):
            raise OAuthError(
                f"{self.provider.name} gave no refresh token, so Herald would have to ask you "
                "to sign in for every send. Check that the app registration allows it "
                "(offline_access)."
            )
        with self._lock:
            self._keep(result)
        claims = result.get("id_token_claims") or {}
        return str(claims.get("preferred_username") or self.user)

    def _keep(self, result: Mapping[str, Any]) -> None:
        self._access = str(result["access_token"])
        self._expires_at = self._clock() + float(result.get("expires_in", 3600))
        rotated = result.get("refresh_token")
        if rotated:
            self._store_refresh_token(str(rotated))

    def _store_refresh_token(self, token: str) -> None:
        pieces = [token[i : i + _CHUNK] for i in range(0, len(token), _CHUNK)]
        if len(pieces) >= _MAX_CHUNKS:
            raise OAuthError("The refresh token is too long to keep in the keychain.")
        store = secure_keyring(self._backend)
        try:
            for index, piece in enumerate(pieces):
                store.set_password(_chunk_service(self.profile, index), self.user, piece)
            # an end marker, so a shorter rotated token never reads a stale tail
            store.set_password(_chunk_service(self.profile, len(pieces)), self.user, "")
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(f"The keychain could not keep the sign-in: {exc}") from exc

    def _load_refresh_token(self) -> str | None:
        store = secure_keyring(self._backend)
        pieces = []
        try:
            for index in range(_MAX_CHUNKS):
                piece = store.get_password(_chunk_service(self.profile, index), self.user)
                if not piece:
                    break
                pieces.append(piece)
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(f"The keychain could not read the sign-in: {exc}") from exc
        return "".join(pieces) or None


def _session_trusting(cafile: Path) -> Any:
    """A requests session that verifies against `cafile` on every request. (Setting
    `Session.verify` is not enough: REQUESTS_CA_BUNDLE in the environment overrides it.)"""
    import requests

    class Session(requests.Session):
        def request(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("verify", str(cafile))
            return super().request(*args, **kwargs)

    return Session()


def _chunk_service(profile: str, index: int) -> str:
    base = token_service(profile)
    return base if index == 0 else f"{base} #{index + 1}"


def _why(result: Mapping[str, Any]) -> str:
    text = str(result.get("error_description") or result.get("error") or "no reason given")
    return text.splitlines()[0][:300]
