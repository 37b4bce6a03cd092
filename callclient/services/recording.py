"""Call recording: both sides, stereo, sealed in AES-256-GCM chunks as they are written
(callclient/storage/recordings.py, key in the keychain) into the app's recordings folder, which sign-out
and erase remove; only when the administrator's policy (policy.recording_allowed) allows it."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callclient.services.threads import ANY_THREAD, WORKER, runs_on

if TYPE_CHECKING:  # storage.recordings imports numpy, whose thread pool must not start before headless
    # mode blocks its signals (tests/services/test_threads.py)
    from callclient.storage.recordings import Recording as RecordingFile
    from callclient.storage.recordings import Recordings


log = logging.getLogger(__name__)

NOTICE_MAX_S = 30.0  # a longer notice file is a mistake (a whole song), refused rather than played
NOTICE_SLACK_S = 2.0  # the bridge clock's start-up and jitter beyond the notice's own length
EXPORT_FORMATS = ("wav", "opus")


class RecordingNoticeMissing(Exception):
    """The admin's recording notice cannot be played, so the call is not recorded."""


@dataclass(frozen=True)
class RecordingInProgress:
    path: Path
    started_monotonic_s: float

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started_monotonic_s


class Recording:
    def __init__(self, audio: Any, settings: Any, recordings: Recordings) -> None:
        self._audio = audio  # media.bridge.DeviceAudio, or None without sound devices
        self._settings = settings
        self._recordings = recordings
        self._lock = threading.Lock()
        self._in_progress: RecordingInProgress | None = None

    @property
    def available(self) -> bool:
        """Whether a record button makes sense: the policy allows it and there is audio to record."""
        return self.allowed and self._audio is not None

    @property
    def in_progress(self) -> RecordingInProgress | None:
        with self._lock:
            return self._in_progress

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
        if not self.allowed:
            from media.recorder import RecordingForbidden

            raise RecordingForbidden("your administrator does not allow call recording")
        self.stop()
        self._announce()
        # open_writer seals each half second as it fills: no plaintext WAV ever reaches the disk
        recorder = CallRecorder(self._recordings.new_path(), BRIDGE_RATE_HZ, allowed_by_policy=self.allowed,
                                block_samples=FRAME_SAMPLES, open_writer=self._recordings.open_writer)
        self._audio.recorder = recorder
        with self._lock:
            self._in_progress = RecordingInProgress(recorder.path, time.monotonic())
        log.info("call recording started: %s", recorder.path.name)
        return recorder.path

    def _announce(self) -> None:
        """Plays the admin's notice (policy.recording_notice: a WAV, or "beep") to the far end, and returns
        when it has all gone out: the recording starts after the other party was told."""
        from media.announcement import Announcement, beeps
        from media.bridge import BRIDGE_RATE_HZ

        notice = str(getattr(self._settings.config.config.policy, "recording_notice", "") or "")
        if not notice:
            return
        if notice == "beep":
            samples = beeps(BRIDGE_RATE_HZ)
        else:
            from media.player import decode_sound
            from media.wavfile import AudioFileError

            try:
                samples = decode_sound(Path(notice).read_bytes(), BRIDGE_RATE_HZ,
                                       max_duration_s=NOTICE_MAX_S).samples
            except (OSError, AudioFileError) as error:
                # The admin's promise is that the other party is told: no notice, no recording.
                raise RecordingNoticeMissing(f"the recording notice {notice} cannot be played ({error}); "
                                             "the call is not recorded — tell your administrator") from error
        announcement = Announcement(samples, BRIDGE_RATE_HZ)
        self._audio.send_source = announcement
        try:
            if not announcement.done.wait(announcement.duration_s + NOTICE_SLACK_S):
                log.warning("the recording notice did not finish playing (no audio clock?)")
        finally:
            self._audio.send_source = None

    @runs_on(WORKER)
    def stop(self) -> None:
        with self._lock:
            self._in_progress = None
        recorder = self._audio.recorder if self._audio is not None else None
        if recorder is not None:
            self._audio.recorder = None
            recorder.close()
            log.info("call recording stopped: %s", recorder.path.name)

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: Any) -> None:
        """The admin withdrew permission mid-call: the recording stops at once."""
        if change.touches("policy.recording_allowed") and not self.allowed and self.in_progress is not None:
            self.stop()

    @runs_on(ANY_THREAD)
    def list(self) -> list[RecordingFile]:
        """The recordings on this device, newest first."""
        return self._recordings.list()

    @runs_on(WORKER)
    def read_wav(self, path: Path) -> bytes:
        """A recording decrypted into memory as WAV bytes (for the player); RecordingUnreadable when damaged."""
        return self._recordings.read_wav(path)

    @runs_on(ANY_THREAD)
    def duration_s(self, path: Path) -> float:
        return self._recordings.duration_s(self._own(path))

    @runs_on(WORKER)
    def export(self, path: Path, destination: Path, kind: str) -> None:
        """Writes the recording decrypted to `destination` as "wav" or "opus" (Ogg Opus). Raises
        RecordingUnreadable, ValueError for another format, OSError naming the destination."""
        if kind not in EXPORT_FORMATS:
            raise ValueError(f"recordings are exported as {' or '.join(EXPORT_FORMATS)}, not {kind!r}")
        source = self._own(path)
        if kind == "wav":
            self._recordings.export_wav(source, destination)
        else:
            self._recordings.export_opus(source, destination)
        log.info("call recording %s exported as %s", source.name, kind)

    @runs_on(WORKER)
    def delete(self, path: Path) -> None:
        source = self._own(path)
        in_progress = self.in_progress
        if in_progress is not None and in_progress.path == source:
            self.stop()
        self._recordings.delete(source)

    def _own(self, path: Path) -> Path:
        """Only files in the recordings folder: a path from elsewhere is refused, not read or deleted."""
        resolved = Path(path).resolve()
        if resolved.parent != self._recordings.directory.resolve():
            raise ValueError(f"{path} is not one of CallClient's call recordings")
        return resolved
