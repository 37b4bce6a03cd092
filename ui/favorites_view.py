"""Favorites: the people the user calls most, with busy lamps from SIP presence. Click (or Enter) calls;
drag to reorder; add with a name and a number; remove with Delete. The list lives in the local store,
which the view only touches through worker tasks."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callclient.services.types import Favorite, PresenceChanged
from ui import theme
from ui.models import NUMBER_ROLE, VALUE_ROLE, FavoritesModel, TwoLineDelegate
from ui.parts import AppParts


class _ReorderableList(QListView):
    reordered = Signal()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().dropEvent(event)
        self.reordered.emit()


class FavoritesView(QWidget):
    call_requested = Signal(str)
    changed = Signal(list)  # the favorites, after any load or change
    error = Signal(str)

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._uri_of: dict[int, str] = {}
        self.favorites: list[Favorite] = []
        self.model = FavoritesModel(self)
        title = QLabel(self.tr("Favorites"))
        title.setProperty("role", "heading")

        self.name_field = QLineEdit()
        self.name_field.setPlaceholderText(self.tr("Name"))
        self.name_field.setAccessibleName(self.tr("New favorite's name"))
        self.number_field = QLineEdit()
        self.number_field.setPlaceholderText(self.tr("Number or SIP address"))
        self.number_field.setAccessibleName(self.tr("New favorite's number"))
        self.number_field.returnPressed.connect(self.add_from_fields)
        self.add_button = QPushButton(theme.icon("add"), self.tr("Add"))
        self.add_button.setAccessibleName(self.tr("Add favorite"))
        self.add_button.clicked.connect(self.add_from_fields)
        adder = QHBoxLayout()
        adder.addWidget(self.name_field, 2)
        adder.addWidget(self.number_field, 2)
        adder.addWidget(self.add_button)

        self.list = _ReorderableList()
        self.list.setModel(self.model)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setAccessibleName(self.tr("Favorites"))
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.activated.connect(self._call)
        self.list.doubleClicked.connect(self._call)
        self.list.reordered.connect(self._save_order)
        self.remove_button = QPushButton(theme.icon("delete"), self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected favorite"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setProperty("role", "muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addLayout(header)
        layout.addLayout(adder)
        layout.addWidget(self.state)
        layout.addWidget(self.list, 1)
        parts.bridge.presence_changed.connect(self.on_presence)

    def refresh(self) -> None:
        """Lists the favorites of the account in use now (read live: a first sign-in shows at once)."""
        favorites = self._parts.services.favorites
        account_id = self._parts.account_id
        if not account_id:
            self.state.setText(self.tr("Set up an account to keep favorites."))
            self.state.setVisible(True)
            return
        self._parts.tasks.run(lambda: favorites.list(account_id), self._show, self._failed)

    def _show(self, favorites: list[Favorite]) -> None:
        self.favorites = list(favorites)
        self.model.show(favorites)
        self._uri_of = {f.id: uri for f in favorites if (uri := f.sip_uri(self._parts.domain))}
        self.state.setText("" if favorites else self.tr("No favorites yet: add a name and a number above."))
        self.state.setVisible(not favorites)
        self.changed.emit(self.favorites)  # the lamps' subscriptions are the presence service's

    def _failed(self, error: BaseException) -> None:
        self.error.emit(self.tr("Favorites: %1").replace("%1", str(error)))

    def add_from_fields(self) -> None:
        self.add(self.name_field.text(), self.number_field.text())

    def add(self, label: str, target: str) -> None:
        favorites = self._parts.services.favorites
        if not self._parts.account_id:
            self.state.setText(self.tr("Set up an account to keep favorites."))
            return
        account_id = self._parts.account_id

        def added(_favorite: Favorite) -> None:
            self.name_field.clear()
            self.number_field.clear()
            self.refresh()

        self._parts.tasks.run(lambda: favorites.add(account_id, label, target), added, self._failed)

    def remove_selected(self) -> None:
        favorites = self._parts.services.favorites
        index = self.list.currentIndex()
        if not index.isValid():
            return
        favorite_id = index.data(VALUE_ROLE).id
        self._parts.tasks.run(lambda: favorites.remove(favorite_id), lambda _: self.refresh(), self._failed)

    def _save_order(self) -> None:
        favorites = self._parts.services.favorites
        ids, account_id = self.model.favorite_ids(), self._parts.account_id
        self._parts.tasks.run(lambda: favorites.reorder(account_id, ids), lambda _: self.refresh(), self._failed)

    def on_presence(self, event: PresenceChanged) -> None:
        # Lamps are per account: the same colleague watched from another account is another subscription.
        if event.account_id and event.account_id != self._parts.account_id:
            return
        self.model.set_presence(self._uri_of, event.uri, str(event.state), event.note)

    def _call(self, index) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.call_requested.emit(number)
