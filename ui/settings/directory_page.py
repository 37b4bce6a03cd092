"""Settings → Directory: where names and search results come from. The PBX's directory on or off; an LDAP /
Active Directory server; the desktop's address book (vCard files or folders, a CardDAV account), which is
read only after the user allowed it in a one-time explanation (ui/address_book_consent.py) and is revoked
with the same switch. Every value takes the one settings route; passwords go to the keychain through the
directory service, never to the settings. A key the admin locked is shown disabled with the admin's reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.address_book_consent import AddressBookConsentDialog
from ui.parts import AppParts
from ui.settings.common import SettingsPage
from ui.text import plain

_PATHS_SEPARATOR = ";"


class DirectoryPage(SettingsPage):
    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        self.consent_dialog: AddressBookConsentDialog | None = None
        directory = parts.services.directory
        layout = QVBoxLayout(self)

        company = QGroupBox(self.tr("Company directory"))
        form = QFormLayout(company)
        self.pbx_enabled = QCheckBox(self.tr("Search my phone system's directory and name callers from it"))
        self.pbx_enabled.setChecked(bool(self._value("directory", "pbx_enabled", True)))
        self.pbx_enabled.toggled.connect(lambda on: self._set("directory.pbx_enabled", on))
        self._row(form, self.tr("Phone system"), self.pbx_enabled, "directory.pbx_enabled")
        self.ldap_url = self._text_row(form, self.tr("LDAP server"), "directory.ldap_url",
                                       "ldaps://ldap.example.com")
        self.ldap_base_dn = self._text_row(form, self.tr("Search base (DN)"), "directory.ldap_base_dn",
                                           "ou=people,dc=example,dc=com")
        self.ldap_bind_dn = self._text_row(form, self.tr("Bind as (DN)"), "directory.ldap_bind_dn",
                                           self.tr("empty: anonymous"))
        self.ldap_password = self._password_row(form, self.tr("Bind password"), "ldap-bind-password",
                                                "directory.ldap_bind_dn")
        self.ldap_starttls = QCheckBox(self.tr("Upgrade ldap:// connections with StartTLS"))
        self.ldap_starttls.setChecked(bool(self._value("directory", "ldap_starttls", True)))
        self.ldap_starttls.toggled.connect(lambda on: self._set("directory.ldap_starttls", on))
        self._row(form, self.tr("Encryption"), self.ldap_starttls, "directory.ldap_starttls")
        layout.addWidget(company)

        book = QGroupBox(self.tr("My address book"))
        book_form = QFormLayout(book)
        why = QLabel(self.tr("Names for callers and quick dial from your own contacts. Read only with your "
                             "permission; the copy is kept encrypted and removed when you turn this off."))
        why.setWordWrap(True)
        why.setProperty("role", "muted")
        book_form.addRow(why)
        self.address_book = QCheckBox(self.tr("Use my address book"))
        self.address_book.setChecked(bool(self._value("directory", "address_book_allowed", False)))
        self.address_book.toggled.connect(self._address_book_toggled)
        self._row(book_form, self.tr("Permission"), self.address_book, "directory.address_book_allowed")
        paths = self._value("directory", "vcard_paths", ())
        self.vcard_paths = QLineEdit(_PATHS_SEPARATOR.join(paths))
        self.vcard_paths.setPlaceholderText(self.tr("vCard files or folders, separated by ;"))
        self.vcard_paths.editingFinished.connect(self._paths_edited)
        self.vcard_paths.setCursorPosition(0)  # the start of a long path says where it is
        browse = QPushButton(self.tr("Folder…"))
        browse.setAccessibleName(self.tr("Choose a folder of vCard files"))
        browse.clicked.connect(self._choose_folder)
        browse.setEnabled(not self._locked("directory.vcard_paths"))
        paths_row = QWidget()
        paths_layout = QHBoxLayout(paths_row)
        paths_layout.setContentsMargins(0, 0, 0, 0)
        paths_layout.addWidget(self.vcard_paths, 1)
        paths_layout.addWidget(browse)
        self.vcard_paths.setAccessibleName(self.tr("vCard files or folders"))
        self._row(book_form, self.tr("vCard files"), paths_row, "directory.vcard_paths")
        self.carddav_url = self._text_row(book_form, self.tr("CardDAV address book"), "directory.carddav_url",
                                          "https://cloud.example.com/remote.php/dav/addressbooks/…")
        self.carddav_username = self._text_row(book_form, self.tr("CardDAV user"), "directory.carddav_username", "")
        self.carddav_password = self._password_row(book_form, self.tr("CardDAV password"), "carddav-password",
                                                   "directory.carddav_username")
        layout.addWidget(book)

        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # source errors quote servers
        self.status.setWordWrap(True)
        self.status.setProperty("role", "muted")
        self.status.setAccessibleName(self.tr("Directory status"))
        problems = directory.problems if directory is not None else ()
        self.status.setText("\n".join(plain(p) for p in problems))
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._show_book_fields()

    # ------------------------------------------------------------------ building

    def _live(self, key: str, fallback: Any = None) -> Any:
        """The value in force now (the page's `config` is the one it was opened with)."""
        section, name = key.split(".", 1)
        config = self._parts.config() or self.config
        return getattr(getattr(config.config, section), name, fallback) if config is not None else fallback

    def _locked(self, key: str) -> bool:
        return self.config is not None and self.config.locked(key)

    def _text_row(self, form: QFormLayout, text: str, key: str, placeholder: str) -> QLineEdit:
        section, name = key.split(".", 1)
        field = QLineEdit(str(self._value(section, name, "")))
        field.setPlaceholderText(placeholder)
        field.editingFinished.connect(lambda: self._set(key, field.text().strip()))
        self._row(form, text, field, key)
        return field

    def _password_row(self, form: QFormLayout, text: str, kind: str, user_key: str) -> QLineEdit:
        """A password field that saves to the keychain when edited; locked with its user key, and off when
        no keychain is available."""
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(text)
        directory = self._parts.services.directory
        usable = directory is not None and directory.can_store_passwords and not self._locked(user_key)
        field.setEnabled(usable)
        field.setPlaceholderText(self.tr("kept in the system keychain") if usable else
                                 self.tr("no keychain available") if directory is not None
                                 and not directory.can_store_passwords else "")
        field.editingFinished.connect(lambda: self._save_password(kind, field))
        form.addRow(text, field)
        if usable:
            self._parts.tasks.run(lambda: directory.has_password(kind),
                                  lambda stored: field.setPlaceholderText(self.tr("saved in the system keychain"))
                                  if stored else None, lambda _error: None)
        return field

    # ------------------------------------------------------------------ changes

    def _set(self, key: str, value: Any) -> None:
        if self._live(key) == value:
            return
        self.change({key: value}, "the Settings window",
                    lambda error: QMessageBox.warning(self, self.tr("Directory"), str(error)))

    def _save_password(self, kind: str, field: QLineEdit) -> None:
        password = field.text()
        if not password or not field.isModified():
            return
        field.setModified(False)
        directory = self._parts.services.directory

        def saved(_none: object) -> None:
            field.clear()
            field.setPlaceholderText(self.tr("saved in the system keychain"))

        self._parts.tasks.run(lambda: directory.save_password(kind, password), saved,
                              lambda error: QMessageBox.warning(self, self.tr("Directory"), str(error)))

    def _paths_edited(self) -> None:
        paths = [p.strip() for p in self.vcard_paths.text().split(_PATHS_SEPARATOR) if p.strip()]
        if list(self._live("directory.vcard_paths", ())) != paths:
            self._set("directory.vcard_paths", paths)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of vCard files"))
        if folder:
            current = [p for p in self.vcard_paths.text().split(_PATHS_SEPARATOR) if p.strip()]
            self.vcard_paths.setText(_PATHS_SEPARATOR.join([*current, folder]))
            self._paths_edited()

    def _address_book_toggled(self, on: bool) -> None:
        allowed = bool(self._live("directory.address_book_allowed", False))
        if on == allowed:
            return
        if on:
            # Asked once, before anything is read: the switch stays off unless the user says "Allow".
            self.address_book.blockSignals(True)
            self.address_book.setChecked(False)
            self.address_book.blockSignals(False)
            self.consent_dialog = AddressBookConsentDialog(self)
            self.consent_dialog.accepted.connect(self._allowed)
            self.consent_dialog.open()
            return
        self._set("directory.address_book_allowed", False)  # the service drops the cached cards at once
        self._show_book_fields(False)

    def _allowed(self) -> None:
        self.address_book.blockSignals(True)
        self.address_book.setChecked(True)
        self.address_book.blockSignals(False)
        self._set("directory.address_book_allowed", True)
        self._show_book_fields(True)

    def _show_book_fields(self, allowed: bool | None = None) -> None:
        """The vCard and CardDAV fields are usable once allowed (they say what will be read)."""
        if allowed is None:
            allowed = bool(self._value("directory", "address_book_allowed", False))
        for field, key in ((self.vcard_paths, "directory.vcard_paths"), (self.carddav_url, "directory.carddav_url"),
                           (self.carddav_username, "directory.carddav_username")):
            field.setEnabled(allowed and not self._locked(key))
        directory = self._parts.services.directory
        self.carddav_password.setEnabled(allowed and directory is not None and directory.can_store_passwords
                                         and not self._locked("directory.carddav_username"))
