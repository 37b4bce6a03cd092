"""The incoming-call window: caller, answer, decline (and hold-and-answer when a call is already up).

It appears on top without taking keyboard focus, so whatever the user is typing elsewhere keeps going to
where they were typing; they answer with a click or the global shortcut on the main window.

The caller is named by the directory service: the name known locally (cache, favorites, history) before the
window is drawn, then a better one from the PBX's directory or LDAP when it arrives — through a queued
signal, so the ringing never waits for a server and no worker thread touches the window. The number always
stays beside the name, with the title and company when known.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from callclient.services.caller_id import CallerId
from callclient.services.threads import GUI, runs_on
from callclient.services.types import CallUpdated
from ui import theme
from ui.announce import announce
from ui.caller_names import deliver
from ui.models import details_text
from ui.text import NAME_LIMIT, caller, set_plain

# Wide enough for a long name; a caller's text is elided to it rather than widening a window that stays on top.
_CALLER_WIDTH_PX = 420


def _spoken_caller(name: str, number: str) -> str:
    return f"{name}, {number}" if number and number != name else name


class IncomingCallWindow(QWidget):
    answer_requested = Signal(str)  # call id
    hold_and_answer_requested = Signal(str)
    decline_requested = Signal(str)
    named = Signal(str, str)  # call id, the name now shown: for the tray and the benchmark

    _identified = Signal(str, object)  # call id, CallerId: from a directory worker

    def __init__(self, parent: QWidget | None = None, directory: Any = None) -> None:
        """`directory`: the DirectoryService that names callers (None: the SIP display name only)."""
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("incomingCall")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(self.tr("Incoming call"))
        self.setAccessibleName(self.tr("Incoming call"))
        self.call_id: str | None = None
        self._directory = directory
        self._caller_hidden = False  # the app lock hides who is calling (policy.hide_caller_when_locked)
        self.caller_id: CallerId | None = None  # what the directory said about the ringing call
        self.named_at: float | None = None  # time.monotonic() when the directory's name was shown
        self.rang_at: float | None = None  # time.monotonic() when the window first showed the call
        self._identified.connect(self._show_identified, Qt.ConnectionType.QueuedConnection)

        self.heading = QLabel(self.tr("Incoming call"))
        self.heading.setProperty("role", "muted")
        self.caller = QLabel()
        self.caller.setProperty("role", "title")
        self.caller.setAccessibleName(self.tr("Caller"))
        self.caller.setTextFormat(Qt.TextFormat.PlainText)
        self.caller.setMaximumWidth(_CALLER_WIDTH_PX)
        self.number = QLabel()
        self.number.setProperty("role", "muted")
        self.number.setAccessibleName(self.tr("Caller's number"))
        self.number.setTextFormat(Qt.TextFormat.PlainText)
        self.number.setMaximumWidth(_CALLER_WIDTH_PX)
        self.details = QLabel()
        self.details.setProperty("role", "muted")
        self.details.setAccessibleName(self.tr("Caller's title and company"))
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setMaximumWidth(_CALLER_WIDTH_PX)
        self.details.hide()

        self.answer = QPushButton(theme.icon("call", "#ffffff"), self.tr("Answer"))
        self.answer.setObjectName("answerButton")
        self.answer.setAccessibleName(self.tr("Answer"))
        self.answer.setToolTip(self.tr("Answer (Ctrl+Shift+A in the main window)"))
        self.answer.setIconSize(QSize(18, 18))
        self.answer.clicked.connect(lambda: self._emit(self.answer_requested))
        self.hold_and_answer = QPushButton(theme.icon("pause", "#ffffff"), self.tr("Hold and answer"))
        self.hold_and_answer.setObjectName("answerButton")
        self.hold_and_answer.setAccessibleName(self.tr("Hold the current call and answer"))
        self.hold_and_answer.clicked.connect(lambda: self._emit(self.hold_and_answer_requested))
        self.decline = QPushButton(theme.icon("hang-up", "#ffffff"), self.tr("Decline"))
        self.decline.setObjectName("declineButton")
        self.decline.setAccessibleName(self.tr("Decline"))
        self.decline.setIconSize(QSize(18, 18))
        self.decline.clicked.connect(lambda: self._emit(self.decline_requested))
        for button in (self.answer, self.hold_and_answer, self.decline):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never take the user's keystrokes

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.decline)
        buttons.addWidget(self.hold_and_answer)
        buttons.addWidget(self.answer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.caller)
        layout.addWidget(self.number)
        layout.addWidget(self.details)
        layout.addSpacing(10)
        layout.addLayout(buttons)
        self.setMinimumWidth(360)

    def _emit(self, signal) -> None:
        if self.call_id is not None:
            signal.emit(self.call_id)

    def ring(self, call: CallUpdated, other_calls: bool, hide_caller: bool = False) -> None:
        """Show `call` (without activating the window); offers hold-and-answer when `other_calls`;
        `hide_caller` while the app is locked under policy.hide_caller_when_locked (ringing again with it
        False, once unlocked, names the caller)."""
        renewed = call.call_id != self.call_id
        named_anew = renewed or hide_caller != self._caller_hidden
        self.call_id = call.call_id
        self._caller_hidden = hide_caller
        if named_anew:
            self.caller_id, self.named_at = None, None
            self.details.hide()
            if hide_caller:
                name, number = self.tr("Unlock CallClient to see who is calling"), ""
                set_plain(self.caller, name, NAME_LIMIT)
                set_plain(self.number, number)
            else:
                name, number = caller(call.remote)
                set_plain(self.caller, name, NAME_LIMIT)
                set_plain(self.number, number)
                if self._directory is not None and call.remote.number:
                    call_id = call.call_id
                    local = self._directory.identify(call.remote.number,
                                                     lambda found: deliver(self._identified, call_id, found))
                    if local is not None:
                        self._show_identified(call_id, local)
        self.heading.setText(self.tr("Call waiting") if other_calls else self.tr("Incoming call"))
        self.hold_and_answer.setVisible(other_calls)
        self.answer.setVisible(not other_calls)
        self._place()
        self.show()
        if named_anew:
            # A screen reader says who calls at once, wherever its focus is (the window does not take focus).
            announce(self, self.tr("%1: %2").replace("%1", self.heading.text())
                     .replace("%2", _spoken_caller(name, number)), assertive=True)
        if renewed:
            self.rang_at = time.monotonic()

    def _place(self) -> None:
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 24, area.bottom() - self.height() - 24)

    @Slot(str, object)
    @runs_on(GUI)
    def _show_identified(self, call_id: str, found: CallerId) -> None:
        """The directory's name for the ringing call (a late answer for a call gone is dropped)."""
        if call_id != self.call_id or not found.name or self._caller_hidden:
            return
        self.caller_id = found
        set_plain(self.caller, found.name, NAME_LIMIT)
        set_plain(self.number, found.number)
        details = details_text(found.company, found.title)
        set_plain(self.details, details)
        self.details.setVisible(bool(details))
        self.named_at = time.monotonic()
        if self.isVisible():
            self._place()  # a title line may have been added: stay inside the screen's corner
        self.named.emit(call_id, found.name)

    def stop_ringing(self, call_id: str | None = None) -> None:
        if call_id is None or call_id == self.call_id:
            self.call_id = None
            self.hide()
