"""Buffers between two audio clocks: pjmedia's bridge clock and the sound card's.

Each direction is one producer clock and one consumer clock sharing a `SampleRing`. The consumer reads
through a `DriftResampler` whose ratio a `FillController` steers so that the ring's average fill stays
at a target: a sound card running 500 ppm fast is followed by reading 500 ppm faster, never by
dropping or repeating a block. Everything is preallocated; the per-block work is numpy on fixed
arrays (`out=`), so the audio callbacks neither block on a lock nor grow a buffer. (soxr's
`resample_chunk` returns a fresh array; it runs on the bridge side only, never in a PortAudio callback.)
A `StallReserve` adds the producer's recent worst lateness to the target, so a ring sized for calm
scheduling still rides out 40 ms stalls once they start, and gives the latency back when they stop.
An `ExcessTrimmer` handles what drift control cannot: a device that stops and loses the time (ALSA's
pulse device under load). What such a stop leaves in the ring beyond the target is cut, in pauses first.

Only the two owning threads touch a ring: the producer moves `_write_pos`, the consumer `_read_pos`.
Each is a Python int rebound atomically under the GIL, which is what makes the ring safe without a lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

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


class ExcessTrimmer:
    """Drops what a ring holds beyond its target, in short crossfaded steps, quiet moments first.

    The drift loop follows a clock that runs a few hundred ppm off; it cannot follow a consumer that
    loses time. Measured in bench/mouth_to_ear.py on ALSA's pulse device under load: the speaker
    callback stops for 0.1-1 s at a time while the bridge goes on writing, and the device never plays
    the missed time faster afterwards, so every stall stays in the ring as latency (it reached the
    400 ms cap and then dropped whole incoming blocks: the lost bursts). A +2000 ppm loop would need
    minutes to play 300 ms away. Here the excess over target + `SLACK` is cut instead: where the next
    `QUIET_STEP` is quiet (peak under -40 dBFS, a pause between words) all of it at once, inaudibly;
    in continuous sound `LOUD_STEP` at a time, at most 1 in 20 of the samples played (a 5 % tempo
    nudge, not a pitch change). Every cut is a 1 ms crossfade from the samples before it to those
    after it, so it never clicks. It runs on the consumer's thread and writes only unread samples of
    the ring, which the producer does not touch.
    """

    SLACK_S = 0.015
    QUIET_PEAK = 0.01
    QUIET_STEP_S = 0.010
    LOUD_STEP_S = 0.0025
    LOUD_SPACING = 20   # samples played per sample cut in continuous sound
    CROSSFADE_S = 0.001
    # Only an excess that outlasts this much playing is cut: a consumer that was late but catches up
    # (pjmedia's clock thread does, in a burst of ticks; the pulse device sometimes does) brings its
    # ring back down within one stall's worth of reads, and cutting then would only cause an underrun.
    # The excess used is the lower of two windows' minima: the least over the last 0.2-0.4 s of reads,
    # longer than the stalls the StallReserve is sized for (<= 0.1 s).
    PERSIST_S = 0.2

    def __init__(self, rate_hz: int) -> None:
        self.slack_frames = rate_hz * self.SLACK_S
        self._quiet_step = int(rate_hz * self.QUIET_STEP_S)
        self._loud_step = int(rate_hz * self.LOUD_STEP_S)
        fade = int(rate_hz * self.CROSSFADE_S)
        self._fade_in = ((np.arange(fade, dtype=np.float32) + 0.5) / fade).astype(np.float32)
        self._fade_out = (1.0 - self._fade_in).astype(np.float32)
        self._before = np.zeros(fade, dtype=np.float32)
        self._scratch = np.zeros(self._quiet_step + fade, dtype=np.float32)
        self._loud_credit = 0.0  # samples the next loud cut may take, earned by samples played
        self._persist_frames = rate_hz * self.PERSIST_S
        self._played_in_window = 0.0
        self._window_low = float("inf")
        self._previous_low = float("inf")
        self.dropped_frames = 0
        self.cuts = 0

    def trim(self, ring: SampleRing, fill: float, target_frames: float, played: int) -> int:
        """Cut up to the persistent excess over target + slack at the ring's read position; returns how many."""
        self._loud_credit = min(self._loud_credit + played / self.LOUD_SPACING, float(self._quiet_step))
        self._window_low = min(self._window_low, fill - target_frames - self.slack_frames)
        self._played_in_window += played
        if self._played_in_window >= self._persist_frames:
            self._previous_low, self._window_low = self._window_low, float("inf")
            self._played_in_window = 0.0
        excess = int(min(self._window_low, self._previous_low))
        fade = self._fade_in.shape[0]
        if excess <= 0 or ring.fill < self._quiet_step + fade:
            return 0
        start = ring._read_pos % ring.capacity
        if start + self._quiet_step + fade > ring.capacity:
            return 0  # the span wraps round the ring's end: cut at the next read instead
        ahead = ring._data[start:start + self._quiet_step + fade]
        np.abs(ahead, out=self._scratch)
        if float(self._scratch.max()) < self.QUIET_PEAK:
            cut = min(excess, self._quiet_step)
        elif self._loud_credit >= self._loud_step:
            cut = min(excess, self._loud_step)
            self._loud_credit -= cut
        else:
            return 0
        # The fade region right after the cut becomes: samples before the cut fading out, samples
        # after it fading in; then the read position skips the cut.
        self._before[:] = ahead[:fade]
        self._before *= self._fade_out
        after = ahead[cut:cut + fade]
        after *= self._fade_in
        after += self._before
        ring._read_pos += cut
        self._window_low -= cut
        self._previous_low -= cut
        self.dropped_frames += cut
        self.cuts += 1
        return cut


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


class StallReserve:
    """How late the producer has lately been, kept as a reserve the ring must hold on top of its target.

    A producer that stalls for L seconds (a PortAudio callback held up, the bridge thread starved of the
    GIL) drains the ring by L before it catches up in a burst; a ring that only ever holds its base
    target would underrun. Holding the worst recent lateness costs latency only while stalls happen:
    the reserve is forgotten at FORGET_PER_S, so a calm minute brings the latency back down.
    Written by the producer thread only, read by the consumer: one float rebound atomically.
    """

    FORGET_PER_S = 0.0005     # 0.5 ms of reserve per calm second: a 40 ms stall is forgotten in 80 s
    MAX_S = 0.1

    def __init__(self) -> None:
        self.seconds = 0.0
        self._last_at_s: float | None = None

    def arrived(self, at_s: float, block_s: float) -> None:
        last, self._last_at_s = self._last_at_s, at_s
        if last is None:
            return
        gap = at_s - last
        self.seconds = min(self.MAX_S, max(gap - block_s, self.seconds - gap * self.FORGET_PER_S, 0.0))


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
