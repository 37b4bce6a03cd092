"""Settings → Privacy: what CallClient keeps where, and erasing all of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ui.parts import AppParts
from ui.settings.common import SettingsPage


class PrivacyPage(SettingsPage):
    erase_requested = Signal()

    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("CallClient keeps your accounts' passwords in the system keychain and your "
                              "favorites, settings and cached voicemail encrypted on this computer. "
                              "Erasing removes all of it and quits."))
        text.setWordWrap(True)
        self.erase_button = QPushButton(self.tr("Erase my data…"))
        self.erase_button.setObjectName("declineButton")
        self.erase_button.setAccessibleName(self.tr("Erase all my data from this computer"))
        self.erase_button.clicked.connect(self._confirm_erase)
        layout.addWidget(text)
        layout.addWidget(self.erase_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _confirm_erase(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Erase my data"),
            self.tr("Remove every password, favorite, setting and cached voicemail of CallClient from this "
                    "computer, and quit?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.erase_requested.emit()
