"""Settings → Audio: microphone, speaker and ringtone device, echo cancellation / noise suppression / gain
control, and quick tests. Every choice is a setting: saved, then applied by the audio and alerting services."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.parts import AppParts
from ui.settings.common import DEFAULT_DEVICE, SettingsPage

PROCESSING_BOXES = ("echo_cancellation", "noise_suppression", "auto_gain")


class AudioPage(SettingsPage):
    devices_changed = Signal(str, str)  # capture, playback ("" = system default)

    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        self._audio = parts.services.audio
        form = QFormLayout(self)
        self.capture = QComboBox()
        self.playback = QComboBox()
        self.ring = QComboBox()
        for combo in (self.capture, self.playback, self.ring):
            combo.addItem(self.tr("System default"), DEFAULT_DEVICE)
        self._row(form, self.tr("Microphone"), self.capture, "audio.capture_device")
        self._row(form, self.tr("Speaker"), self.playback, "audio.playback_device")
        self._row(form, self.tr("Ringtone plays on"), self.ring, "audio.ring_device")
        self.ring.setItemText(0, self.tr("The speaker above"))  # audio.ring_device "" rings with the calls
        self.echo = QCheckBox(self.tr("Echo cancellation"))
        self.noise = QCheckBox(self.tr("Noise suppression"))
        self.gain = QCheckBox(self.tr("Automatic gain control"))
        for box, name in zip((self.echo, self.noise, self.gain), PROCESSING_BOXES):
            box.setChecked(bool(self._value("audio", name, True)))
            box.toggled.connect(lambda on, key=name: self._processing_changed(key, on))
            self._row(form, box.text(), box, f"audio.{name}", "")
        self.speaker_test = QPushButton(self.tr("Test speaker"))
        self.speaker_test.setAccessibleName(self.tr("Play a test sound on the speaker"))
        self.speaker_test.clicked.connect(self.test_speaker)
        self.microphone_test = QPushButton(self.tr("Test microphone"))
        self.microphone_test.setCheckable(True)
        self.microphone_test.setAccessibleName(self.tr("Show the microphone level"))
        self.microphone_test.toggled.connect(self._test_microphone)
        self.microphone_level = QProgressBar()
        self.microphone_level.setRange(-60, 0)
        self.microphone_level.setValue(-60)
        self.microphone_level.setTextVisible(False)
        self.microphone_level.setAccessibleName(self.tr("Microphone level"))
        tests = QHBoxLayout()
        tests.addWidget(self.speaker_test)
        tests.addWidget(self.microphone_test)
        tests.addWidget(self.microphone_level, 1)
        form.addRow(self.tr("Try them"), tests)
        self._level_timer = QTimer(self)
        self._level_timer.setInterval(100)
        self._level_timer.timeout.connect(self._show_microphone_level)
        self.speaker_player: Any = None
        self.device_note = QLabel()
        self.device_note.setProperty("role", "muted")
        self.device_note.setWordWrap(True)
        form.addRow("", self.device_note)
        self.capture.setToolTip(self.tr("System default follows the desktop's choice. A device chosen here is "
                                        "used whenever it is connected; while it is away the system default "
                                        "stands in, and calls move back when it returns."))
        self.playback.setToolTip(self.capture.toolTip())
        self.capture.activated.connect(self._device_chosen)
        self.playback.activated.connect(self._device_chosen)
        self.ring.activated.connect(self._ring_device_chosen)
        if not self._audio.available:
            self.device_note.setText(self.tr("Calls use no sound device in this session."))
        parts.tasks.run(self._audio.devices, self._show_devices, self._failed)

    def _show_devices(self, devices: list[Any]) -> None:
        if not shiboken6.isValid(self.ring):
            return  # the window closed while the devices were listed
        wanted = {self.capture: self._value("audio", "capture_device"),
                  self.playback: self._value("audio", "playback_device"),
                  self.ring: self._value("audio", "ring_device")}
        for device in devices:
            label = f"{device.shown_name} ({device.host_api})"
            if device.inputs:
                self.capture.addItem(label, device.name)
            if device.outputs:
                self.playback.addItem(label, device.name)
                self.ring.addItem(label, device.name)
        for combo, name in wanted.items():
            index = combo.findData(name)
            if index < 0 and name:
                # Chosen but unplugged: still the choice (used again when it is back), so it stays shown.
                combo.addItem(self.tr("%1 (not connected)").replace("%1", name), name)
                index = combo.count() - 1
            if index >= 0:
                combo.setCurrentIndex(index)

    def _failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self.device_note):
            self.device_note.setText(str(error))

    def choose_devices(self, capture: str, playback: str) -> None:
        """Chooses the call's microphone and speaker, as picking them in the boxes does."""
        for combo, name in ((self.capture, capture), (self.playback, playback)):
            index = combo.findData(name)
            if index >= 0:
                combo.setCurrentIndex(index)
        self._device_chosen()

    def _device_chosen(self, *_args: object) -> None:
        capture, playback = self.capture.currentData() or "", self.playback.currentData() or ""
        audio = self._audio
        # Saved as in-app settings, the top config layer (so `config show --origin` and this window agree);
        # the audio service switches the streams when the change is announced.
        self._parts.tasks.run(lambda: audio.choose_devices(capture, playback, by="the Settings window"), None,
                              self._failed)
        self.devices_changed.emit(capture, playback)

    def choose_ring_device(self, name: str) -> None:
        index = self.ring.findData(name)
        if index >= 0:
            self.ring.setCurrentIndex(index)
        self._ring_device_chosen()

    def _ring_device_chosen(self, *_args: object) -> None:
        self.change({"audio.ring_device": self.ring.currentData() or ""}, "the Settings window", self._failed)

    def _processing_changed(self, name: str, on: bool) -> None:
        audio = self._audio
        self._parts.tasks.run(lambda: audio.choose_processing("the Settings window", **{name: on}), None,
                              self._failed)

    def test_speaker(self) -> None:
        """Plays the ring pattern once on the chosen speaker (decoding and opening the device off this thread)."""
        device = self.playback.currentData() or ""
        audio = self._audio

        def started(player: Any) -> None:
            if not self.window().isVisible():
                player.close()  # the window went away while the device opened
                return
            if self.speaker_player is not None:
                self.speaker_player.close()
            self.speaker_player = player
            self.device_note.setText(self.tr("Playing a test sound on %1.").replace(
                "%1", device or self.tr("the system default")))

        self._parts.tasks.run(lambda: audio.play_test_sound(device), started, lambda error: self.device_note.setText(
            self.tr("Could not play on this speaker: %1").replace("%1", str(error))))

    def _test_microphone(self, on: bool) -> None:
        if not self._audio.available:
            self.device_note.setText(self.tr("Calls use no sound device in this session."))
            return
        if on:
            self._level_timer.start()
        else:
            self._level_timer.stop()
            self.microphone_level.setValue(-60)

    def _show_microphone_level(self) -> None:
        level = self._audio.levels().input_dbfs
        self.microphone_level.setValue(int(max(-60.0, min(0.0, level))))

    def stop_tests(self) -> None:
        """Closes the test sound's stream: a PortAudio stream must be closed before its callback goes away."""
        self._level_timer.stop()
        if self.speaker_player is not None:
            self.speaker_player.close()
            self.speaker_player = None
