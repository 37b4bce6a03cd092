"""Answering at the main window: the incoming-call window and what it asks (answer, hold and answer, decline),
Ctrl+Shift+A anywhere in the app, the media and phone keys where no MPRIS player takes them, and the tray's
"Incoming call" notification while the window is out of sight. The call actions service does the answering
(it holds the call the user is on first); the alerting service rings.

The main window composes one; its words stay in the "MainWindow" translation context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from callclient.services.types import CallUpdated
from ui.incoming import IncomingCallWindow
from ui.text import caller_line, plain

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# Media and phone keys the window acts on where no MPRIS player takes them (callclient/desktop/mpris.py).
CALL_KEYS = frozenset({Qt.Key.Key_MediaPlay, Qt.Key.Key_MediaTogglePlayPause, Qt.Key.Key_Phone, Qt.Key.Key_Call,
                       Qt.Key.Key_Hangup, Qt.Key.Key_MediaStop})


class Answering(QObject):
    """Owns the incoming-call window; `window` gives it the call view, the app lock and the notices."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._calls = window.parts.services.calls
        self.incoming = IncomingCallWindow(directory=window.parts.services.directory)
        self.incoming.answer_requested.connect(self.answer)
        self.incoming.hold_and_answer_requested.connect(self.hold_and_answer)
        self.incoming.decline_requested.connect(self.decline)
        QShortcut(QKeySequence("Ctrl+Shift+A"), window, self.answer_ringing,
                  context=Qt.ShortcutContext.ApplicationShortcut)

    def ring(self, event: CallUpdated) -> None:
        """A call rings: the incoming-call window, and a notification if the main window is out of sight."""
        window = self._window
        self.incoming.ring(event, other_calls=window.call_view.has_calls() or event.waiting,
                           hide_caller=window.app_lock.hide_caller())
        desktop = window.parts.services.desktop
        # One notification per call: where the desktop service shows it (with Answer/Decline), not here too.
        if (window.isMinimized() or not window.isVisible()) and not (desktop is not None and desktop.notifies_calls):
            # The directory's local name, already on the ringing window; else the SIP display name.
            found = self.incoming.caller_id if self.incoming.call_id == event.call_id else None
            if window.app_lock.hide_caller():
                body = QCoreApplication.translate("MainWindow", "Unlock CallClient to see who is calling")
            elif found is not None:
                body = f"{plain(found.name)} ({plain(found.number)})"
            else:
                body = caller_line(event.remote)
            window.notify(QCoreApplication.translate("MainWindow", "Incoming call"), body)

    def answer(self, call_id: str) -> None:
        """Answers; the call actions service holds the call the user is on first."""
        self.incoming.stop_ringing(call_id)
        self._command(self._calls.answer(call_id), QCoreApplication.translate("MainWindow", "Could not answer"))

    def hold_and_answer(self, call_id: str) -> None:
        self.incoming.stop_ringing(call_id)
        self._command(self._calls.hold_and_answer(call_id),
                      QCoreApplication.translate("MainWindow", "Could not answer"))

    def decline(self, call_id: str) -> None:
        self.incoming.stop_ringing(call_id)
        self._command(self._calls.decline(call_id), QCoreApplication.translate("MainWindow", "Could not decline"))

    def answer_ringing(self) -> None:
        if self.incoming.call_id is not None:
            self.answer(self.incoming.call_id)

    def call_key(self, key: Qt.Key) -> None:
        """A media or phone key pressed here while no MPRIS player takes them (Windows, macOS, media keys off):
        the same meaning as through MPRIS (callclient/desktop/mpris.py, the user guide's table)."""
        ringing, on_call = self.incoming.call_id is not None, self._window.call_view.has_calls()
        toggle = key in (Qt.Key.Key_MediaTogglePlayPause, Qt.Key.Key_Phone)
        if key in (Qt.Key.Key_MediaPlay, Qt.Key.Key_Call) or (toggle and ringing):
            self.answer_ringing()
        elif on_call and (toggle or key in (Qt.Key.Key_Hangup, Qt.Key.Key_MediaStop)):
            self._command(self._calls.hang_up(), QCoreApplication.translate("MainWindow", "Could not hang up"))
        elif ringing and key in (Qt.Key.Key_Hangup, Qt.Key.Key_MediaStop):
            self.decline(self.incoming.call_id)

    def _command(self, future, failure: str) -> None:
        self._window.parts.tasks.follow(future, None, lambda error: self._window.show_notice(
            QCoreApplication.translate("MainWindow", "%1: %2").replace("%1", failure).replace("%2", str(error))))
