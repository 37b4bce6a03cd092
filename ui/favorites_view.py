"""Favorites: the people the user calls most, with busy lamps (from the PBX's presence on Wazo, SIP presence
otherwise: the presence service decides, the view only draws its `PresenceChanged`). Click (or Enter) calls;
a click on a ringing colleague's lamp, or "Pick up", picks their call up; drag to reorder; add with a name and
a number; remove with Delete. A legend under the list names each lamp. The list lives in the local store,
which the view only touches through worker tasks.

Lamp events are coalesced: they are kept per URI as they arrive and drawn together at most every
`LAMP_REPAINT_MS`, so a flood of presence changes (a PBX pushing hundreds a second) never stalls the window.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callclient.services.types import Favorite, PresenceChanged, PresenceState
from ui import theme
from ui.lamp_rows import LAMP_REPAINT_MS, LampDelegate, PendingLamps
from ui.lamps import LEGEND_ORDER, lamp_label, lamp_pixmap
from ui.models import DOT_ROLE, LAMP_ROLE, NUMBER_ROLE, SECONDARY_ROLE, VALUE_ROLE, FavoritesModel
from ui.parts import AppParts
from ui.text import plain, plain_tooltip

class _ReorderableList(QListView):
    reordered = Signal()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().dropEvent(event)
        self.reordered.emit()


class FavoritesView(QWidget):
    call_requested = Signal(str)
    pickup_requested = Signal(str)  # the colleague's URI whose call is being picked up
    changed = Signal(list)  # the favorites, after any load or change
    error = Signal(str)

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._uri_of: dict[int, str] = {}
        self._lamps: dict[str, tuple[str, str]] = {}  # URI -> (state, note) as last drawn
        self._lamp_timer = PendingLamps(self, LAMP_REPAINT_MS, lambda: self._parts.account_id)
        self._lamp_timer.timeout.connect(self._draw_lamps)
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
        self.list.setItemDelegate(LampDelegate(self.pick_up, self.list, unset_state=PresenceState.UNKNOWN))
        self.list.setMouseTracking(True)
        self.list.setAccessibleName(self.tr("Favorites"))
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.activated.connect(self._call)
        self.list.doubleClicked.connect(self._call)
        self.list.reordered.connect(self._save_order)
        self.remove_button = QPushButton(theme.icon("delete"), self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected favorite"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.pickup_button = QPushButton(self.tr("Pick up"))
        self.pickup_button.setAccessibleName(self.tr("Pick up the selected colleague's ringing call"))
        self.pickup_button.setToolTip(self.tr("Answer the call ringing for this colleague (pickup feature code)"))
        self.pickup_button.clicked.connect(lambda: self.pick_up(self.list.currentIndex()))
        self.pickup_button.setEnabled(False)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_pickup())
        self.legend = self._legend()
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setProperty("role", "muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.pickup_button)
        header.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addLayout(header)
        layout.addLayout(adder)
        layout.addWidget(self.state)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.legend)
        parts.bridge.presence_changed.connect(self.on_presence)

    def _legend(self) -> QWidget:
        legend = QWidget()
        legend.setAccessibleName(self.tr("Busy lamp legend"))
        grid = QGridLayout(legend)
        grid.setContentsMargins(4, 4, 4, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        columns = 4
        for n, state in enumerate(LEGEND_ORDER):
            icon = QLabel()
            icon.setPixmap(lamp_pixmap(state, 12))
            text = QLabel(lamp_label(state))
            text.setProperty("role", "muted")
            row, column = divmod(n, columns)
            grid.addWidget(icon, row, column * 2)
            grid.addWidget(text, row, column * 2 + 1)
        grid.setColumnStretch(columns * 2 - 1, 1)
        return legend

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
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            item.setData(None, DOT_ROLE)  # the lamp is drawn by LampDelegate
            uri = self._uri_of.get(item.data(VALUE_ROLE).id)
            state, note = self._lamps.get(uri or "", (PresenceState.UNKNOWN.value, ""))
            self._set_lamp(item, state, note)
        self._update_pickup()
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
        self._lamp_timer.add(event)

    def _draw_lamps(self) -> None:
        pending = self._lamp_timer.take()
        for uri, event in pending.items():
            self._lamps[uri] = (str(event.state), event.note)
        rows_of: dict[str, list[int]] = {}
        for row in range(self.model.rowCount()):
            uri = self._uri_of.get(self.model.item(row).data(VALUE_ROLE).id)
            if uri in pending:
                rows_of.setdefault(uri, []).append(row)
        for uri, rows in rows_of.items():
            state, note = self._lamps[uri]
            for row in rows:
                self._set_lamp(self.model.item(row), state, note)
        self._update_pickup()

    def _set_lamp(self, item, state: str, note: str) -> None:  # noqa: ANN001
        favorite: Favorite = item.data(VALUE_ROLE)
        label = lamp_label(state)
        words = f"{label} · {plain(note)}" if note else label
        item.setData(state, LAMP_ROLE)
        item.setData(f"{plain(favorite.target)} · {words}", SECONDARY_ROLE)
        hint = self.tr("click the lamp or Pick up to answer it") if state == PresenceState.RINGING else ""
        item.setToolTip(plain_tooltip(f"{favorite.label}: {words}" + (f" — {hint}" if hint else "")))

    def lamp_state(self, row: int) -> str:
        """The state the lamp of `row` shows (a PresenceState value)."""
        return str(self.model.item(row).data(LAMP_ROLE) or PresenceState.UNKNOWN)

    def _update_pickup(self) -> None:
        index = self.list.currentIndex()
        self.pickup_button.setEnabled(index.isValid() and index.data(LAMP_ROLE) == PresenceState.RINGING)

    def pick_up(self, index: QModelIndex) -> None:
        """Picks up the call ringing for the colleague of `index` (the presence service dials the code)."""
        if not index.isValid() or index.data(LAMP_ROLE) != PresenceState.RINGING:
            return
        uri = self._uri_of.get(index.data(VALUE_ROLE).id)
        if uri is None:
            return
        presence, account_id = self._parts.services.presence, self._parts.account_id
        try:
            placed = presence.pickup(account_id, uri)
        except ValueError as error:
            self.error.emit(self.tr("Pick up: %1").replace("%1", str(error)))
            return
        self.pickup_requested.emit(uri)
        self._parts.tasks.follow(placed, None, lambda error: self.error.emit(
            self.tr("Could not pick up the call: %1").replace("%1", str(error))))

    def _call(self, index) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.call_requested.emit(number)
