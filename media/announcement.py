"""A sound played once into what the far end hears (DeviceAudio.send_source): the notice that a call is
about to be recorded. `read` runs on the bridge clock thread and only copies from the preallocated array;
`done` is set when the last sample has gone out, so the recorder starts after the far end heard it all."""

from __future__ import annotations

import threading

import numpy as np

BEEP_HZ = 1400.0
BEEP_S = 0.25
GAP_S = 0.2
BEEP_LEVEL = 0.3  # about -10 dBFS: clearly heard, not startling


def beeps(rate_hz: int, count: int = 2) -> np.ndarray:
    """Short tones in the style of the recording warning beeps of PBXes (two 250 ms tones)."""
    t = np.arange(int(rate_hz * BEEP_S)) / rate_hz
    tone = (BEEP_LEVEL * np.sin(2 * np.pi * BEEP_HZ * t)).astype(np.float32)
    ramp = min(len(tone) // 2, int(rate_hz * 0.01))  # 10 ms fades: no clicks
    if ramp:
        fade = np.linspace(0.0, 1.0, ramp, dtype=np.float32)
        tone[:ramp] *= fade
        tone[-ramp:] *= fade[::-1]
    gap = np.zeros(int(rate_hz * GAP_S), dtype=np.float32)
    return np.concatenate([part for _ in range(count) for part in (tone, gap)])


class Announcement:
    def __init__(self, samples: np.ndarray, rate_hz: int) -> None:
        """`samples`: float32 mono at the bridge's rate."""
        self._samples = np.ascontiguousarray(samples, dtype=np.float32)
        self.rate_hz = rate_hz
        self._position = 0
        self.done = threading.Event()
        if not len(self._samples):
            self.done.set()

    @property
    def duration_s(self) -> float:
        return len(self._samples) / self.rate_hz

    def read(self, out: np.ndarray) -> None:
        start = self._position
        count = max(0, min(len(out), len(self._samples) - start))
        if count:
            out[:count] = self._samples[start:start + count]
        out[count:] = 0.0
        self._position = start + count
        if self._position >= len(self._samples) and not self.done.is_set():
            self.done.set()
