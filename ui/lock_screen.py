"""The lock screen: what the main window shows instead of favorites, history, voicemail and contacts while
CallClient is locked (callclient/services/lock.py decides when). "Unlock" asks the operating system to
confirm the user; while it asks, "Cancel" withdraws the question. The emergency line below stays usable:
the dial plan's emergency numbers are always dialable, locked or not."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from callclient.services.lock import LockChanged
from ui import theme


class LockScreen(QWidget):
    unlock_requested = Signal()
    cancel_requested = Signal()
    emergency_call_requested = Signal(str)  # the number as typed

    def __init__(self, emergency_numbers: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("CallClient is locked"))
        self._retry_in_s = 0
        self.title = QLabel(self.tr("CallClient is locked"))
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explanation = QLabel(self.tr("Confirm it is you to see your favorites, history, voicemail and "
                                          "contacts. Calls still ring and can be answered."))
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setObjectName("lockStatus")
        self.status.setAccessibleName(self.tr("Unlock status"))
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(theme.icon("settings"), self.tr("Unlock"))
        self.unlock_button.setObjectName("answerButton")
        self.unlock_button.setAccessibleName(self.tr("Unlock CallClient"))
        self.unlock_button.clicked.connect(self.unlock_requested)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel unlocking"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()

        self.emergency_number = QLineEdit()
        self.emergency_number.setObjectName("emergencyNumber")
        self.emergency_number.setAccessibleName(self.tr("Emergency number"))
        self.emergency_number.setPlaceholderText(", ".join(emergency_numbers))
        self.emergency_number.returnPressed.connect(self._emergency_call)
        self.emergency_button = QPushButton(theme.icon("call", "#ffffff"), self.tr("Emergency call"))
        self.emergency_button.setObjectName("declineButton")
        self.emergency_button.setAccessibleName(self.tr("Emergency call"))
        self.emergency_button.clicked.connect(self._emergency_call)
        emergency_hint = QLabel(self.tr("Emergency numbers can be called while CallClient is locked."))
        emergency_hint.setProperty("role", "muted")
        emergency_hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        emergency = QHBoxLayout()
        emergency.addWidget(self.emergency_number, 1)
        emergency.addWidget(self.emergency_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 24)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(2)
        layout.addWidget(emergency_hint)
        layout.addLayout(emergency)

        # Counts the backoff down on screen; the service, not this timer, decides when asking is allowed again.
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

    def show_state(self, state: LockChanged) -> None:
        self.unlock_button.setText(self.tr("Unlock"))
        self.unlock_button.setEnabled(not state.unlocking)
        self.cancel_button.setVisible(state.unlocking)
        if state.unlocking:
            self.status.setText(self.tr("Waiting for the system to confirm it is you…"))
        else:
            self.status.setText(state.message)
        self._retry_in_s = int(state.retry_in_s + 0.999)
        if self._retry_in_s > 0 and not state.unlocking:
            self._countdown.start()
            self._tick_text()
        else:
            self._countdown.stop()

    def _tick(self) -> None:
        self._retry_in_s -= 1
        if self._retry_in_s <= 0:
            self._countdown.stop()
            self.unlock_button.setEnabled(True)
            self.unlock_button.setText(self.tr("Unlock"))
            return
        self._tick_text()

    def _tick_text(self) -> None:
        self.unlock_button.setEnabled(False)
        self.unlock_button.setText(self.tr("Unlock (wait %1 s)").replace("%1", str(self._retry_in_s)))

    def _emergency_call(self) -> None:
        number = self.emergency_number.text().strip()
        if number:
            self.emergency_call_requested.emit(number)
