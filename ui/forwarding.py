"""Call forwarding in the main window: the banner shown while every call is forwarded ("Calls are forwarded
to 0612…  [Turn off]") and the quick menu (forward all calls to…, stop) the tray and the Call menu share.
Both ask the forwarding service; what they show is the PBX's state, from its ForwardingChanged news."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QInputDialog, QLabel, QMenu, QPushButton, QWidget

from callclient.services.threads import GUI, runs_on
from callclient.services.types import ForwardingChanged, Forwards
from ui.parts import AppParts
from ui.text import NUMBER_LIMIT, plain


class ForwardingBanner(QFrame):
    """Visible exactly while unconditional forwarding is on at the PBX."""

    error = Signal(str)

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.setObjectName("forwardingBanner")
        # Blue, not the notices' amber: a standing state the user chose, not a warning that goes away.
        self.setStyleSheet("QFrame#forwardingBanner { background: #1f5fbf; border-radius: 8px; }"
                           "QFrame#forwardingBanner QLabel { color: white; font-weight: 600; }")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the destination is the PBX's string
        self.text.setAccessibleName(self.tr("Call forwarding"))
        self.turn_off = QPushButton(self.tr("Turn off"))
        self.turn_off.setAccessibleName(self.tr("Turn off call forwarding"))
        self.turn_off.clicked.connect(self._turn_off)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.turn_off)
        self.hide()
        forwarding = parts.services.forwarding
        if forwarding is not None:
            self.show_forwards(forwarding.current)
        parts.bridge.event.connect(self.on_event)  # the PBX's ForwardingChanged news

    @runs_on(GUI)
    def on_event(self, event: object) -> None:
        if isinstance(event, ForwardingChanged):
            self.show_forwards(event.forwards)

    def show_forwards(self, forwards: Forwards | None) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the PBX answered
        if forwards is None or not forwards.unconditional.enabled:
            self.hide()
            return
        self.text.setText(self.tr("Calls are forwarded to %1").replace(
            "%1", plain(forwards.unconditional.destination, NUMBER_LIMIT) or self.tr("another number")))
        self.turn_off.setEnabled(True)
        self.show()

    def _turn_off(self) -> None:
        forwarding = self._parts.services.forwarding
        if forwarding is None:
            return
        self.turn_off.setEnabled(False)

        def failed(error: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.turn_off.setEnabled(True)
            self.error.emit(str(error))

        self._parts.tasks.run(forwarding.stop_forwarding_all, self.show_forwards, failed)


class ForwardingMenu(QMenu):
    """"Call forwarding": forward all calls to… / stop forwarding all calls."""

    error = Signal(str)

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.setTitle(self.tr("Call &forwarding"))
        self.forward_all = self.addAction(self.tr("Forward all calls to…"))
        self.forward_all.triggered.connect(self._ask_destination)
        self.stop_all = self.addAction(self.tr("Stop forwarding all calls"))
        self.stop_all.triggered.connect(self.stop_forwarding)
        self.aboutToShow.connect(self._update)
        self._update()

    def _update(self) -> None:
        forwarding = self._parts.services.forwarding
        available = forwarding is not None and forwarding.available
        current = forwarding.current if forwarding is not None else None
        self.forward_all.setEnabled(available)
        self.stop_all.setEnabled(available and current is not None and current.unconditional.enabled)

    def _ask_destination(self) -> None:
        forwarding = self._parts.services.forwarding
        current = forwarding.current if forwarding is not None else None
        typed, ok = QInputDialog.getText(self.parentWidget(), self.tr("Forward all calls"),
                                         self.tr("Forward all calls to (number or extension):"),
                                         text=current.unconditional.destination if current else "")
        if ok:
            self.forward_all_to(typed)

    def forward_all_to(self, typed: str) -> None:
        forwarding = self._parts.services.forwarding
        if forwarding is not None:
            self._parts.tasks.run(lambda: forwarding.forward_all_to(typed), None,
                                  lambda error: self.error.emit(str(error)))

    def stop_forwarding(self) -> None:
        forwarding = self._parts.services.forwarding
        if forwarding is not None:
            self._parts.tasks.run(forwarding.stop_forwarding_all, None, lambda error: self.error.emit(str(error)))
