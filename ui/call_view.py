"""The in-call view: who, how long, and every control a call needs (mute, hold, keypad, transfer, add
call, merge, hang up), plus a quality indicator from pjsua2's stream statistics.

It keeps no record of its own of the calls: `CallActions.calls` (the one record, fed before this view hears
of an event) says which calls are up and which is current, and every button is a call action.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from callclient.services.caller_id import CallerId
from callclient.services.threads import GUI, runs_on
from callclient.services.types import CallEnded, CallQuality, CallState, CallUpdated, MediaState
from ui import theme
from ui.announce import announce
from ui.caller_names import CallerNames
from ui.dialpad import Dialpad
from ui.models import details_text, format_duration
from ui.parts import AppParts
from ui.text import NAME_LIMIT, NUMBER_LIMIT, caller, caller_line, plain, plain_name, set_plain

_QUALITY_POLL_MS = 3000
_PARTY_WIDTH_PX = 520  # a far end's long name is elided to this, never widening the window
_LEVEL_POLL_MS = 100
_METER_FLOOR_DBFS = -60.0


class CallView(QWidget):
    add_call_requested = Signal()
    call_requested = Signal(str)  # another number of the contact on the line (directory, issue 13)
    error = Signal(str)  # a user-facing message when a call command fails

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._actions = parts.services.calls
        self._audio = parts.services.audio
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
        self.quality = QLabel()
        self.quality.setProperty("role", "muted")
        self.quality.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.quality.setAccessibleName(self.tr("Call quality"))
        self.quality.setTextFormat(Qt.TextFormat.PlainText)

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
        self.transfer_menu = QMenu(self.transfer)
        self.transfer_menu.aboutToShow.connect(self._fill_transfer_menu)
        self.transfer.setMenu(self.transfer_menu)
        self.add_call = self._control("add-call", self.tr("Add call"), self.tr("Hold this call and call someone else"),
                                      False)
        self.add_call.clicked.connect(self._add_call)
        self.merge = self._control("merge", self.tr("Merge"), self.tr("Join all calls in a conference"), False)
        self.merge.clicked.connect(self._merge)
        self.devices = self._control("microphone", self.tr("Audio"), self.tr("Switch microphone or speaker"), False)
        self.devices.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.devices_menu = QMenu(self.devices)
        self.devices_menu.aboutToShow.connect(self._ask_devices)
        self.devices.setMenu(self.devices_menu)
        self._devices: list = []
        # Recording (issue 14): only where the admin's policy allows it and there is audio to record.
        self._recording = parts.services.recording
        self._starting_recording = False
        self.record = self._control("record", self.tr("Record"),
                                    self.tr("Record this call (both sides, kept encrypted on this computer)"), True)
        self.record.toggled.connect(self._record_toggled)
        self.recording_state = QLabel()
        self.recording_state.setObjectName("recordingState")
        self.recording_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recording_state.setStyleSheet("QLabel#recordingState { color: #d32f2f; font-weight: 600; }")
        self.recording_state.hide()
        parts.bridge.settings_changed.connect(self._policy_changed)

        controls = QGridLayout()
        controls.setSpacing(10)
        for position, button in enumerate((self.mute, self.hold, self.keypad_button, self.transfer,
                                           self.add_call, self.merge, self.devices, self.record)):
            controls.addWidget(button, position // 4, position % 4)

        self.input_level = self._meter(self.tr("Microphone level"))
        self.output_level = self._meter(self.tr("Speaker level"))
        meters = QFormLayout()
        meters.addRow(self.tr("Mic"), self.input_level)
        meters.addRow(self.tr("Speaker"), self.output_level)
        self._meters = QWidget()
        self._meters.setLayout(meters)
        self._meters.setVisible(self._audio.available)

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
        layout.addWidget(self._meters)
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
        self._quality_timer = QTimer(self)
        self._quality_timer.setInterval(_QUALITY_POLL_MS)
        self._quality_timer.timeout.connect(self._ask_quality)
        self._level_timer = QTimer(self)
        self._level_timer.setInterval(_LEVEL_POLL_MS)
        self._level_timer.timeout.connect(self._show_levels)
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

    def _meter(self, name: str) -> QProgressBar:
        meter = QProgressBar()
        meter.setRange(int(_METER_FLOOR_DBFS), 0)
        meter.setValue(int(_METER_FLOOR_DBFS))
        meter.setTextVisible(False)
        meter.setMaximumHeight(8)
        meter.setAccessibleName(name)
        return meter

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
        self._quality_timer.start()
        if self._audio.available:
            self._level_timer.start()
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
            self._quality_timer.stop()
            self._level_timer.stop()
            self.keypad_button.setChecked(False)
            self.record.setChecked(False)  # the recording ends with the last call
        self._refresh()

    def has_calls(self) -> bool:
        return bool(self.calls)

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

    def _follow(self, future, what: str) -> None:
        self._parts.tasks.follow(future, None, lambda error: self.error.emit(
            self.tr("%1: %2").replace("%1", what).replace("%2", str(error))))

    def hang_up_current(self) -> None:
        if self.current_id is not None:
            self._follow(self._actions.hang_up(self.current_id), self.tr("Could not hang up"))

    def _mute_toggled(self, muted: bool) -> None:
        call = self.calls.get(self.current_id or "")
        if call is not None and call.muted != muted:
            self._follow(self._actions.set_mute(muted, call.call_id), self.tr("Could not change mute"))

    def _hold_toggled(self, held: bool) -> None:
        call = self.calls.get(self.current_id or "")
        if call is None or (call.media is MediaState.LOCAL_HOLD) == held:
            return
        command = self._actions.hold if held else self._actions.resume
        self._follow(command(call.call_id), self.tr("Could not change hold"))

    def _show_keypad(self, shown: bool) -> None:
        self.keypad.setVisible(shown)
        if shown:
            self.keypad.number.clear()
            self.keypad.keys["1"].setFocus()

    def _send_dtmf(self, digit: str) -> None:
        if self.current_id is not None:
            self._follow(self._actions.send_dtmf(digit, self.current_id), self.tr("Could not send the tone"))

    def _fill_transfer_menu(self) -> None:
        self.transfer_menu.clear()
        blind = self.transfer_menu.addAction(self.tr("Transfer to a number…"))
        blind.triggered.connect(self._blind_transfer)
        park_extension = self._parts.config().config.dialplan.park_extension
        if park_extension:  # only where the admin named the PBX's parking extension (dialplan.park_extension)
            park = self.transfer_menu.addAction(self.tr("Park"))
            park.setToolTip(self.tr("Park the call on the phone system (%1); pick it up from any phone")
                            .replace("%1", park_extension))
            park.triggered.connect(lambda _=False, extension=park_extension: self.blind_transfer(extension))
        for call in self.calls.values():
            if call.call_id == self.current_id:
                continue
            label = self.tr("Transfer to %1 (attended)").replace("%1", self._who(call))
            action = self.transfer_menu.addAction(label)
            action.triggered.connect(lambda _=False, other=call.call_id: self._attended_transfer(other))

    def _blind_transfer(self) -> None:
        if self.current_id is None:
            return
        target, ok = QInputDialog.getText(self, self.tr("Transfer"), self.tr("Transfer this call to:"))
        if ok and target.strip():
            self.blind_transfer(target.strip())

    def blind_transfer(self, target: str) -> None:
        if self.current_id is not None:
            self._follow(self._actions.transfer(target, self.current_id), self.tr("Transfer failed"))

    def _attended_transfer(self, other_call_id: str) -> None:
        if self.current_id is not None:
            self._follow(self._actions.transfer_attended(self.current_id, other_call_id),
                         self.tr("Transfer failed"))

    def _add_call(self) -> None:
        call = self.calls.get(self.current_id or "")
        if call is not None and call.media is MediaState.ACTIVE:
            self._follow(self._actions.hold(call.call_id), self.tr("Could not hold the call"))
        self.add_call_requested.emit()

    def _merge(self) -> None:
        if len(self.calls) >= 2:
            self._follow(self._actions.merge(list(self.calls)), self.tr("Could not merge the calls"))

    def _record_toggled(self, on: bool) -> None:
        recording = self._recording
        if on == (recording.in_progress is not None):
            self._show_recording()
            return
        if on:
            # With an admin's notice, the far end hears it first (seconds): say why nothing shows yet.
            self.recording_state.setText(self.tr("Starting the recording…"))
            self.recording_state.setAccessibleName(self.recording_state.text())
            self.recording_state.show()
            self._starting_recording = True
            self._parts.tasks.run(recording.start, self._recording_started, self._recording_failed)
        else:
            self._parts.tasks.run(recording.stop, self._recording_started, self._recording_failed)

    def _recording_started(self, _path: object) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the notice played
        self._starting_recording = False
        self._show_recording()

    def _recording_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._starting_recording = False
        self.error.emit(self.tr("Could not record the call: %1").replace("%1", str(error)))
        self._show_recording()

    def _policy_changed(self, change: object) -> None:
        if getattr(change, "touches", lambda _key: False)("policy.recording_allowed"):
            self._refresh()

    def _show_recording(self) -> None:
        """The red dot and the elapsed time while recording; the button follows the service's state."""
        in_progress = self._recording.in_progress
        if in_progress is None and self._starting_recording:
            return  # "Starting the recording…" stays until the notice has played
        self.record.blockSignals(True)
        self.record.setChecked(in_progress is not None)
        self.record.blockSignals(False)
        self.record.setText(self.tr("Stop recording") if in_progress is not None else self.tr("Record"))
        self.record.setAccessibleName(self.record.text())
        if in_progress is None:
            self.recording_state.hide()
            return
        elapsed = format_duration(in_progress.elapsed_s)
        self.recording_state.setText(self.tr("● Recording · %1").replace("%1", elapsed))
        self.recording_state.setAccessibleName(self.tr("Recording this call, %1").replace("%1", elapsed))
        self.recording_state.show()

    def _show_levels(self) -> None:
        """Peak levels read from the audio pipeline's counters (a plain read, no waiting)."""
        levels = self._audio.levels()
        self.input_level.setValue(int(max(_METER_FLOOR_DBFS, min(0.0, levels.input_dbfs))))
        self.output_level.setValue(int(max(_METER_FLOOR_DBFS, min(0.0, levels.output_dbfs))))

    def _ask_devices(self) -> None:
        self.devices_menu.clear()
        if not self._audio.available:
            self.devices_menu.addAction(self.tr("No sound device in use")).setEnabled(False)
            return
        self.devices_menu.addAction(self.tr("Looking for devices…")).setEnabled(False)
        self._parts.tasks.run(self._audio.devices, self._fill_devices_menu, lambda error: self.error.emit(str(error)))

    def _fill_devices_menu(self, devices: list) -> None:
        self._devices = list(devices)
        self.devices_menu.clear()
        for heading, kind in ((self.tr("Microphone"), "capture"), (self.tr("Speaker"), "playback")):
            self.devices_menu.addSection(heading)
            current = self._audio.capture_device_name if kind == "capture" else self._audio.playback_device_name
            for device in devices:
                if (device.inputs if kind == "capture" else device.outputs) <= 0:
                    continue
                action = self.devices_menu.addAction(device.name)
                action.setCheckable(True)
                action.setChecked(device.name == current)
                action.triggered.connect(lambda _=False, name=device.name, k=kind: self.switch_device(k, name))

    def switch_device(self, kind: str, name: str) -> None:
        """Moves the call to another microphone or speaker. The choice is a setting like the Settings window's:
        saved (it survives a restart), then applied by the audio service off this thread."""
        if not self._audio.available:
            return
        capture, playback = (name, None) if kind == "capture" else (None, name)
        self._parts.tasks.run(lambda: self._audio.choose_devices(capture, playback, by="the in-call device menu"),
                              None, lambda error: self.error.emit(self.tr("Could not switch the device: %1")
                                                                  .replace("%1", str(error))))

    def _ask_quality(self) -> None:
        call = self.calls.get(self.current_id or "")
        if call is None or call.state is not CallState.CONFIRMED:
            return
        self._parts.tasks.follow(self._actions.quality(call.call_id), self._show_quality,
                                 lambda error: None)  # the call may have ended meanwhile: nothing to show

    def _show_quality(self, quality: CallQuality) -> None:
        if quality.mos >= 4.0:
            verdict = self.tr("Excellent")
        elif quality.mos >= 3.6:
            verdict = self.tr("Good")
        elif quality.mos >= 3.1:
            verdict = self.tr("Fair")
        else:
            verdict = self.tr("Poor")
        text = self.tr("%1 quality · %2 · jitter %3 ms · loss %4 % · RTT %5 ms")
        locale = QLocale()  # 0,5 % in French and German
        for placeholder, value in (("%1", verdict), ("%2", quality.codec),
                                   ("%3", locale.toString(quality.jitter_ms, "f", 0)),
                                   ("%4", locale.toString(quality.loss_percent, "f", 1)),
                                   ("%5", locale.toString(quality.rtt_ms, "f", 0))):
            text = text.replace(placeholder, value)
        self.quality.setText(text)
        self.quality.setToolTip(self.tr("Estimated MOS %1").replace("%1", QLocale().toString(quality.mos, "f", 1)))

    # --- display ---

    def _refresh(self) -> None:
        call = self.calls.get(self.current_id or "")
        enabled = call is not None
        for button in (self.mute, self.hold, self.keypad_button, self.transfer, self.add_call, self.hang_up,
                       self.devices):
            button.setEnabled(enabled)
        self.record.setVisible(self._recording.available)
        if not self._recording.available and self._recording.in_progress is None:
            self.record.setChecked(False)
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
            item = QListWidgetItem(theme.icon("pause"), f"{self._who(other)} — {self._state_text(other)}")
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

    def _who(self, call: CallUpdated) -> str:
        return self.tr("another call") if self._caller_hidden else _who(call, self.names)

    def _refresh_status(self) -> None:
        call = self.calls.get(self.current_id or "")
        self.status.setText(self._state_text(call) if call is not None else "")
        self._show_recording()

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
