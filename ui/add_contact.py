""""Add to contacts": a personal contact kept on the PBX (Wazo dird's /personal), prefilled from a search
result, a history row or a voicemail. The directory service saves it off the GUI thread and caches it, so
the next call from that number is named at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from callclient.services.directory import PersonalContactFields
from ui.parts import AppParts
from ui.text import neutralise, plain


def split_name(name: str) -> tuple[str, str]:
    """"Bob Durand" -> ("Bob", "Durand"); a single word is the first name."""
    first, _, last = neutralise(name).partition(" ")
    return first, last


class AddContactDialog(QDialog):
    saved = Signal(str)  # the new contact's name, for the window's notice

    def __init__(self, parts: AppParts, name: str, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.setWindowTitle(self.tr("Add to contacts"))
        first, last = split_name(name if name != number else "")
        self.firstname = QLineEdit(first)
        self.lastname = QLineEdit(last)
        self.number = QLineEdit(neutralise(number))
        self.mobile = QLineEdit()
        self.email = QLineEdit()
        self.company = QLineEdit()
        form = QFormLayout()
        for text, field in ((self.tr("First name"), self.firstname), (self.tr("Last name"), self.lastname),
                            (self.tr("Number"), self.number), (self.tr("Mobile"), self.mobile),
                            (self.tr("Email"), self.email), (self.tr("Company"), self.company)):
            field.setAccessibleName(text)
            form.addRow(text, field)
        note = QLabel(self.tr("Kept with your personal contacts on your phone system, so every device you sign "
                              "in on shows this name."))
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # the PBX's error text
        self.error.setWordWrap(True)
        self.error.setObjectName("formError")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save the contact"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def fields(self) -> PersonalContactFields:
        return PersonalContactFields(firstname=self.firstname.text().strip(), lastname=self.lastname.text().strip(),
                                     number=self.number.text().strip(), mobile=self.mobile.text().strip(),
                                     email=self.email.text().strip(), company=self.company.text().strip())

    def save(self) -> None:
        fields = self.fields()
        if not (fields.firstname or fields.lastname) or not (fields.number or fields.mobile):
            self._show_error(self.tr("A contact needs a name and a number."))
            return
        directory = self._parts.services.directory
        if directory is None:
            self._show_error(self.tr("Contacts are not available here."))
            return
        self.save_button.setEnabled(False)
        self._parts.tasks.run(lambda: self._store(directory, fields), self._saved, self._failed)

    def _store(self, directory: Any, fields: PersonalContactFields) -> object:
        """On a worker thread: what Save does on the PBX (the edit dialog changes an existing contact)."""
        return directory.add_personal_contact(fields)

    def _saved(self, contact: object) -> None:
        self.saved.emit(getattr(contact, "name", ""))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._show_error(self.tr("Could not save the contact: %1").replace("%1", plain(str(error))))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
