"""The ringtone for incoming calls, on the ring device the user chose (often the laptop speaker while calls
go to a headset). PortAudio streams open and close on a worker (opening a device can block for tens of
milliseconds); the stream's callback only reads the preallocated tone generator."""

from __future__ import annotations

import logging
import threading

import numpy as np

from ui.bridge import Tasks

log = logging.getLogger(__name__)

RATE_HZ = 48000
_LEVEL = 0.18  # well below full scale: a ringtone should not startle


def ring_pattern(rate_hz: int = RATE_HZ) -> np.ndarray:
    """Two short 440+480 Hz bursts and a pause, the familiar double ring: 0.4 s on, 0.2 off, 0.4 on, 2 off."""
    def burst(seconds: float) -> np.ndarray:
        t = np.arange(int(rate_hz * seconds)) / rate_hz
        ramp = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)  # 10 ms fades: no clicks
        return (_LEVEL * ramp * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 480 * t)) / 2).astype(np.float32)

    def silence(seconds: float) -> np.ndarray:
        return np.zeros(int(rate_hz * seconds), dtype=np.float32)

    return np.concatenate([burst(0.4), silence(0.2), burst(0.4), silence(2.0)])


class Ringer:
    """Rings on `device` ("" = the system default output) until stopped: media.ringer.Ringer (the shipped
    ringtone on its own output stream), opened and closed on a worker so the GUI thread never waits for
    a sound device."""

    def __init__(self, tasks: Tasks, device: str = "") -> None:
        from callclient.app import resource_path
        from media.ringer import Ringer as DeviceRinger
        from media.wavfile import AudioFileError

        self._tasks = tasks
        self.device = device
        try:
            self._device_ringer = DeviceRinger(device, resource_path("sounds/ring.wav"))
        except AudioFileError as error:
            log.warning("the ringtone file cannot be used (%s); ringing with a tone", error)
            self._device_ringer = DeviceRinger(device, None)
        self._lock = threading.Lock()  # start/stop run on pool workers: one stream change at a time
        self.ringing = False

    def start(self) -> None:
        if not self.ringing:
            self.ringing = True
            self._tasks.run(self._open, None, lambda error: log.warning("cannot ring on %r: %s", self.device, error))

    def stop(self) -> None:
        if self.ringing:
            self.ringing = False
            self._tasks.run(self._close)

    def _open(self) -> None:
        with self._lock:
            if self.ringing:
                self._device_ringer.start()

    def _close(self) -> None:
        with self._lock:
            self._device_ringer.stop()

    @property
    def stream_active(self) -> bool:
        return self._device_ringer.ringing
