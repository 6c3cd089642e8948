"""SMTP profiles: presets fill host, port, security and limits; Test connection; keychain only.

The password field is never saved to any file: "Save" hands it to the OS keychain through the
core (app.core.secrets) and clears it. "Test connection" uses the typed password (or the saved
one) once, in memory.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.gui.profiles import OUTBOX, Profile, ProfileStore

log = logging.getLogger("herald.gui")
SECURITY = ("tls", "starttls", "none")


def _language() -> str:
    from PySide6.QtCore import QLocale

    return "zh" if QLocale().name().startswith("zh") else "en"


class ProfilesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, store: ProfileStore | None = None) -> None:
        super().__init__(parent)
        self.store = store or ProfileStore()
        from app.core.providers import load_providers

        self.providers = {p.id: p for p in load_providers()}
        self.result_text = ""
        self._authority = ""  # a sign-in authority other than the service's (national cloud)
        self._build()
        self.retranslate()
        self._reload_list()

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.currentTextChanged.connect(self._show_profile)
        self.new_button, self.delete_button = QPushButton(), QPushButton()
        self.new_button.clicked.connect(self._new)
        self.delete_button.clicked.connect(self._delete)
        left = QVBoxLayout()
        left.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)

        self.name_edit = QLineEdit()
        self.provider_combo = QComboBox()
        for provider in self.providers.values():
            self.provider_combo.addItem(provider.name(_language()), provider.id)
        self.provider_combo.currentIndexChanged.connect(self._preset_chosen)
        self.host_edit = QLineEdit()
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.security_combo = QComboBox()
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # OAuth sign-in (Microsoft): instead of a password; the token goes to the keychain
        self.signin_combo = QComboBox()
        self.signin_combo.currentIndexChanged.connect(lambda _i: self._signin_changed())
        self.client_id_edit = QLineEdit()
        self.signin_button = QPushButton()
        self.signin_button.clicked.connect(self.sign_in)
        self.signin_label = QLabel()
        self.signin_label.setWordWrap(True)
        # two lines kept: a form layout gives a wrapped label only one line otherwise
        self.signin_label.setMinimumHeight(self.signin_label.fontMetrics().lineSpacing() * 2 + 4)
        signin_row = QVBoxLayout()
        signin_row.addWidget(self.signin_button, 0, Qt.AlignmentFlag.AlignLeft)
        signin_row.addWidget(self.signin_label)
        self.signin_widget = QWidget()
        self.signin_widget.setLayout(signin_row)
        signin_row.setContentsMargins(0, 0, 0, 0)
        self.cafile_edit = QLineEdit()
        self.limit_spins: dict[str, QSpinBox] = {}
        for key in ("per_minute", "per_hour", "per_day"):
            spin = QSpinBox()
            spin.setRange(0, 10_000_000)
            self.limit_spins[key] = spin
        self.connections_spin = QSpinBox()
        self.connections_spin.setRange(1, 10)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.test_button = QPushButton()
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for key, widget in (
            ("name", self.name_edit),
            ("provider", self.provider_combo),
            ("host", self.host_edit),
            ("port", self.port_spin),
            ("security", self.security_combo),
            ("user", self.user_edit),
            ("signin", self.signin_combo),
            ("password", self.password_edit),
            ("client_id", self.client_id_edit),
            ("signin_button", self.signin_widget),
            ("cafile", self.cafile_edit),
            ("per_minute", self.limit_spins["per_minute"]),
            ("per_hour", self.limit_spins["per_hour"]),
            ("per_day", self.limit_spins["per_day"]),
            ("connections", self.connections_spin),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self.form.addRow(label, widget)
            self.labels[key] = label
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.hint_label)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        right.addLayout(actions)
        right.addWidget(self.result_label)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)
        self.resize(760, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("SMTP profiles"))
        self.list.setAccessibleName(self.tr("Saved profiles"))
        self.new_button.setText(self.tr("&New"))
        self.delete_button.setText(self.tr("&Delete"))
        texts = {
            "name": self.tr("Profile &name:"),
            "provider": self.tr("&Provider:"),
            "host": self.tr("&Server:"),
            "port": self.tr("P&ort:"),
            "security": self.tr("&Encryption:"),
            "user": self.tr("&User name:"),
            "password": self.tr("Pass&word:"),
            "signin": self.tr("Sign-&in:"),
            "client_id": self.tr("App (c&lient) ID:"),
            "signin_button": "",
            "cafile": self.tr("Trusted certi&ficate:"),
            "per_minute": self.tr("Per &minute:"),
            "per_hour": self.tr("Per &hour:"),
            "per_day": self.tr("Per &day:"),
            "connections": self.tr("&Connections:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        for spin in self.limit_spins.values():
            spin.setSpecialValueText(self.tr("no limit"))
        self.security_combo.clear()
        self.security_combo.addItems(
            [
                self.tr("TLS (port 465)"),
                self.tr("STARTTLS (port 587)"),
                self.tr("None (not encrypted)"),
            ]
        )
        self.password_edit.setPlaceholderText(self.tr("kept only in the system keychain"))
        self.cafile_edit.setPlaceholderText(
            self.tr("only for a self-hosted server with its own certificate (.pem file)")
        )
        current = self.signin_combo.currentIndex()
        self.signin_combo.blockSignals(True)
        self.signin_combo.clear()
        self.signin_combo.addItem(self.tr("Password or app password"), "")
        self.signin_combo.addItem(self.tr("Microsoft account (OAuth, no password)"), "microsoft")
        self.signin_combo.setCurrentIndex(max(current, 0))
        self.signin_combo.blockSignals(False)
        self.signin_button.setText(self.tr("Si&gn in with Microsoft…"))
        self.client_id_edit.setPlaceholderText(
            self.tr("from your administrator (see docs/OAUTH.md); empty: Herald's own")
        )
        self._signin_changed()
        self.test_button.setText(self.tr("&Test connection"))
        self.save_button.setText(self.tr("Sa&ve profile"))

    # --- list ------------------------------------------------------------------------------
    def _reload_list(self, select: str | None = None) -> None:
        self.list.clear()
        names = sorted(self.store.profiles())
        self.list.addItems(names)
        if names:
            self.list.setCurrentRow(names.index(select) if select in names else 0)
        else:
            self._new()

    def _new(self) -> None:
        self.list.clearSelection()
        self._authority = ""
        self.name_edit.setText("")
        self.provider_combo.setCurrentIndex(max(self.provider_combo.findData("gmail"), 0))
        self._preset_chosen()

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.store.delete(item.text())
            self._reload_list()

    def _show_profile(self, name: str) -> None:
        if not name:
            return
        p = self.store.profiles().get(name)
        if p is None:
            return
        self.name_edit.setText(p.name)
        self.provider_combo.blockSignals(True)
        self.provider_combo.setCurrentIndex(max(self.provider_combo.findData(p.provider), 0))
        self.provider_combo.blockSignals(False)
        self._show_hint()
        self.host_edit.setText(p.host)
        self.port_spin.setValue(p.port)
        self.security_combo.setCurrentIndex(SECURITY.index(p.security))
        self.user_edit.setText(p.user)
        self.password_edit.clear()
        self.signin_combo.setCurrentIndex(max(self.signin_combo.findData(p.oauth), 0))
        self.client_id_edit.setText(p.oauth_client_id)
        self._authority = p.oauth_authority  # set by `herald login --authority`; kept as is
        self._signin_changed()
        self.cafile_edit.setText(p.cafile)
        for key, spin in self.limit_spins.items():
            spin.setValue(getattr(p, key))
        self.connections_spin.setValue(p.connections)

    def _preset_chosen(self) -> None:
        provider = self.providers.get(self.provider_combo.currentData())
        if provider is None:
            return
        # "Other (custom server)" has no host: the previous preset's (smtp.gmail.com) must
        # not stay behind as if it were the custom server's
        self.host_edit.setText(provider.host)
        if provider.port:
            self.port_spin.setValue(provider.port)
        self.security_combo.setCurrentIndex(SECURITY.index(provider.security))
        for key, spin in self.limit_spins.items():
            spin.setValue(getattr(provider, key) or 0)
        self.connections_spin.setValue(provider.connections or 1)
        # Microsoft ended password sign-in for SMTP: its presets sign in with OAuth
        self.signin_combo.setCurrentIndex(max(self.signin_combo.findData(provider.oauth), 0))
        self._show_hint()

    def _show_hint(self) -> None:
        provider = self.providers.get(self.provider_combo.currentData())
        self.hint_label.setText(
            "ℹ " + provider.hint(_language()) if provider and provider.hint_en else ""
        )

    # --- saving and testing -----------------------------------------------------------------
    def profile(self) -> Profile:
        return Profile(
            name=self.name_edit.text().strip(),
            provider=self.provider_combo.currentData() or "custom",
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            security=SECURITY[max(self.security_combo.currentIndex(), 0)],
            user=self.user_edit.text().strip(),
            connections=self.connections_spin.value(),
            cafile=self.cafile_edit.text().strip(),
            oauth=self.signin_combo.currentData() or "",
            oauth_client_id=self.client_id_edit.text().strip(),
            oauth_authority=self._authority,
            **{k: s.value() for k, s in self.limit_spins.items()},
        )

    def save(self) -> bool:
        profile = self.profile()
        if not profile.name or profile.name == OUTBOX:
            self._result(self.tr("Give the profile a name (not “outbox”)."))
            return False
        if not profile.host:
            self._result(self.tr("Fill in the server name."))
            return False
        saved = self.store.profiles().get(profile.name)
        if saved is not None:  # the mailbox server the Report page asked for is kept
            profile = replace(
                profile,
                imap_host=saved.imap_host,
                imap_port=saved.imap_port,
                imap_security=saved.imap_security,
            )
        self.store.save(profile)
        password = self.password_edit.text()
        if password and profile.user:
            from app.core.secrets import KeychainUnavailable, store_password

            try:
                store_password(profile.name, profile.user, password)
            except KeychainUnavailable as exc:
                self._result(
                    self.tr("Profile saved, but the password could not be kept: {error}").format(
                        error=exc
                    )
                )
                self._reload_list(profile.name)
                return False
            self.password_edit.clear()
        self._result(self.tr("Profile “{name}” saved.").format(name=profile.name))
        self._reload_list(profile.name)
        return True

    @asyncSlot()
    async def test_connection(self) -> None:
        await self.run_test()

    async def run_test(self) -> str:
        from app.core.send.contracts import SmtpError
        from app.core.send.transport import test_connection
        from app.gui.sending import _settings_for, password_for

        profile = self.profile()
        password = self.password_edit.text() or password_for(profile)()
        self._result(self.tr("Connecting to {host}…").format(host=profile.host))
        self.test_button.setEnabled(False)
        try:
            summary = await test_connection(_settings_for(profile), password)
            self._result("✓ " + summary)
        except SmtpError as exc:
            self._result(
                "✗ "
                + self.tr("The test failed: {reply}").format(reply=exc.reply)
                + (f"\n{exc.hint}" if exc.hint else "")
            )
        except (OSError, ValueError) as exc:
            self._result("✗ " + self.tr("Could not connect: {error}").format(error=exc))
        finally:
            self.test_button.setEnabled(True)
        return self.result_text

    # --- OAuth sign-in -----------------------------------------------------------------------
    def _signin_changed(self) -> None:
        oauth = bool(self.signin_combo.currentData())
        self.password_edit.setEnabled(not oauth)
        for key in ("client_id", "signin_button"):
            self.labels[key].setVisible(oauth)
        self.client_id_edit.setVisible(oauth)
        self.signin_widget.setVisible(oauth)
        if oauth:
            self._show_signed_in()

    def _client_id_known(self) -> bool:
        from app.core.oauth import oauth_providers

        service = oauth_providers().get(self.signin_combo.currentData() or "")
        return bool(self.client_id_edit.text().strip() or (service and service.client_id))

    def _no_client_id_text(self) -> str:
        return self.tr(
            "Enter the app (client) ID that your administrator registered for Herald "
            "(docs/OAUTH.md explains how)."
        )

    def _token_source(self) -> Any:
        from app.core.oauth import token_source_for

        return token_source_for(self.profile())

    def _show_signed_in(self) -> None:
        from app.core.oauth import OAuthError
        from app.core.secrets import KeychainUnavailable

        profile = self.profile()
        if not profile.user:
            self.signin_label.setText(self.tr("Fill in the user name (your e-mail address) first."))
            return
        if not self._client_id_known():
            self.signin_label.setText(self._no_client_id_text())
            return
        try:
            signed_in = self._token_source().signed_in()
        except (OAuthError, KeychainUnavailable) as exc:
            self.signin_label.setText(str(exc))
            return
        self.signin_label.setText(
            self.tr("Signed in as {user}.").format(user=profile.user)
            if signed_in
            else self.tr("Not signed in yet.")
        )

    @asyncSlot()
    async def sign_in(self) -> None:
        await self.run_sign_in()

    async def run_sign_in(self) -> bool:
        """The system browser signs in (in a thread: it waits for the user); on success the
        profile is saved with its OAuth settings and shows the account."""
        import asyncio

        from app.core.oauth import OAuthError
        from app.core.secrets import KeychainUnavailable

        profile = self.profile()
        if not profile.user:
            self._result(self.tr("Fill in the user name (your e-mail address) first."))
            return False
        if not self._client_id_known():
            self._result(self._no_client_id_text())
            return False
        self.signin_button.setEnabled(False)
        self.signin_label.setText(self.tr("Waiting for you to sign in in the browser…"))
        try:
            account = await asyncio.to_thread(self._token_source().sign_in_browser)
        except (OAuthError, KeychainUnavailable) as exc:
            self.signin_label.setText("✗ " + str(exc))
            self._result("✗ " + str(exc))
            return False
        except Exception as exc:  # msal: the browser never came back (timeout), closed, ...
            text = self.tr("Signing in did not finish: {error}").format(error=exc)
            self.signin_label.setText("✗ " + text)
            self._result("✗ " + text)
            return False
        finally:
            self.signin_button.setEnabled(True)
        if profile.name and profile.name != OUTBOX and profile.host:
            self.store.save(profile)
        self.signin_label.setText(self.tr("Signed in as {user}.").format(user=account))
        self._result("✓ " + self.tr("Signed in as {user}.").format(user=account))
        return True

    def _result(self, text: str) -> None:
        self.result_text = text
        self.result_label.setText(text)
        log.info("%s", text)

    def provider(self) -> Any:
        return self.providers.get(self.provider_combo.currentData())
