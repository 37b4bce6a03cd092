"""Buffers between two audio clocks: pjmedia's bridge clock and the sound card's, one path per direction.

Each direction is one producer clock and one consumer clock sharing a `SampleRing` (sample_ring.py). The
consumer reads through a `DriftResampler` whose ratio a `FillController` steers so that the ring's average fill
stays at a target (drift.py); a `StallReserve` raises that target while the producer stalls and an
`ExcessTrimmer` cuts what a stalled consumer leaves behind (stalls.py). This module puts those parts together
for capture and playback, with the fixed device<->bridge rate conversion and the priming after a gap.
Everything is preallocated, so the audio callbacks neither block on a lock nor grow a buffer. (soxr's
`resample_chunk` returns a fresh array; it runs on the bridge side only, never in a PortAudio callback.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from media.drift import DriftResampler, FillController
from media.sample_ring import SampleRing
from media.stalls import ExcessTrimmer, StallReserve


@dataclass(frozen=True)
class PathStats:
    """What one direction of the pipeline has done so far; cheap to copy for the UI or a test."""

    underruns: int
    overruns: int
    fill_ms: float
    ratio: float
    trimmed_ms: float = 0.0  # audio the ExcessTrimmer cut to hold the latency down


class _Fifo:
    """A short linear buffer for the odd-sized chunks soxr hands back, preallocated."""

    def __init__(self, capacity: int) -> None:
        self._data = np.zeros(capacity, dtype=np.float32)
        self.count = 0

    def append(self, block: np.ndarray) -> None:
        n = min(block.shape[0], self._data.shape[0] - self.count)
        self._data[self.count:self.count + n] = block[:n]
        self.count += n

    def take_into(self, out: np.ndarray) -> None:
        n = out.shape[0]
        out[:] = self._data[:n]
        self._data[:self.count - n] = self._data[n:self.count]
        self.count -= n


# soxr's "LQ" recipe, measured 48 kHz -> 16 kHz here: flat to 6 kHz (-0.3 dB), -13 dB at 7 kHz, aliases below
# -100 dB, and it holds back ~5 ms. "HQ" is flat to 7 kHz but holds back ~32 ms and returns its output in
# 30 ms bursts, which alone would break the 20 ms one-way budget. Speech above 6 kHz carries little energy.
RESAMPLE_QUALITY = "LQ"


def _resampler(in_rate: int, out_rate: int, quality: str) -> object | None:
    import soxr

    return None if in_rate == out_rate else soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32", quality=quality)


class _Priming:
    """Holds a consumer silent until the ring first reaches its target, and again after an underrun,
    so a late start costs one gap instead of a run of clicks."""

    def __init__(self) -> None:
        self.primed = False
        self.underruns_after_start = 0

    def ready(self, ring: SampleRing, target: float, wanted: int) -> bool:
        if not self.primed:
            if ring.fill >= target:
                self.primed = True
            return self.primed
        if ring.fill < wanted:
            self.underruns_after_start += 1
            self.primed = False
            return False
        return True


# A ring holds what a consumer stall leaves behind until the trimmer has cut it back to target: a
# second, so a burst spoken during a 0.5 s speaker stall is played late rather than dropped on arrival.
CAPACITY_MS = 1000.0


class CapturePath:
    """Microphone -> bridge: the sound card's callback writes, the bridge clock reads 16 kHz frames."""

    def __init__(self, device_rate_hz: int, bridge_rate_hz: int = 16000, bridge_frames: int = 320,
                 target_ms: float = 70.0, capacity_ms: float = CAPACITY_MS,
                 clock: Callable[[], float] = time.monotonic, resample_quality: str = RESAMPLE_QUALITY) -> None:
        self.device_rate_hz = device_rate_hz
        self._clock = clock
        self.ring = SampleRing(int(device_rate_hz * capacity_ms / 1000))
        self.trimmer = ExcessTrimmer(device_rate_hz)
        # One bridge frame's worth of device samples per drift-resampler step: the bridge asks for one
        # frame per tick, so a step per tick is the fewest numpy calls for the same result.
        self._chunk = device_rate_hz * bridge_frames // bridge_rate_hz
        self._chunk_buf = np.zeros(self._chunk, dtype=np.float32)
        self.target_frames = device_rate_hz * target_ms / 1000
        self.controller = FillController(self.target_frames, device_rate_hz, self._chunk)
        self._drift = DriftResampler(self._chunk)
        self._rate = _resampler(device_rate_hz, bridge_rate_hz, resample_quality)
        self._fifo = _Fifo(bridge_frames * 4)
        self._device_per_bridge = device_rate_hz / bridge_rate_hz
        self._priming = _Priming()
        self.reserve = StallReserve()

    def device_write(self, block: np.ndarray) -> None:
        now = self._clock()
        self.reserve.arrived(now, block.shape[0] / self.device_rate_hz)
        self.ring.write(block, now)

    def bridge_read(self, out: np.ndarray) -> None:
        while self._fifo.count < out.shape[0]:
            self.controller.target_frames = self.target_frames + self.reserve.seconds * self.device_rate_hz
            if not self._priming.ready(self.ring, self.controller.target_frames, self._chunk + 8):
                out[:] = 0.0
                return
            # What waits in the fifo is latency too: soxr hands out ~19 ms blocks, so the fifo carries up
            # to a block; counting it lets the loop shrink the ring instead of adding the two.
            fill = self.ring.steady_fill(self._clock(), self.device_rate_hz) + self._fifo.count * self._device_per_bridge
            cut = self.trimmer.trim(self.ring, fill, self.controller.target_frames, self._chunk)
            if cut:
                self.controller.forget(cut)
            ratio = self.controller.update(fill - cut)
            self._drift.read(self.ring, self._chunk_buf, ratio)
            self._fifo.append(self._chunk_buf if self._rate is None else self._rate.resample_chunk(self._chunk_buf))
        self._fifo.take_into(out)

    @property
    def underruns(self) -> int:
        return self._priming.underruns_after_start

    @property
    def buffered_ms(self) -> float:
        """Audio waiting in the ring and in the fifo behind soxr: the latency this buffer adds now."""
        return 1000 * (self.ring.fill + self._fifo.count * self._device_per_bridge) / self.device_rate_hz

    def stats(self) -> PathStats:
        return PathStats(self.underruns, self.ring.overruns, self.buffered_ms, self.controller.ratio,
                         1000 * self.trimmer.dropped_frames / self.device_rate_hz)


