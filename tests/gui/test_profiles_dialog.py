"""SMTP profiles dialog: presets fill the form and show the hint; Test connection explains."""

from __future__ import annotations

import keyring
import pytest

from app.gui.profiles import ProfileStore
from app.gui.profiles_dialog import ProfilesDialog
from tests.support.smtp_server import SmtpTestServer


def test_choosing_a_preset_fills_host_port_security_limits_and_hint(qtbot):
    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    index = dialog.provider_combo.findData("qq")
    assert index >= 0
    dialog.provider_combo.setCurrentIndex(index)
    provider = dialog.provider()
    assert dialog.host_edit.text() == provider.host == "smtp.qq.com"
    assert dialog.port_spin.value() == provider.port
    assert dialog.profile().security == provider.security
    assert dialog.limit_spins["per_day"].value() == (provider.per_day or 0)
    assert "授权码" in provider.hint_zh and dialog.hint_label.text()


def test_saving_keeps_no_password_in_the_settings_file(qtbot, data_dir):
    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("work")
    dialog.host_edit.setText("smtp.example.com")
    dialog.user_edit.setText("me@example.com")
    assert dialog.save()
    assert ProfileStore().get("work").host == "smtp.example.com"
    text = "".join(
        p.read_text(errors="ignore") for p in [*data_dir.rglob("*.ini"), *data_dir.rglob("*.json")]
    )
    assert "work" in text and "password" not in text.lower()


def test_profiles_saved_in_the_window_are_in_the_shared_file_the_cli_can_read(qtbot, data_dir):
    from app.core.profiles import ProfileStore as SharedProfiles

    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("work")
    dialog.host_edit.setText("smtp.example.com")
    dialog.user_edit.setText("me@example.com")
    assert dialog.save()
    shared = SharedProfiles(data_dir / "profiles.json").get("work")
    assert shared is not None and shared.host == "smtp.example.com"
    assert shared.user == "me@example.com"


def test_profiles_an_older_window_kept_in_its_settings_are_moved_to_the_shared_file(data_dir):
    import json

    from app.core.profiles import ProfileStore as SharedProfiles
    from app.gui.settings import GuiSettings

    old = {"old": {"name": "old", "host": "smtp.example.org", "security": "tls", "port": 465}}
    GuiSettings().set_raw("profiles", json.dumps(old))

    assert ProfileStore().get("old").host == "smtp.example.org"
    assert SharedProfiles(data_dir / "profiles.json").get("old").port == 465
    assert GuiSettings().raw("profiles") == ""  # moved, not copied


def test_test_connection_reports_success_and_failure_in_words(qtbot, run):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        dialog = ProfilesDialog()
        qtbot.addWidget(dialog)
        dialog.name_edit.setText("local")
        dialog.host_edit.setText("127.0.0.1")
        dialog.port_spin.setValue(port)
        dialog.security_combo.setCurrentIndex(2)  # none: a local server
        dialog.user_edit.setText("")
        assert run(dialog.run_test()).startswith("✓ Connected")
    finally:
        run(server.stop())
    dialog.port_spin.setValue(port)  # the server is gone now
    assert run(dialog.run_test()).startswith("✗")


PASSWORD = "Tr0ub4dor&3-授权码"  # a test secret looked for in every file the window writes


@pytest.fixture
def memory_keyring():
    """A real keyring backend kept in memory (the system keychain's stand-in)."""
    from tests.core.test_secrets import MemoryKeyring

    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


def _starttls_form(dialog, port, ca_file, password):
    dialog.name_edit.setText("selfhosted")
    dialog.provider_combo.setCurrentIndex(max(dialog.provider_combo.findData("custom"), 0))
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(port)
    dialog.security_combo.setCurrentIndex(1)  # STARTTLS
    dialog.user_edit.setText("me@example.com")
    dialog.password_edit.setText(password)
    dialog.cafile_edit.setText(str(ca_file))


def test_test_connection_negotiates_starttls_and_logs_in(qtbot, run, test_certs):
    server = SmtpTestServer(
        tls="starttls", tls_context=test_certs.server_context(), auth=("me@example.com", PASSWORD)
    )
    port = run(server.start())
    try:
        dialog = ProfilesDialog()
        qtbot.addWidget(dialog)
        _starttls_form(dialog, port, test_certs.ca_file, PASSWORD)
        result = run(dialog.run_test())
    finally:
        run(server.stop())
    assert result.startswith("✓"), result
    assert server.commands_named("STARTTLS")
    assert [a.username for a in server.auth_attempts] == ["me@example.com"]
    assert server.auth_attempts[0].success


def test_a_wrong_password_is_explained_in_plain_words(qtbot, run, test_certs):
    server = SmtpTestServer(
        tls="starttls", tls_context=test_certs.server_context(), auth=("me@example.com", PASSWORD)
    )
    port = run(server.start())
    try:
        dialog = ProfilesDialog()
        qtbot.addWidget(dialog)
        _starttls_form(dialog, port, test_certs.ca_file, "wrong")
        result = run(dialog.run_test())
    finally:
        run(server.stop())
    assert result.startswith("✗") and "535" in result
    hint = result.split("\n", 1)[1]  # the plain-words hint under the server's reply
    assert "password" in hint.lower()
    assert dialog.result_label.text() == result


def test_a_server_certificate_nobody_trusts_is_refused_not_skipped(
    qtbot, run, test_certs, untrusted_certs
):
    server = SmtpTestServer(
        tls="starttls",
        tls_context=untrusted_certs.server_context(),
        auth=("me@example.com", PASSWORD),
    )
    port = run(server.start())
    try:
        dialog = ProfilesDialog()
        qtbot.addWidget(dialog)
        _starttls_form(dialog, port, test_certs.ca_file, PASSWORD)
        result = run(dialog.run_test())
    finally:
        run(server.stop())
    assert result.startswith("✗")
    assert server.auth_attempts == []  # no password sent over an unverified connection


def test_the_password_goes_only_to_the_keychain(qtbot, data_dir, memory_keyring, tmp_path):
    from app.core.secrets import get_password

    dialog = ProfilesDialog()
    qtbot.addWidget(dialog)
    _starttls_form(dialog, 587, tmp_path / "ca.pem", PASSWORD)
    dialog.host_edit.setText("smtp.example.com")
    assert dialog.save()
    assert get_password("selfhosted", "me@example.com") == PASSWORD
    assert dialog.password_edit.text() == ""
    written = [p for p in data_dir.rglob("*") if p.is_file()]
    assert written  # the profile was written somewhere: scan it
    for path in written:
        assert PASSWORD.encode("utf-8") not in path.read_bytes(), path
    assert ProfileStore().get("selfhosted").cafile == str(tmp_path / "ca.pem")
