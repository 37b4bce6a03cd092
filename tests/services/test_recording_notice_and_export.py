"""Recording under the admin's notice, through the recording service the call view's button calls, on a
real call to a far-end pjsua2 phone through Kamailio: the far end hears the notice before the recording
starts; exports decode (opusdec); erasing all data removes the recordings."""

from __future__ import annotations

import io
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from callclient.services.types import CallState, CallUpdated
from media.announcement import BEEP_HZ
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import PulseServer, read_wav
from tests.services.conftest import CoreHome, account_toml, news, registered


def _readable(path: Path) -> bool:
    try:
        read_wav(path)
    except (EOFError, OSError, wave.Error):
        return False
    return True


def _tone_level(samples: np.ndarray, rate_hz: int, frequency_hz: float) -> float:
    """The amplitude of `frequency_hz` in `samples` (a single-bin DFT)."""
    t = np.arange(len(samples)) / rate_hz
    return float(2 * abs(np.dot(samples, np.exp(-2j * np.pi * frequency_hz * t))) / max(1, len(samples)))


def test_the_far_end_hears_the_notice_before_the_recording_starts_and_exports_decode_and_erase_removes_them(
        sound: PulseServer, core_home: CoreHome, kamailio: Kamailio, far_end, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    admin = tmp_path / "system.toml"
    admin.write_text('[policy]\nrecording_allowed = true\nrecording_notice = "beep"\n')
    monkeypatch.setenv("CALLCLIENT_SYSTEM_CONFIG", str(admin))
    core_home.config_file.write_text(account_toml(kamailio, "erin"))
    core_home.set_password("erin", "erin")
    bob = far_end("bob", auto_answer=True)
    core = core_home.start(use_sound_devices=True)
    assert core.config.config.policy.recording_notice == "beep"
    events = news(core)
    registered(core, "erin")
    call_id = core.services.calls.place_call("bob", "erin").result(10)
    events.wait(CallUpdated, timeout=15, call_id=call_id, state=CallState.CONFIRMED)
    answered = bob.expect(lambda e: e["ev"] == "state" and e.get("state") == "CONFIRMED", what="bob answered")
    heard = tmp_path / "bob-heard.wav"
    bob.send(op="record", call=answered["call"], file=str(heard))
    bob.expect(lambda e: e["ev"] == "recording", what="bob recording")

    recording = core.services.recording
    path = recording.start()  # returns once the notice has gone out
    assert recording.in_progress is not None
    wait_until(lambda: path.stat().st_size > 19 + 1000, 10, "a sealed chunk of the recording")
    recording.stop()
    bob.send(op="stop_media", call=answered["call"])
    bob.expect(lambda e: e["ev"] == "media_stopped", what="bob's recording closed")
    core.services.calls.hang_up(call_id).result(10)
    wait_until(lambda: _readable(heard), 10, "bob's recording to be closed")
    received, rate = read_wav(heard)
    level = _tone_level(received.astype(np.float64), rate, BEEP_HZ)
    assert level > 0.01, f"the far end heard the notice's beeps (level {level:.4f})"

    wav_out, opus_out = tmp_path / "call.wav", tmp_path / "call.opus"
    recording.export(path, wav_out, "wav")
    recording.export(path, opus_out, "opus")
    with wave.open(io.BytesIO(wav_out.read_bytes())) as wav:
        assert wav.getnchannels() == 2 and wav.getnframes() >= wav.getframerate() // 2
    info = subprocess.run(["opusinfo", str(opus_out)], capture_output=True, text=True, timeout=60, check=False)
    assert info.returncode == 0 and "WARNING" not in info.stdout + info.stderr, info.stdout + info.stderr
    decoded = subprocess.run(["opusdec", "--quiet", str(opus_out), str(tmp_path / "back.wav")],
                             capture_output=True, text=True, timeout=60, check=False)
    assert decoded.returncode == 0, decoded.stderr
    with pytest.raises(ValueError, match="not one of CallClient's call recordings"):
        recording.export(wav_out, tmp_path / "again.wav", "wav")

    recordings_dir = core.paths.recordings_dir
    assert any(recordings_dir.iterdir())
    core_home.cores.remove(core)
    core.erase_all_data()
    assert not recordings_dir.exists(), "erase removes the call recordings"


def test_a_notice_that_cannot_be_played_means_no_recording(sound: PulseServer, core_home: CoreHome,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from callclient.services.recording import RecordingNoticeMissing

    admin = tmp_path / "system.toml"
    admin.write_text(f'[policy]\nrecording_allowed = true\nrecording_notice = "{tmp_path / "missing.wav"}"\n')
    monkeypatch.setenv("CALLCLIENT_SYSTEM_CONFIG", str(admin))
    core = core_home.start(use_sound_devices=True)
    with pytest.raises(RecordingNoticeMissing, match="missing.wav cannot be played"):
        core.services.recording.start()
    assert core.services.recording.in_progress is None
    assert core.services.recording.list() == []
    core_home.stop(core)  # before PortAudio is re-initialised under it
