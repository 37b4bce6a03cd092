"""Echo return loss enhancement on speech, for each echo canceller we could ship, with its CPU cost.

Far end: espeak-ng speech played twice (the second pass is measured: the canceller has converged).
Echo path: 40 ms of delay, then a synthetic 150 ms room (seeded decaying noise), at -6 dB, as a laptop's
speaker to its microphone. Double talk: near-end speech joins during the second pass; we report the ERLE
over the far-end-only stretches and how much of the near talker survives (level change, envelope
correlation). CPU is process time per second of audio on one core.

Candidates: WebRTC AEC3 via the `livekit` wheel (media/processing.py's VoiceProcessor, what we ship),
and speexdsp's MDF echo canceller through Debian's libspeexdsp (ctypes), alone and with its
preprocessor's residual echo suppression.

Run: .venv/bin/python bench/echo_erle.py [--write]   (--write updates docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soxr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import machine, replace_section  # noqa: E402
from media.processing import ProcessingSettings, VoiceProcessor  # noqa: E402
from media.wavfile import decode_wav  # noqa: E402

RATE = 16000
FRAME = RATE // 100
SECTION = "## Echo cancellation"

FAR_TEXT = ("The quarterly numbers are in and they look better than we expected. Sales in the northern region "
            "grew by twelve percent, while the south stayed flat. We should talk about the budget for next "
            "year on Thursday, and please bring the latest forecast with you.")
NEAR_TEXT = "Sorry to interrupt, could you repeat the last figure? I did not catch it."


def espeak(text: str, voice: str = "en") -> np.ndarray:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True,
                       capture_output=True)
        frames, rate = decode_wav(path.read_bytes())
    return soxr.resample(frames[:, 0], rate, RATE).astype(np.float32)


def room(delay_ms: float = 40, gain: float = 0.5, seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(0.15 * RATE)
    response = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.03 * RATE))
    response *= gain / np.sqrt(np.sum(response ** 2))
    return np.concatenate([np.zeros(int(delay_ms * RATE / 1000)), response])


# ---------------------------------------------------------------------------------------------- speexdsp

SPEEX_ECHO_SET_SAMPLING_RATE = 24
SPEEX_PREPROCESS_SET_ECHO_STATE = 24
SPEEX_PREPROCESS_SET_DENOISE = 0


class SpeexEcho:
    """speexdsp's MDF canceller, 200 ms filter; `residual` adds the preprocessor's echo suppressor."""

    def __init__(self, residual: bool) -> None:
        lib = ctypes.CDLL("libspeexdsp.so.1")
        lib.speex_echo_state_init.restype = ctypes.c_void_p
        lib.speex_echo_state_init.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.speex_echo_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        lib.speex_echo_cancellation.argtypes = [ctypes.c_void_p] + [ctypes.c_void_p] * 3
        lib.speex_preprocess_state_init.restype = ctypes.c_void_p
        lib.speex_preprocess_state_init.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.speex_preprocess_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        lib.speex_preprocess_run.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._lib = lib
        self._echo = lib.speex_echo_state_init(FRAME, RATE // 5)
        rate = ctypes.c_int(RATE)
        lib.speex_echo_ctl(self._echo, SPEEX_ECHO_SET_SAMPLING_RATE, ctypes.byref(rate))
        self._pre = None
        if residual:
            self._pre = lib.speex_preprocess_state_init(FRAME, RATE)
            lib.speex_preprocess_ctl(self._pre, SPEEX_PREPROCESS_SET_ECHO_STATE, ctypes.c_void_p(self._echo))
            off = ctypes.c_int(0)
            lib.speex_preprocess_ctl(self._pre, SPEEX_PREPROCESS_SET_DENOISE, ctypes.byref(off))
        self._near = np.zeros(FRAME, np.int16)
        self._far = np.zeros(FRAME, np.int16)
        self._out = np.zeros(FRAME, np.int16)

    def __call__(self, far: np.ndarray, near: np.ndarray, out: np.ndarray) -> None:
        self._far[:] = np.clip(far * 32767, -32768, 32767)
        self._near[:] = np.clip(near * 32767, -32768, 32767)
        self._lib.speex_echo_cancellation(self._echo, self._near.ctypes.data, self._far.ctypes.data,
                                          self._out.ctypes.data)
        if self._pre is not None:
            self._lib.speex_preprocess_run(self._pre, self._out.ctypes.data)
        out[:] = self._out / 32768.0


def webrtc_aec3() -> Callable[[np.ndarray, np.ndarray, np.ndarray], None]:
    processor = VoiceProcessor(RATE, ProcessingSettings(aec=True, ns=False, agc=False, high_pass=False))

    def run(far: np.ndarray, near: np.ndarray, out: np.ndarray) -> None:
        processor.process_render(far)
        processor.process_capture(near, out)
    return run


def webrtc_aec3_always_on() -> Callable[[np.ndarray, np.ndarray, np.ndarray], None]:
    """AEC3 with its output always used: what shipped before issue 20."""
    from livekit import rtc

    apm = rtc.AudioProcessingModule(echo_cancellation=True)
    render = rtc.AudioFrame(bytearray(FRAME * 2), RATE, 1, FRAME)
    capture = rtc.AudioFrame(bytearray(FRAME * 2), RATE, 1, FRAME)

    def run(far: np.ndarray, near: np.ndarray, out: np.ndarray) -> None:
        np.frombuffer(render.data, dtype=np.int16)[:] = np.clip(far * 32767, -32768, 32767)
        apm.process_reverse_stream(render)
        pcm = np.frombuffer(capture.data, dtype=np.int16)
        pcm[:] = np.clip(near * 32767, -32768, 32767)
        apm.process_stream(capture)
        out[:] = pcm / 32768
    return run


CANDIDATES: dict[str, Callable[[], Callable[[np.ndarray, np.ndarray, np.ndarray], None]]] = {
    "WebRTC AEC3 behind the echo-path gate (livekit 1.x, shipped)": webrtc_aec3,
    "WebRTC AEC3 always on (shipped before issue 20)": webrtc_aec3_always_on,
    "speexdsp MDF, 200 ms filter": lambda: SpeexEcho(residual=False),
    "speexdsp MDF + residual echo suppressor": lambda: SpeexEcho(residual=True),
}


def process(canceller: Callable[[np.ndarray, np.ndarray, np.ndarray], None], far: np.ndarray,
            mic: np.ndarray) -> tuple[np.ndarray, float]:
    out = np.zeros_like(mic)
    started = time.process_time()
    for start in range(0, len(mic) - FRAME + 1, FRAME):
        canceller(far[start:start + FRAME], mic[start:start + FRAME], out[start:start + FRAME])
    cpu_percent = (time.process_time() - started) / (len(mic) / RATE) * 100
    return out, cpu_percent


def db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.asarray(x, np.float64) ** 2) + 1e-20))


def envelope(x: np.ndarray, window: int = RATE // 50) -> np.ndarray:
    return np.sqrt(np.mean(x[: len(x) // window * window].reshape(-1, window) ** 2, axis=1))


def measure() -> list[dict[str, object]]:
    far_speech = espeak(FAR_TEXT)
    near_speech = espeak(NEAR_TEXT, voice="en-us")
    far = np.concatenate([far_speech, far_speech])
    echo = np.convolve(far, room())[: len(far)].astype(np.float32)
    # A laptop speaker driven hard distorts: the echo is no longer a linear function of what we played,
    # which is where a linear adaptive filter alone stops and a residual echo suppressor has to work.
    peak = np.max(np.abs(far))
    distorted = np.tanh(2.5 * far / peak) * peak / 2.5
    rng = np.random.default_rng(4)
    echo_nonlinear = (np.convolve(distorted, room())[: len(far)] + 0.001 * rng.standard_normal(len(far)))
    echo_nonlinear = echo_nonlinear.astype(np.float32)
    second = slice(len(far_speech), len(far))
    near = np.zeros_like(far)
    talk_start = len(far_speech) + 4 * RATE
    near[talk_start:talk_start + len(near_speech)] = near_speech * 0.7
    talk = slice(talk_start, talk_start + len(near_speech))
    far_only = np.ones(len(far), bool)
    far_only[: len(far_speech)] = False
    far_only[talk_start - RATE // 2:talk_start + len(near_speech) + RATE // 2] = False
    results = []
    for name, make in CANDIDATES.items():
        out, cpu = process(make(), far, echo)
        erle = db(echo[second]) - db(out[second])
        out_nl, _ = process(make(), far, echo_nonlinear)
        erle_nl = db(echo_nonlinear[second]) - db(out_nl[second])
        out_dt, _ = process(make(), far, echo + near)
        erle_dt = db(echo[far_only]) - db(out_dt[far_only])
        kept_db = db(out_dt[talk]) - db(near[talk])
        kept_corr = float(np.corrcoef(envelope(out_dt[talk]), envelope(near[talk]))[0, 1])
        # A headset: the same double talk with no echo path at all. PESQ-WB, not the envelope: AEC3's
        # damage here keeps the loudness (it refills what it suppresses with comfort noise).
        from pesq import pesq

        out_hs, _ = process(make(), far, near)
        headset_corr = float(pesq(RATE, near[talk], out_hs[talk], "wb"))
        results.append({"name": name, "erle": erle, "erle_nl": erle_nl, "erle_dt": erle_dt, "kept_db": kept_db,
                        "kept_corr": kept_corr, "headset_corr": headset_corr, "cpu": cpu})
        print(f"{name:42s} ERLE {erle:5.1f} dB, distorted speaker {erle_nl:5.1f} dB | double talk: ERLE {erle_dt:5.1f} dB, near end {kept_db:+5.1f} dB, "
              f"envelope r {kept_corr:.2f} | headset PESQ-WB {headset_corr:.2f} | CPU {cpu:4.1f} % of a core")
    return results


def write_section(results: list[dict[str, object]]) -> None:
    lines = [SECTION, "",
             f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()} "
             "by `bench/echo_erle.py` (shared machine: CPU figures are upper bounds).",
             "",
             "Far end: espeak-ng speech (~16 s) played twice at 16 kHz; echo path 40 ms delay + synthetic 150 ms room "
             "at -6 dB; ERLE over the second pass (converged). Double talk: near-end speech during the second pass; "
             "ERLE over far-end-only stretches, and the near talker's level change and 20 ms-envelope correlation.",
             "",
             "Distorted speaker: the same, with the far end soft-clipped (tanh) before the room and -60 dBFS mic noise.",
             "",
             "Headset: the same double talk with no echo path; PESQ-WB of the near talker (4.64 is untouched).",
             "",
             "| Canceller | ERLE, linear path | ERLE, distorted speaker | ERLE, double talk | Near end kept "
             "| Near envelope r | Headset: near end PESQ-WB | CPU (% of a core) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['name']} | {r['erle']:.1f} dB | {r['erle_nl']:.1f} dB | {r['erle_dt']:.1f} dB | {r['kept_db']:+.1f} dB | "
                     f"{r['kept_corr']:.2f} | {r['headset_corr']:.2f} | {r['cpu']:.1f} |")
    lines += ["", "Chosen: WebRTC AEC3 behind media/echo_path.py's gate: AEC3 removes 20 dB more echo than "
              "speexdsp's MDF on a linear path and about twice the dB once the speaker distorts, but used "
              "always it garbles the near talker whenever the far end talks and nothing can be cancelled (the "
              "headset column; PESQ-WB in docs' device-path section). The gate uses its output only while the "
              "speaker is heard in the microphone and the far end has just talked. CPU is for the echo "
              "canceller alone, 10 ms frames (the gated one includes its detector).", ""]
    replace_section(SECTION, "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    results = measure()
    if args.write:
        write_section(results)


if __name__ == "__main__":
    main()
