"""Contacts: the one search box's results, from every source the directory service asks — the PBX's users and
phonebooks, LDAP, the user's personal contacts, the desktop's address book (after consent), favorites and
recent calls — ranked and merged by the service, each row naming where it comes from.

Local results arrive at once, on the GUI thread, inside `search()`; remote ones arrive later on a directory
worker and cross to the GUI thread through a queued signal, never touching a widget there. A source that
fails shows a quiet line above the results; the others' results stay. Enter or a double-click dials the
first number; the context menu offers the other numbers, "Add to favorites" and "Add to contacts", and for
the user's personal contacts "Edit…" and "Delete"; "Import from CSV…" above the list fills them from a file.

Colleagues (the PBX's users) show their busy lamp, drawn as the favorites' are: the view hands the presence
service the colleagues on screen after each update (it follows those only, and drops them when the results
change) and draws the `PresenceChanged` events for their URIs, coalesced like the favorites'. A click on a
ringing colleague's lamp picks the call up through the presence service, as in Favorites.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callclient.services.directory import ImportResult, SourceKind
from callclient.services.directory_search import SearchResult, SearchUpdate
from callclient.services.threads import ANY_THREAD, GUI, runs_on
from callclient.services.types import PresenceChanged, PresenceState
from ui.caller_names import offer_row_menus
from ui.lamp_rows import LAMP_REPAINT_MS, LampDelegate, PendingLamps
from ui.models import LAMP_ROLE, LAMP_URI_ROLE, NUMBER_ROLE, VALUE_ROLE, SearchResultsModel, role_of
from ui.parts import AppParts
from ui.personal_contacts import (
    EditContactDialog,
    ImportResultDialog,
    ask_delete,
    personal_contact_of,
    read_csv,
)
from ui.text import MESSAGE_LIMIT, NUMBER_LIMIT, plain


class ContactsView(QWidget):
    call_requested = Signal(str)
    add_favorite_requested = Signal(str, str)  # name, number
    add_contact_requested = Signal(str, str)  # name, number: a personal contact on the PBX
    update_shown = Signal(object)  # the SearchUpdate now on screen (tests, the benchmark, screen readers)

    pickup_requested = Signal(str)  # the colleague's lamp URI whose call is being picked up
    personal_changed = Signal()  # a personal contact was edited, deleted or imported (caller names may change)

    _updated = Signal(object)  # SearchUpdate, from a directory worker

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._term = ""
        self._generation = 0
        self.last_update: SearchUpdate | None = None
        self._updated.connect(self._show_update, Qt.ConnectionType.QueuedConnection)
        self._lamp_uris: dict[str, str] = {}  # user uuid -> lamp URI, for the colleagues on screen
        self._shown_uris: set[str] = set()  # those URIs
        self._lamps: dict[str, tuple[str, str]] = {}  # lamp URI -> (state, note), for those only
        self._lamp_timer = PendingLamps(self, LAMP_REPAINT_MS, lambda: self._parts.account_id)
        self._lamp_timer.timeout.connect(self._draw_lamps)
        self.edit_dialog: EditContactDialog | None = None
        self.delete_box: QMessageBox | None = None
        self.import_dialog: ImportResultDialog | None = None
        self.model = SearchResultsModel(self)
        self.title = QLabel(self.tr("Contacts"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it repeats what was typed in the search box
        self.title.setProperty("role", "heading")
        self.new_button = QPushButton(self.tr("New contact…"))
        self.new_button.setAccessibleName(self.tr("Add a personal contact"))
        self.new_button.clicked.connect(lambda: self.add_contact_requested.emit("", ""))
        self.import_button = QPushButton(self.tr("Import from CSV…"))
        self.import_button.setAccessibleName(self.tr("Import contacts from a CSV file"))
        self.import_button.setToolTip(self.tr("Add the contacts of a CSV file (first line: firstname, lastname, "
                                              "number, mobile, email, company) to your personal contacts"))
        self.import_button.clicked.connect(self.import_csv)
        self.message = QLabel()
        self.message.setObjectName("contactsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # PBX error texts, contact names
        self.message.setWordWrap(True)
        self.message.setProperty("role", "muted")
        self.message.hide()
        self.problems = QLabel()
        self.problems.setObjectName("sourceProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)  # LDAP and PBX error texts
        self.problems.setProperty("role", "muted")
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("Sources that could not answer"))
        self.problems.hide()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(LampDelegate(self.pick_up, self.list))  # colleagues' rows only
        self.list.setMouseTracking(True)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName(self.tr("Contacts"))
        self.list.activated.connect(self._call)
        self.list.doubleClicked.connect(self._call)
        offer_row_menus(self.list, lambda index: self.menu_for(index.data(VALUE_ROLE)))
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setProperty("role", "muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.new_button)
        header.addWidget(self.import_button)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.problems)
        layout.addWidget(self.state, 1)  # centred in the page while there is no result to list
        layout.addWidget(self.list, 1)
        self._show_state()
        parts.bridge.presence_changed.connect(self.on_presence)

    # ------------------------------------------------------------------ searching

    @runs_on(GUI)
    def set_search(self, text: str) -> None:
        """A keystroke in the search box: the service answers locally inside this call, remotely later."""
        term = text.strip()
        self._term = term
        self.title.setText(self.tr("Results for “%1”").replace("%1", plain(term, NUMBER_LIMIT)) if term
                           else self.tr("Contacts"))
        directory = self._parts.services.directory
        if directory is None or not term:
            self._generation = 0
            self.last_update = None
            self.model.show(())
            self._follow_lamps()
            self.problems.hide()
            self._show_state()
            if directory is not None and not term:
                directory.search("", lambda _update: None)  # supersedes the last search: no late answers
            return
        self._generation = directory.search(term, self._receive)

    @runs_on(ANY_THREAD)
    def _receive(self, update: SearchUpdate) -> None:
        try:
            if QThread.currentThread() is self.thread():
                self._show_update(update)  # the local answer, inside search(): shown before the keystroke returns
            else:
                self._updated.emit(update)  # queued: a directory worker never touches the widgets
        except RuntimeError:
            pass  # the window was closed while a server answered: nobody to show it to

    @Slot(object)
    @runs_on(GUI)
    def _show_update(self, update: SearchUpdate) -> None:
        # Inside search() the generation is not known yet; after it, only the newest search is shown.
        if update.term != self._term or (self._generation and update.generation < self._generation):
            return
        self.last_update = update
        if update.results != self.model.results:
            self.model.show(update.results)
            self._follow_lamps()
        if update.problems:
            self.problems.setText("\n".join(self.tr("Not searched: %1").replace("%1", plain(p, MESSAGE_LIMIT))
                                            for p in update.problems))
        self.problems.setVisible(bool(update.problems))
        self._show_state()
        self.update_shown.emit(update)

    def _show_state(self) -> None:
        update = self.last_update
        if not self._term:
            text = self.tr("Type a name or number in the search box: colleagues, the company directory, your "
                           "contacts, favorites and recent calls are searched at once.")
        elif self.model.rowCount():
            text = ""
        elif update is not None and update.pending:
            text = self.tr("Searching %1…").replace("%1", ", ".join(plain(p, 60) for p in update.pending))
        else:
            text = self.tr("Nobody matches.")
        self.state.setText(text)
        self.state.setVisible(bool(text))
        self.list.setVisible(not text)

    def search_again(self) -> None:
        """After a change to the personal contacts: the same term, asked afresh."""
        if self._term:
            self.set_search(self._term)

    def visible_numbers(self) -> list[str]:
        return [self.model.index(row, 0).data(NUMBER_ROLE) for row in range(self.model.rowCount())]

    def visible_names(self) -> list[str]:
        return [self.model.index(row, 0).data() for row in range(self.model.rowCount())]

    # ------------------------------------------------------------------ acting on a result

    def _call(self, index) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.call_requested.emit(number)

    def menu_for(self, result: SearchResult) -> QMenu:
        """Call each number (labelled: work, mobile...), add to favorites, add to personal contacts."""
        menu = QMenu(self)
        for number in result.numbers:
            shown = plain(number.number, NUMBER_LIMIT)
            text = self.tr("Call %1 (%2)").replace("%1", shown).replace("%2", plain(number.label, 20)) \
                if number.label else self.tr("Call %1").replace("%1", shown)
            action = menu.addAction(text.replace("&", "&&"))
            action.triggered.connect(lambda _=False, n=number.number: self.call_requested.emit(n))
        menu.addSeparator()
        first = result.numbers[0].number if result.numbers else ""
        kinds = {c.kind for c in result.contacts}
        favorite = menu.addAction(self.tr("Add to favorites"))
        favorite.setEnabled(bool(first) and SourceKind.FAVORITE not in kinds)
        favorite.triggered.connect(lambda: self.add_favorite_requested.emit(result.name, first))
        contact = menu.addAction(self.tr("Add to contacts"))
        contact.setEnabled(bool(first) and SourceKind.PERSONAL not in kinds)
        contact.triggered.connect(lambda: self.add_contact_requested.emit(result.name, first))
        personal = personal_contact_of(result.contacts)
        if personal is not None:
            menu.addSeparator()
            menu.addAction(self.tr("Edit…")).triggered.connect(lambda: self.edit_contact(result))
            menu.addAction(self.tr("Delete")).triggered.connect(lambda: self.delete_contact(result))
        uri = self._lamp_uris.get(self._user_of(result) or "")
        if uri is not None and self._lamps.get(uri, ("", ""))[0] == PresenceState.RINGING:
            menu.addSeparator()
            pickup = menu.addAction(self.tr("Pick up their call"))
            pickup.triggered.connect(lambda: self._pick_up_uri(uri))
        return menu

    # ------------------------------------------------------------------ personal contacts on the PBX

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @runs_on(GUI)
    def edit_contact(self, result: SearchResult) -> None:
        """"Edit…": the personal contact's fields, saved over it on the PBX."""
        contact = personal_contact_of(result.contacts)
        if contact is None:
            return
        if self.edit_dialog is not None:
            self.edit_dialog.close()
        dialog = EditContactDialog(self._parts, contact, self)
        dialog.saved.connect(self._edited)
        self.edit_dialog = dialog
        dialog.open()

    def _edited(self, name: str) -> None:
        self._say(self.tr("%1 saved in your contacts.").replace("%1", plain(name, NUMBER_LIMIT * 2)))
        self.personal_changed.emit()
        self.search_again()

    @runs_on(GUI)
    def delete_contact(self, result: SearchResult) -> None:
        """"Delete": asks first, then deletes the personal contact on the PBX."""
        contact = personal_contact_of(result.contacts)
        directory = self._parts.services.directory
        if contact is None or directory is None:
            return
        entry_id, name = contact.entry_id, contact.name

        def delete() -> None:
            self._parts.tasks.run(lambda: directory.delete_personal_contact(entry_id), lambda _: deleted(),
                                  lambda error: self._say(self.tr("Could not delete %1: %2")
                                                          .replace("%1", plain(name, NUMBER_LIMIT * 2))
                                                          .replace("%2", plain(str(error), MESSAGE_LIMIT))))

        def deleted() -> None:
            self._say(self.tr("%1 deleted from your contacts.").replace("%1", plain(name, NUMBER_LIMIT * 2)))
            self.personal_changed.emit()
            self.search_again()

        self.delete_box = ask_delete(self, name, delete)

    @runs_on(GUI)
    def import_csv(self) -> None:
        """"Import from CSV…": the user picks a file, then `import_file`."""
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Import contacts from a CSV file"), "",
                                                    self.tr("CSV files (*.csv);;All files (*)"))
        if path:
            self.import_file(path)

    @runs_on(GUI)
    def import_file(self, path: str) -> None:
        """Reads and imports the file on a worker; the result dialog says what came in and what did not."""
        directory = self._parts.services.directory
        if directory is None:
            self._say(self.tr("Contacts are not available here."))
            return
        if self.import_dialog is not None:
            self.import_dialog.close()
        dialog = ImportResultDialog(Path(path).name, self)
        self.import_dialog = dialog
        dialog.open()

        def imported(result: ImportResult) -> None:
            dialog.show_result(result)
            self.personal_changed.emit()
            self.search_again()

        self._parts.tasks.run(lambda: directory.import_personal_contacts(read_csv(path)), imported,
                              dialog.show_error)

    # ------------------------------------------------------------------ colleagues' lamps

    @staticmethod
    def _user_of(result: SearchResult) -> str | None:
        """The PBX user behind a result: whose lamp it shows."""
        return next((c.user_uuid for c in result.contacts if c.kind is SourceKind.PBX_USER and c.user_uuid), None)

    def _follow_lamps(self) -> None:
        """Tells the presence service which colleagues are on screen now, then draws what is known of them."""
        presence, account_id = self._parts.services.presence, self._parts.account_id
        extension_of: dict[str, str] = {}
        for result in self.model.results:
            for contact in result.contacts:
                if contact.kind is SourceKind.PBX_USER and contact.user_uuid and contact.numbers:
                    extension_of.setdefault(contact.user_uuid, contact.numbers[0].number)
        # An empty set too: results without colleagues (or no results) stop the following.
        uris = presence.follow_search_results(account_id, extension_of) if account_id else {}
        self._lamp_uris = uris
        shown = self._shown_uris = set(uris.values())
        self._lamps = {uri: lamp for uri, lamp in self._lamps.items() if uri in shown}
        for uri in shown - self._lamps.keys():
            state = presence.lamp(account_id, uri)
            if state is not None:
                self._lamps[uri] = (str(state), "")
        for row in range(self.model.rowCount()):
            self._set_row_lamp(row)

    @Slot(object)
    def on_presence(self, event: PresenceChanged) -> None:
        if event.uri not in self._shown_uris:
            return  # not on screen: the presence service follows only the rows shown, but favorites share events
        self._lamp_timer.add(event)

    def _draw_lamps(self) -> None:
        pending = self._lamp_timer.take()
        for uri, event in pending.items():
            if uri in self._shown_uris:
                self._lamps[uri] = (str(event.state), event.note)
        for row in range(self.model.rowCount()):
            if role_of(self.model.index(row, 0), LAMP_URI_ROLE) in pending:
                self._set_row_lamp(row)

    def _set_row_lamp(self, row: int) -> None:
        result: SearchResult = self.model.results[row]
        uri = self._lamp_uris.get(self._user_of(result) or "")
        if uri is None:
            return
        state, note = self._lamps.get(uri, (PresenceState.UNKNOWN.value, ""))
        hint = self.tr("click the lamp to pick it up") if state == PresenceState.RINGING else ""
        self.model.set_lamp(row, uri, state, note, hint)

    def lamp_state(self, row: int) -> str:
        """The state the lamp of `row` shows (a PresenceState value); "" for a row without a lamp."""
        return str(role_of(self.model.index(row, 0), LAMP_ROLE) or "")

    def pick_up(self, index: QModelIndex) -> None:
        """Picks up the call ringing for the colleague of `index` (the presence service dials the code)."""
        uri = role_of(index, LAMP_URI_ROLE)
        if isinstance(uri, str) and role_of(index, LAMP_ROLE) == PresenceState.RINGING:
            self._pick_up_uri(uri)

    def _pick_up_uri(self, uri: str) -> None:
        presence, account_id = self._parts.services.presence, self._parts.account_id
        try:
            placed = presence.pickup(account_id, uri)
        except ValueError as error:
            self._say(self.tr("Pick up: %1").replace("%1", plain(str(error), MESSAGE_LIMIT)))
            return
        self.pickup_requested.emit(uri)
        self._parts.tasks.follow(placed, None, lambda error: self._say(
            self.tr("Could not pick up the call: %1").replace("%1", plain(str(error), MESSAGE_LIMIT))))

