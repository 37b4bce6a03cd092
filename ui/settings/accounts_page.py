"""Settings → Accounts: the accounts in use and signing out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from ui.parts import AppParts
from ui.settings.common import SettingsPage


class AccountsPage(SettingsPage):
    sign_out_requested = Signal()

    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        layout = QVBoxLayout(self)
        self.accounts = QListWidget()
        self.accounts.setAccessibleName(self.tr("Accounts"))
        self.show_accounts()
        parts.bridge.accounts_changed.connect(lambda _change: self.show_accounts())
        layout.addWidget(QLabel(self.tr("Your accounts")))
        layout.addWidget(self.accounts, 1)
        layout.addWidget(self._origin_label("accounts"))
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out of your phone system"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        layout.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_accounts(self) -> None:
        self.accounts.clear()
        for account in self._parts.services.accounts.accounts:
            name = account.display_name or account.account_id
            self.accounts.addItem(f"{name} · {account.aor} · {account.transport.upper()}")
        if self.accounts.count() == 0:
            self.accounts.addItem(self.tr("No account yet: sign in or set up a SIP account."))
