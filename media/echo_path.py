"""Is what the speaker plays reaching the microphone? An echo-path detector for the echo gate.

WebRTC AEC3 as the `livekit` wheel builds it (default config, none of it reachable from Python) treats
any active render signal it cannot cancel as echo it has not yet learnt: with no echo path at all (a
headset, or two null sinks) it suppresses and refills the microphone with comfort noise whenever the
far end talks, so the user arrives chopped and garbled (PESQ-WB 4.6 -> 1.3 offline, 3.6 -> 1.2 through
the app; docs/benchmarks.md). Its own "transparent mode" for exactly this case never engaged in 50 s of
double talk. So we decide whether there is an echo to cancel ourselves, and only then let AEC3's output
through (media/processing.py).

How: an echo is the render's loudness pattern, delayed and coloured, in the capture. For each 10 ms
frame we take the log energy in 12 bands (200-3800 Hz, which a speaker reproduces and the high-pass
filters leave alone) of both signals, and keep running correlations between the capture's band energies
and the render's at every delay up to `max_delay_ms`. Loudness envelopes survive what defeats a linear
filter -- a distorting speaker, reverberation, drifting clocks -- while two talkers, uncorrelated, score
near zero. Statistics move only while the render is active, so silence from the far end neither makes
nor unmakes the decision. Buffers are preallocated; numpy's FFT returns one small new array per frame.
"""

from __future__ import annotations

import numpy as np

BAND_EDGES_HZ = (200, 500, 800, 1100, 1400, 1700, 2000, 2300, 2600, 2900, 3200, 3500, 3800)
RENDER_ACTIVE_DBFS = -55.0  # quieter far-end frames (comfort noise, line hiss) teach us nothing
# The score is the best delay's correlation minus the median over all delays (a real echo has a peak;
# two talkers' common rhythm lifts every delay alike). Measured on espeak-ng speech: a room plus a
# distorting speaker scores 0.6-0.8 while only the far end talks and 0.25-0.45 in double talk; two
# independent talkers score up to 0.35 in their first two seconds and under 0.2 after three.
ON_SCORE = 0.45
OFF_SCORE = 0.12
JUDGE_AFTER_FRAMES = 300  # three seconds of far-end activity before the first verdict


