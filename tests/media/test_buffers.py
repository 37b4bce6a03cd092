"""The buffers between the bridge clock and the sound card clock, driven by synthetic clocks."""

from __future__ import annotations

import tracemalloc

import numpy as np

from media.buffers import CapturePath, PlaybackPath
from media.drift import DriftResampler
from media.sample_ring import SampleRing
from tests.media.synthetic_clocks import Clock, VirtualTime, random_stalls, run

DEVICE_RATE = 48000
BRIDGE_FRAMES = 320
SETTLE_TICKS = 1500          # 30 s of bridge ticks for the drift loop to lock


class Pipeline:
    """Both directions between simulated sound cards and one simulated bridge.

    Capture and playback may run on two cards (a USB headset's mic, the laptop's speakers), each on
    its own clock, so one run can drive one path fast and the other slow."""

    def __init__(self, device_block: int, target_ms: float = 70.0) -> None:
        self.now = VirtualTime()
        self.capture = CapturePath(DEVICE_RATE, target_ms=target_ms, clock=self.now)
        self.playback = PlaybackPath(DEVICE_RATE, target_ms=target_ms, clock=self.now)
        self.device_in = np.zeros(device_block, np.float32)
        self.device_out = np.zeros(device_block, np.float32)
        self.frame = np.zeros(BRIDGE_FRAMES, np.float32)
        self.bridge_ticks = 0
        self.fill_ms: list[tuple[float, float, float, float]] = []
        self.underruns_at_settle = (0, 0)

    def mic_tick(self) -> None:
        self.capture.device_write(self.device_in)

    def speaker_tick(self) -> None:
        self.playback.device_read(self.device_out)

    def bridge_tick(self) -> None:
        self.capture.bridge_read(self.frame)
        self.playback.bridge_write(self.frame)
        self.bridge_ticks += 1
        if self.bridge_ticks == SETTLE_TICKS:
            self.underruns_at_settle = (self.capture.underruns, self.playback.underruns)
        if self.bridge_ticks > SETTLE_TICKS:
            self.fill_ms.append((self.capture.ring.fill * 1000 / DEVICE_RATE,
                                 self.playback.ring.fill * 1000 / DEVICE_RATE,
                                 self.capture.controller.ratio, self.playback.controller.ratio))

    def run(self, drift_ppm: float, seconds: float, stalls_per_clock: tuple[list, list] = ([], []),
            playback_drift_ppm: float | None = None) -> None:
        """Run the mic card at `drift_ppm` and the speaker card at `playback_drift_ppm` (default: the same
        card); stalls hit the sound card(s) and the bridge."""
        block_s = self.device_in.shape[0] / DEVICE_RATE
        speaker_ppm = drift_ppm if playback_drift_ppm is None else playback_drift_ppm
        run([(Clock("mic", block_s / (1 + drift_ppm * 1e-6), self.mic_tick), stalls_per_clock[0]),
             (Clock("speaker", block_s / (1 + speaker_ppm * 1e-6), self.speaker_tick), stalls_per_clock[0]),
             (Clock("bridge", 0.020, self.bridge_tick), stalls_per_clock[1])], seconds, self.now)


def test_ten_minutes_of_500_ppm_drift_either_way_run_without_underrun_or_overrun_and_hold_latency() -> None:
    # Mic card 500 ppm fast, speaker card 500 ppm slow: both signs, both paths, in one ten-minute run.
    pipe = Pipeline(480)
    pipe.run(500, 600, playback_drift_ppm=-500)
    assert (pipe.capture.underruns, pipe.playback.underruns) == pipe.underruns_at_settle == (0, 0)
    assert pipe.capture.ring.overruns == pipe.playback.ring.overruns == 0
    fills = np.array(pipe.fill_ms)
    # The band: the loop's target (70 ms) minus/plus one block of each clock and the drift loop's wander.
    assert fills[:, 0].min() > 20 and fills[:, 0].max() < 120, (fills[:, 0].min(), fills[:, 0].max())
    assert fills[:, 1].min() > 20 and fills[:, 1].max() < 120, (fills[:, 1].min(), fills[:, 1].max())
    # Drift is followed by resampling: over minutes each read ratio averages to its clock ratio. A fast
    # mic delivers 500 ppm more than the bridge takes, a slow speaker plays 500 ppm less than the bridge
    # sends: both rings must be read 500 ppm faster than real time.
    assert abs((np.mean(fills[-15000:, 2]) - 1) * 1e6 - 500) < 100
    assert abs((np.mean(fills[-15000:, 3]) - 1) * 1e6 - 500) < 100
    # And the latency does not creep: the last minute sits where the first settled minute sat.
    assert abs(np.mean(fills[-3000:, 0]) - np.mean(fills[:3000, 0])) < 15
    assert abs(np.mean(fills[-3000:, 1]) - np.mean(fills[:3000, 1])) < 15


