"""Speech played and recorded through a user-mode PulseAudio's null sinks (tests/fixtures/pulse.py), the
measuring path's own score, and the live echo path (speaker heard by the microphone) between the sinks.

Run as a script (`--echo-filter`) it is the echo filter in that path's pipeline: a process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script (the echo filter): `bench` importable
    sys.path.insert(0, str(ROOT))

from bench.speech_scoring import PEAK, RATE, pesq_wb, read_samples  # noqa: E402


def echo_filter() -> None:
    """stdin -> stdout, float32 at 16 kHz: what a laptop's microphone hears of its own speaker. Runs in a
    process of its own (`--echo-filter`) so its work never competes with the app's threads for our GIL."""
    from bench.echo_erle import room

    block = 640
    response = room()  # 40 ms delay + 150 ms decaying room at -6 dB
    n = 1 << int(np.ceil(np.log2(block + len(response))))
    response_spectrum = np.fft.rfft(response, n)
    tail = np.zeros(n - block)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        data = source.read(block * 4)
        if len(data) < block * 4:
            return
        played = np.frombuffer(data, dtype=np.float32).astype(np.float64)
        clipped = np.tanh(2.5 * played / PEAK) * PEAK / 2.5  # a small speaker driven hard
        echo = np.fft.irfft(np.fft.rfft(clipped, n) * response_spectrum, n)
        echo[: len(tail)] += tail
        tail = echo[block:].copy()
        sink.write(echo[:block].astype(np.float32).tobytes())
        sink.flush()


class EchoPath:
    """The speaker heard by the microphone, live: parec speaker.monitor | echo_filter | pacat microphone."""

    def __init__(self, env: dict[str, str]) -> None:
        common = f"--raw --format=float32le --rate={RATE} --channels=1 --latency-msec=20"
        pipeline = (f"parec --device=speaker.monitor {common} | {sys.executable} {Path(__file__).resolve()} "
                    f"--echo-filter | pacat --playback --device=microphone {common}")
        self._process = subprocess.Popen(["sh", "-c", pipeline], env=env, start_new_session=True)

    def stop(self) -> None:
        os.killpg(self._process.pid, 15)  # the pipeline is its own process group: ours alone
        self._process.wait(10)


def play(env: dict[str, str], sink: str, wav: Path) -> subprocess.Popen[bytes]:
    """paplay at its default latency (asked for 20 ms it underruns on a loaded machine). A null sink
    renders up to ~2 s ahead and, when a stream joins, rewinds and mixes it into audio its monitor may
    already have delivered: the start can be lost, so every played file begins with `PAD_S` of silence."""
    return subprocess.Popen(["paplay", f"--device={sink}", str(wav)], env=env)


def record(env: dict[str, str], sink: str, path: Path) -> subprocess.Popen[bytes]:
    """parec of `sink`'s monitor into a WAV, returned once samples are flowing into the file (a
    recorder that starts late would cut the speech's start and PESQ would score the cut)."""
    recorder = subprocess.Popen(["parec", f"--device={sink}.monitor", "--file-format=wav", f"--rate={RATE}",
                                 "--channels=1", "--format=s16le", "--latency-msec=20", str(path)], env=env)
    from tests.fixtures.net import wait_until

    wait_until(lambda: path.exists() and path.stat().st_size > 44 + 3200, 20, f"parec of {sink}", alive=recorder)
    return recorder


def measuring_path(pulse: object, work: Path, near_wav: Path, far_wav: Path, near: np.ndarray,
                   far: np.ndarray) -> tuple[float, float]:
    """paplay into a sink, parec its monitor: the measurement's own cost, no app in between."""
    scores = []
    for sink, wav, ref in (("microphone", near_wav, near), ("speaker", far_wav, far)):
        out = work / f"reference-{sink}.wav"
        recorder = record(pulse.env, sink, out)  # type: ignore[attr-defined]
        assert play(pulse.env, sink, wav).wait(60) == 0  # type: ignore[attr-defined]
        time.sleep(0.5)
        recorder.terminate()
        recorder.wait(10)
        scores.append(pesq_wb(ref, read_samples(out)))
    return scores[0], scores[1]


if __name__ == "__main__":
    if sys.argv[1:] != ["--echo-filter"]:
        sys.exit("usage: pulse_speech.py --echo-filter   (started by EchoPath, reads and writes raw float32)")
    echo_filter()
