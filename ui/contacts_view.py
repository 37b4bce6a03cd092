"""Contacts: the one search box's results, from every source the directory service asks — the PBX's users and
phonebooks, LDAP, the user's personal contacts, the desktop's address book (after consent), favorites and
recent calls — ranked and merged by the service, each row naming where it comes from.

Local results arrive at once, on the GUI thread, inside `search()`; remote ones arrive later on a directory
worker and cross to the GUI thread through a queued signal, never touching a widget there. A source that
fails shows a quiet line above the results; the others' results stay. Enter or a double-click dials the
first number; the context menu offers the other numbers, "Add to favorites" and "Add to contacts".
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QLabel, QListView, QMenu, QVBoxLayout, QWidget

from callclient.services.directory import SearchResult, SearchUpdate, SourceKind
from callclient.services.threads import ANY_THREAD, GUI, runs_on
from ui.models import NUMBER_ROLE, VALUE_ROLE, SearchResultsModel, TwoLineDelegate
from ui.parts import AppParts
from ui.text import MESSAGE_LIMIT, NUMBER_LIMIT, plain


class ContactsView(QWidget):
    call_requested = Signal(str)
    add_favorite_requested = Signal(str, str)  # name, number
    add_contact_requested = Signal(str, str)  # name, number: a personal contact on the PBX
    update_shown = Signal(object)  # the SearchUpdate now on screen (tests, the benchmark, screen readers)

    _updated = Signal(object)  # SearchUpdate, from a directory worker

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._term = ""
        self._generation = 0
        self.last_update: SearchUpdate | None = None
        self._updated.connect(self._show_update, Qt.ConnectionType.QueuedConnection)
        self.model = SearchResultsModel(self)
        self.title = QLabel(self.tr("Contacts"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it repeats what was typed in the search box
        self.title.setProperty("role", "heading")
        self.problems = QLabel()
        self.problems.setObjectName("sourceProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)  # LDAP and PBX error texts
        self.problems.setProperty("role", "muted")
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("Sources that could not answer"))
        self.problems.hide()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName(self.tr("Contacts"))
        self.list.activated.connect(self._call)
        self.list.doubleClicked.connect(self._call)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu_at)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setProperty("role", "muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.problems)
        layout.addWidget(self.state, 1)  # centred in the page while there is no result to list
        layout.addWidget(self.list, 1)
        self._show_state()

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
        self.model.show(update.results)
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

    def visible_numbers(self) -> list[str]:
        return [self.model.index(row, 0).data(NUMBER_ROLE) for row in range(self.model.rowCount())]

    def visible_names(self) -> list[str]:
        return [self.model.index(row, 0).data() for row in range(self.model.rowCount())]

    # ------------------------------------------------------------------ acting on a result

    def _call(self, index) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.call_requested.emit(number)

    def _menu_at(self, position: QPoint) -> None:
        index = self.list.indexAt(position)
        if not index.isValid():
            return
        menu = self.menu_for(index.data(VALUE_ROLE))
        menu.exec(self.list.viewport().mapToGlobal(position))

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
        return menu