class PlaybackPath:
    """Bridge -> speaker: the bridge clock writes 16 kHz frames, the sound card's callback reads."""

    def __init__(self, device_rate_hz: int, bridge_rate_hz: int = 16000, max_device_block: int = 8192,
                 target_ms: float = 70.0, capacity_ms: float = CAPACITY_MS,
                 clock: Callable[[], float] = time.monotonic, resample_quality: str = RESAMPLE_QUALITY) -> None:
        self.device_rate_hz = device_rate_hz
        self._clock = clock
        self.ring = SampleRing(int(device_rate_hz * capacity_ms / 1000))
        self.trimmer = ExcessTrimmer(device_rate_hz)
        self.target_frames = device_rate_hz * target_ms / 1000
        self.controller = FillController(self.target_frames, device_rate_hz, device_rate_hz // 100)
        self._drift = DriftResampler(max_device_block)
        self._rate = _resampler(bridge_rate_hz, device_rate_hz, resample_quality)
        self._bridge_rate_hz = bridge_rate_hz
        self._priming = _Priming()
        self.reserve = StallReserve()

    def bridge_write(self, frame: np.ndarray) -> None:
        now = self._clock()
        self.reserve.arrived(now, frame.shape[0] / self._bridge_rate_hz)
        self.ring.write(frame if self._rate is None else self._rate.resample_chunk(frame), now)

    def device_read(self, out: np.ndarray) -> None:
        self.controller.target_frames = self.target_frames + self.reserve.seconds * self.device_rate_hz
        if not self._priming.ready(self.ring, self.controller.target_frames, int(out.shape[0] * 1.01) + 8):
            out[:] = 0.0
            return
        fill = self.ring.steady_fill(self._clock(), self.device_rate_hz)
        cut = self.trimmer.trim(self.ring, fill, self.controller.target_frames, out.shape[0])
        if cut:
            self.controller.forget(cut)
        ratio = self.controller.update(fill - cut)
        self._drift.read(self.ring, out, ratio)

    @property
    def underruns(self) -> int:
        return self._priming.underruns_after_start

    @property
    def buffered_ms(self) -> float:
        """Audio waiting in the ring: the latency this buffer adds now."""
        return 1000 * self.ring.fill / self.device_rate_hz

    def stats(self) -> PathStats:
        return PathStats(self.underruns, self.ring.overruns, self.buffered_ms, self.controller.ratio,
                         1000 * self.trimmer.dropped_frames / self.device_rate_hz)
