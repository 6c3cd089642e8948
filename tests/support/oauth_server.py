"""A real OAuth 2.0 authorization server on https://127.0.0.1 (a trustme certificate), for the
sign-in tests.

Built with authlib's server (RFC 6749 grants, RFC 7636 PKCE, RFC 8628 device code) on Flask,
served by werkzeug in a thread. It publishes an OpenID Connect discovery document, so msal
talks to it as it would to any OIDC authority (`oidc_authority`). One public client (no
secret, loopback redirect) and one user; the "user" approves in the test:

- browser sign-in: the test registers a browser whose `open(url)` follows the authorize URL,
  which this server answers at once with a redirect to msal's loopback listener;
- device code: `approve(user_code)`.

Access tokens are opaque and expire after `expires_in` seconds of the server's injectable
clock; `check(user, token)` is what the test SMTP server asks (like RFC 7662 introspection);
`revoke()` makes every refresh token of the user stop working (a password change, an admin).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import DeviceAuthorizationEndpoint, DeviceCodeGrant
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

# authlib refuses plain http outside this switch; this server only ever listens on loopback
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "herald-test-client"
SCOPE = "https://outlook.office.com/SMTP.Send"


@dataclass
class _User:
    id: str

    def get_user_id(self) -> str:
        return self.id


@dataclass
class _Client:
    client_id: str = CLIENT_ID

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return "http://localhost"

    def get_allowed_scope(self, scope: str) -> str:
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # a public desktop client: any loopback port (RFC 8252 §7.3)
        return redirect_uri.startswith(("http://localhost:", "http://127.0.0.1:"))

    def check_client_secret(self, client_secret: str) -> bool:
        return False  # a public client has none

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in (
            "authorization_code",
            "refresh_token",
            DeviceCodeGrant.GRANT_TYPE,
        )


@dataclass
class _Code:
    code: str
    user: _User
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class _Refresh:
    token: str
    user: _User
    scope: str
    revoked: bool = False

    def check_client(self, client: _Client) -> bool:
        return client.client_id == CLIENT_ID

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 90 * 24 * 3600

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> _User:
        return self.user


@dataclass
class _Device:
    client_id: str
    scope: str
    device_code: str
    user_code: str
    expires_at: float

    def get_client_id(self) -> str:
        return self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_user_code(self) -> str:
        return self.user_code

    def is_expired(self) -> bool:
        return time.time() > self.expires_at


@dataclass
class OAuthTestServer:
    user: str = "shop@example.com"
    expires_in: int = 3600
    clock: Callable[[], float] = time.time
    codes: dict[str, _Code] = field(default_factory=dict)
    refresh_tokens: dict[str, _Refresh] = field(default_factory=dict)
    access_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # -> user, expiry
    devices: dict[str, _Device] = field(default_factory=dict)
    approved: set[str] = field(default_factory=set)
    token_requests: list[str] = field(default_factory=list)  # grant types, in order
    port: int = 0
    tls: Any = None  # an ssl.SSLContext for the server side (msal speaks only https)

    # ---- what the tests do -----------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return f"https://127.0.0.1:{self.port}/tenant"

    def approve(self, user_code: str) -> None:
        """The user typed the code on the verification page and said yes."""
        self.approved.add(user_code)

    def revoke(self) -> None:
        for grant in self.refresh_tokens.values():
            grant.revoked = True

    def check(self, user: str, token: str) -> bool:
        found = self.access_tokens.get(token)
        return found is not None and found[0] == user and self.clock() < found[1]

    # ---- running ---------------------------------------------------------------------------

    def start(self) -> OAuthTestServer:
        app = self._app()
        self._http = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=self.tls)
        self.port = self._http.server_port
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._thread.join(10)

    def _app(self) -> Flask:
        owner = self
        app = Flask("herald-oauth-test")
        user = _User(self.user)

        def save_token(token: dict[str, Any], req: Any) -> None:
            owner.access_tokens[token["access_token"]] = (
                user.id,
                owner.clock() + int(token.get("expires_in", owner.expires_in)),
            )
            if token.get("refresh_token"):
                owner.refresh_tokens[token["refresh_token"]] = _Refresh(
                    token["refresh_token"], user, token.get("scope", "")
                )

        server = AuthorizationServer(
            app, query_client=lambda cid: _Client() if cid == CLIENT_ID else None,
            save_token=save_token,
        )  # fmt: skip
        server.register_token_generator(
            "default",
            lambda client, grant_type, user, scope, expires_in=None, include_refresh_token=True: {
                "token_type": "Bearer",
                "access_token": secrets.token_urlsafe(24),
                "expires_in": owner.expires_in,
                "scope": scope or SCOPE,
                **({"refresh_token": secrets.token_urlsafe(48)} if include_refresh_token else {}),
            },
        )

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["none"]  # noqa: RUF012

            def save_authorization_code(self, code: str, req: Any) -> None:
                payload = req.payload
                owner.codes[code] = _Code(
                    code, user, payload.redirect_uri, payload.scope or "",
                    payload.data.get("code_challenge"),
                    payload.data.get("code_challenge_method"),
                )  # fmt: skip

            def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
                return owner.codes.get(code)

            def delete_authorization_code(self, authorization_code: _Code) -> None:
                owner.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: _Code) -> _User:
                return authorization_code.user

        class RefreshGrant(grants.RefreshTokenGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["none"]  # noqa: RUF012
            INCLUDE_NEW_REFRESH_TOKEN = True  # rotation, as Microsoft does

            def authenticate_refresh_token(self, refresh_token: str) -> _Refresh | None:
                grant = owner.refresh_tokens.get(refresh_token)
                return grant if grant is not None and not grant.revoked else None

            def authenticate_user(self, credential: _Refresh) -> _User:
                return credential.user

            def revoke_old_credential(self, credential: _Refresh) -> None:
                credential.revoked = True

        class DeviceGrant(DeviceCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["none"]  # noqa: RUF012

            def query_device_credential(self, device_code: str) -> _Device | None:
                return owner.devices.get(device_code)

            def query_user_grant(self, user_code: str) -> tuple[_User, bool] | None:
                return (user, True) if user_code in owner.approved else None

            def should_slow_down(self, credential: _Device) -> bool:
                return False

        class DeviceEndpoint(DeviceAuthorizationEndpoint):
            CLIENT_AUTH_METHODS = ["none"]  # noqa: RUF012
            INTERVAL = 1

            def get_verification_uri(self) -> str:
                return f"{owner.issuer}/device"

            def save_device_credential(self, client_id: str, scope: str, data: dict) -> None:
                owner.devices[data["device_code"]] = _Device(
                    client_id, scope or "", data["device_code"], data["user_code"],
                    time.time() + data["expires_in"],
                )  # fmt: skip

        server.register_grant(CodeGrant, [CodeChallenge(required=True)])
        server.register_grant(RefreshGrant)
        server.register_grant(DeviceGrant)
        server.register_endpoint(DeviceEndpoint)

        @app.get("/tenant/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=owner.issuer,
                authorization_endpoint=f"{owner.issuer}/authorize",
                token_endpoint=f"{owner.issuer}/token",
                device_authorization_endpoint=f"{owner.issuer}/devicecode",
                response_types_supported=["code"],
                code_challenge_methods_supported=["S256"],
                scopes_supported=[SCOPE, "openid", "profile", "offline_access"],
            )

        @app.get("/tenant/authorize")
        def authorize() -> Any:
            # the user is signed in and consents at once (the browser in the test follows it)
            grant = server.get_consent_grant(end_user=user)
            response = server.create_authorization_response(grant=grant, grant_user=user)
            if request.args.get("response_mode") != "form_post" or response.status_code != 302:
                return response
            # response_mode=form_post (what msal asks, as Entra does): a page whose form the
            # browser posts to the loopback redirect
            target = urlsplit(response.headers["Location"])
            fields = "".join(
                f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                for k, v in parse_qsl(target.query)
            )
            action = escape(target._replace(query="").geturl())
            return (
                f'<html><body onload="document.forms[0].submit()"><form method="post" '
                f'action="{action}">{fields}</form></body></html>'
            )

        @app.post("/tenant/token")
        def token() -> Any:
            owner.token_requests.append(request.form.get("grant_type", ""))
            return server.create_token_response()

        @app.post("/tenant/devicecode")
        def devicecode() -> Any:
            return server.create_endpoint_response(DeviceEndpoint.ENDPOINT_NAME)

        @app.get("/tenant/device")
        def device_page() -> Any:
            return "Enter the code shown by Herald."

        return app


def follow_sign_in(url: str, ca_file: str) -> int:
    """What the user's browser does with the sign-in page: load it and submit its form (or
    follow its redirect) to Herald's loopback listener. Returns the listener's status."""
    import re

    import requests

    page = requests.get(url, verify=ca_file, allow_redirects=False, timeout=10)
    if page.status_code in (301, 302, 303):
        return requests.get(page.headers["Location"], timeout=10).status_code
    action = re.search(r'action="([^"]+)"', page.text)
    assert action is not None, page.text[:300]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    return requests.post(html_unescape(action.group(1)), data=fields, timeout=10).status_code


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)
