"""Call recording: both sides, stereo WAV, into the app's data folder (which sign-out erases), when the
administrator's policy (policy.recording_allowed) allows it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from callclient.services.threads import WORKER, runs_on


class Recording:
    def __init__(self, audio: Any, settings: Any, folder: Path) -> None:
        self._audio = audio  # media.bridge.DeviceAudio, or None without sound devices
        self._settings = settings
        self._folder = folder

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
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._folder / f"call-{datetime.now().strftime('%Y%m%d-%H%M%S')}.wav"
        self.stop()
        self._audio.recorder = CallRecorder(path, BRIDGE_RATE_HZ, allowed_by_policy=self.allowed,
                                            block_samples=FRAME_SAMPLES)
        return path

    @runs_on(WORKER)
    def stop(self) -> None:
        recorder = self._audio.recorder if self._audio is not None else None
        if recorder is not None:
            self._audio.recorder = None
            recorder.close()
