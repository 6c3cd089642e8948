"""Logging in once, with one mechanism, and explaining a refusal in plain words.

aiosmtplib's `login()` tries every advertised mechanism in turn, so one wrong password becomes
two failed logins (PLAIN, then LOGIN), which is what gets accounts locked. We pick one.
"""

from __future__ import annotations

import re

import aiosmtplib

from app.core.send.contracts import (
    AuthenticationFailed,
    BearerCredential,
    Reply,
    SecurityRefused,
    Stage,
)

__all__ = ["AuthenticationFailed", "choose_mechanism", "local_reply", "login_hint", "login_once"]

#: Preference order. PLAIN and LOGIN both send the password base64-encoded, so they are only
#: ever used over TLS (or to loopback); CRAM-MD5 is weaker on the server side and rarely offered.
MECHANISMS = ("plain", "login")


def local_reply(code: int, text: str, stage: Stage) -> Reply:
    """A refusal of one recipient or sender that Herald decides itself (e.g. a non-ASCII
    address to a server without SMTPUTF8), worded as a server would and marked "Herald:", so
    it is classified, journaled and reported like the server's own refusal of that address.
    Refusals of the whole connection are `SecurityRefused` instead."""
    status, _, rest = text.partition(" ")
    return Reply(code, f"{status} Herald: {rest}", stage)


def choose_mechanism(advertised: list[str]) -> str | None:
    """The first of our mechanisms that the server advertised in EHLO, or None."""
    offered = {m.lower() for m in advertised}
    return next((m for m in MECHANISMS if m in offered), None)


async def login_once(
    smtp: aiosmtplib.SMTP, username: str, password: str | BearerCredential, host: str
) -> str:
    """AUTH with one mechanism; returns its name. Raises AuthenticationFailed on refusal."""
    if isinstance(password, BearerCredential):
        return await login_xoauth2(smtp, username, password, host)
    if not smtp.supports_extension("auth"):
        raise SecurityRefused(
            Reply(None, f"{host} does not offer a login (AUTH) on this connection.", Stage.AUTH),
            hint=f"{host} does not accept a login on this connection. Check the port and "
            "security setting, or leave the user name empty if the server needs no login.",
        )
    mechanism = choose_mechanism(smtp.server_auth_methods)
    if mechanism is None:
        offered = ", ".join(smtp.server_auth_methods) or "none"
        text = f"{host} offers no login method Herald can use (it offers: {offered})."
        raise SecurityRefused(
            Reply(None, text, Stage.AUTH),
            hint="Herald signs in with PLAIN or LOGIN; this server offers neither.",
        )
    try:
        if mechanism == "plain":
            await smtp.auth_plain(username, password)
        else:
            await smtp.auth_login(username, password)
    except aiosmtplib.SMTPAuthenticationError as error:
        reply = Reply(error.code, error.message, Stage.AUTH)
        raise AuthenticationFailed(reply, hint=login_hint(host, reply)) from None
    return mechanism.upper()


async def login_xoauth2(
    smtp: aiosmtplib.SMTP, username: str, credential: BearerCredential, host: str
) -> str:
    """XOAUTH2 with an access token. A refused token is renewed once and tried again (it may
    have been revoked early or expired in flight): a stale token never fails a row. A sign-in
    that cannot be renewed stops the send once, saying to sign in again."""
    from app.core.oauth import OAuthError, SignInAgain

    if "xoauth2" not in {m.lower() for m in smtp.server_auth_methods}:
        offered = ", ".join(smtp.server_auth_methods) or "none"
        text = f"{host} does not offer OAuth sign-in (XOAUTH2); it offers: {offered}."
        raise SecurityRefused(
            Reply(None, text, Stage.AUTH),
            hint=f"{host} does not accept an OAuth sign-in on this connection. Check the "
            "server and port, or sign in with a password for this server.",
        )
    last: aiosmtplib.SMTPAuthenticationError | None = None
    for force_refresh in (False, True):
        try:
            token = await credential.token(force_refresh=force_refresh)
        except SignInAgain as error:
            text = f"The OAuth sign-in of {username} can no longer be renewed."
            raise AuthenticationFailed(Reply(None, text, Stage.AUTH), hint=str(error)) from None
        except OAuthError as error:
            raise SecurityRefused(Reply(None, str(error), Stage.AUTH), hint=str(error)) from None
        try:
            await smtp.auth_xoauth2(username, token)
            return "XOAUTH2"
        except aiosmtplib.SMTPAuthenticationError as error:
            last = error
    assert last is not None
    reply = Reply(last.code, last.message, Stage.AUTH)
    raise AuthenticationFailed(
        reply,
        hint=f"{host} refused the OAuth sign-in of {username} even with a renewed token: "
        "sign in again in the profile (or `herald login PROFILE --oauth`), and check that "
        "the mailbox allows SMTP AUTH.",
    )


_CHINESE_HOSTS = re.compile(r"(^|\.)(qq\.com|163\.com|126\.com|yeah\.net|188\.com)$", re.I)


def login_hint(host: str, reply: Reply) -> str:
    """What the user should do about a refused login, judged from the host and the reply."""
    text = reply.text
    host = host.lower()
    if re.search(r"5\.7\.139|5\.7\.30\b|basic auth", text, re.I):
        return (
            "Microsoft refused password sign-in (basic authentication). Sign in with "
            "Microsoft instead: in the profile choose 'Microsoft account (OAuth)' and press "
            "Sign in, or run `herald login PROFILE --oauth`. An administrator must also keep "
            "'Authenticated SMTP' enabled for this mailbox."
        )
    if _CHINESE_HOSTS.search(host) or re.search(r"authorization code|授权码", text, re.I):
        return (
            "QQ, 163 and 126 mail need the authorization code (授权码), not your login "
            "password: turn on SMTP in the mailbox settings, generate the code there and "
            "use it as the password."
        )
    if host.endswith(("gmail.com", "googlemail.com")) or re.search(
        r"5\.7\.9|application-specific", text, re.I
    ):
        return (
            "Gmail needs an app password (Google Account > Security > App passwords, with "
            "2-step verification on), not your normal password."
        )
    if reply.code == 454 or re.search(r"\b4\.7\.0\b", text):
        return "The server refuses logins for the moment (too many attempts). Try again later."
    return (
        "The user name or password is wrong (the server said it does not accept these "
        "credentials). Check them; some providers need an app password."
    )
