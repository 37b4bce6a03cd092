"""The one-time explanation before CallClient reads the desktop's address book (vCard files, CardDAV).

The privacy policy promises the device's contacts are used only with the user's explicit permission, and
only to name callers and to dial quickly. Until the user presses "Allow", `directory.address_book_allowed`
stays off and the directory service never builds an address-book source, so no card is read. Revoking is
the same switch in Settings → Directory; the service then drops the cached cards from the encrypted store.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class AddressBookConsentDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Use your address book?"))
        heading = QLabel(self.tr("Let CallClient read your address book?"))
        heading.setProperty("role", "heading")
        text = QLabel(self.tr(
            "CallClient can read the contacts in your own address book (vCard files or a CardDAV account such "
            "as Nextcloud, iCloud or Google) for two things only:\n\n"
            "• to show who is calling when a number is in your address book;\n"
            "• to find people quickly when you type a name in the search box.\n\n"
            "The cards are kept encrypted on this computer, never sent to your phone system and never written "
            "to the logs. You can turn this off at any time in Settings → Directory; the copy is then removed."))
        text.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.allow_button = self.buttons.addButton(self.tr("Allow"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.allow_button.setAccessibleName(self.tr("Allow CallClient to read my address book"))
        self.deny_button = self.buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
