"""Asked once when a profile's preset names no IMAP server: host, port and security of the
mailbox Herald reads for bounces and files copies in. Saved in the profile (never a password:
that stays the profile's keychain entry)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

SECURITY = ("tls", "starttls")  # never unencrypted: Herald does not sign in over plain IMAP


class ImapServerDialog(QDialog):
    def __init__(self, account: str, host: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImapServerDialog")
        self.explain = QLabel(
            self.tr(
                "Which server holds the mailbox of {account}? Herald reads it over IMAP, read-only, with the profile's saved password. Ask your provider or look in its help pages (for example imap.example.com, port 993)."  # noqa: E501
            ).format(account=account)
        )
        self.explain.setWordWrap(True)
        self.host_edit = QLineEdit(host)
        self.host_edit.setPlaceholderText("imap.example.com")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(993)
        self.security_combo = QComboBox()
        self.security_combo.addItems(
            [self.tr("TLS (usually port 993)"), self.tr("STARTTLS (usually port 143)")]
        )
        self.security_combo.currentIndexChanged.connect(self._security_changed)
        form = QFormLayout()
        form.addRow(self.tr("IMAP &server:"), self.host_edit)
        form.addRow(self.tr("&Port:"), self.port_spin)
        form.addRow(self.tr("S&ecurity:"), self.security_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Mailbox server"))
        self.setMinimumWidth(460)

    def _security_changed(self, index: int) -> None:
        if self.port_spin.value() in (993, 143):
            self.port_spin.setValue(993 if index == 0 else 143)

    def _accept(self) -> None:
        if not self.host_edit.text().strip():
            self.problem.setText(self.tr("Fill in the IMAP server's name."))
            return
        self.accept()

    def values(self) -> tuple[str, int, str]:
        security = SECURITY[max(self.security_combo.currentIndex(), 0)]
        return self.host_edit.text().strip(), self.port_spin.value(), security
