"""The Settings window: one tab per page (ui/settings/*_page.py). Beside every provisioned setting each page
says where the value came from and, when an admin locked it, that it cannot be changed here; every change
takes the one settings route (callclient/services/settings.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from ui.parts import AppParts
from ui.settings.about_page import AboutPage
from ui.settings.accounts_page import AccountsPage
from ui.settings.audio_page import AudioPage
from ui.settings.calls_page import CallsPage
from ui.settings.desktop_page import DesktopPage
from ui.settings.directory_page import DirectoryPage
from ui.settings.forwarding_page import ForwardingPage
from ui.settings.network_page import NetworkPage
from ui.settings.privacy_page import PrivacyPage


class SettingsDialog(QDialog):
    erase_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, parts: AppParts, parent: QWidget | None = None, *, config: Any = None) -> None:
        """`config`: the LoadedConfig to show (default: the one in force)."""
        super().__init__(parent)
        self._parts = parts
        self.setWindowTitle(self.tr("Settings"))
        self.resize(640, 520)
        self.config = config if config is not None else parts.config()
        self.accounts_page = AccountsPage(parts, self.config)
        self.audio_page = AudioPage(parts, self.config)
        self.calls_page = CallsPage(parts, self.config)
        self.desktop_page = DesktopPage(parts, self.config)
        self.forwarding_page = ForwardingPage(parts, self.config)
        self.network_page = NetworkPage(parts, self.config)
        self.directory_page = DirectoryPage(parts, self.config)
        self.privacy_page = PrivacyPage(parts, self.config)
        self.about_page = AboutPage(parts, self.config)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        for page, title in ((self.accounts_page, self.tr("Accounts")), (self.audio_page, self.tr("Audio")),
                            (self.calls_page, self.tr("Calls and codecs")),
                            (self.directory_page, self.tr("Directory")),
                            (self.desktop_page, self.tr("Desktop")), (self.forwarding_page, self.tr("Forwarding")),
                            (self.network_page, self.tr("Network")),
                            (self.privacy_page, self.tr("Privacy")), (self.about_page, self.tr("About"))):
            self.tabs.addTab(page, title)
        self.accounts_page.sign_out_requested.connect(self.sign_out_requested)
        self.privacy_page.erase_requested.connect(self.erase_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close settings"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def done(self, result: int) -> None:
        self.audio_page.stop_tests()
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name; a hidden dialog closes without done()
        self.audio_page.stop_tests()
        super().closeEvent(event)
