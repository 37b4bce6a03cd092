"""Call recording: both sides, stereo, sealed in AES-256-GCM chunks as they are written
(callclient/storage/recordings.py, key in the keychain) into the app's recordings folder, which sign-out
and erase remove; only when the administrator's policy (policy.recording_allowed) allows it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from callclient.services.threads import ANY_THREAD, WORKER, runs_on

if TYPE_CHECKING:  # storage.recordings imports numpy, whose thread pool must not start before headless
    # mode blocks its signals (tests/services/test_threads.py)
    from callclient.storage.recordings import Recording as RecordingFile
    from callclient.storage.recordings import Recordings


class Recording:
    def __init__(self, audio: Any, settings: Any, recordings: Recordings) -> None:
        self._audio = audio  # media.bridge.DeviceAudio, or None without sound devices
        self._settings = settings
        self._recordings = recordings

    @property
    def allowed(self) -> bool:
        return bool(self._settings.config.config.policy.recording_allowed)

    @runs_on(WORKER)
    def start(self) -> Path:
        """Starts recording the calls; raises media.recorder.RecordingForbidden when the policy forbids it,
        and RuntimeError without sound devices (the null device carries no audio to record)."""
        from media.bridge import BRIDGE_RATE_HZ, FRAME_SAMPLES
        from media.recorder import CallRecorder

        if self._audio is None:
            raise RuntimeError("calls are not recorded without a sound device")
        self.stop()
        # open_writer seals each half second as it fills: no plaintext WAV ever reaches the disk
        recorder = CallRecorder(self._recordings.new_path(), BRIDGE_RATE_HZ, allowed_by_policy=self.allowed,
                                block_samples=FRAME_SAMPLES, open_writer=self._recordings.open_writer)
        self._audio.recorder = recorder
        return recorder.path

    @runs_on(WORKER)
    def stop(self) -> None:
        recorder = self._audio.recorder if self._audio is not None else None
        if recorder is not None:
            self._audio.recorder = None
            recorder.close()

    @runs_on(ANY_THREAD)
    def list(self) -> list[RecordingFile]:
        """The recordings on this device, newest first."""
        return self._recordings.list()

    @runs_on(WORKER)
    def read_wav(self, path: Path) -> bytes:
        """A recording decrypted into memory as WAV bytes (for the player); RecordingUnreadable when damaged."""
        return self._recordings.read_wav(path)
