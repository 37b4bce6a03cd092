"""The in-call view: who, how long, and every control a call needs (mute, hold, keypad, transfer, add
call, merge, hang up), plus a quality indicator from pjsua2's stream statistics. The controls with a job of
their own live beside it: the Transfer menu (ui/call_transfer.py), the Audio menu and level meters
(ui/call_audio.py), recording (ui/call_recording.py) and the quality line (ui/call_quality.py).

It keeps no record of its own of the calls: `CallActions.calls` (the one record, fed before this view hears
of an event) says which calls are up and which is current, and every button is a call action.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from callclient.services.caller_id import CallerId
from callclient.services.threads import GUI, runs_on
from callclient.services.types import CallEnded, CallState, CallUpdated, MediaState
from ui import theme
from ui.announce import announce
from ui.call_audio import DevicesMenu, LevelMeters
from ui.call_quality import QualityLine
from ui.call_recording import RecordingControl
from ui.call_transfer import TransferMenu
from ui.caller_names import CallerNames
from ui.dialpad import Dialpad
from ui.models import details_text, format_duration
from ui.parts import AppParts
from ui.text import NAME_LIMIT, NUMBER_LIMIT, caller, caller_line, plain, plain_name, set_plain

_PARTY_WIDTH_PX = 520  # a far end's long name is elided to this, never widening the window


class CallView(QWidget):
    add_call_requested = Signal()
    call_requested = Signal(str)  # another number of the contact on the line (directory, issue 13)
    error = Signal(str)  # a user-facing message when a call command fails

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._actions = parts.services.calls
        self._connected_at: dict[str, float] = {}
        # The app lock under policy.hide_caller_when_locked (set_caller_hidden): no far end named until unlocked.
        self._caller_hidden = False
        self._announced: dict[str, tuple[object, ...]] = {}  # call id -> the state a screen reader last heard

        self.name = QLabel()
        self.name.setProperty("role", "title")
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setMaximumWidth(_PARTY_WIDTH_PX)
        self.number = QLabel()
        self.number.setProperty("role", "muted")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setMaximumWidth(_PARTY_WIDTH_PX)
        for label in (self.name, self.number):
            label.setTextFormat(Qt.TextFormat.PlainText)
        # The directory's name for the far end, and the contact's other numbers (issue 13).
        self.names = CallerNames(parts.services.directory, self)
        self.names.changed.connect(lambda _number: self._refresh())
        self.other_numbers = QToolButton()
        self.other_numbers.setText(self.tr("Other numbers"))
        self.other_numbers.setAccessibleName(self.tr("Call another number of this contact"))
        self.other_numbers.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.other_numbers.setMenu(QMenu(self.other_numbers))
        self.other_numbers.hide()
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setAccessibleName(self.tr("Call status"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.quality = QualityLine(parts)

        self.mute = self._control("microphone-off", self.tr("Mute"), self.tr("Mute the microphone (Ctrl+M)"), True)
        self.mute.setShortcut("Ctrl+M")
        self.mute.toggled.connect(self._mute_toggled)
        self.hold = self._control("pause", self.tr("Hold"), self.tr("Put the call on hold (Ctrl+H)"), True)
        self.hold.setShortcut("Ctrl+H")
        self.hold.toggled.connect(self._hold_toggled)
        self.keypad_button = self._control("dialpad", self.tr("Keypad"), self.tr("Send tones (DTMF)"), True)
        self.keypad_button.toggled.connect(self._show_keypad)
        self.transfer = self._control("transfer", self.tr("Transfer"), self.tr("Transfer the call (Ctrl+T)"), False)
        self.transfer.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # A button's own shortcut clicks it, which does not pop an instant menu: the shortcut opens the menu itself.
        QShortcut(QKeySequence("Ctrl+T"), self, self.transfer.showMenu)
        self.transfer_menu = TransferMenu(parts, self, self.transfer)
        self.transfer.setMenu(self.transfer_menu)
        self.add_call = self._control("add-call", self.tr("Add call"), self.tr("Hold this call and call someone else"),
                                      False)
        self.add_call.clicked.connect(self._add_call)
        self.merge = self._control("merge", self.tr("Merge"), self.tr("Join all calls in a conference"), False)
        self.merge.clicked.connect(self._merge)
        self.devices = self._control("microphone", self.tr("Audio"), self.tr("Switch microphone or speaker"), False)
        self.devices.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.devices_menu = DevicesMenu(parts, self.devices)
        self.devices_menu.error.connect(self.error)
        self.devices.setMenu(self.devices_menu)
        # Recording (issue 14): only where the admin's policy allows it and there is audio to record.
        self.record = self._control("record", self.tr("Record"),
                                    self.tr("Record this call (both sides, kept encrypted on this computer)"), True)
        self.recording = RecordingControl(parts, self.record, self)
        self.recording.error.connect(self.error)
        self.recording.policy_changed.connect(self._refresh)
        self.recording_state = self.recording.state

        controls = QGridLayout()
        controls.setSpacing(10)
        for position, button in enumerate((self.mute, self.hold, self.keypad_button, self.transfer,
                                           self.add_call, self.merge, self.devices, self.record)):
            controls.addWidget(button, position // 4, position % 4)

        self.meters = LevelMeters(parts)

        self.keypad = Dialpad(with_call_button=False)
        self.keypad.number.setPlaceholderText(self.tr("Tones sent"))
        self.keypad.number.setReadOnly(True)
        self.keypad.number.setAccessibleName(self.tr("Tones sent"))
        self.keypad.digit_pressed.connect(self._send_dtmf)
        self.keypad.hide()

        self.hang_up = QPushButton()
        self.hang_up.setObjectName("hangUpButton")
        self.hang_up.setIcon(theme.icon("hang-up", "#ffffff"))
        self.hang_up.setIconSize(QSize(26, 26))
        self.hang_up.setToolTip(self.tr("Hang up (Ctrl+E)"))
        self.hang_up.setAccessibleName(self.tr("Hang up"))
        self.hang_up.setShortcut("Ctrl+E")
        self.hang_up.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.hang_up.clicked.connect(self.hang_up_current)

        self.others = QListWidget()
        self.others.setAccessibleName(self.tr("Other calls"))
        self.others.setMaximumHeight(84)
        self.others.itemActivated.connect(lambda item: self.select(item.data(Qt.ItemDataRole.UserRole)))
        self.others.itemClicked.connect(lambda item: self.select(item.data(Qt.ItemDataRole.UserRole)))
        self.others.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(8)
        layout.addWidget(self.others)
        layout.addStretch(1)
        layout.addWidget(self.name)
        layout.addWidget(self.number)
        layout.addWidget(self.other_numbers, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.status)
        layout.addWidget(self.quality)
        layout.addWidget(self.recording_state)
        layout.addSpacing(16)
        layout.addLayout(controls)
        layout.addWidget(self.meters)
        layout.addWidget(self.keypad)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.hang_up)
        row.addStretch(1)
        layout.addLayout(row)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._refresh_status)
        parts.bridge.call_updated.connect(self.on_call_updated)
        parts.bridge.call_ended.connect(self.on_call_ended)

    def _control(self, icon_name: str, text: str, tip: str, checkable: bool) -> QToolButton:
        button = QToolButton()
        button.setObjectName("callControl")
        button.setIcon(theme.icon(icon_name))
        button.setIconSize(QSize(22, 22))
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setCheckable(checkable)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    # --- engine events ---

    @property
    def calls(self) -> dict[str, CallUpdated]:
        """The calls past ringing here (a ringing call belongs to the incoming-call window)."""
        return self._actions.calls.answered()

    @property
    def current_id(self) -> str | None:
        return self._actions.calls.current_id

    @runs_on(GUI)
    def on_call_updated(self, event: CallUpdated) -> None:
        if event.state in (CallState.DISCONNECTED, CallState.INCOMING):
            return  # the incoming-call window owns a ringing call until it is answered
        if event.state is CallState.CONFIRMED and event.call_id not in self._connected_at:
            self._connected_at[event.call_id] = time.monotonic()
        self._clock.start()
        self.quality.start()
        self.meters.start()
        self._refresh()
        self._announce_state(event)

    def _announce_state(self, event: CallUpdated) -> None:
        """A screen reader hears each change of a call's state once (not the clock ticking)."""
        spoken = (event.state, event.media, event.muted)
        if self._announced.get(event.call_id) == spoken:
            return
        self._announced[event.call_id] = spoken
        plain_state = event.state is CallState.CONFIRMED and event.media not in (
            MediaState.LOCAL_HOLD, MediaState.REMOTE_HOLD) and not event.muted
        words = self.tr("Connected") if plain_state else self._state_text(event)
        if self._caller_hidden:  # the app lock hides who is on the line from the screen reader too
            announce(self.status, words)
        else:
            announce(self.status, self.tr("%1: %2").replace("%1", _who(event, self.names)).replace("%2", words))

    @runs_on(GUI)
    def on_call_ended(self, event: CallEnded) -> None:
        self._connected_at.pop(event.call_id, None)
        if self._announced.pop(event.call_id, None) is not None:
            announce(self.status, self.tr("Call ended"))
        self.quality.clear()
        if not self.calls:
            self._clock.stop()
            self.quality.stop()
            self.meters.stop()
            self.keypad_button.setChecked(False)
            self.record.setChecked(False)  # the recording ends with the last call
        self._refresh()

    def has_calls(self) -> bool:
        return bool(self.calls)

    def shows_connected(self, call_id: str) -> bool:
        """The view has handled this call's connection (its clock runs): `calls` is the services' record,
        which runs ahead of the view's queued events."""
        return call_id in self._connected_at

    @runs_on(GUI)
    def set_caller_hidden(self, hidden: bool) -> None:
        """While CallClient is locked under policy.hide_caller_when_locked: a call answered on the lock screen
        names nobody (name, number, the contact's other numbers, the other calls) until the unlock."""
        if hidden != self._caller_hidden:
            self._caller_hidden = hidden
            self._refresh()

    def select(self, call_id: str) -> None:
        if self._actions.select(call_id):
            self._refresh()

    # --- what the buttons do ---

    def follow(self, future, what: str) -> None:
        """Runs a call action; its failure reaches the user as "<what>: <why>"."""
        self._parts.tasks.follow(future, None, lambda error: self.error.emit(
            self.tr("%1: %2").replace("%1", what).replace("%2", str(error))))

    def hang_up_current(self) -> None:
        if self.current_id is not None:
            self.follow(self._actions.hang_up(self.current_id), self.tr("Could not hang up"))

    def _mute_toggled(self, muted: bool) -> None:
        call = self.calls.get(self.current_id or "")
        if call is not None and call.muted != muted:
            self.follow(self._actions.set_mute(muted, call.call_id), self.tr("Could not change mute"))

    def _hold_toggled(self, held: bool) -> None:
        call = self.calls.get(self.current_id or "")
        if call is None or (call.media is MediaState.LOCAL_HOLD) == held:
            return
        command = self._actions.hold if held else self._actions.resume
        self.follow(command(call.call_id), self.tr("Could not change hold"))

    def _show_keypad(self, shown: bool) -> None:
        self.keypad.setVisible(shown)
        if shown:
            self.keypad.number.clear()
            self.keypad.keys["1"].setFocus()

    def _send_dtmf(self, digit: str) -> None:
        if self.current_id is not None:
            self.follow(self._actions.send_dtmf(digit, self.current_id), self.tr("Could not send the tone"))

    def _add_call(self) -> None:
        call = self.calls.get(self.current_id or "")
        if call is not None and call.media is MediaState.ACTIVE:
            self.follow(self._actions.hold(call.call_id), self.tr("Could not hold the call"))
        self.add_call_requested.emit()

    def _merge(self) -> None:
        if len(self.calls) >= 2:
            self.follow(self._actions.merge(list(self.calls)), self.tr("Could not merge the calls"))

    # --- display ---

    def _refresh(self) -> None:
        call = self.calls.get(self.current_id or "")
        enabled = call is not None
        for button in (self.mute, self.hold, self.keypad_button, self.transfer, self.add_call, self.hang_up,
                       self.devices):
            button.setEnabled(enabled)
        self.recording.follow_policy()
        self.merge.setEnabled(len(self.calls) >= 2)
        if call is not None:
            name, number = caller(call.remote)
            found = self.names.name_of(call.remote.number)
            if found is not None and found.name:
                name = found.name
                number = " · ".join(p for p in (plain(call.remote.number, NUMBER_LIMIT),
                                                details_text(found.company, found.title)) if p)
            if self._caller_hidden:
                name, number, found = self.tr("Unlock CallClient to see who is on the line"), "", None
            set_plain(self.name, name, NAME_LIMIT)
            set_plain(self.number, number)
            self._show_other_numbers(found)
            for button, value in ((self.mute, call.muted), (self.hold, call.media is MediaState.LOCAL_HOLD)):
                button.blockSignals(True)
                button.setChecked(value)
                button.blockSignals(False)
            connected = call.state is CallState.CONFIRMED
            for button in (self.mute, self.hold, self.keypad_button, self.transfer, self.record):
                button.setEnabled(connected)
        self._refresh_status()
        self.others.clear()
        for other in self.calls.values():
            if other.call_id == self.current_id:
                continue
            item = QListWidgetItem(theme.icon("pause"), f"{self.who(other)} — {self._state_text(other)}")
            item.setData(Qt.ItemDataRole.UserRole, other.call_id)
            self.others.addItem(item)
        self.others.setVisible(self.others.count() > 0)

    def _show_other_numbers(self, found: CallerId | None) -> None:
        menu = self.other_numbers.menu()
        menu.clear()
        for other in found.other_numbers if found is not None else ():
            action = menu.addAction(self.tr("Call %1").replace("%1", plain(other, NUMBER_LIMIT)).replace("&", "&&"))
            action.triggered.connect(lambda _=False, n=other: self.call_requested.emit(n))
        self.other_numbers.setVisible(not menu.isEmpty())

    def who(self, call: CallUpdated) -> str:
        """The far end as the user sees it here: nobody named while the app lock hides callers."""
        return self.tr("another call") if self._caller_hidden else _who(call, self.names)

    def _refresh_status(self) -> None:
        call = self.calls.get(self.current_id or "")
        self.status.setText(self._state_text(call) if call is not None else "")
        self.recording.show_state()

    def _state_text(self, call: CallUpdated) -> str:
        if call.state in (CallState.CALLING, CallState.CONNECTING) and call.call_id not in self._connected_at:
            return self.tr("Calling…")
        if call.state is CallState.EARLY:
            return self.tr("Ringing…")
        elapsed = format_duration(time.monotonic() - self._connected_at.get(call.call_id, time.monotonic()))
        if call.media is MediaState.LOCAL_HOLD:
            return self.tr("On hold · %1").replace("%1", elapsed)
        if call.media is MediaState.REMOTE_HOLD:
            return self.tr("Held by the other party · %1").replace("%1", elapsed)
        if call.muted:
            return self.tr("Muted · %1").replace("%1", elapsed)
        return elapsed


def _who(call: CallUpdated, names: CallerNames | None = None) -> str:
    found = names.name_of(call.remote.number) if names is not None else None
    if found is not None and found.name:
        return f"{plain_name(found.name)} ({plain(call.remote.number, NUMBER_LIMIT)})"
    return caller_line(call.remote)
