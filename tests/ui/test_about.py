"""Help → About (Settings → About) names the main components with their licences and opens the full
third-party notices as plain text (issue 19); a build without the notices file says so instead of failing.
Before the wiring the About page showed only the version and diagnostics."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

import callclient.notices
from callclient.notices import main_components, third_party_notices
from ui.parts import AppParts
from ui.settings import SettingsDialog


def test_about_lists_the_main_components_and_opens_the_notices_as_plain_text(qtbot: Any, parts: AppParts) -> None:
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    about = dialog.about_page
    listed = about.components.text()
    assert all(c.name in listed and c.licence in listed for c in main_components())
    assert about.components.textFormat() is Qt.TextFormat.PlainText

    qtbot.mouseClick(about.notices_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: about.notices_window is not None and about.notices_window.isVisible(), timeout=10_000)
    shown = about.notices_window.findChild(QPlainTextEdit)
    assert shown.toPlainText() == third_party_notices()
    about.notices_window.close()


def test_a_build_without_the_notices_file_says_where_it_looked(
        qtbot: Any, parts: AppParts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A broken install: the file is nowhere this form of the app keeps it, and no package metadata has it.
    monkeypatch.setattr(callclient.notices, "_candidate_paths", lambda: [tmp_path / "THIRD-PARTY-NOTICES"])

    def not_installed(name: str) -> Any:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", not_installed)  # the module notices imports when asked
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    about = dialog.about_page
    qtbot.mouseClick(about.notices_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(about.notices_window, QMessageBox) and about.notices_window.isVisible(),
                    timeout=10_000)
    assert "THIRD-PARTY-NOTICES is missing" in about.notices_window.text()
    assert str(tmp_path) in about.notices_window.text()
    about.notices_window.close()
