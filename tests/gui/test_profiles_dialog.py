"""SMTP profiles dialog: presets fill the form and show the hint; Test connection explains."""

from __future__ import annotations

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
    text = "".join(p.read_text(errors="ignore") for p in data_dir.rglob("*.ini"))
    assert "work" in text and "password" not in text.lower()


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
