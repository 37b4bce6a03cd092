"""The single-producer single-consumer sample ring between two audio clocks.

Only the two owning threads touch a ring: the producer moves `_write_pos`, the consumer `_read_pos`.
Each is a Python int rebound atomically under the GIL, which is what makes the ring safe without a lock.
Its storage is allocated once, so neither audio callback allocates or blocks on it.
"""

from __future__ import annotations

import numpy as np


class SampleRing:
    """A single-producer single-consumer ring of float32 mono samples."""

    def __init__(self, capacity: int) -> None:
        self._data = np.zeros(capacity, dtype=np.float32)
        self.capacity = capacity
        self._write_pos = 0
        self._read_pos = 0
        self.overruns = 0
        self.underruns = 0
        # (write position after the last block, its size, when it arrived): one tuple, rebound whole,
        # so the consumer never sees a torn pair.
        self._last_write: tuple[int, int, float] = (0, 0, 0.0)

    @property
    def fill(self) -> int:
        return self._write_pos - self._read_pos

    def write(self, block: np.ndarray, at_s: float = 0.0) -> None:
        """Append `block` (arrived at `at_s`); what does not fit is dropped and counted as an overrun."""
        n = min(block.shape[0], self.capacity - self.fill)
        if n < block.shape[0]:
            self.overruns += 1
        start = self._write_pos % self.capacity
        first = min(n, self.capacity - start)
        self._data[start:start + first] = block[:first]
        self._data[:n - first] = block[first:n]
        self._write_pos += n
        self._last_write = (self._write_pos, n, at_s)

    def steady_fill(self, now_s: float, rate_hz: float) -> float:
        """The fill as if the producer's last block had arrived evenly over its duration.

        Sampled at the consumer's ticks, the raw fill carries the producer's block sawtooth at a phase
        that slides with the clocks' drift: a slow false error the drift loop would chase. Spreading
        the last block over the time it covers removes that sawtooth."""
        write_pos, n, at_s = self._last_write
        spread = min(float(n), max(0.0, (now_s - at_s) * rate_hz))
        return write_pos - n + spread - self._read_pos

    def read_into(self, out: np.ndarray) -> int:
        """Fill `out` from the ring; a short ring pads with silence and counts an underrun."""
        n = min(out.shape[0], self.fill)
        if n < out.shape[0]:
            self.underruns += 1
            out[n:] = 0.0
        start = self._read_pos % self.capacity
        first = min(n, self.capacity - start)
        out[:first] = self._data[start:start + first]
        out[first:n] = self._data[:n - first]
        self._read_pos += n
        return n

    def clear(self) -> None:
        self._read_pos = self._write_pos
