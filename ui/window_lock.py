"""What the app lock (callclient/services/lock.py) does to the windows. The lock service decides when the app
is locked and whether callers are hidden; this shows it: while locked, a lock screen in place of everything
personal in the main window (during a call answered while locked, the call view alone, without navigation or
menus), every other window of the app hidden until the unlock, voicemail paused, and under
policy.hide_caller_when_locked nobody named in the call view or on the ringing window. It also tells the lock
of the user's input anywhere in the app, so its idle deadline starts again.

The main window composes one; its words stay in the "MainWindow" translation context."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QStackedWidget, QToolTip, QWidget

from callclient.services.lock import LockChanged
from callclient.services.threads import GUI, runs_on
from callclient.services.types import CallState, CallUpdated
from ui.lock_screen import LockScreen

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_INPUT_REPORT_S = 1.0  # the lock hears of input at most this often


class WindowLock(QObject):
    """Puts the lock screen over the main window's content (`central`) and follows the lock's news."""

    def __init__(self, window: MainWindow, central: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._parts = window.parts
        self.state = LockChanged(locked=False)
        self._last_input_report = 0.0
        self._ringing: CallUpdated | None = None  # the last call that rang: named once the app is unlocked
        self._hidden_by_lock: list[QWidget] = []  # the app's other windows, shown again after the unlock
        self.screen = LockScreen(tuple(self._parts.config().config.dialplan.emergency_numbers))
        self.screen.unlock_requested.connect(self.request_unlock)
        self.screen.cancel_requested.connect(self._cancel_unlock)
        self.screen.emergency_call_requested.connect(self._emergency_call)
        self.body = QStackedWidget()
        self.body.addWidget(central)
        self.body.addWidget(self.screen)
        window.setCentralWidget(self.body)
        self._parts.bridge.call_updated.connect(self._remember_ringing)
        self._parts.bridge.event.connect(self._on_event)
        lock = self._parts.services.lock
        if lock is not None:
            QApplication.instance().installEventFilter(self)  # input anywhere in the app: not idle
            self.on_lock_changed(lock.state())

    @property
    def locked(self) -> bool:
        return self.state.locked

    @property
    def showing(self) -> bool:
        """The lock screen is what the main window shows (locked, and no call up)."""
        return self.body.currentWidget() is self.screen

    def hide_caller(self) -> bool:
        return self.state.locked and self.state.hide_caller

    @runs_on(GUI)
    def _on_event(self, event: object) -> None:
        if isinstance(event, LockChanged):
            self.on_lock_changed(event)

    def _remember_ringing(self, event: CallUpdated) -> None:
        if event.state is CallState.INCOMING:
            self._ringing = event

    @runs_on(GUI)
    def on_lock_changed(self, state: LockChanged) -> None:
        window = self._window
        was_locked = self.state.locked
        self.state = state
        self.screen.show_state(state)
        self.apply()
        if state.locked != was_locked:
            if state.locked:
                self._hide_other_windows()
            else:
                self._show_hidden_windows()
            window.voicemail_view.set_locked(state.locked)
        window.call_view.set_caller_hidden(self.hide_caller())
        if was_locked and not state.locked and self._ringing is not None \
                and window.incoming.call_id == self._ringing.call_id:
            window.incoming.ring(self._ringing, other_calls=window.call_view.has_calls())  # now with the name

    def apply(self) -> None:
        """The lock screen, or the call view alone during a call; navigation, Settings and menus only unlocked."""
        window = self._window
        locked = self.state.locked
        in_call = window.screens.currentWidget() is window.call_view and window.call_view.has_calls()
        self.body.setCurrentWidget(self.screen if locked and not in_call else self.body.widget(0))
        navigation = window.findChild(QWidget, "navigation")
        if navigation is not None:
            navigation.setVisible(not locked)
        window.settings_action.setEnabled(not locked)
        window.menuBar().setVisible(not locked)

    def _hidden_while_locked(self, window: QWidget) -> bool:
        """Every window of the app but the main one (its lock screen) and the incoming-call window (which rings
        with the caller hidden): Settings, recordings, add-contact, personal contacts, any dialog."""
        return (window is not self._window and window is not self._window.incoming and window.isWindow()
                and window.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Desktop))

    def _hide_other_windows(self) -> None:
        QToolTip.hideText()
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and self._hidden_while_locked(window):
                window.hide()  # hidden, not closed: what the person was typing there waits for the unlock
                if window.windowType() != Qt.WindowType.Popup and window not in self._hidden_by_lock:
                    self._hidden_by_lock.append(window)

    def _show_hidden_windows(self) -> None:
        hidden, self._hidden_by_lock = self._hidden_by_lock, []
        for window in hidden:
            if shiboken6.isValid(window):  # a dialog may have been deleted meanwhile (a quick-dial box)
                window.show()

    def request_unlock(self) -> None:
        if self._parts.services.lock is not None:
            # The native handle: Windows Hello puts its prompt over this window.
            self._parts.services.lock.request_unlock(QCoreApplication.translate("MainWindow", "Unlock CallClient"),
                                                     int(self._window.winId()))

    def _cancel_unlock(self) -> None:
        if self._parts.services.lock is not None:
            self._parts.services.lock.cancel_unlock()

    def _emergency_call(self, number: str) -> None:
        lock = self._parts.services.lock
        if lock is not None and not lock.may_dial_while_locked(number):
            self.screen.status.setText(QCoreApplication.translate(
                "MainWindow", "Only emergency numbers can be called while CallClient is locked."))
            return
        self._window.call(number)

    def may_call(self, target: str) -> bool:
        """False while locked for any number but an emergency one; the lock screen then says why."""
        lock = self._parts.services.lock
        if self.state.locked and lock is not None and not lock.may_dial_while_locked(target):
            self.screen.status.setText(QCoreApplication.translate(
                "MainWindow", "Unlock CallClient to call this number; emergency numbers can be called while "
                "locked."))
            return False
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Tells the lock of input in any window (at most once a second): the idle deadline starts again.
        While locked, a window of the app that opens is hidden until the unlock (just after it shows); a
        question the person just asked for on the lock screen or in a call (a transfer target) stays."""
        if event.type() is QEvent.Type.Show and self.state.locked and isinstance(watched, QWidget) \
                and watched.isWindow() and watched.windowType() != Qt.WindowType.Popup \
                and not isinstance(watched, QInputDialog | QMessageBox) \
                and self._hidden_while_locked(watched) and watched not in self._hidden_by_lock:
            self._hidden_by_lock.append(watched)
            QTimer.singleShot(0, self._hide_other_windows)
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            now = time.monotonic()
            if now - self._last_input_report >= _INPUT_REPORT_S and self._parts.services.lock is not None:
                self._last_input_report = now
                self._parts.services.lock.user_active()
        return super().eventFilter(watched, event)
