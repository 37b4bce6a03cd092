"""A sound card that loses time must not make the call's latency grow, nor lose what was said.

bench/mouth_to_ear.py found ALSA's pulse device under load stopping its speaker callback for 0.1-1 s and
never playing the missed time back: the speaker ring filled to its cap, the delay grew through each call
and whole bursts were dropped. These runs drive the shipped `PlaybackPath`/`CapturePath` with a card
that runs 2 % slow (ten times what the drift loop may follow) or stops for 300 ms, in virtual time.
"""

from __future__ import annotations

import tracemalloc

import numpy as np

from media.buffers import CapturePath, PlaybackPath
from tests.media.synthetic_clocks import Clock, VirtualTime, run

DEVICE_RATE = 48000
BRIDGE_RATE = 16000
BRIDGE_FRAMES = 320
DEVICE_BLOCK = 480
TARGET_MS = 40.0
BURST_EVERY_S = 0.5
# The most a ring may hold once cuts have begun: the target, the trimmer's 15 ms slack, a bridge frame
# written at once, what a 2 % slow card gathers during the 0.4 s an excess must last (8 ms), a device block.
BOUND_MS = TARGET_MS + 15 + 20 + 8 + 10


class BridgeSource:
    """What the far end says, 20 ms at a time: a 20 ms 1 kHz burst every 0.5 s over -60 dBFS noise, or
    (continuous=True) a 440 Hz tone that never pauses."""

    def __init__(self, seconds: float, continuous: bool = False) -> None:
        n = int(seconds * BRIDGE_RATE) + BRIDGE_FRAMES
        t = np.arange(n) / BRIDGE_RATE
        if continuous:
            self.signal = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            self.burst_starts_s: list[float] = []
        else:
            rng = np.random.default_rng(7)
            self.signal = (0.001 * rng.standard_normal(n)).astype(np.float32)
            burst = int(0.020 * BRIDGE_RATE)
            window = np.hanning(burst) * np.sin(2 * np.pi * 1000 * np.arange(burst) / BRIDGE_RATE)
            self.burst_starts_s = list(np.arange(1.0, seconds - 2.0, BURST_EVERY_S))
            for start_s in self.burst_starts_s:
                at = int(start_s * BRIDGE_RATE)
                self.signal[at:at + burst] += 0.5 * window.astype(np.float32)
        self.pos = 0

    def next_frame(self, out: np.ndarray) -> None:
        out[:] = self.signal[self.pos:self.pos + out.shape[0]]
        self.pos += out.shape[0]


def bursts_heard(recording: np.ndarray, rate_hz: int, expected: int) -> int:
    """How many separate bursts (loud spans at least 0.1 s apart) the recording holds: cutting the pauses
    may bring two bursts closer than they were said, never closer than that."""
    loud = np.flatnonzero(np.abs(recording) > 0.1)
    if loud.size == 0:
        return 0
    gaps = np.diff(loud) > 0.1 * rate_hz
    return int(1 + np.count_nonzero(gaps))


class SlowSpeaker:
    """Bridge -> PlaybackPath -> a speaker card whose callbacks come `slow` late, recorded."""

    def __init__(self, seconds: float, continuous: bool = False) -> None:
        self.now = VirtualTime()
        self.path = PlaybackPath(DEVICE_RATE, BRIDGE_RATE, target_ms=TARGET_MS, clock=self.now)
        self.source = BridgeSource(seconds, continuous)
        self.frame = np.zeros(BRIDGE_FRAMES, np.float32)
        self.block = np.zeros(DEVICE_BLOCK, np.float32)
        self.heard = np.zeros(int(seconds * DEVICE_RATE) + DEVICE_BLOCK, np.float32)
        self.heard_count = 0
        self.fill_ms: list[tuple[float, float]] = []
        self.silent_from_s = self.silent_until_s = -1.0

    def bridge_tick(self) -> None:
        self.source.next_frame(self.frame)
        self.path.bridge_write(self.frame)

    def speaker_tick(self) -> None:
        if self.silent_from_s <= self.now.now_s < self.silent_until_s:
            return  # the card stopped: this time is lost, never played back faster
        self.path.device_read(self.block)
        self.heard[self.heard_count:self.heard_count + DEVICE_BLOCK] = self.block
        self.heard_count += DEVICE_BLOCK
        self.fill_ms.append((self.now.now_s, self.path.buffered_ms))

    def run(self, seconds: float, speaker_slow: float) -> None:
        run([(Clock("speaker", DEVICE_BLOCK / DEVICE_RATE * (1 + speaker_slow), self.speaker_tick), []),
             (Clock("bridge", BRIDGE_FRAMES / BRIDGE_RATE, self.bridge_tick), [])], seconds, self.now)

    def fills_after(self, start_s: float) -> np.ndarray:
        return np.array([fill for t, fill in self.fill_ms if t >= start_s])


def test_a_speaker_two_percent_slow_keeps_the_latency_near_target_and_every_burst() -> None:
    seconds = 60.0
    speaker = SlowSpeaker(seconds)
    speaker.run(seconds, speaker_slow=0.02)
    stats = speaker.path.stats()
    # 2 % of a minute is 1.2 s of sound the card never played: without the trimmer the ring fills to its
    # cap within 20 s and then drops what arrives. It must have been cut, in the pauses.
    assert stats.overruns == 0
    assert stats.trimmed_ms > 900, stats
    fills = speaker.fills_after(5.0)
    assert fills.max() < BOUND_MS, fills.max()
    assert abs(np.median(fills) - (TARGET_MS + 15)) < 15, np.median(fills)
    # Not one burst lost: the cuts went into the -60 dBFS noise between them.
    assert bursts_heard(speaker.heard[:speaker.heard_count], DEVICE_RATE, len(speaker.source.burst_starts_s)) \
        == len(speaker.source.burst_starts_s)
    assert stats.underruns == 0


