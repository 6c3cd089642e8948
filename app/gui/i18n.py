"""Language: Herald's own .qm files plus Qt's (qtbase) so standard dialogs are translated too.

Switching at runtime removes the old translators and installs new ones; Qt then sends every
widget a LanguageChange event and each page re-reads its texts (see `retranslate`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "data" / "translations"

#: code -> name shown in the Language menu (each in its own language, never translated)
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}


def system_language() -> str:
    """The supported language closest to the system locale (Chinese variants -> zh_CN)."""
    for name in QLocale.system().uiLanguages():
        lowered = name.lower().replace("-", "_")
        if lowered.startswith("zh"):
            return "zh_CN"
        if lowered.startswith("en"):
            return "en"
    return "en"


class Translations:
    """Owns the installed translators; `switch(code)` replaces them."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.current = "en"

    def switch(self, code: str) -> bool:
        """Install `code` ("en" or "zh_CN"). Returns False when Herald's own file is missing."""
        if code not in LANGUAGES:
            code = "en"
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        ok = True
        own = QTranslator(self._app)
        if own.load(f"herald_{code}", str(TRANSLATIONS_DIR)):
            self._add(own)
        else:
            ok = code == "en"  # English is the source language: no file is fine
        if code != "en":
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            qtbase = QTranslator(self._app)
            if qtbase.load(f"qtbase_{code}", qt_dir):
                self._add(qtbase)
        self.current = code
        QLocale.setDefault(QLocale(code))
        return ok

    def _add(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._installed.append(translator)
