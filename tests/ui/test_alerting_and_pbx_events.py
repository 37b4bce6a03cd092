"""What the user hears and sees without asking: the ringtone on the device chosen in Settings, and a new
history entry or voicemail pushed by the PBX, shown without any polling timer."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from callclient.app import Core
from tests.fixtures.pulse import PulseServer, read_wav
from tests.ui.conftest import CALL_TIMEOUT_MS, RING_SINK
from tests.ui.test_calls import wait_for_incoming
from ui.main_window import MainWindow
from ui.models import VALUE_ROLE
from ui.parts import AppParts
from ui.settings import SettingsDialog

LOAD_MS = 15_000
# The websocket delivers within a second; the generous wait only absorbs a loaded test machine. Without the
# push nothing would arrive at all: the polling timer is off while the websocket is up (asserted below).
PUSH_MS = 5_000


def test_the_ringtone_rings_on_the_device_chosen_in_settings(qtbot: Any, window: MainWindow, parts: AppParts,
                                                             core: Core, ui_pulse: PulseServer,
                                                             tmp_path: Path) -> None:
    """Failed before the alerting service: the "Ringtone plays on" box had no handler at all."""
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    page = dialog.audio_page
    qtbot.waitUntil(lambda: page.ring.findData(RING_SINK) >= 0, timeout=LOAD_MS)
    alerting = core.services.alerting
    heard = tmp_path / "ring-sink.wav"
    recorder: subprocess.Popen[bytes] | None = None
    try:
        page.choose_ring_device(RING_SINK)
        qtbot.waitUntil(lambda: alerting.ring_device == RING_SINK, timeout=LOAD_MS)
        assert core.config.origin("audio.ring_device") == "preferences", "the choice is saved"
        window.call("400")  # it talks, hangs up and calls back: a real incoming call
        qtbot.waitUntil(lambda: window.call_view.has_calls(), timeout=CALL_TIMEOUT_MS)
        qtbot.waitUntil(lambda: not window.call_view.has_calls(), timeout=CALL_TIMEOUT_MS)
        incoming = wait_for_incoming(qtbot, window)
        qtbot.waitUntil(lambda: alerting.ringing, timeout=CALL_TIMEOUT_MS)
        recorder = subprocess.Popen(["parec", f"--device={RING_SINK}.monitor", "--file-format=wav",
                                     "--rate=16000", "--channels=1", "--format=s16le", str(heard)], env=ui_pulse.env)
        # Two seconds of what the ring device plays (16-bit mono at 16 kHz), while it rings.
        qtbot.waitUntil(lambda: heard.exists() and heard.stat().st_size > 64_000, timeout=CALL_TIMEOUT_MS)
        window.answering.decline(incoming)
        qtbot.waitUntil(lambda: not alerting.ringing, timeout=CALL_TIMEOUT_MS)
    finally:
        if recorder is not None:
            recorder.terminate()
            recorder.wait(10)
        page.choose_ring_device("")
        qtbot.waitUntil(lambda: core.config.config.audio.ring_device == "", timeout=LOAD_MS)
    samples, _ = read_wav(heard)
    assert np.max(np.abs(samples)) > 0.05, "the ringtone was heard on the chosen device"


def test_a_history_entry_and_a_voicemail_pushed_by_the_pbx_show_without_polling(qtbot: Any, window: MainWindow,
                                                                               core: Core) -> None:
    """Failed before the PBX event bridge: the websocket's events reached Core and then nobody."""
    pbx = core.services.pbx
    qtbot.waitUntil(lambda: pbx.live, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() > 0, timeout=LOAD_MS)
    server = core.demo.pbx
    alice = next(iter(server.data.users))

    server.add_call(alice, "Dora Push", "1077")
    history = window.history_view.model
    qtbot.waitUntil(lambda: any(history.item(row).data(VALUE_ROLE).other_number == "1077"
                                for row in range(history.rowCount())), timeout=PUSH_MS)
    assert not window._history_refresh.isActive(), "no polling timer runs while the websocket is up"

    server.add_voicemail(alice, "Eve Push", "1088")
    qtbot.waitUntil(lambda: any(m.caller_number == "1088" for m in window.voicemail_view.message_rows()),
                    timeout=PUSH_MS)