def test_continuous_sound_on_a_slow_speaker_is_cut_in_crossfaded_steps_without_clicks() -> None:
    seconds = 30.0
    speaker = SlowSpeaker(seconds, continuous=True)
    speaker.run(seconds, speaker_slow=0.02)
    stats = speaker.path.stats()
    assert stats.overruns == 0 and stats.underruns == 0
    assert stats.trimmed_ms > 400, stats
    assert speaker.fills_after(5.0).max() < BOUND_MS
    heard = speaker.heard[int(2 * DEVICE_RATE):speaker.heard_count]
    # A 0.5 x 440 Hz sine moves at most 0.029 per sample at 48 kHz; a cut without crossfade jumps up to
    # 1.0. The 1 ms crossfade between two phases of the tone adds at most 1/48 per sample.
    assert np.abs(np.diff(heard)).max() < 0.06, np.abs(np.diff(heard)).max()


def test_a_speaker_that_stops_for_300_ms_gives_the_delay_back_and_plays_the_burst_it_missed() -> None:
    seconds = 12.0
    speaker = SlowSpeaker(seconds)
    # A burst starts at 5.0 s, inside the stop: the card plays it late instead of the ring dropping it.
    speaker.silent_from_s, speaker.silent_until_s = 4.9, 5.2
    speaker.run(seconds, speaker_slow=0.0)
    stats = speaker.path.stats()
    assert stats.overruns == 0
    assert bursts_heard(speaker.heard[:speaker.heard_count], DEVICE_RATE, len(speaker.source.burst_starts_s)) \
        == len(speaker.source.burst_starts_s)
    assert speaker.fills_after(5.2).max() > 250            # the stop really stayed in the ring...
    assert speaker.fills_after(6.5).max() < BOUND_MS  # ...and was cut within ~1.5 s
    assert 250 < stats.trimmed_ms < 350, stats


def test_a_microphone_two_percent_fast_keeps_the_capture_latency_near_target_and_every_burst() -> None:
    seconds = 40.0
    now = VirtualTime()
    path = CapturePath(DEVICE_RATE, BRIDGE_RATE, BRIDGE_FRAMES, target_ms=TARGET_MS, clock=now)
    rng = np.random.default_rng(3)
    said = (0.001 * rng.standard_normal(int(seconds * 1.03 * DEVICE_RATE) + DEVICE_BLOCK)).astype(np.float32)
    burst = int(0.020 * DEVICE_RATE)
    window = (0.5 * np.hanning(burst) * np.sin(2 * np.pi * 1000 * np.arange(burst) / DEVICE_RATE)).astype(np.float32)
    starts = np.arange(DEVICE_RATE, said.size - 2 * DEVICE_RATE, int(BURST_EVERY_S * DEVICE_RATE))
    for at in starts:
        said[at:at + burst] += window
    heard = np.zeros(int(seconds * BRIDGE_RATE) + BRIDGE_FRAMES, np.float32)
    frame = np.zeros(BRIDGE_FRAMES, np.float32)
    position = {"said": 0, "heard": 0}
    fills: list[float] = []

    def mic_tick() -> None:
        path.device_write(said[position["said"]:position["said"] + DEVICE_BLOCK])
        position["said"] += DEVICE_BLOCK

    def bridge_tick() -> None:
        path.bridge_read(frame)
        heard[position["heard"]:position["heard"] + BRIDGE_FRAMES] = frame
        position["heard"] += BRIDGE_FRAMES
        if now.now_s > 5:
            fills.append(path.buffered_ms)

    run([(Clock("mic", DEVICE_BLOCK / DEVICE_RATE / 1.02, mic_tick), []),
         (Clock("bridge", BRIDGE_FRAMES / BRIDGE_RATE, bridge_tick), [])], seconds, now)
    stats = path.stats()
    assert stats.overruns == 0 and stats.underruns == 0
    assert stats.trimmed_ms > 600, stats
    assert max(fills) < BOUND_MS + 10, max(fills)   # plus up to a soxr block in the fifo
    said_by_then = int(np.count_nonzero(starts < position["said"] - 0.2 * DEVICE_RATE))
    assert bursts_heard(heard[:position["heard"]], BRIDGE_RATE, said_by_then) >= said_by_then


def test_cutting_allocates_no_arrays_on_the_sound_card_thread() -> None:
    speaker = SlowSpeaker(40.0, continuous=True)
    speaker.run(10.0, speaker_slow=0.02)              # primed, and the excess persistent: cuts go on
    peaks = {True: 0, False: 0}
    tracemalloc.start()
    try:
        for _ in range(300):
            for _ in range(3):
                speaker.bridge_tick()                  # soxr may allocate here, on the bridge side
            for _ in range(2):                         # 20 ms played per 60 ms written: the excess grows
                cuts_before = speaker.path.trimmer.cuts
                tracemalloc.reset_peak()
                before, _ = tracemalloc.get_traced_memory()
                speaker.path.device_read(speaker.block)
                _, peak = tracemalloc.get_traced_memory()
                cut = speaker.path.trimmer.cuts > cuts_before
                peaks[cut] = max(peaks[cut], peak - before)
    finally:
        tracemalloc.stop()
    assert peaks[True] > 0 and peaks[False] > 0, "both kinds of read happened"
    # A read that cuts costs what a read that does not: numpy's and Python's per-call bookkeeping
    # (about a kilobyte). The smallest temporary a cut could make, its 1 ms crossfade, is 192 bytes.
    assert peaks[True] - peaks[False] < 100, peaks
