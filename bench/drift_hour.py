"""One simulated hour of clock drift through both audio paths: underruns and the latency band.

The sound cards run `--ppm` fast or slow against pjmedia's 20 ms bridge clock, in virtual time (no real
waiting), through the same `CapturePath`/`PlaybackPath` that `DeviceAudio` uses. Two runs: mic fast /
speaker slow, and the reverse. Reported per path: underruns and overruns after start-up, the ring's
fill (the latency the buffer adds) as min / 1st percentile / median / 99th percentile / max, and the
mean read ratio, which must match the clocks' ratio if drift is followed by resampling.

    .venv/bin/python bench/drift_hour.py [--minutes 60] [--ppm 300] [--target-ms 40]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media.buffers import CapturePath, PlaybackPath  # noqa: E402
from tests.media.synthetic_clocks import Clock, VirtualTime, run  # noqa: E402

DEVICE_RATE_HZ = 48000
DEVICE_BLOCK = 480            # 10 ms, what DeviceAudio asks PortAudio for
BRIDGE_FRAMES = 320           # 20 ms at 16 kHz
SETTLE_S = 30.0


def simulate(mic_ppm: float, speaker_ppm: float, seconds: float, target_ms: float) -> dict[str, object]:
    now = VirtualTime()
    capture = CapturePath(DEVICE_RATE_HZ, target_ms=target_ms, clock=now)
    playback = PlaybackPath(DEVICE_RATE_HZ, target_ms=target_ms, clock=now)
    mic_block = np.zeros(DEVICE_BLOCK, np.float32)
    speaker_block = np.zeros(DEVICE_BLOCK, np.float32)
    frame = np.zeros(BRIDGE_FRAMES, np.float32)
    settle_ticks = int(SETTLE_S / 0.020)
    ticks = int(seconds / 0.020) + 2
    fills_ms = np.zeros((ticks, 2), np.float32)
    ratios = np.zeros((ticks, 2), np.float64)
    state = {"tick": 0, "at_settle": (0, 0, 0, 0)}

    def bridge_tick() -> None:
        capture.bridge_read(frame)
        playback.bridge_write(frame)
        k = state["tick"]
        fills_ms[k] = (capture.buffered_ms, playback.buffered_ms)
        ratios[k] = (capture.controller.ratio, playback.controller.ratio)
        state["tick"] = k + 1
        if k == settle_ticks:
            state["at_settle"] = (capture.underruns, playback.underruns, capture.ring.overruns,
                                  playback.ring.overruns)

    block_s = DEVICE_BLOCK / DEVICE_RATE_HZ
    run([(Clock("mic", block_s / (1 + mic_ppm * 1e-6), lambda: capture.device_write(mic_block)), []),
         (Clock("speaker", block_s / (1 + speaker_ppm * 1e-6), lambda: playback.device_read(speaker_block)), []),
         (Clock("bridge", 0.020, bridge_tick), [])], seconds, now)
    done = state["tick"]
    settled_fill_ms = fills_ms[settle_ticks:done]
    last_ten_minutes = max(settle_ticks, done - int(600 / 0.020))
    u_c, u_p, o_c, o_p = state["at_settle"]
    return {
        "capture_underruns": capture.underruns - u_c, "playback_underruns": playback.underruns - u_p,
        "capture_overruns": capture.ring.overruns - o_c, "playback_overruns": playback.ring.overruns - o_p,
        "startup_underruns": u_c + u_p,
        "capture_fill_ms": np.percentile(settled_fill_ms[:, 0], [0, 1, 50, 99, 100]),
        "playback_fill_ms": np.percentile(settled_fill_ms[:, 1], [0, 1, 50, 99, 100]),
        "capture_ratio_ppm": (ratios[last_ten_minutes:done, 0].mean() - 1) * 1e6,
        "playback_ratio_ppm": (ratios[last_ten_minutes:done, 1].mean() - 1) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--ppm", type=float, default=300)
    parser.add_argument("--target-ms", type=float, default=40.0, help="ring target (DeviceAudio's default: 40)")
    args = parser.parse_args()
    print("| clocks | path | underruns after start-up | overruns | buffered ms min / p1 / median / p99 / max "
          "| mean read ratio, ppm |")
    print("|---|---|---|---|---|---|")
    for mic_ppm, speaker_ppm in ((args.ppm, -args.ppm), (-args.ppm, args.ppm)):
        started = time.perf_counter()
        result = simulate(mic_ppm, speaker_ppm, args.minutes * 60, args.target_ms)
        wall_s = time.perf_counter() - started
        clocks = f"mic {mic_ppm:+.0f} ppm, speaker {speaker_ppm:+.0f} ppm"
        for path in ("capture", "playback"):
            band = " / ".join(f"{v:.1f}" for v in result[f"{path}_fill_ms"])
            print(f"| {clocks} | {path} | {result[f'{path}_underruns']} | {result[f'{path}_overruns']} | {band} "
                  f"| {result[f'{path}_ratio_ppm']:+.0f} |")
        print(f"<!-- {args.minutes:.0f} simulated minutes in {wall_s:.0f} s wall; "
              f"start-up underruns {result['startup_underruns']} -->")


if __name__ == "__main__":
    main()
