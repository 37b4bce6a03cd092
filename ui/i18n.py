"""The user's language: which catalogue (translations/callclient_xx.ts, built to .qm by scripts/translations)
translates the window, and which QLocale formats its dates, times and numbers.

ui.language picks it ("fr", "de"…); "" or "system" follows the system (QLocale.system()). Qt's own
catalogue (qtbase_xx.qm, shipped inside PySide6) translates the standard buttons (OK, Cancel, Yes, No).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

CATALOGUE_NAME = "callclient"
SYSTEM = ("", "system")  # what ui.language holds when it follows the system


def catalogue_dir() -> Path:
    """Where the built .qm files are: resources/translations beside the code, or inside the frozen bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources" / "translations"


def chosen_locale(language: str) -> QLocale:
    return QLocale.system() if language.strip().lower() in SYSTEM else QLocale(language.strip())


_TRANSLATOR_NAME = "callclient-language"  # our translators are the app's children by this name, no global list


def apply_language(language: str) -> QLocale:
    """ui.language as the window's words and the default locale for dates and numbers; returns that locale.
    Windows built before a change keep their words until they are built again (Settings says so)."""
    locale = chosen_locale(language)
    QLocale.setDefault(locale)
    app = QCoreApplication.instance()
    if app is None:
        return locale
    for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    ours = QTranslator(app)
    # load(locale, …) tries fr_FR, then fr, then the locale's other UI languages, as Qt's own apps do.
    if ours.load(locale, CATALOGUE_NAME, "_", str(catalogue_dir())):
        ours.setObjectName(_TRANSLATOR_NAME)
        app.installTranslator(ours)
        qt = QTranslator(app)
        if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            qt.setObjectName(_TRANSLATOR_NAME)
            app.installTranslator(qt)
    else:
        ours.deleteLater()
        if locale.language() not in (QLocale.Language.English, QLocale.Language.C):
            log.info("no %s catalogue for %s in %s: English words", CATALOGUE_NAME, locale.name(), catalogue_dir())
    return locale


def catalogue_language() -> str:
    """The language of the catalogue in use ("fr"), "" when the window speaks English (the source text)."""
    app = QCoreApplication.instance()
    for translator in app.findChildren(QTranslator, _TRANSLATOR_NAME) if app else ():
        if Path(translator.filePath()).stem.startswith(CATALOGUE_NAME + "_"):
            return translator.language().split("_")[0]
    return ""