class EchoPathDetector:
    """Give it every 10 ms frame played (`render`) and captured (`capture`), same rate, from one thread;
    `echo_present` says whether the capture carries the render, `delay_ms` at which delay. The
    `time_constant_s` of active render sets how fast the verdict follows a change (a headset plugged
    in or out)."""

    def __init__(self, rate_hz: int, max_delay_ms: int = 800, time_constant_s: float = 4.0) -> None:
        self.frame_samples = rate_hz // 100
        bin_hz = rate_hz / self.frame_samples
        edges = [int(round(edge / bin_hz)) for edge in BAND_EDGES_HZ]
        bands = len(edges) - 1
        # power per FFT bin (row) summed into bands (columns) by one matrix product, into a preallocated out
        self._band_matrix = np.zeros((self.frame_samples // 2 + 1, bands))
        for band, (low, high) in enumerate(zip(edges[:-1], edges[1:])):
            self._band_matrix[low:high, band] = 1.0
        self._lags = max_delay_ms // 10 + 1
        self._alpha = 1.0 / (time_constant_s * 100)
        self._window = np.hanning(self.frame_samples).astype(np.float64)
        self._windowed = np.zeros(self.frame_samples)
        self._power = np.zeros(self.frame_samples // 2 + 1)
        self._bands = np.zeros(bands)
        self._capture_db = np.zeros(bands)
        self._newest_level = -100.0
        # The render history is written twice (at i and i + lags) so the last `lags` frames are always
        # one contiguous, newest-first slice, without shifting the array every frame.
        self._history = np.zeros((2 * self._lags, bands))
        self._history_level = np.full(2 * self._lags, -100.0)
        self._newest = 0
        self._mean_capture = np.zeros(bands)
        self._mean_render = np.zeros((self._lags, bands))
        self._mean_cross = np.zeros((self._lags, bands))
        self._mean_capture_sq = np.zeros(bands)
        self._mean_render_sq = np.zeros((self._lags, bands))
        self._scratch = np.zeros((self._lags, bands))
        self._scratch2 = np.zeros((self._lags, bands))
        self._step = np.zeros((self._lags, bands))
        self._step_bands = np.zeros(bands)
        self._imag_power = np.zeros(self.frame_samples // 2 + 1)
        self._per_lag = np.zeros(self._lags)
        self._updates = 0
        self.correlation = 0.0
        self.delay_ms = 0
        self.echo_present = False

    def render(self, frame: np.ndarray) -> None:
        """A 10 ms frame on its way to the speaker."""
        self._newest_level = self._band_db(frame, self._bands)
        self._newest = (self._newest - 1) % self._lags
        for row in (self._newest, self._newest + self._lags):
            self._history[row] = self._bands
            self._history_level[row] = self._newest_level

    def capture(self, frame: np.ndarray) -> bool:
        """A 10 ms frame from the microphone; returns the current verdict."""
        recent = self._history[self._newest:self._newest + self._lags]  # row d: the render d frames ago
        if self._history_level[self._newest:self._newest + self._lags].max() < RENDER_ACTIVE_DBFS:
            return self.echo_present
        self._band_db(frame, self._capture_db)
        a = self._alpha if self._updates > 100 else 1.0 / (self._updates + 1)  # plain mean while warming up
        self._updates += 1
        self._ema(self._mean_capture, self._capture_db, a)
        np.multiply(self._capture_db, self._capture_db, out=self._bands)
        self._ema(self._mean_capture_sq, self._bands, a)
        self._ema(self._mean_render, recent, a)
        np.multiply(recent, recent, out=self._scratch)
        self._ema(self._mean_render_sq, self._scratch, a)
        np.multiply(recent, self._capture_db, out=self._scratch)
        self._ema(self._mean_cross, self._scratch, a)
        if self._updates % 10 == 0:
            self._decide()
        return self.echo_present

    def echo_expected(self, tail_ms: int = 300) -> bool:
        """An echo path is there and the far end played something recently enough for its echo (the
        delay plus `tail_ms` of room) to be in the capture now. When the far end is silent there is
        nothing to cancel, and the user's voice is better left alone: AEC3's path alone costs clean
        speech 0.8 PESQ-WB (it enforces its own high-pass filter)."""
        if not self.echo_present:
            return False
        frames = min(self._lags, (self.delay_ms + tail_ms) // 10 + 1)
        return bool(self._history_level[self._newest:self._newest + frames].max() >= RENDER_ACTIVE_DBFS)

    def _decide(self) -> None:
        # covariance / sqrt(var_capture * var_render), per delay and band, then the mean over bands
        np.multiply(self._mean_render, self._mean_capture, out=self._scratch)
        np.subtract(self._mean_cross, self._scratch, out=self._scratch)
        np.multiply(self._mean_render, self._mean_render, out=self._scratch2)
        np.subtract(self._mean_render_sq, self._scratch2, out=self._scratch2)
        np.multiply(self._mean_capture, self._mean_capture, out=self._bands)
        np.subtract(self._mean_capture_sq, self._bands, out=self._bands)
        np.maximum(self._bands, 1e-3, out=self._bands)
        np.maximum(self._scratch2, 1e-3, out=self._scratch2)
        np.multiply(self._scratch2, self._bands, out=self._scratch2)
        np.sqrt(self._scratch2, out=self._scratch2)
        np.divide(self._scratch, self._scratch2, out=self._scratch)
        np.mean(self._scratch, axis=1, out=self._per_lag)
        lag = int(np.argmax(self._per_lag))
        self.correlation = float(self._per_lag[lag] - np.median(self._per_lag))
        self.delay_ms = lag * 10
        if self._updates < JUDGE_AFTER_FRAMES:
            return
        if self.correlation > ON_SCORE:
            self.echo_present = True
        elif self.correlation < OFF_SCORE:
            self.echo_present = False

    def _band_db(self, frame: np.ndarray, out: np.ndarray) -> float:
        np.multiply(frame, self._window, out=self._windowed)
        spectrum = np.fft.rfft(self._windowed)  # numpy's FFT has no out=; 81 complex values per frame
        np.multiply(spectrum.real, spectrum.real, out=self._power)
        np.multiply(spectrum.imag, spectrum.imag, out=self._imag_power)
        self._power += self._imag_power
        np.dot(self._power, self._band_matrix, out=out)
        out *= 4.0 / (self.frame_samples ** 2)  # Hann-windowed power, roughly per-band mean square
        np.maximum(out, 1e-10, out=out)
        total = float(out.sum())
        np.log10(out, out=out)
        out *= 10.0
        return 10.0 * np.log10(total)

    def _ema(self, mean: np.ndarray, value: np.ndarray, a: float) -> None:
        step = self._step_bands if mean.ndim == 1 else self._step
        np.subtract(value, mean, out=step)
        step *= a
        mean += step
