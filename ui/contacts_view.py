"""Contacts: everyone the user can reach, gathered from favorites, call history and (in demo mode) the demo
numbers, since the PBX offers no directory here. The one search box filters this list, so typing a name
finds favorites, history and contacts at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from ui.models import NUMBER_ROLE, SECONDARY_ROLE, TRAILING_ROLE, TwoLineDelegate
from ui.text import NUMBER_LIMIT, plain, plain_name


@dataclass(frozen=True)
class Contact:
    name: str
    number: str
    source: str  # where we know them from, in the user's words: "Favorite", "History", "Demo"


class ContactsView(QWidget):
    call_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._by_source: dict[str, list[Contact]] = {}
        self.model = QStandardItemModel(self)
        self.filtered = QSortFilterProxyModel(self)
        self.filtered.setSourceModel(self.model)
        self.filtered.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filtered.setFilterRole(Qt.ItemDataRole.AccessibleTextRole)
        self.title = QLabel(self.tr("Contacts"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it repeats what was typed in the search box
        self.title.setProperty("role", "heading")
        self.list = QListView()
        self.list.setModel(self.filtered)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setAccessibleName(self.tr("Contacts"))
        self.list.activated.connect(self._call)
        self.list.doubleClicked.connect(self._call)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setProperty("role", "muted")
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addWidget(self.list, 1)
        self._rebuild()

    def set_contacts(self, source: str, contacts: Iterable[Contact]) -> None:
        self._by_source[source] = list(contacts)
        self._rebuild()

    def _rebuild(self) -> None:
        self.model.clear()
        seen: dict[str, QStandardItem] = {}
        for contacts in self._by_source.values():
            for contact in contacts:
                if not contact.number:
                    continue
                known = seen.get(contact.number)
                if known is not None:
                    if contact.source not in known.data(TRAILING_ROLE):
                        known.setData(f"{known.data(TRAILING_ROLE)}, {contact.source}", TRAILING_ROLE)
                    continue
                # History contacts carry names the PBX (and so a caller) chose.
                item = QStandardItem(plain_name(contact.name) or plain(contact.number, NUMBER_LIMIT))
                item.setEditable(False)
                item.setData(plain(contact.number, NUMBER_LIMIT), SECONDARY_ROLE)
                item.setData(contact.source, TRAILING_ROLE)
                item.setData(contact.number, NUMBER_ROLE)
                item.setData(f"{plain_name(contact.name)} {plain(contact.number)} {contact.source}",
                             Qt.ItemDataRole.AccessibleTextRole)
                seen[contact.number] = item
                self.model.appendRow(item)
        self.model.sort(0)
        self._show_state()

    def set_search(self, text: str) -> None:
        self.filtered.setFilterFixedString(text.strip())
        self.title.setText(self.tr("Results for “%1”").replace("%1", text.strip()) if text.strip()
                           else self.tr("Contacts"))
        self._show_state()

    def visible_numbers(self) -> list[str]:
        return [self.filtered.index(row, 0).data(NUMBER_ROLE) for row in range(self.filtered.rowCount())]

    def _show_state(self) -> None:
        empty = self.filtered.rowCount() == 0
        self.state.setText(self.tr("Nobody matches.") if self.filtered.filterRegularExpression().pattern()
                           else self.tr("People you call and favorites appear here."))
        self.state.setVisible(empty)

    def _call(self, index) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.call_requested.emit(number)
