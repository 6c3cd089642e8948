"""Short, translated names for the core's problem kinds (the core's messages stay English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.model import ProblemKind


def problem_label(kind: ProblemKind | str) -> str:
    labels = {
        "unreadable-file": QCoreApplication.translate("ProblemLabels", "unreadable file"),
        "header-renamed": QCoreApplication.translate("ProblemLabels", "header renamed"),
        "too-many-rows": QCoreApplication.translate("ProblemLabels", "too many rows"),
        "no-email-column": QCoreApplication.translate("ProblemLabels", "no email column"),
        "empty-address": QCoreApplication.translate("ProblemLabels", "empty address"),
        "invalid-address": QCoreApplication.translate("ProblemLabels", "invalid address"),
        "multiple-addresses": QCoreApplication.translate("ProblemLabels", "several addresses"),
        "duplicate-address": QCoreApplication.translate("ProblemLabels", "duplicate"),
        "needs-smtputf8": QCoreApplication.translate("ProblemLabels", "needs SMTPUTF8"),
        "formula-without-value": QCoreApplication.translate(
            "ProblemLabels", "formula without value"
        ),
        "template-error": QCoreApplication.translate("ProblemLabels", "template error"),
        "unsafe-header": QCoreApplication.translate("ProblemLabels", "unsafe header"),
        "missing-attachment": QCoreApplication.translate("ProblemLabels", "missing attachment"),
        "large-attachments": QCoreApplication.translate("ProblemLabels", "large attachments"),
        "line-too-long": QCoreApplication.translate("ProblemLabels", "line too long"),
        "invalid-setting": QCoreApplication.translate("ProblemLabels", "invalid setting"),
    }
    key = kind.value if isinstance(kind, ProblemKind) else str(kind)
    return labels.get(key, key)
