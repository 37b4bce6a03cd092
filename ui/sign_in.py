"""First run: sign in to the organisation's phone system with email and password, or set up a SIP account
by hand. Provisioning may prefill or lock fields; the window says which and why. Signing in talks to the
network, so it runs on a worker; the window stays responsive and shows what failed in plain words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from callclient.services.types import AccountSettings, Transport
from ui.parts import AppParts

MANUAL_ACCOUNT_ID = "manual"


class SignInWindow(QDialog):
    signed_in = Signal(object)  # callclient.pbx.service.Profile
    account_added = Signal(str)  # account id

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.setWindowTitle(self.tr("Sign in to CallClient"))
        self.setMinimumWidth(440)
        heading = QLabel(self.tr("Welcome to CallClient"))
        heading.setProperty("role", "title")
        intro = QLabel(self.tr("Sign in with your work email, or set up a SIP account by hand."))
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("How to sign in"))
        self.tabs.addTab(self._sign_in_tab(), self.tr("Email and password"))
        self.tabs.addTab(self._manual_tab(), self.tr("SIP account"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Sign-in status"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)

    # --- email and password

    def _sign_in_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        config = self._parts.config()
        self.server = QLineEdit()
        self.server.setAccessibleName(self.tr("Phone system address"))
        self.server.setReadOnly(True)
        server_note = QLabel()
        server_note.setProperty("role", "muted")
        server_note.setWordWrap(True)
        if config is not None and config.config.pbx.base_url:
            self.server.setText(config.config.pbx.base_url)
            origin = config.origin("pbx.base_url")
            note = self.tr("Set by %1").replace("%1", origin)
            if config.locked("pbx.base_url"):
                note = config.lock_reason("pbx.base_url") or note
            server_note.setText(note)
        else:
            demo_url = self._parts.services.demo_pbx_url
            self.server.setText(demo_url)
            server_note.setText(self.tr("Demo phone system") if demo_url
                                else self.tr("Your administrator sets the phone system's address."))
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("name@company.com"))
        self.email.setAccessibleName(self.tr("Email"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.returnPressed.connect(self.sign_in)
        self.sign_in_button = QPushButton(self.tr("Sign in"))
        self.sign_in_button.setObjectName("answerButton")
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        form.addRow(self.tr("Phone system"), self.server)
        form.addRow("", server_note)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.sign_in_button)
        return tab

    def sign_in(self) -> None:
        accounts = self._parts.services.accounts
        login, password = self.email.text().strip(), self.password.text()
        if not login or not password:
            self.status.setText(self.tr("Enter your email and your password."))
            return
        self._busy(True, self.tr("Signing in…"))
        self._parts.tasks.run(lambda: accounts.sign_in(login, password), self._signed_in, self._failed)

    def _signed_in(self, profile: Any) -> None:
        self._busy(False, self.tr("Signed in as %1.").replace("%1", profile.display_name or profile.email or ""))
        self.password.clear()
        self.signed_in.emit(profile)
        self.accept()

    # --- a SIP account by hand

    def _manual_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName(self.tr("Your name"))
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("1001"))
        self.user.setAccessibleName(self.tr("User or extension"))
        self.domain = QLineEdit()
        self.domain.setPlaceholderText(self.tr("pbx.company.com"))
        self.domain.setAccessibleName(self.tr("SIP domain"))
        self.sip_password = QLineEdit()
        self.sip_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sip_password.setAccessibleName(self.tr("SIP password"))
        self.registrar = QLineEdit()
        self.registrar.setPlaceholderText(self.tr("optional: host[:port]"))
        self.registrar.setAccessibleName(self.tr("Registrar"))
        self.transport = QComboBox()
        self.transport.setAccessibleName(self.tr("Transport"))
        for transport in Transport:
            self.transport.addItem(str(transport).upper(), transport)
        self.save_button = QPushButton(self.tr("Save and connect"))
        self.save_button.setAccessibleName(self.tr("Save the SIP account and connect"))
        self.save_button.clicked.connect(self.add_account)
        form.addRow(self.tr("Your name"), self.display_name)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Domain"), self.domain)
        form.addRow(self.tr("Password"), self.sip_password)
        form.addRow(self.tr("Registrar"), self.registrar)
        form.addRow(self.tr("Transport"), self.transport)
        form.addRow("", self.save_button)
        return tab

    def add_account(self) -> None:
        accounts = self._parts.services.accounts
        user, domain = self.user.text().strip(), self.domain.text().strip()
        if not user or not domain:
            self.status.setText(self.tr("Enter at least the user and the domain."))
            return
        settings = AccountSettings(account_id=MANUAL_ACCOUNT_ID, user=user, domain=domain,
                                   password=self.sip_password.text(), display_name=self.display_name.text().strip(),
                                   registrar=self.registrar.text().strip(),
                                   # Qt hands the enum back as its plain string value
                                   transport=Transport(self.transport.currentData()))
        self._busy(True, self.tr("Connecting…"))
        self._parts.tasks.run(lambda: accounts.add_sip_account(settings), lambda _: self._added(), self._failed)

    def _added(self) -> None:
        self._busy(False, self.tr("Account saved."))
        self.sip_password.clear()
        self.account_added.emit(MANUAL_ACCOUNT_ID)
        self.accept()

    # --- shared

    def _failed(self, error: BaseException) -> None:
        self._busy(False, self.tr("Could not sign in: %1").replace("%1", str(error) or type(error).__name__))

    def _busy(self, busy: bool, text: str) -> None:
        self.status.setText(text)
        for control in (self.sign_in_button, self.save_button, self.email, self.password):
            control.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