def test_random_stalls_of_up_to_40_ms_on_either_clock_are_absorbed_then_forgotten() -> None:
    # DeviceAudio's 40 ms target: too little for a 40 ms stall plus a frame, so the rings must grow a
    # reserve while stalls happen and give it back once they stop.
    rng = np.random.default_rng(20261122)
    pipe = Pipeline(480, target_ms=40)
    stalls = (random_stalls(rng, 100, 1.0, 40), random_stalls(rng, 100, 1.0, 40))
    assert max(d for _s, d in stalls[0] + stalls[1]) > 0.035
    most_reserve_ms = [0.0, 0.0]
    tick = pipe.bridge_tick

    def bridge_tick() -> None:
        tick()
        if pipe.bridge_ticks <= 5000:    # up to t = 100 s, while stalls come
            most_reserve_ms[0] = max(most_reserve_ms[0], pipe.capture.reserve.seconds * 1000)
            most_reserve_ms[1] = max(most_reserve_ms[1], pipe.playback.reserve.seconds * 1000)

    pipe.bridge_tick = bridge_tick       # type: ignore[method-assign]
    pipe.run(300, 200, stalls)
    # After start-up (SETTLE_TICKS: 30 s) not one stall on either side may reach the ear.
    assert (pipe.capture.underruns, pipe.playback.underruns) == pipe.underruns_at_settle
    assert pipe.underruns_at_settle[0] + pipe.underruns_at_settle[1] <= 1, "start-up costs at most one gap"
    assert pipe.capture.ring.overruns == pipe.playback.ring.overruns == 0
    # The reserve held a stall's worth while stalls came, and melted in the calm 100 s after them.
    assert min(most_reserve_ms) > 30, most_reserve_ms
    assert pipe.capture.reserve.seconds < 0.005 and pipe.playback.reserve.seconds < 0.005
    fills = np.array(pipe.fill_ms)
    assert np.mean(fills[-500:, 0]) < np.mean(fills[1000:3500, 0]) - 15


def test_drift_resampler_follows_a_ratio_with_cubic_accuracy() -> None:
    ring = SampleRing(DEVICE_RATE)
    tone = np.sin(2 * np.pi * 1000 * np.arange(DEVICE_RATE) / DEVICE_RATE).astype(np.float32)
    ring.write(tone)
    resampler = DriftResampler(960)
    out = np.zeros(960, np.float32)
    blocks = []
    for _ in range(40):
        resampler.read(ring, out, 1.0005)
        blocks.append(out.copy())
    got = np.concatenate(blocks)
    # Output k sits at input k*ratio, three samples late (the kernel's history).
    want = np.sin(2 * np.pi * 1000 * (np.arange(got.size) * 1.0005 - 3) / DEVICE_RATE)
    assert np.max(np.abs(got[8:] - want[8:])) < 1e-3


def test_ring_counts_overrun_and_underrun_instead_of_blocking() -> None:
    ring = SampleRing(100)
    ring.write(np.ones(150, np.float32))
    assert ring.overruns == 1 and ring.fill == 100
    out = np.full(120, 7.0, np.float32)
    assert ring.read_into(out) == 100
    assert ring.underruns == 1 and np.all(out[100:] == 0) and np.all(out[:100] == 1)


def test_speech_band_tone_survives_the_round_trip_through_both_paths() -> None:
    pipe = Pipeline(480)
    t = np.arange(480) / DEVICE_RATE
    phase = [0]

    def device_tick() -> None:
        pipe.device_in[:] = 0.5 * np.sin(2 * np.pi * 440 * (t + phase[0] / DEVICE_RATE))
        phase[0] += 480
        pipe.capture.device_write(pipe.device_in)

    frames: list[np.ndarray] = []

    def bridge_tick() -> None:
        pipe.capture.bridge_read(pipe.frame)
        frames.append(pipe.frame.copy())

    run([(Clock("sound card", 0.01, device_tick), []), (Clock("bridge", 0.02, bridge_tick), [])], 5)
    got = np.concatenate(frames[100:])
    spectrum = np.abs(np.fft.rfft(got * np.hanning(got.size)))
    peak_hz = np.argmax(spectrum) * 16000 / got.size
    assert abs(peak_hz - 440) < 2
    assert 0.3 < np.sqrt(2) * np.std(got) < 0.6


def test_sound_card_side_of_both_paths_allocates_no_arrays_per_block() -> None:
    pipe = Pipeline(960)
    half_block_bytes = 960 * 4 // 2
    pipe.run(200, 5)                      # primed and locked, so every call takes the steady path
    tracemalloc.start()
    try:
        for _ in range(200):
            pipe.bridge_tick()            # 20 ms in, 20 ms out: the rings stay level; soxr may allocate here
            tracemalloc.reset_peak()
            before, _ = tracemalloc.get_traced_memory()
            pipe.mic_tick()
            pipe.speaker_tick()
            _, peak = tracemalloc.get_traced_memory()
            # A temporary array of a block (3840 bytes as float32, twice that as float64) would show;
            # what is left is numpy's and Python's per-call bookkeeping, about a kilobyte whatever the block.
            assert peak - before < half_block_bytes, peak - before
        assert pipe.playback.underruns == 0
    finally:
        tracemalloc.stop()
