"""The in-call Record control (issue 14): what the Record button does and the red "● Recording · 0:12" line
under the caller. The recording service owns the recording and the admin's policy; this shows its state and
asks it to start and stop, off the GUI thread (with an admin's notice, the far end hears it first).

Its words stay in the "CallView" translation context: they are the in-call view's."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from callclient.services.types import SettingsChanged
from ui.models import format_duration
from ui.parts import AppParts


class RecordingControl(QObject):
    """Wires the view's Record button to the recording service and owns the recording-state line."""

    error = Signal(str)  # a user-facing message when the recording cannot start or stop
    policy_changed = Signal()  # policy.recording_allowed changed: the view shows or hides the button

    def __init__(self, parts: AppParts, button: QToolButton, parent: QWidget) -> None:
        super().__init__(parent)
        self._parts = parts
        self._recording = parts.services.recording
        self._starting = False
        self.button = button
        self.button.toggled.connect(self._toggled)
        self.state = QLabel()
        self.state.setObjectName("recordingState")
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state.setStyleSheet("QLabel#recordingState { color: #d32f2f; font-weight: 600; }")
        self.state.hide()
        parts.bridge.settings_changed.connect(self._settings_changed)

    def follow_policy(self) -> None:
        """The button only where the admin's policy allows recording and there is audio to record."""
        self.button.setVisible(self._recording.available)
        if not self._recording.available and self._recording.in_progress is None:
            self.button.setChecked(False)

    def _toggled(self, on: bool) -> None:
        recording = self._recording
        if on == (recording.in_progress is not None):
            self.show_state()
            return
        if on:
            # With an admin's notice, the far end hears it first (seconds): say why nothing shows yet.
            self.state.setText(QCoreApplication.translate("CallView", "Starting the recording…"))
            self.state.setAccessibleName(self.state.text())
            self.state.show()
            self._starting = True
            self._parts.tasks.run(recording.start, self._started, self._failed)
        else:
            self._parts.tasks.run(recording.stop, self._started, self._failed)

    def _started(self, _path: object) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the notice played
        self._starting = False
        self.show_state()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._starting = False
        self.error.emit(QCoreApplication.translate("CallView", "Could not record the call: %1")
                        .replace("%1", str(error)))
        self.show_state()

    def _settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("policy.recording_allowed"):
            self.policy_changed.emit()

    def show_state(self) -> None:
        """The red dot and the elapsed time while recording; the button follows the service's state."""
        in_progress = self._recording.in_progress
        if in_progress is None and self._starting:
            return  # "Starting the recording…" stays until the notice has played
        self.button.blockSignals(True)
        self.button.setChecked(in_progress is not None)
        self.button.blockSignals(False)
        self.button.setText(QCoreApplication.translate("CallView", "Stop recording") if in_progress is not None
                            else QCoreApplication.translate("CallView", "Record"))
        self.button.setAccessibleName(self.button.text())
        if in_progress is None:
            self.state.hide()
            return
        elapsed = format_duration(in_progress.elapsed_s)
        self.state.setText(QCoreApplication.translate("CallView", "● Recording · %1").replace("%1", elapsed))
        self.state.setAccessibleName(QCoreApplication.translate("CallView", "Recording this call, %1")
                                     .replace("%1", elapsed))
        self.state.show()
