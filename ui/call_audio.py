"""The in-call audio controls: the Audio button's menu (switch the call to another microphone or speaker, a
choice saved like the Settings window's) and the microphone and speaker level meters. The audio service owns
the devices and the pipeline; this asks it for the device list off the GUI thread and reads its level
counters.

Its words stay in the "CallView" translation context: they are the in-call view's."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QMenu, QProgressBar, QWidget

from ui.parts import AppParts

_LEVEL_POLL_MS = 100
_METER_FLOOR_DBFS = -60.0


class DevicesMenu(QMenu):
    """Fills itself with the sound devices each time it opens; a choice moves the call at once."""

    error = Signal(str)  # a user-facing message when the devices cannot be listed or switched

    def __init__(self, parts: AppParts, parent: QWidget) -> None:
        super().__init__(parent)
        self._parts = parts
        self._audio = parts.services.audio
        self.devices: list = []  # as last listed
        self.aboutToShow.connect(self.ask_devices)

    def ask_devices(self) -> None:
        self.clear()
        if not self._audio.available:
            self.addAction(QCoreApplication.translate("CallView", "No sound device in use")).setEnabled(False)
            return
        self.addAction(QCoreApplication.translate("CallView", "Looking for devices…")).setEnabled(False)
        self._parts.tasks.run(self._audio.devices, self._fill, lambda error: self.error.emit(str(error)))

    def _fill(self, devices: list) -> None:
        self.devices = list(devices)
        self.clear()
        for heading, kind in ((QCoreApplication.translate("CallView", "Microphone"), "capture"),
                              (QCoreApplication.translate("CallView", "Speaker"), "playback")):
            self.addSection(heading)
            current = self._audio.capture_device_name if kind == "capture" else self._audio.playback_device_name
            for device in devices:
                if (device.inputs if kind == "capture" else device.outputs) <= 0:
                    continue
                action = self.addAction(device.name)
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
                              None, lambda error: self.error.emit(
                                  QCoreApplication.translate("CallView", "Could not switch the device: %1")
                                  .replace("%1", str(error))))


class LevelMeters(QWidget):
    """Peak levels of the microphone and the speaker while a call is up, shown only where there is audio."""

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._audio = parts.services.audio
        self.input_level = _meter(QCoreApplication.translate("CallView", "Microphone level"))
        self.output_level = _meter(QCoreApplication.translate("CallView", "Speaker level"))
        meters = QFormLayout(self)
        meters.addRow(QCoreApplication.translate("CallView", "Mic"), self.input_level)
        meters.addRow(QCoreApplication.translate("CallView", "Speaker"), self.output_level)
        self.setVisible(self._audio.available)
        self._timer = QTimer(self)
        self._timer.setInterval(_LEVEL_POLL_MS)
        self._timer.timeout.connect(self._show_levels)

    def start(self) -> None:
        if self._audio.available:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _show_levels(self) -> None:
        """Peak levels read from the audio pipeline's counters (a plain read, no waiting)."""
        levels = self._audio.levels()
        self.input_level.setValue(int(max(_METER_FLOOR_DBFS, min(0.0, levels.input_dbfs))))
        self.output_level.setValue(int(max(_METER_FLOOR_DBFS, min(0.0, levels.output_dbfs))))


def _meter(name: str) -> QProgressBar:
    meter = QProgressBar()
    meter.setRange(int(_METER_FLOOR_DBFS), 0)
    meter.setValue(int(_METER_FLOOR_DBFS))
    meter.setTextVisible(False)
    meter.setMaximumHeight(8)
    meter.setAccessibleName(name)
    return meter
