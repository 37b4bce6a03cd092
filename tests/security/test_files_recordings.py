"""Call recordings at rest (item 12): ciphertext only on disk, playable in the app, gone after sign-out.

The recorder is the one the app uses (media.recorder.CallRecorder) fed the way the bridge feeds it,
block by block; the key comes from the real keychain.
"""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest

from callclient.storage.erase import erase_account, erase_all_data
from callclient.storage.favorites import Favorites
from callclient.storage.keychain import AppSecret, Keychain
from callclient.storage.paths import AppPaths
from callclient.storage.recordings import Recordings, RecordingUnreadable
from callclient.storage.store import open_store
from media.player import VoicemailPlayer
from media.recorder import CallRecorder
from media.wavfile import decode_wav
from tests.fixtures.net import wait_until

RATE_HZ = 16000
BLOCK = 320


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    home = tmp_path / "home"
    return AppPaths(data_dir=home / ".local/share/CallClient", cache_dir=home / ".cache/CallClient",
                    log_dir=home / ".local/state/CallClient/log", config_dir=home / ".config/CallClient")


@pytest.fixture
def recordings(app_paths: AppPaths, keychain: Keychain) -> Recordings:
    return Recordings(app_paths.recordings_dir, keychain.get_or_create_key(AppSecret.RECORDING_KEY))


def call_audio(seconds: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(12)
    frames = int(seconds * RATE_HZ)
    local = (0.3 * rng.standard_normal(frames)).clip(-1, 1).astype(np.float32)
    remote = (0.4 * np.sin(np.arange(frames) * 2 * np.pi * 440 / RATE_HZ)).astype(np.float32)
    return local, remote


def record(recordings: Recordings, local: np.ndarray, remote: np.ndarray, *, close: bool = True) -> CallRecorder:
    recorder = CallRecorder(recordings.new_path(), RATE_HZ, allowed_by_policy=True, block_samples=BLOCK,
                            open_writer=recordings.open_writer)
    for start in range(0, len(local), BLOCK):
        recorder.write(local[start:start + BLOCK], remote[start:start + BLOCK])
    if close:
        recorder.close()
    return recorder


def test_a_recording_is_ciphertext_on_disk_and_plays_back_in_the_app(recordings: Recordings) -> None:
    local, remote = call_audio(3.0)
    recorder = record(recordings, local, remote)
    on_disk = recorder.path.read_bytes()
    assert stat.S_IMODE(recorder.path.stat().st_mode) == 0o600
    assert b"RIFF" not in on_disk and b"WAVE" not in on_disk
    interleaved = np.round(np.stack([local, remote], axis=1) * 32768).clip(-32768, 32767).astype("<i2").tobytes()
    for start in range(0, len(interleaved) - 64, len(interleaved) // 10):
        assert interleaved[start:start + 64] not in on_disk, "plaintext audio reached the disk"

    wav = recordings.read_wav(recorder.path)
    frames, rate = decode_wav(wav)
    assert rate == RATE_HZ and frames.shape == (len(local), 2)
    np.testing.assert_allclose(frames[:, 0], local, atol=1 / 32768)
    np.testing.assert_allclose(frames[:, 1], remote, atol=1 / 32768)
    player = VoicemailPlayer(wav, "", rate_hz=48000)  # what the app plays it with
    assert player.duration_s == pytest.approx(3.0, abs=0.01)
    assert [r.path for r in recordings.list()] == [recorder.path]


def test_a_recording_cut_short_plays_up_to_where_it_stopped(recordings: Recordings) -> None:
    local, remote = call_audio(2.0)
    recorder = record(recordings, local, remote, close=False)
    wait_until(lambda: recorder.seconds_written >= 2.0, 10, "the recorder's writer thread to take every block")
    crashed = recorder.path.with_name("call-20260101-000000.ccrec")
    crashed.write_bytes(recorder.path.read_bytes())  # the file as a crash (power cut, kill -9) leaves it
    recorder.close()
    frames, _ = decode_wav(recordings.read_wav(crashed))
    assert len(frames) >= 1.5 * RATE_HZ, "at most the last half second is lost"


def test_an_altered_or_foreign_recording_is_refused(recordings: Recordings, app_paths: AppPaths) -> None:
    recorder = record(recordings, *call_audio(1.0))
    sealed = bytearray(recorder.path.read_bytes())
    sealed[100] ^= 0x01
    altered = recorder.path.with_name("call-20260101-000000.ccrec")
    altered.write_bytes(bytes(sealed))
    with pytest.raises(RecordingUnreadable, match="chunk 0 does not decrypt"):
        recordings.read_wav(altered)
    other_installation = Recordings(app_paths.recordings_dir, bytes(32))
    with pytest.raises(RecordingUnreadable, match="another installation's key"):
        other_installation.read_wav(recorder.path)


def test_signing_out_erases_the_recordings_and_keeps_nothing_of_them(recordings: Recordings, app_paths: AppPaths,
                                                                     keychain: Keychain) -> None:
    recorder = record(recordings, *call_audio(1.0))
    with open_store(app_paths.store_file, keychain).store as store:
        Favorites(store).add("office", "Mum", "100")
        erase_account("office", keychain=keychain, store=store, voicemail_cache=None, log_files=None)
    assert not recorder.path.exists()
    assert not app_paths.recordings_dir.exists()


def test_erasing_all_data_erases_the_recordings_and_their_key(recordings: Recordings, app_paths: AppPaths,
                                                             keychain: Keychain) -> None:
    recorder = record(recordings, *call_audio(1.0))
    erase_all_data(app_paths, keychain)
    assert not recorder.path.exists()
    assert keychain.get_key(AppSecret.RECORDING_KEY) is None
