"""The user's personal contacts on the PBX (Wazo dird's /personal), managed from the Contacts tab: edit one,
delete one (after asking), import a CSV file. Each change runs off the GUI thread through the window's tasks
(the directory service asks the PBX, then refreshes its cached copy so the search box and caller names follow)
and its outcome comes back to the GUI thread by queued signal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from callclient.services.directory import Contact, ImportResult, PersonalContactFields, SourceKind
from callclient.services.threads import GUI, WORKER, runs_on
from ui.add_contact import AddContactDialog, split_name
from ui.confirm import ask_yes_no
from ui.parts import AppParts
from ui.text import MESSAGE_LIMIT, NUMBER_LIMIT, neutralise, plain

MAX_CSV_BYTES = 5_000_000  # a personal address book, not a company directory: dird imports it in one request
FAILED_LINES_SHOWN = 200  # the import result lists at most this many rejected lines (the count says the rest)


def tr(text: str) -> str:
    return QCoreApplication.translate("personal_contacts", text)


class CsvUnreadable(Exception):
    """The chosen file cannot be imported as it is; the message says why, for the user."""


@runs_on(WORKER)
def read_csv(path: str | Path, limit_bytes: int = MAX_CSV_BYTES) -> str:
    """The CSV file's text (UTF-8, with or without a byte-order mark, as spreadsheets export it)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit_bytes:
            raise CsvUnreadable(tr("%1 is too large to import (%2 MB; at most %3 MB).")
                                .replace("%1", path.name).replace("%2", f"{size / 1e6:.1f}")
                                .replace("%3", f"{limit_bytes / 1e6:.0f}"))
        data = path.read_bytes()
    except OSError as error:
        raise CsvUnreadable(tr("%1 could not be read: %2").replace("%1", path.name)
                            .replace("%2", error.strerror or str(error))) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvUnreadable(tr("%1 is not UTF-8 text (byte %2): save it as “CSV UTF-8” and try again.")
                            .replace("%1", path.name).replace("%2", str(error.start + 1))) from error
    if not text.strip():
        raise CsvUnreadable(tr("%1 is empty.").replace("%1", path.name))
    return text


def personal_contact_of(contacts: tuple[Contact, ...]) -> Contact | None:
    """The personal contact (with its id on the PBX) among what the sources said of one search result."""
    return next((c for c in contacts if c.kind is SourceKind.PERSONAL and c.entry_id), None)


class EditContactDialog(AddContactDialog):
    """"Edit…" on a personal contact: the same form, prefilled, saved over the contact on the PBX."""

    def __init__(self, parts: AppParts, contact: Contact, parent: QWidget | None = None) -> None:
        super().__init__(parts, "", "", parent)
        self.entry_id = contact.entry_id
        self.setWindowTitle(self.tr("Edit contact"))
        self.save_button.setAccessibleName(self.tr("Save the changes"))
        first, last = split_name(contact.name)
        self.firstname.setText(first)
        self.lastname.setText(last)
        mobiles = [n.number for n in contact.numbers if n.label.lower() == "mobile"]
        others = [n.number for n in contact.numbers if n.label.lower() != "mobile"]
        self.number.setText(neutralise(others[0] if others else ""))
        self.mobile.setText(neutralise(mobiles[0] if mobiles else ""))
        self.email.setText(neutralise(contact.email))
        self.company.setText(neutralise(contact.company))

    def _store(self, directory: Any, fields: PersonalContactFields) -> object:
        return directory.edit_personal_contact(self.entry_id, fields)


@runs_on(GUI)
def ask_delete(parent: QWidget, name: str, on_yes: Callable[[], None]) -> QMessageBox:
    """"Delete Sophie Klein from your contacts?" — window-modal, No by default."""
    # The name is the PBX's text: ask_yes_no shows it as plain text.
    return ask_yes_no(parent, QMessageBox.Icon.Question, tr("Delete the contact"),
                      tr("Delete %1 from your personal contacts? Every device you sign in on loses it too.")
                      .replace("%1", plain(name, NUMBER_LIMIT * 2)), on_yes)


class ImportResultDialog(QDialog):
    """What an import did: how many contacts came in, and each line the PBX refused with its reason."""

    def __init__(self, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import contacts"))
        self.summary = QLabel(self.tr("Importing %1…").replace("%1", plain(file_name, MESSAGE_LIMIT)))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.failed = QListWidget()
        self.failed.setAccessibleName(self.tr("Lines that were not imported"))
        self.failed.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.failed, 1)
        layout.addWidget(buttons)

    def show_result(self, result: ImportResult) -> None:
        text = self.tr("%n contact(s) imported into your personal contacts.", "", result.created)
        if result.failed_lines:
            text += "\n" + self.tr("%n line(s) not imported:", "", len(result.failed_lines))
        self.summary.setText(text)
        self.failed.clear()
        for line, problem in result.failed_lines[:FAILED_LINES_SHOWN]:
            self.failed.addItem(self.tr("Line %1: %2").replace("%1", str(line))
                                .replace("%2", plain(problem, MESSAGE_LIMIT)))
        self.failed.setVisible(bool(result.failed_lines))

    def show_error(self, error: BaseException) -> None:
        self.summary.setText(self.tr("Nothing was imported: %1").replace("%1", plain(str(error), MESSAGE_LIMIT)))
        self.failed.hide()
