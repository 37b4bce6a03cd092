from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest

from media.recorder import CallRecorder, RecordingFailed, RecordingForbidden
from media.wavfile import decode_wav


def test_recording_is_stereo_local_left_remote_right(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    recorder = CallRecorder(path, 16000, allowed_by_policy=True)
    rng = np.random.default_rng(3)
    local = (0.3 * rng.standard_normal(16000 * 2)).clip(-1, 1).astype(np.float32)
    remote = (0.2 * np.sin(np.arange(16000 * 2) * 0.05)).astype(np.float32)
    for start in range(0, len(local), 320):
        recorder.write(local[start:start + 320], remote[start:start + 320])
    recorder.close()
    frames, rate = decode_wav(path.read_bytes())
    assert rate == 16000 and frames.shape == (32000, 2)
    np.testing.assert_allclose(frames[:, 0], local, atol=1 / 32768)
    np.testing.assert_allclose(frames[:, 1], remote, atol=1 / 32768)
    assert recorder.dropped_blocks == 0
    assert recorder.seconds_written == pytest.approx(2.0)


def test_recording_file_is_private_to_the_user(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.wav", 8000, allowed_by_policy=True, block_samples=160)
    recorder.close()
    assert stat.S_IMODE((tmp_path / "call.wav").stat().st_mode) == 0o600


def test_policy_forbidding_recording_refuses_before_any_file_exists(tmp_path: Path) -> None:
    with pytest.raises(RecordingForbidden, match="administrator"):
        CallRecorder(tmp_path / "call.wav", 16000, allowed_by_policy=False)
    assert not (tmp_path / "call.wav").exists()


def test_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(b"an earlier recording")
    with pytest.raises(RecordingFailed, match="call.wav"):
        CallRecorder(path, 16000, allowed_by_policy=True)
    assert path.read_bytes() == b"an earlier recording"


def test_a_full_pool_drops_blocks_instead_of_blocking_the_audio_thread(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.wav", 8000, allowed_by_policy=True, block_samples=4000)
    block = np.zeros(4000, dtype=np.float32)
    # a stalled disk keeps every block: empty the pool the way the writer would hold it
    while not recorder._free.empty():
        recorder._free.get_nowait()
    recorder.write(block, block)
    assert recorder.dropped_blocks == 1
    recorder.close()


def test_writes_after_close_are_ignored(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.wav", 8000, allowed_by_policy=True, block_samples=80)
    recorder.write(np.ones(80, np.float32) * 0.1, np.zeros(80, np.float32))
    recorder.close()
    recorder.write(np.ones(80, np.float32), np.ones(80, np.float32))
    frames, _ = decode_wav((tmp_path / "call.wav").read_bytes())
    assert frames.shape == (80, 2)
