"""The incoming-call window: caller, answer, decline (and hold-and-answer when a call is already up).

It appears on top without taking keyboard focus, so whatever the user is typing elsewhere keeps going to
where they were typing; they answer with a click or the global shortcut on the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from callclient.services.types import CallUpdated
from ui import theme
from ui.announce import announce
from ui.text import NAME_LIMIT, caller, set_plain

# Wide enough for a long name; a caller's text is elided to it rather than widening a window that stays on top.
_CALLER_WIDTH_PX = 420


def _spoken_caller(name: str, number: str) -> str:
    return f"{name}, {number}" if number and number != name else name


class IncomingCallWindow(QWidget):
    answer_requested = Signal(str)  # call id
    hold_and_answer_requested = Signal(str)
    decline_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("incomingCall")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(self.tr("Incoming call"))
        self.setAccessibleName(self.tr("Incoming call"))
        self.call_id: str | None = None

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
        layout.addSpacing(10)
        layout.addLayout(buttons)
        self.setMinimumWidth(360)

    def _emit(self, signal) -> None:
        if self.call_id is not None:
            signal.emit(self.call_id)

    def ring(self, call: CallUpdated, other_calls: bool, hide_caller: bool = False) -> None:
        """Show `call` (without activating the window); offers hold-and-answer when `other_calls`;
        `hide_caller` while the app is locked under policy.hide_caller_when_locked."""
        self.call_id = call.call_id
        name, number = caller(call.remote)
        if hide_caller:
            name, number = self.tr("Unlock CallClient to see who is calling"), ""
        set_plain(self.caller, name, NAME_LIMIT)
        set_plain(self.number, number)
        self.heading.setText(self.tr("Call waiting") if other_calls else self.tr("Incoming call"))
        self.hold_and_answer.setVisible(other_calls)
        self.answer.setVisible(not other_calls)
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 24, area.bottom() - self.height() - 24)
        self.show()
        # A screen reader says who calls at once, wherever its focus is (the window does not take focus).
        announce(self, self.tr("%1: %2").replace("%1", self.heading.text())
                 .replace("%2", _spoken_caller(name, number)), assertive=True)

    def stop_ringing(self, call_id: str | None = None) -> None:
        if call_id is None or call_id == self.call_id:
            self.call_id = None
            self.hide()
