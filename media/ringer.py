"""The ringtone on its own device: the ringing can sound on the speakers while calls go to a headset.

A `Ringer` opens a PortAudio output stream on the ring device only while it rings (an idle stream would
keep the device awake); the callback only copies from a `ToneGenerator`, which fills preallocated
buffers.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from media.devices import open_stream, resolve_device
from media.tones import ToneGenerator, ToneKind, load_ringtone

log = logging.getLogger(__name__)

RING_RATE_HZ = 48000


class Ringer:
    def __init__(self, device: str = "", ringtone: Path | None = None, region: str = "eu") -> None:
        self.device = device
        samples = load_ringtone(ringtone, RING_RATE_HZ) if ringtone is not None else None
        self._tones = ToneGenerator(RING_RATE_HZ, region=region, ringtone=samples)
        self._has_ringtone = samples is not None
        self._stream = None
        self._lock = threading.Lock()

    @property
    def ringing(self) -> bool:
        return self._stream is not None

    def start(self) -> None:
        """Rings until `stop`; a missing ring device is logged, never an error for the call."""
        import sounddevice as sd

        with self._lock:
            if self._stream is not None:
                return
            self._tones.start(ToneKind.RINGTONE if self._has_ringtone else ToneKind.RINGBACK)
            try:
                device = resolve_device(self.device, "output")
                stream = open_stream(sd.OutputStream, device, samplerate=RING_RATE_HZ, channels=1, dtype="float32",
                                     blocksize=RING_RATE_HZ // 50, callback=self._callback)
                stream.start()
            except Exception as error:  # ringing is best effort: the incoming-call window still shows
                log.warning("the ringtone cannot play on %r: %s", self.device or "the default device", error)
                return
            self._stream = stream

    def stop(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
            self._tones.stop()
        if stream is not None:
            stream.abort()
            stream.close()

    def _callback(self, outdata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        self._tones.read(outdata[:, 0])
