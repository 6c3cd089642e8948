"""Short, translated names for the core's problem kinds (the core's messages stay English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.model import ProblemKind


def problem_labels() -> dict[ProblemKind, str]:
    """Every kind's label in the current language (a test checks that none is missing)."""
    # literal QCoreApplication.translate calls: pyside6-lupdate only finds those
    return {
        ProblemKind.UNREADABLE_FILE: QCoreApplication.translate("ProblemLabels", "unreadable file"),
        ProblemKind.HEADER_RENAMED: QCoreApplication.translate("ProblemLabels", "header renamed"),
        ProblemKind.TOO_MANY_ROWS: QCoreApplication.translate("ProblemLabels", "too many rows"),
        ProblemKind.NO_EMAIL_COLUMN: QCoreApplication.translate("ProblemLabels", "no email column"),
        ProblemKind.UNKNOWN_COLUMN: QCoreApplication.translate("ProblemLabels", "unknown column"),
        ProblemKind.INVALID_SETTING: QCoreApplication.translate("ProblemLabels", "invalid setting"),
        ProblemKind.EMPTY_ADDRESS: QCoreApplication.translate("ProblemLabels", "empty address"),
        ProblemKind.INVALID_ADDRESS: QCoreApplication.translate("ProblemLabels", "invalid address"),
        ProblemKind.MULTIPLE_ADDRESSES: QCoreApplication.translate(
            "ProblemLabels", "several addresses"
        ),
        ProblemKind.DUPLICATE_ADDRESS: QCoreApplication.translate("ProblemLabels", "duplicate"),
        ProblemKind.NEEDS_SMTPUTF8: QCoreApplication.translate("ProblemLabels", "needs SMTPUTF8"),
        ProblemKind.FORMULA_WITHOUT_VALUE: QCoreApplication.translate(
            "ProblemLabels", "formula without value"
        ),
        ProblemKind.TEMPLATE_ERROR: QCoreApplication.translate("ProblemLabels", "template error"),
        ProblemKind.UNSAFE_HEADER: QCoreApplication.translate("ProblemLabels", "unsafe header"),
        ProblemKind.MISSING_ATTACHMENT: QCoreApplication.translate(
            "ProblemLabels", "missing attachment"
        ),
        ProblemKind.UNSAFE_ATTACHMENT: QCoreApplication.translate(
            "ProblemLabels", "attachment refused"
        ),
        ProblemKind.LARGE_ATTACHMENTS: QCoreApplication.translate(
            "ProblemLabels", "large attachments"
        ),
        ProblemKind.LINE_TOO_LONG: QCoreApplication.translate("ProblemLabels", "line too long"),
        ProblemKind.DO_NOT_EMAIL: QCoreApplication.translate(
            "ProblemLabels", "on the do-not-email list"
        ),
        ProblemKind.HEADERS_TOO_LARGE: QCoreApplication.translate(
            "ProblemLabels", "headers too large"
        ),
    }


def problem_label(kind: ProblemKind | str) -> str:
    try:
        key = ProblemKind(kind)
    except ValueError:
        return str(kind)
    return problem_labels().get(key, key.value)
