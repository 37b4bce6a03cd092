"""Capture processing: echo cancellation, noise suppression, gain control and a high-pass filter.

WebRTC's audio processing module (AEC3, NS, AGC2, HPF) through the `livekit` wheel, chosen by
measurement (bench/echo_erle.py, docs/benchmarks.md): on espeak-ng speech through a synthetic room it
removed ~65 dB of echo on a linear path and ~33 dB with a distorting speaker, against ~45 and ~15 dB for
speexdsp's MDF, at ~3 % of a core. Its price: it ducks a near-end talker by ~5 dB during double talk,
where speexdsp leaves them untouched (and lets more echo through). The wheel bundles the native
library and needs no network at run time. It works on 10 ms int16 frames; `VoiceProcessor` keeps one
preallocated `AudioFrame` per direction and converts in place, so no frame allocates an array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ProcessingSettings:
    aec: bool = True
    ns: bool = True
    agc: bool = True
    high_pass: bool = True

    @property
    def any(self) -> bool:
        return self.aec or self.ns or self.agc or self.high_pass


class VoiceProcessor:
    """Processes the microphone (`process_capture`) knowing what the speaker plays (`process_render`).

    Both take 10 ms float32 mono frames at `rate_hz` (8, 16, 32 or 48 kHz). Call them from one thread
    (the bridge clock's), render first, in step: AEC3 lines the two streams up itself, given the
    pipeline's nominal delay through `set_delay_ms`.
    """

    def __init__(self, rate_hz: int, settings: ProcessingSettings = ProcessingSettings()) -> None:
        if rate_hz not in (8000, 16000, 32000, 48000):
            raise ValueError(f"audio processing runs at 8, 16, 32 or 48 kHz, not {rate_hz}")
        self.rate_hz = rate_hz
        self.frame_samples = rate_hz // 100
        self._scaled = np.zeros(self.frame_samples, dtype=np.float32)
        self._settings = settings
        self._apm = None
        self._render_frame = None
        self._capture_frame = None
        self._delay_ms = 0
        self.update(settings)

    @property
    def settings(self) -> ProcessingSettings:
        return self._settings

    def update(self, settings: ProcessingSettings) -> None:
        """New switches take effect at the next frame (the module is rebuilt: its state starts over)."""
        from livekit import rtc

        self._settings = settings
        if not settings.any:
            self._apm = None
            return
        self._apm = rtc.AudioProcessingModule(
            echo_cancellation=settings.aec, noise_suppression=settings.ns,
            high_pass_filter=settings.high_pass, auto_gain_control=settings.agc,
        )
        size = self.frame_samples * 2
        self._render_frame = rtc.AudioFrame(bytearray(size), self.rate_hz, 1, self.frame_samples)
        self._capture_frame = rtc.AudioFrame(bytearray(size), self.rate_hz, 1, self.frame_samples)
        if self._delay_ms:
            self._apm.set_stream_delay_ms(self._delay_ms)

    def set_delay_ms(self, delay_ms: int) -> None:
        """The time from a render frame to its echo in the capture: the output plus input device latency."""
        self._delay_ms = int(delay_ms)
        if self._apm is not None:
            self._apm.set_stream_delay_ms(self._delay_ms)

    def process_render(self, frame: np.ndarray) -> None:
        if self._apm is None or not self._settings.aec:
            return
        self._load(self._render_frame, frame)
        self._apm.process_reverse_stream(self._render_frame)

    def process_capture(self, frame: np.ndarray, out: np.ndarray) -> None:
        if self._apm is None:
            out[:] = frame
            return
        self._load(self._capture_frame, frame)
        self._apm.process_stream(self._capture_frame)
        samples = np.frombuffer(self._capture_frame.data, dtype=np.int16)
        np.multiply(samples, 1 / 32768, out=out, casting="unsafe")

    def _load(self, target: object, frame: np.ndarray) -> None:
        np.multiply(frame, 32767.0, out=self._scaled)
        np.clip(self._scaled, -32768.0, 32767.0, out=self._scaled)
        np.frombuffer(target.data, dtype=np.int16)[:] = self._scaled  # type: ignore[attr-defined]
