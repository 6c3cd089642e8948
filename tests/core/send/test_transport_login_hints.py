"""login_hint(): a refused login is explained in words that name the fix."""

from __future__ import annotations

import pytest

from app.core.send.contracts import Reply, Stage
from app.core.send.smtp_auth import choose_mechanism, login_hint


@pytest.mark.parametrize(
    ("host", "code", "text", "expected"),
    [
        ("smtp.qq.com", 535, "Login Fail. Please enter your authorization code to login", "授权码"),
        ("smtp.163.com", 535, "Error: authentication failed", "授权码"),
        ("smtp.126.com", 535, "Error: authentication failed", "授权码"),
        ("mail.example.com", 535, "Please use your authorization code", "授权码"),
        ("smtp.gmail.com", 535, "5.7.8 Username and Password not accepted", "app password"),
        ("mail.example.com", 534, "5.7.9 Application-specific password required", "app password"),
        (
            "smtp.office365.com",
            535,
            "5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
            "is disabled for the Tenant",
            "SMTP",
        ),
        (
            "smtp.office365.com",
            550,
            "5.7.30 Basic authentication is not supported",
            "administrator",
        ),
        ("mail.example.com", 535, "5.7.8 Authentication credentials invalid", "password is wrong"),
        ("mail.example.com", 454, "4.7.0 Too many login attempts", "Try again later"),
    ],
)
def test_the_hint_names_what_to_do(host, code, text, expected):
    assert expected in login_hint(host, Reply(code, text, Stage.AUTH))


@pytest.mark.parametrize(
    ("advertised", "chosen"),
    [
        (["plain", "login"], "plain"),
        (["LOGIN", "CRAM-MD5"], "login"),
        (["cram-md5"], None),
        ([], None),
    ],
)
def test_one_mechanism_is_chosen_from_what_the_server_offers(advertised, chosen):
    assert choose_mechanism(advertised) == chosen
