"""Recording a call from the call view, against the demo far end that plays a recording (200): the record
button appears only where the policy allows it, shows the red dot and the time while it records, and the
Recordings window lists the call, exports a WAV that holds the far end's audio and an Ogg Opus file that
opusdec (Debian opus-tools) decodes, and deletes it."""

from __future__ import annotations

import io
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import CALL_TIMEOUT_MS
from tests.ui.test_calls import dial
from ui.main_window import MainWindow
from ui.recordings_view import RecordingsDialog

RECORDING_FAR_END = "200"  # plays a recorded message, then hangs up
ECHO = "100"


@pytest.fixture
def recording_allowed(window: MainWindow) -> Iterator[None]:
    settings = window.parts.services.settings
    settings.change({"policy.recording_allowed": True}, by="the test")
    yield
    settings.change({"policy.recording_allowed": False}, by="the test")


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples.astype(np.float64))))) if len(samples) else 0.0


def test_no_record_button_where_the_policy_forbids_recording(qtbot: Any, window: MainWindow) -> None:
    assert window.parts.config().config.policy.recording_allowed is False
    dial(qtbot, window, ECHO)
    assert window.call_view.record.isHidden()
    assert window.call_view.recording_state.isHidden()


def test_a_recorded_call_is_listed_exported_as_wav_and_opus_and_deleted(
        qtbot: Any, window: MainWindow, recording_allowed: None, tmp_path: Path) -> None:
    view = window.call_view
    recording = window.parts.services.recording
    before = {r.path for r in recording.list()}
    call_id = dial(qtbot, window, RECORDING_FAR_END)
    qtbot.waitUntil(lambda: not view.record.isHidden() and view.record.isEnabled(), timeout=CALL_TIMEOUT_MS)
    qtbot.mouseClick(view.record, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.recording_state.isVisible()
                    and view.recording_state.text().startswith("● Recording · 0:0"), timeout=CALL_TIMEOUT_MS)
    assert view.recording_state.accessibleName().startswith("Recording this call, ")
    assert view.record.text() == "Stop recording"
    # The far end plays its message and hangs up; the recording ends with the call.
    qtbot.waitUntil(lambda: call_id not in view.calls, timeout=30_000)
    qtbot.waitUntil(lambda: recording.in_progress is None, timeout=CALL_TIMEOUT_MS)
    made = [r for r in recording.list() if r.path not in before]
    assert len(made) == 1

    window.show_recordings()  # Call > Recordings…
    dialog: RecordingsDialog = window.recordings_dialog
    listed = [Path(dialog.list.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(dialog.list.count())]
    assert made[0].path in listed
    dialog.list.setCurrentRow(listed.index(made[0].path))

    wav_file, opus_file = tmp_path / "call.wav", tmp_path / "call.opus"
    dialog.export(wav_file, "wav")
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Exported to"), timeout=CALL_TIMEOUT_MS)
    with wave.open(io.BytesIO(wav_file.read_bytes())) as wav:
        assert wav.getnchannels() == 2
        frames = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").reshape(-1, 2)
        seconds = wav.getnframes() / wav.getframerate()
    assert seconds >= 1.0
    assert _rms(frames[:, 1]) > 100, "the far end's message is in the right channel"

    dialog.export(opus_file, "opus")
    qtbot.waitUntil(lambda: opus_file.exists() and dialog.state.text().startswith("Exported to"),
                    timeout=CALL_TIMEOUT_MS)
    decoded = tmp_path / "decoded.wav"
    result = subprocess.run(["opusdec", "--quiet", "--rate", "16000", str(opus_file), str(decoded)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    with wave.open(str(decoded)) as back:
        assert abs(back.getnframes() / back.getframerate() - seconds) < 0.05
        audio = np.frombuffer(back.readframes(back.getnframes()), "<i2").reshape(-1, back.getnchannels())
    assert _rms(audio[:, 1]) > 100, "the far end survives the Opus round trip"
    assert opus_file.stat().st_size < wav_file.stat().st_size / 4

    dialog.delete_selected()  # what the Delete button does once the user confirms
    qtbot.waitUntil(lambda: not made[0].path.exists(), timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: made[0].path not in [Path(dialog.list.item(r).data(Qt.ItemDataRole.UserRole))
                                                for r in range(dialog.list.count())], timeout=CALL_TIMEOUT_MS)
    dialog.close()
