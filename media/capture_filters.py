"""The microphone's clean-up after echo control: a high-pass filter and a noise suppressor.

Chosen by measurement (bench/device_path_quality.py, docs/benchmarks.md). The `livekit` wheel's WebRTC
module costs clean speech more than its job is worth: its high-pass filter alone took PESQ-WB from 4.64
to 3.85 (it also reshapes the waveform: output vs input correlation 0.58) and its noise suppressor to
3.73, where the issue allows 0.15. Here:

- `HighPassFilter`: a 2nd-order Butterworth at 100 Hz: -12 dB on 50 Hz mains hum, handling rumble and
  desk thumps, PESQ-WB 4.64 -> 4.53 on speech (a 4th-order at 80 Hz: -18 dB, 4.44; at 70 Hz: -14 dB,
  4.50). Applied as its impulse response truncated at 32 ms, by FFT: the response has decayed ~100 dB
  by then, so this is the IIR filter (same minimum phase, no added delay), a frame at a time in numpy
  rather than a per-sample Python loop.
- `NoiseSuppressor`: speexdsp's preprocessor (Debian's libspeexdsp1 through ctypes; PulseAudio depends on
  it, so a desktop has it), denoising only, at a suppression limit chosen by the bench.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math

import numpy as np

HIGH_PASS_HZ = 100.0
_TAPS = 512

SPEEX_PREPROCESS_SET_DENOISE = 0
SPEEX_PREPROCESS_SET_NOISE_SUPPRESS = 18


class HighPassFilter:
    """Filters 10 ms float32 frames in place-free fashion: `process(frame, out)`; one stream only."""

    def __init__(self, rate_hz: int, cutoff_hz: float = HIGH_PASS_HZ) -> None:
        # RBJ cookbook biquad, Q = 1/sqrt(2): Butterworth
        w0 = 2 * math.pi * cutoff_hz / rate_hz
        alpha = math.sin(w0) / math.sqrt(2)
        cos_w0 = math.cos(w0)
        b = [(1 + cos_w0) / 2, -(1 + cos_w0), (1 + cos_w0) / 2]
        a = [1 + alpha, -2 * cos_w0, 1 - alpha]
        response = np.zeros(_TAPS)
        x1 = x2 = y1 = y2 = 0.0
        for n in range(_TAPS):  # once, at start-up
            x0 = 1.0 if n == 0 else 0.0
            y0 = (b[0] * x0 + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2) / a[0]
            response[n] = y0
            x2, x1, y2, y1 = x1, x0, y1, y0
        self._size = 1 << math.ceil(math.log2(_TAPS + rate_hz // 100))
        self._response = np.fft.rfft(response, self._size)
        self._history = np.zeros(self._size)  # the last input samples, newest at the end
        self._spectrum = np.zeros(self._size // 2 + 1, dtype=np.complex128)

    def process(self, frame: np.ndarray, out: np.ndarray) -> None:
        n = frame.shape[0]
        self._history[:-n] = self._history[n:]  # numpy copies overlapping slices correctly
        self._history[-n:] = frame
        np.multiply(np.fft.rfft(self._history), self._response, out=self._spectrum)
        out[:] = np.fft.irfft(self._spectrum, self._size)[-n:]


class SpeexUnavailable(RuntimeError):
    pass


class NoiseSuppressor:
    """speexdsp's noise suppressor on 10 ms frames; `suppress_db` caps how far noise is pushed down."""

    def __init__(self, rate_hz: int, suppress_db: int) -> None:
        name = ctypes.util.find_library("speexdsp") or "libspeexdsp.so.1"
        try:
            lib = ctypes.CDLL(name)
        except OSError as error:
            raise SpeexUnavailable(f"speexdsp is not installed ({error}); install libspeexdsp1") from None
        lib.speex_preprocess_state_init.restype = ctypes.c_void_p
        lib.speex_preprocess_state_init.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.speex_preprocess_state_destroy.argtypes = [ctypes.c_void_p]
        lib.speex_preprocess_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        lib.speex_preprocess_run.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._lib = lib
        self.frame_samples = rate_hz // 100
        self._state = lib.speex_preprocess_state_init(self.frame_samples, rate_hz)
        on, limit = ctypes.c_int(1), ctypes.c_int(-abs(int(suppress_db)))
        lib.speex_preprocess_ctl(self._state, SPEEX_PREPROCESS_SET_DENOISE, ctypes.byref(on))
        lib.speex_preprocess_ctl(self._state, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, ctypes.byref(limit))
        self._pcm = np.zeros(self.frame_samples, dtype=np.int16)
        self._scaled = np.zeros(self.frame_samples, dtype=np.float32)
        self._address = self._pcm.ctypes.data

    def process(self, frame: np.ndarray, out: np.ndarray) -> None:
        np.multiply(frame, 32767.0, out=self._scaled)
        np.clip(self._scaled, -32768.0, 32767.0, out=self._scaled)
        self._pcm[:] = self._scaled
        self._lib.speex_preprocess_run(self._state, self._address)
        np.multiply(self._pcm, 1 / 32768, out=out, casting="unsafe")

    def __del__(self) -> None:
        state, self._state = getattr(self, "_state", None), None
        if state:
            self._lib.speex_preprocess_state_destroy(state)
