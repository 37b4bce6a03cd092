"""What the buffers do about stalls, which drift control cannot follow.

A `StallReserve` adds the producer's recent worst lateness to a ring's target, so a ring sized for calm
scheduling still rides out 40 ms stalls once they start, and gives the latency back when they stop.
An `ExcessTrimmer` handles a consumer that stops and loses the time (ALSA's pulse device under load): what
such a stop leaves in the ring beyond the target is cut, in pauses first. Both run on preallocated state only.
"""

from __future__ import annotations

import numpy as np

from media.sample_ring import SampleRing


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

