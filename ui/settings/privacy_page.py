"""Settings → Privacy: what CallClient keeps where, and erasing all of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

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
        layout.addLayout(self._app_lock_rows())
        layout.addWidget(self.erase_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _app_lock_rows(self) -> QFormLayout:
        """The app lock's switch (ui.app_lock), off with the platform's reason where it cannot work."""
        form = QFormLayout()
        self.app_lock = QCheckBox(self.tr("Lock CallClient when the computer locks or after a while unused"))
        self.app_lock.setChecked(bool(self._value("ui", "app_lock", False)))
        self._row(form, self.tr("Lock CallClient"), self.app_lock, "ui.app_lock", label="")
        lock = self._parts.services.lock
        available, why = lock.availability() if lock is not None else (False, self.tr("Not offered here."))
        minutes = int(self._value("policy", "lock_after_idle_minutes", 0))
        self.app_lock_note = QLabel()
        self.app_lock_note.setObjectName("appLockNote")
        self.app_lock_note.setWordWrap(True)
        self.app_lock_note.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote a D-Bus error
        self.app_lock_note.setProperty("role", "muted")
        if not available:
            self.app_lock.setEnabled(False)
            self.app_lock_note.setText(self.tr("The app lock is not available: %1").replace("%1", why))
        else:
            after = (self.tr("after %n minutes without use", "", minutes) if minutes
                     else self.tr("only when the computer locks"))
            self.app_lock_note.setText(self.tr(
                "Your system confirms it is you (fingerprint, face or password) before favorites, history, "
                "voicemail and contacts show again; CallClient never sees your fingerprint or password. It locks "
                "%1. Calls still ring and emergency numbers can always be called.").replace("%1", after))
        self.app_lock.toggled.connect(self._app_lock_toggled)
        form.addRow(self.app_lock_note)
        return form

    def _app_lock_toggled(self, on: bool) -> None:
        self.change({"ui.app_lock": on}, "the Settings window",
                    lambda error: QMessageBox.warning(self, self.tr("App lock"), str(error)))

    def _confirm_erase(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Erase my data"),
            self.tr("Remove every password, favorite, setting and cached voicemail of CallClient from this "
                    "computer, and quit?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.erase_requested.emit()
