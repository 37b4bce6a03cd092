"""Following a clock that runs a few hundred ppm off: a `FillController` turns a ring's smoothed fill into a
read ratio and a `DriftResampler` reads the ring at that ratio, so a sound card running 500 ppm fast is followed
by reading 500 ppm faster, never by dropping or repeating a block. Per-block work is numpy on preallocated arrays
(`out=`), safe in a PortAudio callback.
"""

from __future__ import annotations

import numpy as np

from media.sample_ring import SampleRing


class FillController:
    """A PI loop turning the ring's smoothed fill into a read ratio (input samples per output sample).

    The fill seen at any one read is a sawtooth of the two clocks' block sizes, so the loop works on a
    slow average: drift is at most a few hundred ppm, and a loop that answers within seconds is fast
    enough while keeping each ratio step far below what the ear can hear as pitch.
    """

    MAX_CORRECTION = 2e-3  # +-2000 ppm: four times the worst drift we are asked to follow

    def __init__(self, target_frames: float, rate_hz: float, block_frames: int) -> None:
        self.target_frames = target_frames
        self._average = target_frames
        blocks_per_s = rate_hz / block_frames
        self._smoothing = 1.0 / (0.5 * blocks_per_s)          # ~0.5 s moving average
        # A PI loop on fill error, in ratio per sample of error: 10 ms of error asks for 1000 ppm at
        # once (a loop time constant of ~10 s), the integral then takes over the steady drift with a
        # damping ratio near 0.7, so a 500 ppm offset settles in well under a minute.
        self._kp = 0.1 / rate_hz
        self._ki = 0.005 / rate_hz / blocks_per_s
        self._integral = 0.0
        self.ratio = 1.0

    @property
    def average_fill(self) -> float:
        return self._average

    def forget(self, frames: float) -> None:
        """`frames` left the ring without being played (an `ExcessTrimmer` step): out of the average too,
        or the loop would go on correcting an excess that is already gone."""
        self._average -= frames

    def update(self, fill: float) -> float:
        self._average += (fill - self._average) * self._smoothing
        error = self._average - self.target_frames
        # Plain float min/max: np.clip on scalars costs ten times more, once per block.
        limit = self.MAX_CORRECTION
        self._integral = min(limit, max(-limit, self._integral + self._ki * error))
        self.ratio = 1.0 + min(limit, max(-limit, self._kp * error + self._integral))
        return self.ratio


class DriftResampler:
    """Reads a ring at a ratio close to 1 with cubic (Catmull-Rom) interpolation.

    It runs at the device rate (typically 48 kHz), where speech sits far below Nyquist and the cubic
    kernel's error is below -60 dB; the fixed device<->16 kHz conversion is left to soxr.
    """

    HISTORY = 4  # the kernel's four taps; the newest block is read in after them
    # Catmull-Rom as a matrix: sample = [1, f, f^2, f^3] @ _KERNEL_T.T @ [p0, p1, p2, p3]. One matmul for
    # all four weights instead of four polynomials keeps the block cost to about fifteen numpy calls.
    _KERNEL_T = 0.5 * np.array([[0, 2, 0, 0], [-1, 0, 1, 0], [2, -5, 4, -1], [-1, 3, -3, 1]], dtype=np.float64).T.copy()

    def __init__(self, max_block: int) -> None:
        span = int(max_block * (1 + 2 * FillController.MAX_CORRECTION)) + 8
        self._input = np.zeros(span + self.HISTORY, dtype=np.float64)
        self._phase = 0.0
        self._steps = np.arange(max_block, dtype=np.float64)
        self._pos = np.zeros(max_block, dtype=np.float64)
        self._frac = np.zeros(max_block, dtype=np.float64)
        self._idx = np.zeros(max_block, dtype=np.intp)
        # Row-major (tap, sample): each row is one contiguous gather or power, and the final sum runs
        # down four contiguous rows, which numpy does several times faster than across (sample, tap).
        # Kept flat and viewed as (4, n) per block so the view is contiguous: matmul on a strided
        # slice would copy its operands, an allocation in the audio callback.
        self._powers = np.ones(4 * max_block, dtype=np.float64)
        self._weights = np.zeros(4 * max_block, dtype=np.float64)
        self._taps = np.zeros(4 * max_block, dtype=np.float64)
        self._acc = np.zeros(max_block, dtype=np.float64)

    def read(self, ring: SampleRing, out: np.ndarray, ratio: float) -> int:
        """Fill `out` with samples read from `ring` at `ratio`; returns the input samples consumed.

        Output k lies between input taps idx+1 and idx+2 (Catmull-Rom over idx..idx+3), so the whole
        block needs floor(phase + n*ratio) fresh samples and the last four stay as the next history.
        """
        n = out.shape[0]
        h = self.HISTORY
        pos, f, idx, acc = self._pos[:n], self._frac[:n], self._idx[:n], self._acc[:n]
        powers = self._powers[:4 * n].reshape(4, n)
        weights = self._weights[:4 * n].reshape(4, n)
        taps = self._taps[:4 * n].reshape(4, n)
        np.multiply(self._steps[:n], ratio, out=pos)
        pos += self._phase
        end = self._phase + n * ratio
        needed = int(end)
        base = self._input
        ring.read_into(base[h:h + needed])
        np.floor(pos, out=f)
        idx[:] = f
        np.subtract(pos, f, out=f)
        powers[0] = 1.0
        powers[1] = f
        np.multiply(f, f, out=powers[2])
        np.multiply(powers[2], f, out=powers[3])
        np.matmul(self._KERNEL_T, powers, out=weights)
        for tap in range(4):
            base[tap:].take(idx, out=taps[tap], mode="clip")  # mode="raise" buffers `out`: an allocation
        taps *= weights
        np.add(taps[0], taps[1], out=acc)  # three adds: a reduction along axis 0 allocates its iterator
        acc += taps[2]
        acc += taps[3]
        out[:] = acc
        base[:h] = base[needed:needed + h]
        self._phase = end - needed
        return needed
