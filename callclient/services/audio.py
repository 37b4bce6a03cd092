"""Audio: the call's sound devices and voice processing, as the settings say.

The devices and the echo/noise/gain boxes are settings like any other: the Settings window, the in-call
device menu and the processing boxes ask `SettingsService` to change them (so the choice is saved and
survives a restart), and this service applies whatever the settings then say — to the running streams, on
the thread that changed them (restarting a stream can take tens of milliseconds: never the GUI thread).
"""

from __future__ import annotations

import io
import logging
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, WORKER, runs_on

if TYPE_CHECKING:
    # numpy is imported where it is used, never when Core is imported: numpy's import starts OpenBLAS
    # threads, and a thread started before `callclient --headless` blocks its signals would take SIGTERM
    # with the default action (the process dies instead of stopping cleanly).
    import numpy as np

log = logging.getLogger(__name__)

TEST_SOUND_RATE_HZ = 48000
_LEVEL = 0.18  # well below full scale: a test sound should not startle
PROCESSING_KEYS = ("audio.echo_cancellation", "audio.noise_suppression", "audio.auto_gain", "audio.high_pass")


@dataclass(frozen=True)
class AudioDeviceChanged:
    """News: a chosen microphone or speaker went away and the system default stands in, or it came back.
    `message` is plain words for a notice; the device names are those now in use."""

    message: str
    capture_device: str
    playback_device: str


class AudioService:
    """`audio` is media.bridge.DeviceAudio, or None when calls use pjsua's null device (no sound).

    The two device modes are the settings' values: an empty name follows the system default (the sound
    server moves the streams when the default changes); a name is "always this device": while it is absent
    the default stands in and the user is told, and the device is used again when it comes back (the
    choice is never overwritten by the fallback)."""

    def __init__(self, audio: Any, settings: Any, publish: Callable[[object], None] = lambda _item: None) -> None:
        self._audio = audio
        self._settings = settings
        self._publish = publish
        # One processing build at a time, each from the settings in force when it runs: the desktop's build
        # after its window (apply_processing) never overwrites a newer change made meanwhile.
        self._processing_lock = threading.Lock()
        if audio is not None:
            audio.on_device_change = self._device_changed

    @runs_on(WORKER)
    def _device_changed(self, message: str) -> None:
        """From the audio pipeline's device watch or fallback thread, never an audio callback."""
        log.info("audio devices: %s", message)
        self._publish(AudioDeviceChanged(message, self.capture_device_name, self.playback_device_name))

    @property
    def available(self) -> bool:
        return self._audio is not None

    @property
    def capture_device_name(self) -> str:
        return self._audio.capture_device_name if self._audio is not None else ""

    @property
    def playback_device_name(self) -> str:
        return self._audio.playback_device_name if self._audio is not None else ""

    def levels(self) -> Any:
        """Peak levels (input_dbfs, output_dbfs) from the pipeline's counters: a plain read, no waiting."""
        return self._audio.levels()

    @runs_on(WORKER)
    def devices(self) -> list[Any]:
        """media.devices.Device values: `name` is what a setting saves, `shown_name` what a person reads."""
        from media.devices import list_devices

        return list_devices()

    # ---------------------------------------------------------------- changes: through the settings

    @runs_on(WORKER)
    def choose_devices(self, capture: str | None, playback: str | None, by: str) -> None:
        """Saves the microphone and/or speaker ("" = the system default); the streams follow the event."""
        values = {key: value for key, value in (("audio.capture_device", capture),
                                                ("audio.playback_device", playback)) if value is not None}
        if values:
            self._settings.change(values, by=by)

    @runs_on(WORKER)
    def choose_processing(self, by: str, **boxes: bool) -> None:
        """echo_cancellation=, noise_suppression=, auto_gain=, high_pass=: saved, then applied by the event."""
        self._settings.change({f"audio.{name}": bool(on) for name, on in boxes.items()}, by=by)

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if self._audio is None:
            return
        audio = change.config.config.audio
        if change.touches("audio.capture_device", "audio.playback_device"):
            self._audio.set_devices(audio.capture_device, audio.playback_device)
        if change.touches(*PROCESSING_KEYS):
            self.apply_processing()

    @runs_on(ANY_THREAD)
    def apply_processing(self) -> None:
        """Builds the echo/noise/gain processing the settings in force ask for and hands it to the streams (the
        desktop's Core calls it once the window shows: livekit's echo canceller takes ~0.15 s to load)."""
        if self._audio is None:
            return
        with self._processing_lock:
            self._audio.set_processing(processing_settings(self._settings.config.config.audio))

    # ---------------------------------------------------------------- players

    @runs_on(WORKER)
    def player(self, data: bytes, device: str | None = None) -> Any:
        """A media.player.VoicemailPlayer for `data` on `device` (None: the call's speaker)."""
        from media.player import VoicemailPlayer

        return VoicemailPlayer(data, self.playback_device_name if device is None else device)

    @runs_on(WORKER)
    def play_test_sound(self, device: str) -> Any:
        player = self.player(test_sound_wav(), device)
        player.play()
        return player


def processing_settings(audio: Any) -> Any:
    from media.processing import ProcessingSettings

    return ProcessingSettings(aec=audio.echo_cancellation, ns=audio.noise_suppression, agc=audio.auto_gain,
                              high_pass=audio.high_pass)


def ring_pattern(rate_hz: int = TEST_SOUND_RATE_HZ) -> np.ndarray:
    """Two short 440+480 Hz bursts and a pause, the familiar double ring: 0.4 s on, 0.2 off, 0.4 on, 2 off."""
    import numpy as np

    def burst(seconds: float) -> np.ndarray:
        t = np.arange(int(rate_hz * seconds)) / rate_hz
        ramp = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)  # 10 ms fades: no clicks
        return (_LEVEL * ramp * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 480 * t)) / 2).astype(np.float32)

    def silence(seconds: float) -> np.ndarray:
        return np.zeros(int(rate_hz * seconds), dtype=np.float32)

    return np.concatenate([burst(0.4), silence(0.2), burst(0.4), silence(2.0)])


def test_sound_wav() -> bytes:
    """The double ring, once, as a WAV file: what "Test speaker" plays."""
    import numpy as np

    samples = (ring_pattern()[:TEST_SOUND_RATE_HZ] * 32767).astype(np.int16)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(TEST_SOUND_RATE_HZ)
        wav.writeframes(samples.tobytes())
    return out.getvalue()
