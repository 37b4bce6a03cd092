"""Call history from the PBX: missed calls stand out, Enter or double-click calls back. Each row shows the
best name the directory knows for the number (ui/caller_names.py); the context menu calls back, adds the
number to favorites or to the personal contacts on the PBX."""

from __future__ import annotations

from PySide6.QtCore import Qt, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QListView, QMenu, QPushButton, QVBoxLayout, QWidget

from callclient.services.types import HistoryPage, HistoryQuery
from ui import theme
from ui.caller_names import ListNames, number_menu, offer_row_menus
from ui.models import ACCENT_ROLE, NUMBER_ROLE, SECONDARY_ROLE, VALUE_ROLE, HistoryModel, TwoLineDelegate, role_of
from ui.parts import AppParts
from ui.text import plain


class HistoryView(QWidget):
    call_requested = Signal(str)
    missed_count_changed = Signal(int)
    add_favorite_requested = Signal(str, str)  # name, number
    add_contact_requested = Signal(str, str)  # name, number: a personal contact on the PBX

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._records: tuple = ()
        self.names = ListNames(parts, self)
        self.names.changed.connect(lambda: self.model.show(self._records, self.names.names, self._region()))
        self.model = HistoryModel(self)
        self.filtered = _HistoryFilter(self)
        self.filtered.setSourceModel(self.model)
        title = QLabel(self.tr("History"))
        title.setProperty("role", "heading")
        self.all_button = QPushButton(self.tr("All"))
        self.missed_button = QPushButton(self.tr("Missed"))
        group = QButtonGroup(self)
        self.all_button.setAccessibleName(self.tr("Show all calls"))
        self.missed_button.setAccessibleName(self.tr("Show missed calls"))
        for button in (self.all_button, self.missed_button):
            button.setCheckable(True)
            group.addButton(button)
        self.all_button.setChecked(True)
        self.missed_button.toggled.connect(self.filtered.show_missed_only)
        self.refresh_button = QPushButton(theme.icon("refresh"), "")
        self.refresh_button.setToolTip(self.tr("Refresh (F5)"))
        self.refresh_button.setAccessibleName(self.tr("Refresh history"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.all_button)
        header.addWidget(self.missed_button)
        header.addWidget(self.refresh_button)

        self.list = QListView()
        self.list.setModel(self.filtered)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setAccessibleName(self.tr("Call history"))
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(self._call_back)
        offer_row_menus(self.list, self.menu_for)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)  # it shows the PBX's error messages
        self.state.setProperty("role", "muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addLayout(header)
        layout.addWidget(self.state)
        layout.addWidget(self.list, 1)

    def _region(self) -> str:
        """dialplan.region, for numbers in the region's national format."""
        return str(self._parts.config().config.dialplan.region)

    def refresh(self) -> None:
        pbx = self._parts.services.pbx
        capable = pbx.capabilities is not None and pbx.capabilities.history
        for button in (self.all_button, self.missed_button, self.refresh_button):
            button.setEnabled(capable)
        if not capable:
            self.model.clear()
            self.state.setVisible(True)
            self.state.setText(self.tr("Your phone system does not share call history with CallClient."))
            return
        self.state.setVisible(True)
        self.state.setText(self.tr("Loading…"))
        self._parts.tasks.run(lambda: pbx.history(HistoryQuery(limit=100)), self._show, self._failed)

    def _show(self, page: HistoryPage) -> None:
        self._records = tuple(page.records)
        self.model.show(page.records, self.names.names, self._region())
        self.names.look_up([record.other_number for record in page.records])
        self.state.setText("" if page.records else self.tr("No calls yet."))
        self.state.setVisible(not page.records)
        self.missed_count_changed.emit(sum(1 for record in page.records if record.missed))

    def _failed(self, error: BaseException) -> None:
        cached = self._parts.services.pbx.cached_history()
        if cached is not None:
            self._records = tuple(cached.records)
            self.model.show(cached.records, self.names.names, self._region())
        self.state.setVisible(True)
        self.state.setText(self.tr("Could not load the history: %1").replace("%1", plain(str(error))))

    def set_search(self, text: str) -> None:
        self.filtered.setFilterFixedString(text)

    def menu_for(self, index) -> QMenu:
        """Call back, add to favorites, add to contacts, for the row at `index`."""
        number = index.data(NUMBER_ROLE) or ""
        record = index.data(VALUE_ROLE)
        return number_menu(self, number, record.other_name if record is not None else "", self.names.names.get(number),
                           self.call_requested, self.add_favorite_requested, self.add_contact_requested)

    def _call_back(self, index) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.call_requested.emit(number)


class _HistoryFilter(QSortFilterProxyModel):
    def __init__(self, parent) -> None:
        super().__init__(parent)
        self._missed_only = False
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def show_missed_only(self, missed_only: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._missed_only = missed_only
            self.endFilterChange()
        else:
            self._missed_only = missed_only
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt's name
        index = self.sourceModel().index(row, 0, parent)
        if self._missed_only and role_of(index, ACCENT_ROLE) is None:
            return False
        needle = self.filterRegularExpression().pattern().lower()
        if not needle:
            return True
        haystack = f"{index.data(Qt.ItemDataRole.DisplayRole)} {index.data(SECONDARY_ROLE)}".lower()
        return needle in haystack
