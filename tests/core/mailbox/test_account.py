"""Which IMAP server a profile reads: the caller's values, then the profile's, then the preset's
(the rule `herald bounces`/`copy-sent` and the window's Report page share)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.mailbox.account import (
    MailboxSetupError,
    files_sent_itself,
    imap_known,
    imap_settings_for,
)
from app.core.profiles import Profile, ProfileError
from app.core.send.transport import Security


def test_the_preset_names_the_server_of_a_qq_profile():
    settings, provider = imap_settings_for(Profile("qq", provider="qq", user="a@example.com"))
    assert (settings.host, settings.port, settings.security) == ("imap.qq.com", 993, Security.TLS)
    assert provider is not None and provider.id == "qq"
    assert settings.user == "a@example.com"


def test_the_profiles_own_server_wins_over_the_presets_and_options_over_both():
    own = Profile(
        "own", provider="qq", user="a@example.com", imap_host="mail.example.org",
        imap_port=1143, imap_security="starttls", cafile="/tmp/ca.pem",
    )  # fmt: skip
    settings, _ = imap_settings_for(own)
    assert (settings.host, settings.port, settings.security) == (
        "mail.example.org", 1143, Security.STARTTLS,
    )  # fmt: skip
    assert settings.cafile == Path("/tmp/ca.pem")
    given, _ = imap_settings_for(own, host="imap.example.net", user="b@example.com")
    assert (given.host, given.port, given.security, given.user) == (
        "imap.example.net", 993, Security.TLS, "b@example.com",
    )  # fmt: skip
    starttls, _ = imap_settings_for(own, host="imap.example.net", security="starttls")
    assert starttls.port == 143


def test_a_custom_profile_without_an_imap_server_or_login_says_what_to_give():
    assert not imap_known(Profile("c", host="smtp.example.com", user="a@example.com"))
    with pytest.raises(MailboxSetupError, match="Which IMAP server"):
        imap_settings_for(Profile("c", host="smtp.example.com", user="a@example.com"))
    with pytest.raises(MailboxSetupError, match="Which mailbox"):
        imap_settings_for(Profile("c", provider="qq"))
    with pytest.raises(ProfileError, match="imap_security"):
        Profile.from_json("c", {"imap_security": "none"})


def test_gmail_and_microsoft_file_sent_mail_themselves_qq_does_not():
    assert files_sent_itself(Profile("g", provider="gmail")) is not None
    assert files_sent_itself(Profile("m", provider="microsoft365")) is not None
    assert files_sent_itself(Profile("q", provider="qq")) is None
    assert files_sent_itself(None) is None
