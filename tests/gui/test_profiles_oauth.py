"""Profiles dialog: Microsoft presets sign in with OAuth (no password field), "Sign in with
Microsoft" runs the browser sign-in against a real authorization server on loopback and shows
the account; the token is in the keychain and in no file; Test connection signs in with it."""

from __future__ import annotations

from app.core.profiles import Profile
from app.gui.profiles import ProfileStore
from app.gui.profiles_dialog import ProfilesDialog
from tests.support.oauth_server import CLIENT_ID

USER = "shop@example.com"


def test_microsoft_presets_choose_oauth_and_hide_the_password(qtbot):
    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("microsoft365"))
    assert dialog.signin_combo.currentData() == "microsoft"
    assert not dialog.password_edit.isEnabled()
    assert not dialog.signin_widget.isHidden()
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("qq"))
    assert dialog.signin_combo.currentData() == "" and dialog.password_edit.isEnabled()
    assert dialog.signin_widget.isHidden()


def test_sign_in_with_microsoft_then_test_connection_over_xoauth2(
    qtbot, run, auth_server, keychain, browser, data_dir, threaded_smtp_server_factory
):
    smtp = threaded_smtp_server_factory(bearer=auth_server.check)
    profile = Profile(name="work", provider="microsoft365", host="127.0.0.1", port=smtp.port,
                      security="none", user=USER, oauth="microsoft", oauth_client_id=CLIENT_ID,
                      oauth_authority=auth_server.issuer)  # fmt: skip
    ProfileStore().save(profile)
    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "work"
    assert dialog.signin_label.text() == "Not signed in yet."
    assert run(dialog.run_sign_in(), timeout=60)
    assert dialog.signin_label.text() == f"Signed in as {USER}."
    assert browser and "code_challenge=" in browser[0]
    token = next(t for t, g in auth_server.refresh_tokens.items() if not g.revoked)
    for path in data_dir.rglob("*"):
        assert not path.is_file() or token.encode() not in path.read_bytes()
    result = run(dialog.run_test(), timeout=60)
    assert result.startswith("✓") and "XOAUTH2" in result
    assert [a.mechanism for a in smtp.auth_attempts] == ["XOAUTH2"]
