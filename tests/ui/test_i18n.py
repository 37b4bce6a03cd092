"""The French and German catalogues: complete for every string the code marks now (lupdate run afresh), every
placeholder kept, and loaded by the shipped route — ui.language set through the settings service, the main
window and Settings built in French."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtWidgets import QDialogButtonBox

from callclient.app import Core
from ui.i18n import apply_language, catalogue_language
from ui.main_window import MainWindow
from ui.parts import AppParts

REPO = Path(__file__).resolve().parents[2]
_PLACEHOLDER = re.compile(r"%(?:\d|n)")


def _translations_script() -> Any:
    loader = importlib.machinery.SourceFileLoader("translations_script", str(REPO / "scripts" / "translations"))
    spec = importlib.util.spec_from_loader("translations_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


SCRIPT = _translations_script()


def _problems(ts: Path) -> list[str]:
    problems = []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.findall("numerusform")] or [translation.text or ""]
        if "%n" in source and message.get("numerus") != "yes":
            # lupdate marks a plural only for self.tr(text, "", n); translate(ctx, text, "", n) it reads as singular
            problems.append(f"a count without plural forms (use self.tr(text, '', n)): {source!r}")
            continue
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
            problems.append(f"untranslated: {source!r}")
            continue
        for form in forms:
            if sorted(set(_PLACEHOLDER.findall(form))) != sorted(set(_PLACEHOLDER.findall(source))):
                problems.append(f"placeholders differ: {source!r} -> {form!r}")
    return problems


def test_every_marked_string_has_a_french_and_a_german_translation(tmp_path: Path) -> None:
    """lupdate over today's code into a copy of the catalogues: a string added or changed without its
    translations shows up as unfinished, named here."""
    for ts in SCRIPT.ts_files():
        shutil.copy(ts, tmp_path / ts.name)
    SCRIPT.update(ts_dir=tmp_path, quiet=True)
    problems = {ts.name: _problems(ts) for ts in SCRIPT.ts_files(tmp_path)}
    assert all(not p for p in problems.values()), (
        "run scripts/translations update and translate these (docs/translations.md):\n"
        + "\n".join(f"{name}: {line}" for name, lines in problems.items() for line in lines))
    messages = ET.parse(tmp_path / "callclient_fr.ts").getroot().iter("message")
    assert sum(1 for m in messages if m.get("numerus") == "yes") >= 5, "counts are plurals with %n"


def test_the_check_names_an_untranslated_string(tmp_path: Path) -> None:
    ts = tmp_path / "callclient_fr.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="fr_FR"><context><name>X</name>'
                  '<message><source>Hold</source><translation type="unfinished"></translation></message>'
                  '<message><source>Call %1</source><translation>Appeler</translation></message>'
                  '</context></TS>', encoding="utf-8")
    assert _problems(ts) == ["untranslated: 'Hold'", "placeholders differ: 'Call %1' -> 'Appeler'"]


@pytest.fixture
def built_catalogues() -> Iterator[None]:
    SCRIPT.build()  # what scripts/bootstrap and build.spec do
    yield
    apply_language("")  # the rest of the session in the source language
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize(("language", "sections", "menus", "settings_pages"), [
    ("fr", ["Clavier", "Favoris", "Historique", "Messagerie vocale", "Contacts"], ["&CallClient", "&Appel"],
     ["Comptes", "Audio", "Appels et codecs", "Réseau", "Confidentialité", "À propos"]),
    ("de", ["Wähltastatur", "Favoriten", "Anrufliste", "Mailbox", "Kontakte"], ["&CallClient", "&Anruf"],
     ["Konten", "Audio", "Anrufe und Codecs", "Netzwerk", "Datenschutz", "Info"]),
])
def test_the_window_speaks_the_language_chosen_in_settings(qtbot: Any, parts: AppParts, core: Core,
                                                           built_catalogues: None, language: str,
                                                           sections: list[str], menus: list[str],
                                                           settings_pages: list[str]) -> None:
    from ui.settings import SettingsDialog

    settings = core.services.settings
    settings.change({"ui.language": language}, by="a test")
    window = None
    try:
        window = MainWindow(parts)
        qtbot.addWidget(window)
        assert catalogue_language() == language
        assert QLocale().language() == QLocale(language).language(), "dates and numbers follow the language"
        shown = [window.sections.item(row).text().split("  (")[0] for row in range(window.sections.count())]
        assert shown[:5] == sections
        assert [a.text() for a in window.menuBar().actions()][:2] == menus
        dialog = SettingsDialog(parts, window)
        qtbot.addWidget(dialog)
        assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())][:6] == settings_pages
        close = dialog.findChild(QDialogButtonBox).buttons()[0]
        assert close.text() == {"fr": "Fermer", "de": "Schließen"}[language], "Qt's own buttons translated too"
        dialog.close()
    finally:
        settings.change({"ui.language": ""}, by="the test's clean-up")
        if window is not None:
            window.quitting = True
            window.close()
            window.incoming.close()


def test_an_unknown_language_falls_back_to_english_words(built_catalogues: None) -> None:
    apply_language("ja")
    assert catalogue_language() == ""
    assert QCoreApplication.translate("MainWindow", "Dialpad") == "Dialpad"
