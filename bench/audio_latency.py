"""The one-way latency our pipeline adds, capture side and playback side, in ms.

Measured on the real `CapturePath`/`PlaybackPath` (rings, drift resampler, soxr) driven by a simulated
sound card (10 ms callbacks at 48 kHz, optionally drifting) and the 20 ms bridge clock, in virtual time,
so the figure is ours alone: the device's own buffer (PortAudio/ALSA/Pulse latency) comes on top and is
not counted. A 0.3 ms Gaussian pulse is injected once a second; its peak is found at the far side.

- capture: from the callback in which the sound card hands us a sample to the bridge tick that takes
  it from us;
- playback: from the bridge tick that hands us a sample to the sound card callback that takes it.
Handover to handover: how long a sample sits in our rings, fifo and resamplers. The pulses come every
1.0033 s so they land at every phase of the 10 ms and 20 ms ticks, and the median is fair.

    .venv/bin/python bench/audio_latency.py [--target-ms 40] [--ppm 0] [--seconds 60]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media.buffers import CapturePath, PlaybackPath  # noqa: E402
from tests.media.synthetic_clocks import Clock, VirtualTime, run  # noqa: E402

DEVICE_RATE_HZ = 48000
BRIDGE_RATE_HZ = 16000
DEVICE_BLOCK = 480
BRIDGE_FRAMES = 320
SETTLE_S = 10.0


def pulse(rate_hz: int) -> np.ndarray:
    t = (np.arange(int(rate_hz * 0.004)) - rate_hz * 0.002) / rate_hz
    return (0.8 * np.exp(-0.5 * (t / 0.0003) ** 2)).astype(np.float32)


class Timeline:
    """Samples with the time each one was handed over at one side of the pipeline, block by block."""

    def __init__(self, seconds: float, rate_hz: int) -> None:
        n = int(seconds * rate_hz * 1.01) + 8192
        self.samples = np.zeros(n, np.float32)
        self.times = np.zeros(n, np.float64)
        self.count = 0
        self.rate_hz = rate_hz

    def add(self, block: np.ndarray, handover_s: float) -> None:
        n = block.shape[0]
        self.samples[self.count:self.count + n] = block
        self.times[self.count:self.count + n] = handover_s
        self.count += n

    def peaks_after(self, starts_s: list[float], window_s: float) -> list[float]:
        """Handover time of the strongest sample in each window [start, start + window_s)."""
        times, samples = self.times[:self.count], self.samples[:self.count]
        found = []
        for start in starts_s:
            lo, hi = np.searchsorted(times, [start, start + window_s])
            if hi - lo < 3:
                continue
            found.append(float(times[lo + int(np.argmax(samples[lo:hi]))]))
        return found


def measure(target_ms: float, drift_ppm: float, seconds: float) -> tuple[np.ndarray, np.ndarray]:
    now = VirtualTime()
    capture = CapturePath(DEVICE_RATE_HZ, BRIDGE_RATE_HZ, BRIDGE_FRAMES, target_ms=target_ms, clock=now)
    playback = PlaybackPath(DEVICE_RATE_HZ, BRIDGE_RATE_HZ, target_ms=target_ms, clock=now)
    device_pulse, bridge_pulse = pulse(DEVICE_RATE_HZ), pulse(BRIDGE_RATE_HZ)
    mic_in, speaker_out = Timeline(seconds, DEVICE_RATE_HZ), Timeline(seconds, DEVICE_RATE_HZ)
    bridge_out, bridge_in = Timeline(seconds, BRIDGE_RATE_HZ), Timeline(seconds, BRIDGE_RATE_HZ)
    mic_block = np.zeros(DEVICE_BLOCK, np.float32)
    speaker_block = np.zeros(DEVICE_BLOCK, np.float32)
    frame_out = np.zeros(BRIDGE_FRAMES, np.float32)
    frame_in = np.zeros(BRIDGE_FRAMES, np.float32)
    block_s = DEVICE_BLOCK / DEVICE_RATE_HZ
    pulses_s = [SETTLE_S + 1.0033 * k for k in range(int((seconds - SETTLE_S - 1) / 1.0033))]
    state = {"mic_sent": 0, "bridge_sent": 0}

    def next_block(block: np.ndarray, pulse_samples: np.ndarray, sent: str) -> None:
        """`block` silent, or starting with the next pulse once that pulse is due (`sent` counts them)."""
        block[:] = 0.0
        k = state[sent]
        if k < len(pulses_s) and now.now_s >= pulses_s[k]:
            block[:pulse_samples.size] = pulse_samples
            state[sent] = k + 1

    def mic_tick() -> None:
        next_block(mic_block, device_pulse, "mic_sent")
        mic_in.add(mic_block, now.now_s)
        capture.device_write(mic_block)

    def speaker_tick() -> None:
        playback.device_read(speaker_block)
        speaker_out.add(speaker_block, now.now_s)

    def bridge_tick() -> None:
        capture.bridge_read(frame_out)
        bridge_out.add(frame_out, now.now_s)
        next_block(frame_in, bridge_pulse, "bridge_sent")
        bridge_in.add(frame_in, now.now_s)
        playback.bridge_write(frame_in)

    device_period = block_s / (1 + drift_ppm * 1e-6)
    run([(Clock("mic", device_period, mic_tick), []), (Clock("speaker", device_period, speaker_tick), []),
         (Clock("bridge", BRIDGE_FRAMES / BRIDGE_RATE_HZ, bridge_tick), [])], seconds, now)

    def latencies(source: Timeline, sink: Timeline) -> np.ndarray:
        sent = source.peaks_after([p - 1e-6 for p in pulses_s], 0.5)
        got = sink.peaks_after(sent, 0.5)
        return 1000 * (np.array(got) - np.array(sent[:len(got)]))

    return latencies(mic_in, bridge_out), latencies(bridge_in, speaker_out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target-ms", type=float, nargs="+", default=[40.0, 20.0])
    parser.add_argument("--ppm", type=float, default=300.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print("| ring target | clocks | path | added latency ms: min / median / max |")
    print("|---|---|---|---|")
    for target_ms in args.target_ms:
        for ppm in sorted({0.0, args.ppm}):
            capture_ms, playback_ms = measure(target_ms, ppm, args.seconds)
            for path, values in (("capture", capture_ms), ("playback", playback_ms)):
                print(f"| {target_ms:.0f} ms | {ppm:+.0f} ppm | {path} | {values.min():.1f} / "
                      f"{np.median(values):.1f} / {values.max():.1f} (n={values.size}) |")


if __name__ == "__main__":
    main()
