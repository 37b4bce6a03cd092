"""The best name for each number on screen, for the windows that show calls (call view, tray messages).

One GUI-thread object per main window: `name_of(number)` answers from what is known now (the directory's
local answer, asked once per number) and starts the remote lookup; when a better name arrives on a
directory worker it crosses to the GUI thread through a queued signal and `changed` tells the views to
repaint. No view waits for a server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QMenu, QWidget

from callclient.services.caller_id import CallerId
from callclient.services.threads import GUI, runs_on
from ui.text import NUMBER_LIMIT, plain

def deliver(signal: Any, *values: object) -> None:
    """Emits from a directory worker; a window closed meanwhile (its C++ object gone) just misses it."""
    try:
        signal.emit(*values)
    except RuntimeError:
        pass


_REMEMBERED = 200  # numbers named this session; a long day's calls, not the directory


class CallerNames(QObject):
    changed = Signal(str)  # the number whose name is better now

    _found = Signal(str, object)  # number, CallerId: from a directory worker

    def __init__(self, directory: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._known: dict[str, CallerId | None] = {}
        self._found.connect(self._remember, Qt.ConnectionType.QueuedConnection)

    @runs_on(GUI)
    def name_of(self, number: str) -> CallerId | None:
        if not number or self._directory is None:
            return None
        if number not in self._known:
            if len(self._known) >= _REMEMBERED:
                self._known.pop(next(iter(self._known)))
            self._known[number] = self._directory.identify(number, lambda found: deliver(self._found, number, found))
        return self._known[number]

    @Slot(str, object)
    @runs_on(GUI)
    def _remember(self, number: str, found: CallerId) -> None:
        self._known[number] = found
        self.changed.emit(number)


_TRUSTED = ("pbx-user", "directory", "personal", "address-book")  # names better than the PBX's call record
_REMOTE_PER_LIST = 10  # remote lookups one list may start: a long history must not queue ahead of a ringing call
# A number the remote sources answered without a name is asked again on a later refresh (after a call, a PBX
# push), at most every _ASK_AGAIN_AFTER_S. One they could not answer (the PBX not signed in yet, a timeout) is
# asked again after _RETRY_S on its own, a few times: the first answer must not stick for the session.
_ASK_AGAIN_AFTER_S = 10.0
_RETRY_S = 3.0
_RETRIES = 5


class ListNames(QObject):
    """Names for the rows of a list (history, voicemail): the directory's local answers for every number,
    looked up on a worker; then, for a few numbers it could not name, the remote sources (whose answers the
    directory caches). `changed` fires when `names` has something new; the view re-shows its rows."""

    changed = Signal()

    _found = Signal(object)  # CallerId, from a directory worker
    _unanswered = Signal(str)  # a number the remote sources could not answer for, from a directory worker

    def __init__(self, parts: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.names: dict[str, CallerId] = {}
        self._asked: dict[str, float] = {}  # number -> time.monotonic() of the last remote lookup
        self._failures: dict[str, int] = {}  # number -> remote lookups no source could answer
        self._retrying: list[str] = []
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(int(_RETRY_S * 1000))
        self._retry.timeout.connect(self._ask_again)
        self._found.connect(self._remember, Qt.ConnectionType.QueuedConnection)
        self._unanswered.connect(self._not_answered, Qt.ConnectionType.QueuedConnection)

    @runs_on(GUI)
    def look_up(self, numbers: list[str]) -> None:
        directory = self._parts.services.directory
        if directory is None:
            return
        wanted = list(dict.fromkeys(n for n in numbers if n))
        self._parts.tasks.run(lambda: directory.names_for(wanted), lambda found: self._local(wanted, found),
                              lambda error: None)

    def _local(self, wanted: list[str], found: dict[str, CallerId]) -> None:
        if found:
            self.names.update(found)
            self.changed.emit()
        self._ask_remote(wanted)

    def _ask_remote(self, wanted: list[str]) -> None:
        directory = self._parts.services.directory
        if directory is None:
            return
        now = time.monotonic()
        unnamed = [n for n in wanted if now - self._asked.get(n, -_ASK_AGAIN_AFTER_S) >= _ASK_AGAIN_AFTER_S
                   and (n not in self.names or str(self.names[n].kind) not in _TRUSTED)]
        named_now = False
        for number in unnamed[:_REMOTE_PER_LIST]:
            self._asked[number] = now
            # What the directory knows now may be newer than the names_for answer: another list's lookup of
            # the same number may have been cached since (the remote then calls back only with better names).
            local = directory.identify(number, lambda found: deliver(self._found, found),
                                       lambda number: deliver(self._unanswered, number))
            if local is not None and local != self.names.get(number):
                self.names[number] = local
                named_now = True
        if named_now:
            self.changed.emit()

    @Slot(object)
    @runs_on(GUI)
    def _remember(self, found: CallerId) -> None:
        self.names[found.number] = found
        self._failures.pop(found.number, None)
        self.changed.emit()

    @Slot(str)
    @runs_on(GUI)
    def _not_answered(self, number: str) -> None:
        self._asked.pop(number, None)  # the next refresh asks again at once
        self._failures[number] = self._failures.get(number, 0) + 1
        if self._failures[number] <= _RETRIES and number not in self._retrying:
            self._retrying.append(number)
            if not self._retry.isActive():
                self._retry.start()

    @Slot()
    @runs_on(GUI)
    def _ask_again(self) -> None:
        numbers, self._retrying = self._retrying, []
        self._ask_remote(numbers)


def offer_row_menus(rows: QAbstractItemView, menu_for: Callable[[QModelIndex], QMenu]) -> None:
    """A right-click (or the menu key) on one of `rows` opens `menu_for(that row)` where it was asked for."""
    def open_at(position: QPoint) -> None:
        index = rows.indexAt(position)
        if index.isValid():
            menu_for(index).exec(rows.viewport().mapToGlobal(position))

    rows.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    rows.customContextMenuRequested.connect(open_at)


def number_menu(parent: QWidget, number: str, name: str, found: CallerId | None, call: Signal,
                add_favorite: Signal, add_contact: Signal) -> QMenu:
    """A history row's or a voicemail message's menu: call back, add to favorites, add to contacts.
    `name` is what the PBX called the number, `found` what the directory knows of it (its name wins)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("CallerMenu", text)

    menu = QMenu(parent)
    if found is not None:
        name = found.name
    call_back = menu.addAction(tr("Call %1").replace("%1", plain(number, NUMBER_LIMIT)).replace("&", "&&"))
    call_back.triggered.connect(lambda: call.emit(number))
    menu.addSeparator()
    favorite = menu.addAction(tr("Add to favorites"))
    favorite.triggered.connect(lambda: add_favorite.emit(name or number, number))
    contact = menu.addAction(tr("Add to contacts…"))
    contact.setEnabled(found is None or str(found.kind) != "personal")  # already one of the user's own
    contact.triggered.connect(lambda: add_contact.emit(name, number))
    for action in (call_back, favorite, contact):
        action.setEnabled(action.isEnabled() and bool(number))
    return menu
